import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equivalenceClassSizes, recoverableCells, type Cell } from '../../src/lib/privacy/suppress';
import type { Manifest, ReleasesIndex } from '../../src/lib/release/manifest';
import { browserColumns, PUBLIC_TABLES, type PublicColumn } from '../../src/lib/schema/public';
import { buildRelease, type BuildReleaseOptions } from './build';
import { columnsToGuard, csvValue } from './write';
import { listFiles } from './files';
import { pseudonym } from './pseudonym';
import { fakeIndicators, fixtureImporter, fixtureReference, fixtureRows } from './test-helpers';

const KEY = Buffer.from('release-test-key-0123456789');
const rows = fixtureRows(7);
const work = mkdtempSync(join(tmpdir(), 'release-test-'));
const out = join(work, 'out');
const opts = (o: Partial<BuildReleaseOptions> = {}): BuildReleaseOptions => ({
	outDir: out,
	importer: fixtureImporter(rows),
	reference: fixtureReference(),
	indicators: fakeIndicators,
	key: KEY,
	log: () => {},
	...o
});
const v1 = join(out, 'r1');

/** Snapshot every file under a directory: path → sha256. */
const snapshot = (dir: string) => {
	const s: Record<string, string> = {};
	const walk = (d: string, rel = '') => {
		for (const e of readdirSync(d, { withFileTypes: true })) {
			const p = join(d, e.name);
			if (e.isDirectory()) walk(p, `${rel}${e.name}/`);
			else s[`${rel}${e.name}`] = createHash('sha256').update(readFileSync(p)).digest('hex');
		}
	};
	walk(dir);
	return s;
};

let db: DuckDBInstance;
const query = async (sql: string) => {
	const c = await db.connect();
	const r = (await c.runAndReadAll(sql)).getRowObjectsJS();
	c.closeSync();
	return r;
};

beforeAll(async () => {
	const r = await buildRelease(opts({ version: 'r1', created: new Date('2025-01-01T00:00:00Z') }));
	expect(r.ok).toBe(true);
	db = await DuckDBInstance.create(':memory:');
});
afterAll(() => {
	db?.closeSync();
	rmSync(work, { recursive: true, force: true });
});

const manifest = (): Manifest => JSON.parse(readFileSync(join(v1, 'browser/manifest.json'), 'utf8'));

/** Canonical text of a row: values in column order, dates as YYYY-MM-DD, timestamps as epoch ms. */
const canon = (vals: unknown[]) =>
	JSON.stringify(vals.map((v) => (typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.getTime() : v)));

