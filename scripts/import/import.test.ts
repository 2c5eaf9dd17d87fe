import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { INPUT_TABLES } from '../../src/lib/schema/input';
import { workdayDeadlines } from './calendar';
import { formatErrors, importExports, publicReport, type ImportErrorCode, type ImportResult } from './import';
import { breakExport, validExport, writeExport, type ExportData, type WriteOptions } from './test-helpers';

const dirs: string[] = [];
afterAll(() => {
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function connect(): Promise<DuckDBConnection> {
	return (await DuckDBInstance.create(':memory:')).connect();
}

async function run(
	data: ExportData,
	write: WriteOptions = {},
	opts: { dropPersonal?: boolean } = {}
): Promise<{ r: ImportResult; conn: DuckDBConnection; dir: string }> {
	const dir = writeExport(data, write);
	dirs.push(dir);
	const conn = await connect();
	const r = await importExports(conn, dir, { region: '4401', ...opts });
	return { r, conn, dir };
}

async function srcTables(conn: DuckDBConnection): Promise<string[]> {
	const r = await conn.runAndReadAll(
		`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'src\\_%' ESCAPE '\\'`
	);
	return r.getRowObjectsJson().map((x) => String(x.table_name));
}

async function query(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
	return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

interface Expected {
	code: ImportErrorCode;
	file: string;
	row: number | null;
	column: string | null;
	value: string | null;
}

/** The bad-input corpus: each case is the valid export with one defect. Line 2 = first data row. */
const CASES: { name: string; data: () => ExportData; write?: WriteOptions; expect: Expected }[] = [
	{
		name: 'missing column',
		data: () =>
			breakExport((d) => {
				for (const r of d.participations) delete r.hours;
			}),
		expect: { code: 'missing_column', file: 'participations.csv', row: 1, column: 'hours', value: null }
	},
	{
		name: 'extra column',
		data: () =>
			breakExport((d) => {
				for (const r of d.teams) r.remark = 'x';
			}),
		expect: { code: 'extra_column', file: 'teams.csv', row: 1, column: 'remark', value: null }
	},
	{
		name: 'duplicate column',
		data: () => validExport(),
		write: {
			raw: {
				trainings: 'training_id,street_code,held_on,trainees,topic,topic\nTR1,440104001,2024-03-01,30,a,b\n'
			}
		},
		expect: { code: 'duplicate_column', file: 'trainings.csv', row: 1, column: 'topic', value: 'topic' }
	},
	{
		name: 'missing file',
		data: () => validExport(),
		write: { omit: ['points'] },
		expect: { code: 'missing_file', file: 'points.csv', row: null, column: null, value: null }
	},
	{
		name: 'GBK encoding',
		data: () => validExport(),
		write: { gbk: ['trainings'] },
		expect: {
			code: 'encoding',
			file: 'trainings.csv',
			row: 2,
			column: null,
			value: 'TR1,440104001,2024-03-01,30,时间银行骨干培训'
		}
	},
	{
		name: 'ambiguous date',
		data: () =>
			breakExport((d) => {
				d.volunteers[1].registered_at = '03/05/2024';
			}),
		expect: { code: 'bad_date', file: 'volunteers.csv', row: 3, column: 'registered_at', value: '03/05/2024' }
	},
	{
		name: 'unrecognised date',
		data: () =>
			breakExport((d) => {
				d.trainings[1].held_on = 'last Tuesday';
			}),
		expect: { code: 'bad_date', file: 'trainings.csv', row: 3, column: 'held_on', value: 'last Tuesday' }
	},
	{
		name: 'impossible date',
		data: () =>
			breakExport((d) => {
				d.volunteers[2].birth_date = '2024-02-30';
			}),
		expect: {
			code: 'impossible_date',
			file: 'volunteers.csv',
			row: 4,
			column: 'birth_date',
			value: '2024-02-30'
		}
	},
	{
		name: 'impossible time',
		data: () =>
			breakExport((d) => {
				d.activities[3].start_at = '2024-05-01 25:00';
			}),
		expect: {
			code: 'impossible_date',
			file: 'activities.csv',
			row: 5,
			column: 'start_at',
			value: '2024-05-01 25:00'
		}
	},
	{
		name: 'date-time without a time',
		data: () =>
			breakExport((d) => {
				d.points[0].occurred_at = '2024-03-05';
			}),
		expect: { code: 'bad_date', file: 'points.csv', row: 2, column: 'occurred_at', value: '2024-03-05' }
	},
	{
		name: 'zero hours',
		data: () =>
			breakExport((d) => {
				d.participations[2].hours = '0';
			}),
		expect: { code: 'hours_range', file: 'participations.csv', row: 4, column: 'hours', value: '0' }
	},
	{
		name: 'more than 24 hours',
		data: () =>
			breakExport((d) => {
				d.participations[5].hours = '24.5';
			}),
		expect: { code: 'hours_range', file: 'participations.csv', row: 7, column: 'hours', value: '24.5' }
	},
	{
		name: 'rating out of range',
		data: () =>
			breakExport((d) => {
				d.activities[0].rating = '11';
			}),
		expect: { code: 'out_of_range', file: 'activities.csv', row: 2, column: 'rating', value: '11' }
	},
	{
		name: 'not a number',
		data: () =>
			breakExport((d) => {
				d.participations[0].hours = '三';
			}),
		expect: { code: 'bad_number', file: 'participations.csv', row: 2, column: 'hours', value: '三' }
	},
	{
		name: 'fraction in an integer column',
		data: () =>
			breakExport((d) => {
				d.points[1].points = '1.5';
			}),
		expect: { code: 'bad_number', file: 'points.csv', row: 3, column: 'points', value: '1.5' }
	},
	{
		name: 'not a yes/no value',
		data: () =>
			breakExport((d) => {
				d.activities[1].ledger_photos = 'maybe';
			}),
		expect: { code: 'bad_boolean', file: 'activities.csv', row: 3, column: 'ledger_photos', value: 'maybe' }
	},
	{
		name: 'end before start',
		data: () =>
			breakExport((d) => {
				d.activities[1].end_at = '2024-03-06 13:00';
			}),
		expect: {
			code: 'end_before_start',
			file: 'activities.csv',
			row: 3,
			column: 'end_at',
			value: '2024-03-06 13:00'
		}
	},
	{
		name: 'station closed before it opened',
		data: () =>
			breakExport((d) => {
				d.stations[1].closed_at = '2019-01-01';
			}),
		expect: {
			code: 'end_before_start',
			file: 'stations.csv',
			row: 3,
			column: 'closed_at',
			value: '2019-01-01'
		}
	},
	{
		name: 'wish fulfilled before it was posted',
		data: () =>
			breakExport((d) => {
				d.micro_wishes[0].fulfilled_at = '2024-02-28 10:00';
			}),
		expect: {
			code: 'end_before_start',
			file: 'micro_wishes.csv',
			row: 2,
			column: 'fulfilled_at',
			value: '2024-02-28 10:00'
		}
	},
	{
		name: 'confirmed before the activity started',
		data: () =>
			breakExport((d) => {
				d.participations[4].confirmed_at = '2024-04-30 17:00';
			}),
		expect: {
			code: 'confirmed_before_activity',
			file: 'participations.csv',
			row: 6,
			column: 'confirmed_at',
			value: '2024-04-30 17:00'
		}
	},
	{
		name: 'duplicate id',
		data: () =>
			breakExport((d) => {
				d.volunteers.push({ ...d.volunteers[2], volunteer_id: 'V2' });
			}),
		expect: { code: 'duplicate_id', file: 'volunteers.csv', row: 7, column: 'volunteer_id', value: 'V2' }
	},
	{
		name: 'dangling reference',
		data: () =>
			breakExport((d) => {
				d.participations[3].volunteer_id = 'V999';
			}),
		expect: {
			code: 'dangling_reference',
			file: 'participations.csv',
			row: 5,
			column: 'volunteer_id',
			value: 'V999'
		}
	},
	{
		name: 'dangling optional reference',
		data: () =>
			breakExport((d) => {
				d.teams[2].parent_team_id = 'T9';
			}),
		expect: { code: 'dangling_reference', file: 'teams.csv', row: 4, column: 'parent_team_id', value: 'T9' }
	},
	{
		name: 'unknown community code',
		data: () =>
			breakExport((d) => {
				d.activities[2].community_code = '440104999999';
			}),
		expect: {
			code: 'unknown_place',
			file: 'activities.csv',
			row: 4,
			column: 'community_code',
			value: '440104999999'
		}
	},
	{
		name: 'street code used where a community is expected',
		data: () =>
			breakExport((d) => {
				d.volunteers[0].community_code = '440104001';
			}),
		expect: {
			code: 'unknown_place',
			file: 'volunteers.csv',
			row: 2,
			column: 'community_code',
			value: '440104001'
		}
	},
	{
		name: 'street code of another city',
		data: () =>
			breakExport((d) => {
				d.trainings[0].street_code = '110101001';
			}),
		expect: {
			code: 'unknown_place',
			file: 'trainings.csv',
			row: 2,
			column: 'street_code',
			value: '110101001'
		}
	},
	{
		name: 'community outside its street',
		data: () =>
			breakExport((d) => {
				d.stations[0].community_code = '440106001001';
			}),
		expect: {
			code: 'place_mismatch',
			file: 'stations.csv',
			row: 2,
			column: 'community_code',
			value: '440106001001'
		}
	},
	{
		name: 'unknown category',
		data: () =>
			breakExport((d) => {
				d.activities[4].category = 'cooking';
			}),
		expect: { code: 'unknown_code', file: 'activities.csv', row: 6, column: 'category', value: 'cooking' }
	},
	{
		name: 'Chinese label instead of a code',
		data: () =>
			breakExport((d) => {
				d.volunteers[3].gender = '男';
			}),
		expect: { code: 'unknown_code', file: 'volunteers.csv', row: 5, column: 'gender', value: '男' }
	},
	{
		name: 'personal-data column',
		data: () =>
			breakExport((d) => {
				d.volunteers = d.volunteers.map((r, i) => ({ ...r, phone: `1380000000${i}` }));
			}),
		expect: { code: 'personal_data', file: 'volunteers.csv', row: 1, column: 'phone', value: null }
	},
	{
		name: 'required value missing',
		data: () =>
			breakExport((d) => {
				d.activities[0].title = '  ';
			}),
		expect: { code: 'required', file: 'activities.csv', row: 2, column: 'title', value: null }
	},
	{
		name: 'empty file',
		data: () => validExport(),
		write: { raw: { trainings: '' }, bom: ['trainings'] },
		expect: { code: 'empty_file', file: 'trainings.csv', row: 1, column: null, value: null }
	},
	{
		name: 'malformed record',
		data: () => validExport(),
		write: { append: { beneficiaries: 'A5,general\n' } },
		expect: {
			code: 'bad_row',
			file: 'beneficiaries.csv',
			row: 7,
			column: 'person_times',
			value: 'A5,general'
		}
	}
];

describe('importExports: bad-input corpus', () => {
	for (const c of CASES) {
		it(`${c.name} → ${c.expect.code} at ${c.expect.file}:${c.expect.row ?? '-'}`, async () => {
			const { r, conn } = await run(c.data(), c.write);
			expect(r.ok).toBe(false);
			const hit = r.errors.find((e) => e.code === c.expect.code && e.file === c.expect.file);
			expect(hit, formatErrors(r.errors, 'en')).toBeDefined();
			expect({
				code: hit!.code,
				file: hit!.file,
				row: hit!.row,
				column: hit!.column,
				value: hit!.value
			}).toEqual(c.expect);
			// Only the introduced defect is reported.
			expect(r.errors.map((e) => e.code)).toEqual([c.expect.code]);
			// Messages name the place and exist in both languages.
			expect(hit!.message_zh).toContain(c.expect.file);
			expect(hit!.message_en).toContain(c.expect.file);
			if (c.expect.column) expect(hit!.message_en).toContain(c.expect.column);
			expect(hit!.expected.length).toBeGreaterThan(0);
			expect(hit!.expected_zh.length).toBeGreaterThan(0);
			expect(await srcTables(conn)).toEqual([]);
			expect(r.report.ok).toBe(false);
			expect(r.report.errors.total).toBeGreaterThan(0);
		});
	}
});

describe('importExports: valid data', () => {
	it('imports a valid export with typed src_* tables and the expected row counts', async () => {
		const data = validExport();
		const { r, conn } = await run(data);
		expect(formatErrors(r.errors, 'en')).toBe('');
		expect(r.ok).toBe(true);
		for (const t of INPUT_TABLES) expect(r.rowCounts[t.name]).toBe(data[t.name].length);
		expect((await srcTables(conn)).sort()).toEqual(INPUT_TABLES.map((t) => `src_${t.name}`).sort());
		const types: Record<string, string> = {
			id: 'VARCHAR',
			text: 'VARCHAR',
			code: 'VARCHAR',
			place: 'VARCHAR',
			integer: 'INTEGER',
			decimal: 'DOUBLE',
			boolean: 'BOOLEAN',
			date: 'DATE',
			datetime: 'TIMESTAMP'
		};
		for (const t of INPUT_TABLES) {
			const cols = await query(
				conn,
				`SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'src_${t.name}' ORDER BY column_index`
			);
			expect(cols.map((c) => [c.column_name, c.data_type])).toEqual(
				t.columns.map((c) => [c.name, types[c.type]])
			);
			const n = await query(conn, `SELECT count(*)::INTEGER AS n FROM src_${t.name}`);
			expect(n[0].n).toBe(data[t.name].length);
		}
		const p = await query(
			conn,
			`SELECT participation_id, hours, CAST(confirmed_at AS VARCHAR) AS c FROM src_participations ORDER BY participation_id`
		);
		expect(p.map((x) => [x.participation_id, x.hours, x.c])).toEqual(
			data.participations.map((x) => [
				x.participation_id,
				Number(x.hours),
				x.confirmed_at ? `${x.confirmed_at}:00` : null
			])
		);
		const a = await query(
			conn,
			`SELECT ledger_photos, station_id, rating FROM src_activities WHERE activity_id = 'A3'`
		);
		expect(a[0]).toEqual({ ledger_photos: false, station_id: 'S2', rating: 8 });
		const empty = await query(
			conn,
			`SELECT count(*)::INTEGER AS n FROM src_activities WHERE programme IS NULL`
		);
		expect(empty[0].n).toBe(data.activities.filter((x) => x.programme === '').length);
		expect(r.report.ok).toBe(true);
		expect(r.report.tables.find((t) => t.table === 'participations')?.rows).toBe(6);
		const unconfirmed = r.report.suspect.find((s) => s.id === 'unconfirmed')!;
		expect(unconfirmed).toMatchObject({ count: 1, out_of: 6, examples: ['P4'] });
		expect(r.report.suspect.find((s) => s.id === 'ledger_incomplete')).toMatchObject({
			count: 1,
			examples: ['A3']
		});
		expect(r.report.suspect.find((s) => s.id === 'activity_without_participants')).toMatchObject({
			count: 1,
			examples: ['A5']
		});
		for (const s of r.report.suspect) expect(s.zh && s.en && s.unit_zh && s.unit_en).toBeTruthy();
	});

	it('accepts a UTF-8 byte-order mark, padded values and Chinese date formats, parsed like ISO', async () => {
		const iso = validExport();
		const zh = breakExport((d) => {
			d.volunteers[0].registered_at = '2023年1月10日';
			d.volunteers[1].registered_at = '2023/2/11';
			d.volunteers[2].registered_at = '20230312';
			d.volunteers[3].registered_at = ' 2023-04-13 ';
			d.activities[0].start_at = '2024年3月5日 09:00';
			d.activities[0].end_at = '2024/3/5 12:00:00';
			d.activities[1].start_at = '2024-03-06T14:00';
			d.activities[1].end_at = '2024-03-06T17:30:00';
			d.participations[0].confirmed_at = '2024年3月5日18:00';
			d.activities[2].ledger_photos = '否';
			d.activities[3].ledger_photos = 'true';
		});
		const a = await run(iso);
		const b = await run(zh, { bom: ['volunteers', 'activities'] });
		expect(b.r.errors).toEqual([]);
		const q = `SELECT (SELECT list(registered_at ORDER BY volunteer_id) FROM src_volunteers) AS r,
			(SELECT list(start_at ORDER BY activity_id) FROM src_activities) AS s,
			(SELECT list(end_at ORDER BY activity_id) FROM src_activities) AS e,
			(SELECT list(ledger_photos ORDER BY activity_id) FROM src_activities) AS l,
			(SELECT list(confirmed_at ORDER BY participation_id) FROM src_participations) AS c`;
		const ra = await query(a.conn, q);
		const rb = await query(b.conn, q);
		expect(rb).toEqual(ra);
		expect((ra[0].r as unknown[])[0]).toBe('2023-01-10');
	});
});

describe('importExports: CSV dialect', () => {
	it('accepts CRLF line endings, quoted fields with commas and quotes, and header-only files', async () => {
		const data = breakExport((d) => {
			d.activities[0].title = '长者探访, "金秋送暖"';
			d.trainings = [];
			d.micro_wishes = [];
		});
		const dir = writeExport(data);
		dirs.push(dir);
		for (const f of ['activities.csv', 'participations.csv']) {
			const p = join(dir, f);
			writeFileSync(p, readFileSync(p, 'utf8').replace(/\n/g, '\r\n'));
		}
		const conn = await connect();
		const r = await importExports(conn, dir, { region: '4401' });
		expect(r.errors).toEqual([]);
		expect(r.rowCounts).toMatchObject({ trainings: 0, micro_wishes: 0, activities: 5, participations: 6 });
		const t = await query(
			conn,
			`SELECT title, end_at::VARCHAR AS e FROM src_activities WHERE activity_id = 'A1'`
		);
		expect(t[0]).toEqual({ title: '长者探访, "金秋送暖"', e: '2024-03-05 12:00:00' });
		const p = await query(
			conn,
			`SELECT confirmed_at::VARCHAR AS c FROM src_participations WHERE participation_id = 'P6'`
		);
		expect(p[0].c).toBe('2024-05-06 09:00:00');
	});

	it('reports physical line numbers when the file has blank lines', async () => {
		const data = breakExport((d) => {
			d.participations[3].participation_id = 'P2';
			d.participations[4].hours = '99';
		});
		const dir = writeExport(data);
		dirs.push(dir);
		const p = join(dir, 'participations.csv');
		const lines = readFileSync(p, 'utf8').split('\n');
		// header, P1, P2, <blank>, P3, <blank>, <blank>, P2 (dup), P5 (99 h), P6, trailing blank lines
		lines.splice(3, 0, '');
		lines.splice(5, 0, '', '');
		writeFileSync(p, `${lines.join('\n')}\n\n`);
		const r = await importExports(await connect(), dir, { region: '4401' });
		expect(r.errors.map((e) => [e.code, e.row, e.value])).toEqual([
			['duplicate_id', 8, 'P2'],
			['hours_range', 9, '99']
		]);
		expect(r.errors[0].message_en).toContain('first used on line 3');
	});

	it('detects a UTF-16 file', async () => {
		const dir = writeExport(validExport());
		dirs.push(dir);
		const p = join(dir, 'stations.csv');
		writeFileSync(
			p,
			Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(readFileSync(p, 'utf8'), 'utf16le')])
		);
		const r = await importExports(await connect(), dir, { region: '4401' });
		expect(r.errors.map((e) => [e.code, e.file, e.row])).toEqual([['encoding', 'stations.csv', 1]]);
		expect(r.errors[0].message_en).toContain('UTF-16');
		expect(r.errors[0].value).toContain('station_id');
	});
});

describe('importExports: encoding, personal data, many errors', () => {
	it('detects a GBK-encoded file and shows its first bad line decoded', async () => {
		const { r } = await run(validExport(), { gbk: ['teams'] });
		const e = r.errors.find((x) => x.code === 'encoding')!;
		expect(e.file).toBe('teams.csv');
		expect(e.row).toBe(2);
		expect(e.value).toContain('越秀区志愿服务总队');
		expect(e.message_en).toContain('GBK');
		expect(e.message_en).toContain('UTF-8');
		expect(e.message_zh).toContain('GBK');
		// Teams are not loaded, so references to them are not checked and nothing else is reported.
		expect(r.errors.map((x) => x.code)).toEqual(['encoding']);
	});

	it('shows only the header of a GBK file that has personal-data columns', async () => {
		const data = breakExport((d) => {
			d.volunteers = d.volunteers.map((r, i) => ({ ...r, name: `李四${i}` }));
		});
		const { r } = await run(data, { gbk: ['volunteers'] }, { dropPersonal: true });
		expect(r.errors).toHaveLength(1);
		expect(r.errors[0]).toMatchObject({ code: 'encoding', file: 'volunteers.csv', row: 2 });
		expect(r.errors[0].value).toMatch(/^volunteer_id,registered_at,/);
		expect(JSON.stringify(r)).not.toContain('李四');
	});

	it('does not mistake a GBK file for UTF-8 when the bad bytes come late', async () => {
		const d = validExport();
		const dir = writeExport(d);
		dirs.push(dir);
		const lines = ['training_id,street_code,held_on,trainees,topic'];
		for (let i = 0; i < 50_000; i++) lines.push(`T${i},440104001,2024-03-01,3,ascii topic`);
		lines.push('TZ,440104001,2024-03-01,3,应急救护');
		writeFileSync(join(dir, 'trainings.csv'), iconv.encode(`${lines.join('\n')}\n`, 'gb18030'));
		const r = await importExports(await connect(), dir, { region: '4401' });
		expect(r.errors).toHaveLength(1);
		expect(r.errors[0]).toMatchObject({ code: 'encoding', file: 'trainings.csv', row: 50_002 });
		expect(r.errors[0].value).toContain('应急救护');
	});

	it('drops personal-data columns with dropPersonal so they appear nowhere', async () => {
		const data = breakExport((d) => {
			d.volunteers = d.volunteers.map((r, i) => ({
				...r,
				name: `张三${i}`,
				phone: `1380013800${i}`,
				id_number: `44010419800506123${i}`
			}));
			d.micro_wishes = d.micro_wishes.map((r) => ({ ...r, address: '越秀区某路1号' }));
		});
		const refused = await run(data);
		expect(refused.r.ok).toBe(false);
		expect(
			refused.r.errors.filter((e) => e.code === 'personal_data').map((e) => `${e.file}:${e.column}`)
		).toEqual([
			'volunteers.csv:name',
			'volunteers.csv:phone',
			'volunteers.csv:id_number',
			'micro_wishes.csv:address'
		]);
		expect(JSON.stringify(refused.r)).not.toContain('13800138');

		const { r, conn } = await run(data, {}, { dropPersonal: true });
		expect(r.ok).toBe(true);
		expect(r.droppedColumns).toEqual([
			{ file: 'volunteers.csv', column: 'name' },
			{ file: 'volunteers.csv', column: 'phone' },
			{ file: 'volunteers.csv', column: 'id_number' },
			{ file: 'micro_wishes.csv', column: 'address' }
		]);
		expect(r.report.dropped_columns).toEqual(r.droppedColumns);
		const cols = await query(
			conn,
			`SELECT table_name, column_name FROM duckdb_columns() WHERE column_name IN ('phone', 'id_number', 'address')`
		);
		expect(cols).toEqual([]);
		const vcols = await query(
			conn,
			`SELECT column_name FROM duckdb_columns() WHERE table_name = 'src_volunteers'`
		);
		expect(vcols.map((c) => c.column_name)).not.toContain('name');
		// No value of the personal columns anywhere in the database or the result.
		const dump = await query(
			conn,
			`SELECT string_agg(CAST(t AS VARCHAR), '|') AS s FROM (SELECT * FROM src_volunteers) t`
		);
		expect(String(dump[0].s)).not.toMatch(/张三|138001|4401041980/);
		const all = await query(conn, `SELECT table_name FROM duckdb_tables()`);
		for (const { table_name } of all) {
			const s = await query(
				conn,
				`SELECT string_agg(CAST(t AS VARCHAR), '|') AS s FROM ${String(table_name)} t`
			);
			expect(String(s[0].s ?? '')).not.toMatch(/张三|138001|某路/);
		}
		expect(JSON.stringify(r)).not.toMatch(/张三|138001|某路/);
		// Team names are contract columns called `name` and stay.
		const teams = await query(conn, `SELECT name FROM src_teams ORDER BY team_id LIMIT 1`);
		expect(teams[0].name).toBe('越秀区志愿服务总队');
	});

	it('reports every error of every file in one run, sorted by file and line, with totals', async () => {
		const data = breakExport((d) => {
			d.volunteers[1].birth_date = '1990-13-01';
			d.activities[0].category = 'unknown';
			d.participations[0].hours = '-1';
			d.participations[1].hours = '30';
			d.participations[2].volunteer_id = 'V404';
			d.trainings[0].trainees = '0';
		});
		const { r, conn } = await run(data, { omit: ['points'] });
		expect(r.ok).toBe(false);
		expect(r.errors.map((e) => `${e.code}@${e.file}:${e.row ?? ''}`)).toEqual([
			'impossible_date@volunteers.csv:3',
			'unknown_code@activities.csv:2',
			'hours_range@participations.csv:2',
			'hours_range@participations.csv:3',
			'dangling_reference@participations.csv:4',
			'missing_file@points.csv:',
			'out_of_range@trainings.csv:2'
		]);
		expect(await srcTables(conn)).toEqual([]);
		const text = formatErrors(r.errors, 'en', { counts: r.errorCounts });
		expect(text.split('\n')[0]).toBe(
			'volunteers.csv:3 column birth_date "1990-13-01": impossible date; expected: a real date (month 1–12, day within the month, hour 0–23, minute 0–59)'
		);
		expect(text).toContain('7 errors in total');
		expect(text).toContain('hours_range (hours out of range): 2');
		expect(formatErrors(r.errors, 'zh')).toContain('participations.csv:4 列 volunteer_id "V404"');
	});

	it('lists the first errors of a check but counts them all', async () => {
		const data = breakExport((d) => {
			for (let i = 0; i < 30; i++)
				d.beneficiaries.push({ activity_id: 'A1', beneficiary_group: 'nobody', person_times: String(i) });
		});
		const dir = writeExport(data);
		dirs.push(dir);
		const r = await importExports(await connect(), dir, { region: '4401', maxErrorsPerCheck: 10 });
		expect(r.errors).toHaveLength(10);
		expect(r.errors[0].row).toBe(7);
		expect(r.errorCounts).toEqual([
			{ file: 'beneficiaries.csv', column: 'beneficiary_group', code: 'unknown_code', count: 30 }
		]);
		const text = formatErrors(r.errors, 'en', { counts: r.errorCounts, max: 5 });
		expect(text.split('\n')).toHaveLength(5 + 1 + 1 + 1);
		expect(text).toContain('… and 25 more errors not listed');
		expect(r.report.errors).toMatchObject({ total: 30, by_code: [{ code: 'unknown_code', count: 30 }] });
	});

	it('replaces stale src_* tables and leaves none after a failed import', async () => {
		const conn = await connect();
		const good = writeExport(validExport());
		const bad = writeExport(breakExport((d) => (d.participations[0].hours = 'x')));
		dirs.push(good, bad);
		expect((await importExports(conn, good, { region: '4401' })).ok).toBe(true);
		expect(await srcTables(conn)).toHaveLength(INPUT_TABLES.length);
		expect((await importExports(conn, bad, { region: '4401' })).ok).toBe(false);
		expect(await srcTables(conn)).toEqual([]);
		const leftovers = await query(
			conn,
			`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '\\_stg%' ESCAPE '\\'`
		);
		expect(leftovers).toEqual([]);
	});
});

describe('validation report: suspect but valid data', () => {
	it('counts a 9-hour unapproved day, a 13-hour day without authority, and late confirmations across National Day', async () => {
		const data = breakExport((d) => {
			const t = (id: string, start: string, end: string) => ({
				...d.activities[0],
				activity_id: id,
				start_at: start,
				end_at: end
			});
			// Activities on Monday 30 September 2024, the last working day before the National Day holiday.
			d.activities.push(
				t('A6', '2024-09-30 08:00', '2024-09-30 13:00'),
				t('A7', '2024-09-30 14:00', '2024-09-30 18:00')
			);
			const p = (
				id: string,
				act: string,
				vol: string,
				hours: string,
				approval: string,
				confirmed: string
			) => ({
				participation_id: id,
				activity_id: act,
				volunteer_id: vol,
				hours,
				signed_in_at: '',
				verification: 'scan',
				approval,
				confirmed_at: confirmed
			});
			d.participations.push(
				// V1: 5 + 4 = 9 h on one day, no approval → over 8 h unapproved.
				p('P7', 'A6', 'V1', '5', 'none', '2024-10-12 10:00'), // 5th working day (Saturday 12 Oct is a make-up working day): on time
				p('P8', 'A7', 'V1', '4', 'none', '2024-10-15 10:00'), // 7th working day: late
				// V2: 9 + 4 = 13 h with organisation approval → over 12 h without authority, not "unapproved".
				p('P9', 'A6', 'V2', '9', 'organisation', '2024-10-14 09:00'), // 6th working day: late
				p('P10', 'A7', 'V2', '4', 'none', '2024-10-08 09:00'),
				// V3: 8 h exactly is fine.
				p('P11', 'A6', 'V3', '8', 'none', '2024-10-07 09:00'), // holiday, before the deadline: on time
				// Sunday 13 Oct: after the 5th working day but before the 6th: still only 5 working days passed.
				p('P12', 'A7', 'V4', '1', 'none', '2024-10-13 10:00')
			);
		});
		const { r } = await run(data);
		expect(r.errors).toEqual([]);
		const s = Object.fromEntries(r.report.suspect.map((x) => [x.id, x]));
		expect(s.day_over_8h_unapproved).toMatchObject({ count: 1, examples: ['P7'] });
		expect(s.day_over_12h_without_authority).toMatchObject({ count: 1, examples: ['P10'] });
		expect(s.confirmed_late).toMatchObject({ count: 2, out_of: 11, examples: ['P8', 'P9'] });
		expect(s.unconfirmed.count).toBe(1);
		expect(r.report.rules).toMatchObject({
			daily_direct_max_hours: 8,
			daily_organisation_max_hours: 12,
			confirmation_working_days: 5
		});
		expect(JSON.parse(JSON.stringify(r.report))).toEqual(r.report);
		expect(JSON.stringify(r.report)).not.toMatch(/"V\d/);
		const pub = publicReport(r.report);
		expect(pub.suspect.every((x) => x.examples.length === 0)).toBe(true);
		expect(pub.suspect.map((x) => x.count)).toEqual(r.report.suspect.map((x) => x.count));
		const mapped = publicReport(r.report, (kind, id) => `${kind}:${id}`);
		expect(mapped.suspect.find((x) => x.id === 'confirmed_late')?.examples).toEqual([
			'participation_id:P8',
			'participation_id:P9'
		]);
	});

	it('computes working-day deadlines with the official calendar', () => {
		const m = new Map(workdayDeadlines('2024-09-27', '2024-10-08', 5).map((x) => [x.d, x.deadline]));
		// Fri 27 Sep: Sun 29 Sep (make-up working day), Mon 30 Sep, then 8, 9, 10 Oct.
		expect(m.get('2024-09-27')).toBe('2024-10-10');
		// Mon 30 Sep: 8, 9, 10, 11 Oct, Sat 12 Oct (make-up working day).
		expect(m.get('2024-09-30')).toBe('2024-10-12');
		// A holiday counts from the next working day: 8–12 Oct.
		expect(m.get('2024-10-03')).toBe('2024-10-12');
		expect(m.get('2024-10-08')).toBe('2024-10-14');
		const all = workdayDeadlines('2024-09-27', '2024-10-08', 5);
		expect(all.find((x) => x.d === '2024-09-30')?.late_from).toBe('2024-10-14');
		expect(all.find((x) => x.d === '2024-09-27')?.late_from).toBe('2024-10-11');
		expect(all).toHaveLength(12);
	});
});