describe('release files', () => {
	it('has the layout: browser/, parquet/, csv/, datapackage.json, SHA256SUMS, validation-report.json', async () => {
		const files = await listFiles(v1);
		for (const t of PUBLIC_TABLES) {
			expect(files).toContain(`parquet/${t.name}.parquet`);
			expect(files).toContain(`csv/${t.name}.csv`);
			const m = manifest().tables[t.name];
			expect(m.file).toMatch(new RegExp(`^${t.name}\\.[0-9a-f]{8}\\.arrow$`));
			for (const f of [m.file, m.br, m.gz]) expect(files).toContain(`browser/${f}`);
		}
		for (const f of ['datapackage.json', 'SHA256SUMS', 'validation-report.json', 'browser/manifest.json'])
			expect(files).toContain(f);
	});

	it('Arrow, Parquet and CSV hold the same rows for every table (Arrow without the downloads-only columns)', async () => {
		const m = manifest();
		for (const t of PUBLIC_TABLES) {
			const bytes = readFileSync(join(v1, 'browser', m.tables[t.name].file));
			const arrow = tableFromIPC(bytes);
			const inBrowser = browserColumns(t);
			expect(arrow.schema.fields.map((f) => f.name)).toEqual(inBrowser.map((c) => c.name));
			expect(m.tables[t.name].columns.map((c) => c.name)).toEqual(inBrowser.map((c) => c.name));
			const cols = t.columns.map((c) => {
				if (c.type === 'DATE') return `strftime("${c.name}", '%Y-%m-%d') AS "${c.name}"`;
				if (c.type === 'TIMESTAMP') return `epoch_ms("${c.name}")::DOUBLE AS "${c.name}"`;
				if (c.type === 'VARCHAR') return `regexp_replace("${c.name}", '^''([=+\\-@])', '\\1') AS "${c.name}"`;
				return `"${c.name}"`;
			});
			const pq = await query(
				`SELECT ${cols.join(', ')} FROM read_parquet('${join(v1, 'parquet', t.name + '.parquet')}')`
			);
			const types = `{${t.columns.map((c) => `'${c.name}': '${c.type}'`).join(', ')}}`;
			const csv = await query(
				`SELECT ${cols.join(', ')} FROM read_csv('${join(v1, 'csv', t.name + '.csv')}', header = true, columns = ${types}, timestampformat = '%Y-%m-%d %H:%M:%S')`
			);
			const arrowRows = arrow.toArray().map((r) =>
				canon(
					inBrowser.map((c) => {
						const v = (r as Record<string, unknown>)[c.name];
						if (v === null) return null;
						if (c.type === 'DATE') return new Date(v as number).toISOString().slice(0, 10);
						return v;
					})
				)
			);
			const rowsOf = (rs: Record<string, unknown>[], of: readonly PublicColumn[]) =>
				rs.map((r) => canon(of.map((c) => r[c.name])));
			expect(arrowRows.length, t.name).toBe(m.tables[t.name].rows);
			// Same rows in the same order: the downloads in full, the browser copy on its columns.
			expect(rowsOf(csv, t.columns), t.name).toEqual(rowsOf(pq, t.columns));
			expect(rowsOf(pq, inBrowser), t.name).toEqual(arrowRows);
		}
		expect(m.tables.hours.rows).toBe(rows.participations.length);
		expect(m.tables.volunteers.rows).toBe(rows.volunteers.length);
	});

	it('downloads-only columns are per-row ids that no other table refers to', async () => {
		const only = PUBLIC_TABLES.flatMap((t) =>
			t.columns.filter((c) => c.downloadsOnly).map((c) => [t, c] as const)
		);
		expect(only.map(([t, c]) => `${t.name}.${c.name}`)).toEqual([
			'hours.participation_id',
			'points.transaction_id'
		]);
		for (const [t, c] of only) {
			expect(t.primaryKey).toEqual([c.name]);
			const [r] = await query(
				`SELECT count(*)::DOUBLE AS n, count(DISTINCT "${c.name}")::DOUBLE AS d FROM read_parquet('${join(v1, 'parquet', t.name + '.parquet')}')`
			);
			expect(r.n).toBeGreaterThan(0);
			expect(r.d).toBe(r.n);
			for (const other of PUBLIC_TABLES) {
				if (other === t) continue;
				expect(
					other.columns.map((x) => x.name),
					other.name
				).not.toContain(c.name);
				for (const fk of other.foreignKeys ?? [])
					expect(fk.table === t.name ? fk.fieldsRef : []).not.toContain(c.name);
			}
		}
	});

	it('hours and points keep the row order of the export', async () => {
		const ids = async (t: string, col: string) =>
			(await query(`SELECT "${col}" AS id FROM read_parquet('${join(v1, 'parquet', t + '.parquet')}')`)).map(
				(r) => r.id
			);
		expect(await ids('hours', 'participation_id')).toEqual(
			rows.participations.map((p) => pseudonym(KEY, 'participation', String(p.participation_id)))
		);
		expect(await ids('points', 'transaction_id')).toEqual(
			rows.points.map((p) => pseudonym(KEY, 'transaction', String(p.transaction_id)))
		);
	});

	it('the CSV export of a large table keeps its row order (the formula guard is no hash join)', async () => {
		const c = await db.connect();
		const dir = mkdtempSync(join(tmpdir(), 'release-csv-order-'));
		const col = { name: 's', type: 'VARCHAR', zh: '', en: '' } as const;
		await c.run(`CREATE TABLE big AS SELECT CASE WHEN i % 1000 = 0 THEN '=x' || i ELSE 'r' || i END AS s
			FROM range(600000) t(i)`);
		const sql = `COPY (SELECT ${csvValue(col)} AS s FROM big) TO '${join(dir, 'big.csv')}' (FORMAT csv, HEADER false)`;
		const plan = (await c.runAndReadAll(`EXPLAIN ${sql}`)).getRows().flat().join('\n');
		expect(plan).not.toContain('HASH_JOIN');
		await c.run(sql);
		c.closeSync();
		const lines = readFileSync(join(dir, 'big.csv'), 'utf8').trimEnd().split('\n');
		rmSync(dir, { recursive: true, force: true });
		expect(lines).toHaveLength(600000);
		lines.forEach((l, i) => {
			if (l !== (i % 1000 === 0 ? `'=x${i}` : `r${i}`)) expect(l, `line ${i + 1}`).toBe(`r${i}`);
		});
	});

	it('the formula guard is applied to exactly the text columns that need it', async () => {
		const c = await db.connect();
		await c.run(`CREATE TABLE guard_cols AS SELECT * FROM (VALUES
			('a1', 'x', NULL::VARCHAR, 1), ('a2', '+86', NULL, 2), ('a3', 'y', NULL, 3)) t(id, title, empty, n)`);
		const col = (name: string, type: 'VARCHAR' | 'INTEGER') => ({ name, type, zh: '', en: '' });
		const cols = [
			col('id', 'VARCHAR'),
			col('title', 'VARCHAR'),
			col('empty', 'VARCHAR'),
			col('n', 'INTEGER')
		];
		expect([...(await columnsToGuard(c, 'guard_cols', cols))]).toEqual(['title']);
		await c.run(`UPDATE guard_cols SET title = 'z' WHERE id = 'a2'`);
		await c.run(`UPDATE guard_cols SET id = chr(9) || 'a' WHERE id = 'a3'`);
		expect([...(await columnsToGuard(c, 'guard_cols', cols))]).toEqual(['id']);
		c.closeSync();
	});

	it('CSV has a BOM and text starting with = + - @ is prefixed with a quote', () => {
		const teams = readFileSync(join(v1, 'csv/teams.csv'));
		expect([...teams.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(teams.toString('utf8')).toContain(`'=HYPERLINK`);
		expect(readFileSync(join(v1, 'csv/activities.csv'), 'utf8')).toContain(`'-负面标题`);
		// A phone and an ID number typed into a title are masked; the rest of the title stays.
		expect(readFileSync(join(v1, 'csv/activities.csv'), 'utf8')).toContain(
			'探访李阿姨 [已隐去] 身份证[已隐去]'
		);
		expect(readFileSync(join(v1, 'csv/trainings.csv'), 'utf8')).toContain(`'@培训主题`);
		expect(readFileSync(join(v1, 'csv/trainings.csv'), 'utf8')).not.toMatch(/,@/);
	});

	it('SHA256SUMS, manifest and datapackage sizes and hashes match the files', async () => {
		const sums = readFileSync(join(v1, 'SHA256SUMS'), 'utf8').trim().split('\n');
		const files = (await listFiles(v1)).filter((f) => f !== 'SHA256SUMS');
		expect(sums.map((l) => l.slice(66)).sort()).toEqual(files);
		for (const l of sums) {
			const [hash, file] = [l.slice(0, 64), l.slice(66)];
			expect(
				createHash('sha256')
					.update(readFileSync(join(v1, file)))
					.digest('hex'),
				file
			).toBe(hash);
		}
		const dp = JSON.parse(readFileSync(join(v1, 'datapackage.json'), 'utf8'));
		expect(dp.resources.length).toBe(PUBLIC_TABLES.length * 2 + 1);
		for (const r of dp.resources) {
			const b = readFileSync(join(v1, r.path));
			expect(r.bytes, r.path).toBe(b.length);
			expect(r.hash, r.path).toBe(`sha256:${createHash('sha256').update(b).digest('hex')}`);
		}
		const vol = dp.resources.find((r: { name: string }) => r.name === 'volunteers-csv');
		expect(vol.rows).toBe(rows.volunteers.length);
		expect(vol.schema.primaryKey).toEqual(['volunteer_id']);
		const gender = vol.schema.fields.find((f: { name: string }) => f.name === 'gender');
		expect(gender.constraints).toEqual({ required: false, enum: ['F', 'M'] });
		expect(dp.licenses[0].name).toBe('CC-BY-4.0');
		expect(dp.temporalCoverage.end).toBe(dp.dataAsOf);
		for (const [name, t] of Object.entries(manifest().tables)) {
			const b = readFileSync(join(v1, 'browser', t.file));
			expect(t.bytes, name).toBe(b.length);
			expect(t.sha256, name).toBe(createHash('sha256').update(b).digest('hex'));
		}
	});
});

describe('privacy', () => {
	it('no published file contains phone numbers, ID numbers, raw ids, birth dates or a name column for people', async () => {
		const textRows = { ...rows };
		const births = new Set(textRows.volunteers.map((v) => String(v.birth_date)));
		const rawIds = textRows.volunteers.map((v) => String(v.volunteer_id));
		const scan = (text: string, where: string) => {
			// Hashes (hex runs) are not personal data and may contain digit runs: drop them first.
			const t = text.replace(/[0-9a-f]{32,}/g, '');
			expect(t, where).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
			expect(t, where).not.toMatch(/(?<!\d)\d{17}[\dXx](?!\d)/);
			expect(t, where).not.toMatch(/\bV\d{5}\b/);
			expect(t, where).not.toMatch(/\bP\d{7}\b/);
			for (const b of births) expect(t.includes(b), `${where} ${b}`).toBe(false);
		};
		for (const f of await listFiles(v1)) {
			if (f.endsWith('.br') || f.endsWith('.gz')) continue;
			if (f.endsWith('.parquet')) {
				// Parquet pages are compressed: scan the decoded values instead.
				const all = await query(`SELECT * FROM read_parquet('${join(v1, f)}')`);
				scan(
					JSON.stringify(all, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)),
					f
				);
			} else
				scan(readFileSync(join(v1, f)).toString('latin1') + readFileSync(join(v1, f)).toString('utf8'), f);
		}
		// The scan itself must be able to fail: a raw birth date and id would be caught.
		expect(() => scan(`x,${[...births][0]},V00001`, 'probe')).toThrow();
		expect(rawIds.length).toBeGreaterThan(0);
		const vcols = (
			await query(`DESCRIBE SELECT * FROM read_parquet('${join(v1, 'parquet/volunteers.parquet')}')`)
		).map((r) => r.column_name);
		expect(vcols).not.toContain('name');
		expect(vcols).not.toContain('birth_date');
		const parquetText = readFileSync(join(v1, 'parquet/volunteers.parquet')).toString('latin1');
		expect(parquetText).not.toMatch(/\bV\d{5}\b/);
	});

	it('volunteer pseudonyms are the keyed HMAC of the raw id, consistent across tables', async () => {
		const expected = new Set(rows.volunteers.map((v) => pseudonym(KEY, 'volunteer', String(v.volunteer_id))));
		const vs = await query(
			`SELECT volunteer_id FROM read_parquet('${join(v1, 'parquet/volunteers.parquet')}')`
		);
		expect(new Set(vs.map((r) => r.volunteer_id))).toEqual(expected);
		const orphan = await query(
			`SELECT count(*)::INTEGER AS n FROM read_parquet('${join(v1, 'parquet/hours.parquet')}') h
			 ANTI JOIN read_parquet('${join(v1, 'parquet/volunteers.parquet')}') v USING (volunteer_id)`
		);
		expect(orphan[0].n).toBe(0);
	});

	it('k-anonymity: every (age band, gender, community, street, political status) class has ≥ 5 people or is fully generalised', async () => {
		const vs = (await query(
			`SELECT * FROM read_parquet('${join(v1, 'parquet/volunteers.parquet')}')`
		)) as Record<string, unknown>[];
		const sizes = equivalenceClassSizes(vs, [
			'age_band',
			'gender',
			'community_code',
			'street_code',
			'political_status'
		]);
		vs.forEach((v, i) => {
			if (sizes[i] < 5) expect([v.age_band, v.gender, v.community_code]).toEqual([null, null, null]);
		});
		const literal = equivalenceClassSizes(vs, ['age_band', 'gender', 'community_code', 'political_status']);
		expect(Math.min(...literal)).toBeGreaterThanOrEqual(5);
		expect(vs.some((v) => v.community_code !== null || v.gender !== null)).toBe(true);
	});

	it('beneficiary cells below 5 are withheld and none can be derived from per-activity or per-group totals', async () => {
		const pub = (await query(
			`SELECT b.*, a.street_code, year(a.start_at)::INTEGER AS yr FROM read_parquet('${join(v1, 'parquet/beneficiaries.parquet')}') b
			 JOIN read_parquet('${join(v1, 'parquet/activities.parquet')}') a USING (activity_id) ORDER BY activity_id, beneficiary_group`
		)) as {
			activity_id: string;
			beneficiary_group: string;
			person_times: number | null;
			suppressed: boolean;
			street_code: string;
			yr: number;
		}[];
		const raw = new Map(
			rows.beneficiaries.map((b) => [`${b.activity_id}|${b.beneficiary_group}`, Number(b.person_times)])
		);
		expect(pub.length).toBe(raw.size);
		let small = 0;
		for (const b of pub) {
			const v = raw.get(`${b.activity_id}|${b.beneficiary_group}`)!;
			if (v > 0 && v < 5) {
				small++;
				expect(b.suppressed).toBe(true);
			}
			expect(b.person_times).toBe(b.suppressed ? null : v);
		}
		expect(small).toBeGreaterThan(0);
		const cells: Cell[] = pub.map((b) => ({
			value: raw.get(`${b.activity_id}|${b.beneficiary_group}`)!,
			groups: [`a:${b.activity_id}`, `g:${b.street_code}|${b.yr}|${b.beneficiary_group}`]
		}));
		expect(
			recoverableCells(
				cells,
				pub.map((b) => b.suppressed)
			)
		).toEqual([]);
	});
});

describe('releases and failures', () => {
	it('two releases coexist and releases.json lists both, newest first', async () => {
		const r = await buildRelease(opts({ version: 'r2', created: new Date('2025-02-01T00:00:00Z') }));
		expect(r.ok).toBe(true);
		const idx: ReleasesIndex = JSON.parse(readFileSync(join(out, 'releases.json'), 'utf8'));
		expect(idx.releases.map((x) => x.version)).toEqual(['r2', 'r1']);
		expect(existsSync(join(out, 'r1/browser/manifest.json'))).toBe(true);
		expect(existsSync(join(out, idx.releases[0].manifest))).toBe(true);
		// Same key and data → same pseudonyms; another key → different ones.
		const a = readFileSync(join(out, 'r1/csv/volunteers.csv'), 'utf8');
		expect(readFileSync(join(out, 'r2/csv/volunteers.csv'), 'utf8')).toBe(a);
		const r3 = await buildRelease(opts({ version: 'r3', key: Buffer.from('another-key-abcdefghijklmnop') }));
		expect(r3.ok).toBe(true);
		const b = readFileSync(join(out, 'r3/csv/volunteers.csv'), 'utf8');
		const ids = (s: string) => new Set(s.match(/\bv_[a-z0-9]{16}\b/g));
		expect(ids(a).size).toBe(rows.volunteers.length);
		expect(ids(b).size).toBe(rows.volunteers.length);
		expect([...ids(a)].filter((x) => ids(b).has(x))).toEqual([]);
		rmSync(join(out, 'r3'), { recursive: true });
	});

	it('an input error writes nothing', async () => {
		const before = snapshot(out);
		const r = await buildRelease(
			opts({
				version: 'bad',
				importer: fixtureImporter(rows, [{ file: 'volunteers.csv', row: 2, message: 'bad date' }])
			})
		);
		expect(r.ok).toBe(false);
		expect(snapshot(out)).toEqual(before);
		expect(readdirSync(work)).toEqual(['out']);
	});

	it('an error mid-write (also when rebuilding an existing version) leaves the previous release byte-identical and no temp dirs', async () => {
		for (const version of ['r4', 'r1'])
			for (const at of ['parquet', 'package', 'commit']) {
				const before = snapshot(out);
				await expect(
					buildRelease(
						opts({
							version,
							onStage: (s) => {
								if (s === at) throw new Error(`boom at ${s}`);
							}
						})
					)
				).rejects.toThrow(`boom at ${at}`);
				expect(snapshot(out)).toEqual(before);
				expect(readdirSync(work)).toEqual(['out']);
				expect(existsSync(join(out, '.build.lock'))).toBe(false);
			}
	});

	it('a build fails while another live process holds the lock, and takes over a stale lock', async () => {
		const lock = join(out, '.build.lock');
		const before = snapshot(out);
		writeFileSync(lock, `${process.ppid}\n`); // a live process that is not this one
		await expect(buildRelease(opts({ version: 'r5' }))).rejects.toThrow(/another release build is running/);
		expect(readFileSync(lock, 'utf8')).toBe(`${process.ppid}\n`);
		rmSync(lock);
		expect(snapshot(out)).toEqual(before);
		expect(readdirSync(work)).toEqual(['out']);
		const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // exited: its pid is free
		writeFileSync(lock, `${dead}\n`);
		const r = await buildRelease(opts({ version: 'r5' }));
		expect(r.ok).toBe(true);
		expect(existsSync(lock)).toBe(false);
		const idx: ReleasesIndex = JSON.parse(readFileSync(join(out, 'releases.json'), 'utf8'));
		expect(idx.releases.map((x) => x.version)).toContain('r5');
	});
});
