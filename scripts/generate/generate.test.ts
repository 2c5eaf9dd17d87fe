/**
 * Tests of the built-in sample generator. The checks read the written CSVs with DuckDB (independent of
 * the generator's internals) at small scales.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { INPUT_TABLES, PERSONAL_COLUMNS } from '../../src/lib/schema/input';
import { loadReference } from '../../src/lib/reference/load';
import { regionConfig } from '../../src/lib/config';
import { generate, type GenerateSummary } from './generate';

const SCALE = 0.05;
const root = mkdtempSync(join(tmpdir(), 'gen-test-'));
const dirA = join(root, 'a');
let summary: GenerateSummary;
let db: DuckDBInstance;
let con: DuckDBConnection;

async function rows(sql: string): Promise<Record<string, unknown>[]> {
	const r = await con.runAndReadAll(sql);
	return r.getRowObjects() as Record<string, unknown>[];
}
async function one(sql: string): Promise<Record<string, unknown>> {
	return (await rows(sql))[0];
}
const num = (v: unknown) => Number(v);

/** Spearman rank correlation (no ties expected in these inputs). */
function spearman(x: number[], y: number[]): number {
	const rank = (a: number[]) => {
		const idx = a.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
		const r = new Array<number>(a.length);
		idx.forEach(([, i], k) => (r[i] = k + 1));
		return r;
	};
	const rx = rank(x);
	const ry = rank(y);
	const n = x.length;
	const d2 = rx.reduce((s, r, i) => s + (r - ry[i]) ** 2, 0);
	return 1 - (6 * d2) / (n * (n * n - 1));
}

beforeAll(async () => {
	summary = await generate({ scale: SCALE, seed: 'test-seed', outDir: dirA });
	db = await DuckDBInstance.create(':memory:');
	con = await db.connect();
	for (const t of INPUT_TABLES) {
		await con.run(
			`CREATE TABLE ${t.name} AS SELECT * FROM read_csv('${join(dirA, t.file)}', header = true, all_varchar = true)`
		);
	}
	const ref = loadReference('4401');
	await con.run('CREATE TABLE ref_districts (code VARCHAR, population DOUBLE)');
	await con.run('CREATE TABLE ref_streets (code VARCHAR)');
	await con.run('CREATE TABLE ref_communities (code VARCHAR)');
	const ins = async (table: string, values: string[]) => {
		for (let i = 0; i < values.length; i += 500)
			await con.run(`INSERT INTO ${table} VALUES ${values.slice(i, i + 500).join(',')}`);
	};
	await ins(
		'ref_districts',
		ref.districts.map((d) => `('${d.district_code}', ${d.population})`)
	);
	await ins(
		'ref_streets',
		ref.streets.map((s) => `('${s.street_code}')`)
	);
	await ins(
		'ref_communities',
		ref.communities.map((c) => `('${c.community_code}')`)
	);
	// typed views
	await con.run(`CREATE VIEW p AS SELECT participation_id, activity_id, volunteer_id, hours::DOUBLE AS hours,
		signed_in_at::TIMESTAMP AS signed_in_at, verification, approval, confirmed_at::TIMESTAMP AS confirmed_at FROM participations`);
	await con.run(`CREATE VIEW a AS SELECT activity_id, team_id, station_id, category, programme, community_code,
		start_at::TIMESTAMP AS start_at, end_at::TIMESTAMP AS end_at, rating::DOUBLE AS rating FROM activities`);
}, 120_000);

afterAll(() => {
	con?.closeSync();
	rmSync(root, { recursive: true, force: true });
});

describe('generate: files and format', () => {
	it('writes exactly the contract files, each with the contract header in order', () => {
		expect(readdirSync(dirA).sort()).toEqual(INPUT_TABLES.map((t) => t.file).sort());
		for (const t of INPUT_TABLES) {
			const first = readFileSync(join(dirA, t.file), 'utf8').split('\n', 1)[0];
			expect(first, t.file).toBe(t.columns.map((c) => c.name).join(','));
		}
		// no temp dirs left beside the output
		expect(readdirSync(root)).toEqual(['a']);
	});

	it('contains no personal columns by default', () => {
		const cols = readFileSync(join(dirA, 'volunteers.csv'), 'utf8').split('\n', 1)[0].split(',');
		for (const p of PERSONAL_COLUMNS) expect(cols).not.toContain(p.name);
	});

	it('uses ISO dates, datetimes and 1/0 booleans', async () => {
		const checks: [string, string, RegExp][] = [];
		for (const t of INPUT_TABLES)
			for (const c of t.columns) {
				if (c.type === 'date') checks.push([t.name, c.name, /^\d{4}-\d{2}-\d{2}$/]);
				if (c.type === 'datetime') checks.push([t.name, c.name, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/]);
				if (c.type === 'boolean') checks.push([t.name, c.name, /^[01]$/]);
			}
		expect(checks.length).toBeGreaterThan(10);
		for (const [table, col, re] of checks) {
			const r = await one(
				`SELECT count(*) FILTER (WHERE "${col}" IS NOT NULL AND NOT regexp_full_match("${col}", '${re.source}'))::INTEGER AS bad,
				count("${col}")::INTEGER AS n FROM ${table}`
			);
			expect(num(r.bad), `${table}.${col}`).toBe(0);
			const required = INPUT_TABLES.find((t) => t.name === table)!.columns.find(
				(c) => c.name === col
			)!.required;
			if (required) expect(num(r.n), `${table}.${col}`).toBeGreaterThan(0);
		}
	});

	it('ids are unique and all references resolve', async () => {
		for (const t of INPUT_TABLES)
			for (const c of t.columns.filter((x) => x.unique)) {
				const r = await one(`SELECT (count(*) - count(DISTINCT "${c.name}"))::INTEGER AS dup FROM ${t.name}`);
				expect(num(r.dup), `${t.name}.${c.name}`).toBe(0);
			}
		for (const t of INPUT_TABLES)
			for (const c of t.columns.filter((x) => x.references)) {
				const [rt, rc] = c.references!.split('.');
				const r = await one(
					`SELECT count(*)::INTEGER AS bad FROM ${t.name} x WHERE x."${c.name}" IS NOT NULL
					AND x."${c.name}" NOT IN (SELECT "${rc}" FROM ${rt})`
				);
				expect(num(r.bad), `${t.name}.${c.name} → ${c.references}`).toBe(0);
			}
		for (const t of INPUT_TABLES)
			for (const c of t.columns.filter((x) => x.type === 'place')) {
				const ref =
					c.placeLevel === 'street'
						? 'ref_streets'
						: c.placeLevel === 'community'
							? 'ref_communities'
							: 'ref_districts';
				const r = await one(
					`SELECT count(*)::INTEGER AS bad FROM ${t.name} WHERE "${c.name}" IS NOT NULL AND "${c.name}" NOT IN (SELECT code FROM ${ref})`
				);
				expect(num(r.bad), `${t.name}.${c.name}`).toBe(0);
			}
		for (const t of INPUT_TABLES)
			for (const c of t.columns.filter((x) => x.type === 'code')) {
				const codes = c.codes!.map((x) => `'${x.code}'`).join(',');
				const r = await one(
					`SELECT count(*)::INTEGER AS bad FROM ${t.name} WHERE "${c.name}" IS NOT NULL AND "${c.name}" NOT IN (${codes})`
				);
				expect(num(r.bad), `${t.name}.${c.name}`).toBe(0);
			}
	});
});

describe('generate: validator rules and consistency', () => {
	it('hours are in (0, 24], end after start, long days carry approvals with a few suspect ones', async () => {
		const r = await one(`SELECT min(hours) AS lo, max(hours) AS hi,
			count(*) FILTER (WHERE hours > 8)::INTEGER AS long_days,
			count(*) FILTER (WHERE hours > 8 AND approval = 'none')::INTEGER AS suspect,
			count(*) FILTER (WHERE hours <= 8 AND approval <> 'none')::INTEGER AS odd,
			count(*) FILTER (WHERE hours BETWEEN 0.5 AND 8)::DOUBLE / count(*) AS typical FROM p`);
		expect(num(r.lo)).toBeGreaterThan(0);
		expect(num(r.hi)).toBeLessThanOrEqual(24);
		expect(num(r.typical)).toBeGreaterThan(0.95);
		expect(num(r.long_days)).toBeGreaterThan(0);
		expect(num(r.suspect)).toBeGreaterThan(0);
		expect(num(r.suspect)).toBeLessThan(num(r.long_days) * 0.5);
		expect(num(r.odd)).toBe(0);
		const e = await one(`SELECT count(*) FILTER (WHERE end_at <= start_at)::INTEGER AS bad FROM a`);
		expect(num(e.bad)).toBe(0);
	});

	it('confirmation is never before the activity end, mostly quick, some late, a few missing', async () => {
		const r = await one(`SELECT count(*) FILTER (WHERE p.confirmed_at < a.end_at)::INTEGER AS bad,
			count(*) FILTER (WHERE p.confirmed_at IS NULL)::DOUBLE / count(*) AS unconfirmed,
			count(*) FILTER (WHERE p.confirmed_at > a.end_at + INTERVAL 7 DAY)::DOUBLE / count(*) AS late
			FROM p JOIN a USING (activity_id)`);
		expect(num(r.bad)).toBe(0);
		expect(num(r.unconfirmed)).toBeGreaterThan(0);
		expect(num(r.unconfirmed)).toBeLessThan(0.06);
		expect(num(r.late)).toBeGreaterThan(0.01);
		expect(num(r.late)).toBeLessThan(0.3);
	});

	it('volunteers registered before the activity day; sign-in near the start', async () => {
		const r =
			await one(`SELECT count(*) FILTER (WHERE v.registered_at::DATE >= a.start_at::DATE)::INTEGER AS bad_reg,
			count(*) FILTER (WHERE abs(epoch(p.signed_in_at) - epoch(a.start_at)) > 3600)::INTEGER AS bad_sign
			FROM p JOIN a USING (activity_id) JOIN volunteers v USING (volunteer_id)`);
		expect(num(r.bad_reg)).toBe(0);
		expect(num(r.bad_sign)).toBe(0);
		const dup = await one(
			`SELECT count(*)::INTEGER AS n FROM (SELECT activity_id, volunteer_id FROM p GROUP BY ALL HAVING count(*) > 1)`
		);
		expect(num(dup.n)).toBe(0);
	});

	it('teams found before their activities and parents before children', async () => {
		const r = await one(
			`SELECT count(*)::INTEGER AS bad FROM a JOIN teams t USING (team_id) WHERE t.founded_at::DATE > a.start_at::DATE`
		);
		expect(num(r.bad)).toBe(0);
		const q =
			await one(`SELECT count(*)::INTEGER AS bad FROM teams c JOIN teams p ON c.parent_team_id = p.team_id
			WHERE p.founded_at::DATE > c.founded_at::DATE`);
		expect(num(q.bad)).toBe(0);
	});

	it('points: whole hours earned from confirmed participations, balance within 0..1500, exchange from 100 held', async () => {
		const r =
			await one(`SELECT count(*) FILTER (WHERE x.activity_id IS NOT NULL AND x.kind = 'earn' AND NOT EXISTS (
				SELECT 1 FROM p WHERE p.activity_id = x.activity_id AND p.volunteer_id = x.volunteer_id
				AND p.confirmed_at IS NOT NULL AND x.points::INTEGER <= floor(p.hours)))::INTEGER AS bad_earn,
			count(*) FILTER (WHERE x.kind = 'exchange')::INTEGER AS exchanges,
			count(*) FILTER (WHERE x.kind = 'donate')::INTEGER AS donations FROM points x`);
		expect(num(r.bad_earn)).toBe(0);
		expect(num(r.exchanges)).toBeGreaterThan(0);
		expect(num(r.donations)).toBeGreaterThan(0);
		const b = await one(`WITH s AS (
				SELECT kind, sum(CASE WHEN kind = 'earn' THEN points::INTEGER ELSE -points::INTEGER END)
					OVER (PARTITION BY volunteer_id ORDER BY occurred_at, transaction_id) AS bal,
					points::INTEGER AS pts FROM points)
			SELECT min(bal)::INTEGER AS lo, max(bal)::INTEGER AS hi,
				count(*) FILTER (WHERE kind = 'exchange' AND bal + pts < ${regionConfig('4401').points.redeem_from})::INTEGER AS early FROM s`);
		expect(num(b.lo)).toBeGreaterThanOrEqual(0);
		expect(num(b.hi)).toBeLessThanOrEqual(regionConfig('4401').points.max_held);
		expect(num(b.early)).toBe(0);
	});

	it('micro-wishes move forward in time; most fulfilled within 30 days, some never', async () => {
		const r =
			await one(`WITH w AS (SELECT posted_at::TIMESTAMP po, dispatched_at::TIMESTAMP di, accepted_at::TIMESTAMP ac,
				fulfilled_at::TIMESTAMP fu, volunteer_id FROM micro_wishes)
			SELECT count(*) FILTER (WHERE di < po OR ac < di OR fu < ac OR (ac IS NOT NULL AND di IS NULL)
				OR (fu IS NOT NULL AND ac IS NULL) OR ((ac IS NULL) <> (volunteer_id IS NULL)))::INTEGER AS bad,
				count(*) FILTER (WHERE fu <= po + INTERVAL 30 DAY)::DOUBLE / count(*) AS in30,
				count(*) FILTER (WHERE fu IS NULL)::INTEGER AS open, count(*) FILTER (WHERE fu > po + INTERVAL 30 DAY)::INTEGER AS late,
				count(*)::INTEGER AS n FROM w`);
		expect(num(r.bad)).toBe(0);
		expect(num(r.in30)).toBeGreaterThan(0.6);
		expect(num(r.open)).toBeGreaterThan(0);
		expect(num(r.late)).toBeGreaterThan(0);
		expect(num(r.n)).toBeGreaterThan(10_000 * SCALE * 0.8);
		expect(num(r.n)).toBeLessThan(10_000 * SCALE * 1.2);
	});
});

describe('generate: calibration (DOMAIN.md §5, scaled)', () => {
	it('table sizes follow the scale', async () => {
		const c =
			await one(`SELECT (SELECT count(*) FROM volunteers)::INTEGER AS v, (SELECT count(*) FROM teams)::INTEGER AS t,
			(SELECT count(*) FROM participations)::INTEGER AS p, (SELECT count(*) FROM activities)::INTEGER AS a`);
		expect(num(c.v)).toBeGreaterThan(100_000 * SCALE * 0.9);
		expect(num(c.v)).toBeLessThan(100_000 * SCALE * 1.1);
		expect(num(c.t)).toBeGreaterThanOrEqual(590 * SCALE * 0.9);
		expect(num(c.t)).toBeLessThanOrEqual(Math.max(590 * SCALE * 1.1, 24));
		expect(num(c.p)).toBeGreaterThan(1_000_000 * SCALE * 0.85);
		expect(num(c.p)).toBeLessThan(1_000_000 * SCALE * 1.15);
		// activity sizes 5–50 → about 20k–200k activities per million participations
		expect(num(c.a)).toBeGreaterThan(num(c.p) / 50);
		expect(num(c.a)).toBeLessThan(num(c.p) / 5);
		expect(summary.rows.participations).toBe(num(c.p));
		const s = await rows(`SELECT count(*) AS n, max(n) AS mx, count(*) FILTER (WHERE n >= 5) AS ok FROM
			(SELECT activity_id, count(*) AS n FROM p GROUP BY 1)`);
		expect(num(s[0].mx)).toBeLessThanOrEqual(50);
		expect(num(s[0].ok) / num(s[0].n)).toBeGreaterThan(0.95);
	});

	it('stations: 201 social-work stations (reference-bound), 20 tourism, 234 charity signs, some streets without', async () => {
		const k = Object.fromEntries(
			(await rows(`SELECT kind, count(*)::INTEGER AS n FROM stations GROUP BY 1`)).map((r) => [
				r.kind,
				num(r.n)
			])
		);
		expect(k.social_work).toBe(201);
		expect(k.tourism).toBe(20);
		expect(k.charity_sign).toBe(234);
		expect(k.lei_feng).toBeGreaterThan(0);
		const g = await one(`SELECT count(*)::INTEGER AS gaps FROM ref_streets WHERE code NOT IN
			(SELECT street_code FROM stations WHERE kind = 'social_work')`);
		expect(num(g.gaps)).toBeGreaterThan(0);
		expect(num(g.gaps)).toBeLessThan(20);
	});

	it('hours grow over the years; 2019 is a small partial year', async () => {
		const ys = await rows(
			`SELECT year(a.start_at)::INTEGER AS y, sum(hours) AS h FROM p JOIN a USING (activity_id) GROUP BY 1 ORDER BY 1`
		);
		const h = new Map(ys.map((r) => [num(r.y), num(r.h)]));
		expect([...h.keys()]).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025]);
		const years = [2020, 2021, 2022, 2023, 2024, 2025];
		expect(
			spearman(
				years,
				years.map((y) => h.get(y)!)
			)
		).toBeGreaterThan(0.8);
		expect(h.get(2025)!).toBeGreaterThan(1.5 * h.get(2020)!);
		expect(h.get(2019)!).toBeLessThan(h.get(2020)!);
	});

	it('seasonal and weekly rhythm: March > February, 12-05 spike, weekends busier', async () => {
		const m = Object.fromEntries(
			(await rows(`SELECT month(start_at)::INTEGER AS m, count(*)::INTEGER AS n FROM a GROUP BY 1`)).map(
				(r) => [num(r.m), num(r.n)]
			)
		);
		expect(m[3]).toBeGreaterThan(m[2] * 1.5);
		expect(m[3]).toBeGreaterThan(m[4]);
		const d = await one(`SELECT count(*) FILTER (WHERE strftime(start_at, '%m-%d') = '12-05')::DOUBLE AS dec5,
			count(*) FILTER (WHERE month(start_at) = 12)::DOUBLE / 31 AS dec_avg,
			count(*) FILTER (WHERE dayofweek(start_at) = 6)::DOUBLE AS sat, count(*) FILTER (WHERE dayofweek(start_at) = 3)::DOUBLE AS tue FROM a`);
		expect(num(d.dec5)).toBeGreaterThan(num(d.dec_avg) * 1.5);
		expect(num(d.sat)).toBeGreaterThan(num(d.tue) * 1.3);
	});

	it('district volunteer counts follow population (Spearman > 0.8)', async () => {
		const r =
			await rows(`SELECT d.code, d.population AS pop, count(v.volunteer_id)::DOUBLE AS n FROM ref_districts d
			LEFT JOIN volunteers v ON substr(v.community_code, 1, 6) = d.code GROUP BY ALL`);
		expect(r.length).toBe(11);
		expect(
			spearman(
				r.map((x) => num(x.pop)),
				r.map((x) => num(x.n))
			)
		).toBeGreaterThan(0.8);
	});

	it('most volunteers are inactive in any one year; a few are very active', async () => {
		const r =
			await rows(`SELECT y, (SELECT count(*) FROM volunteers WHERE year(registered_at::DATE) <= y)::DOUBLE AS reg, act FROM
			(SELECT year(a.start_at)::INTEGER AS y, count(DISTINCT p.volunteer_id)::DOUBLE AS act FROM p JOIN a USING (activity_id) GROUP BY 1)`);
		expect(r.length).toBe(7);
		// full years: most registered volunteers inactive; the 5-month launch year 2019 is the busiest per head
		for (const x of r)
			expect(num(x.act) / num(x.reg), `year ${x.y}`).toBeLessThan(num(x.y) === 2019 ? 0.6 : 0.5);
		const t = await one(`WITH h AS (SELECT volunteer_id, sum(hours) AS h FROM p GROUP BY 1)
			SELECT quantile_cont(h, 0.5) AS med, quantile_cont(h, 0.99) AS p99 FROM h`);
		expect(num(t.p99)).toBeGreaterThan(num(t.med) * 8);
	});

	it('political status, verification, ratings, ledgers and beneficiaries look like the real system', async () => {
		const v =
			await one(`SELECT count(*) FILTER (WHERE political_status IN ('party_member', 'probationary_member'))::DOUBLE / count(*) AS party,
			count(*) FILTER (WHERE party_reporting = '1')::INTEGER AS reporting,
			count(*) FILTER (WHERE party_reporting = '1' AND political_status <> 'party_member')::INTEGER AS bad_reporting FROM volunteers`);
		expect(num(v.party)).toBeGreaterThan(0.15);
		expect(num(v.party)).toBeLessThan(0.35);
		expect(num(v.reporting)).toBeGreaterThan(0);
		expect(num(v.bad_reporting)).toBe(0);
		const p = await one(
			`SELECT count(*) FILTER (WHERE verification = 'backfill')::DOUBLE / count(*) AS backfill FROM p`
		);
		expect(num(p.backfill)).toBeGreaterThan(0.02);
		expect(num(p.backfill)).toBeLessThan(0.3);
		const a =
			await one(`SELECT count(rating)::DOUBLE / count(*) AS rated, min(rating) AS lo, max(rating) AS hi,
			count(*) FILTER (WHERE ledger_time || ledger_content || ledger_participation || ledger_outcome || ledger_photos || ledger_evaluation = '111111')::DOUBLE
			/ count(*) AS complete FROM activities`);
		expect(num(a.rated)).toBeGreaterThan(0.5);
		expect(num(a.rated)).toBeLessThan(0.7);
		expect(num(a.lo)).toBeGreaterThanOrEqual(0);
		expect(num(a.hi)).toBeLessThanOrEqual(10);
		expect(num(a.complete)).toBeGreaterThan(0.4);
		expect(num(a.complete)).toBeLessThan(0.95);
		const b = await one(`SELECT count(*) FILTER (WHERE person_times::INTEGER < 5)::INTEGER AS small,
			sum(person_times::INTEGER) FILTER (WHERE beneficiary_group <> 'general')::DOUBLE / sum(person_times::INTEGER) AS special,
			count(*)::DOUBLE / count(DISTINCT activity_id) AS groups_per_activity FROM beneficiaries`);
		expect(num(b.small)).toBeGreaterThan(0);
		expect(num(b.special)).toBeGreaterThan(0.5);
		expect(num(b.groups_per_activity)).toBeGreaterThanOrEqual(1);
		expect(num(b.groups_per_activity)).toBeLessThanOrEqual(3);
	});

	it('categories and programmes: large and small domains, programmes in their real time spans', async () => {
		const c = Object.fromEntries(
			(await rows(`SELECT category, count(*)::INTEGER AS n FROM a GROUP BY 1`)).map((r) => [
				r.category,
				num(r.n)
			])
		);
		for (const big of ['care_support', 'culture_sports', 'environment', 'civility'])
			for (const small of ['legal_aid', 'emergency'])
				expect(c[big], `${big} > ${small}`).toBeGreaterThan(c[small]);
		const e = await one(`SELECT min(start_at)::DATE::VARCHAR AS first, max(start_at)::DATE::VARCHAR AS last,
			count(*) FILTER (WHERE start_at < '2020-07-01')::DOUBLE / count(*) AS h1_2020 FROM a WHERE programme = 'epidemic_prevention'`);
		expect(String(e.first) >= '2020-01-01').toBe(true);
		expect(String(e.last) <= '2022-12-31').toBe(true);
		expect(num(e.h1_2020)).toBeGreaterThan(0.2);
		const aw =
			await one(`SELECT count(*) FILTER (WHERE month(start_at) NOT IN (9, 10, 11))::INTEGER AS off, count(*)::INTEGER AS n
			FROM a WHERE programme = 'autumn_warmth'`);
		expect(num(aw.n)).toBeGreaterThan(0);
		expect(num(aw.off)).toBe(0);
		const mv = await one(
			`SELECT min(start_at)::DATE::VARCHAR AS first FROM a WHERE programme = 'meal_vouchers'`
		);
		expect(String(mv.first) >= '2020-01-01').toBe(true);
	});

	it('trainings: ≥ 150 per full year city-wide, most streets covered but not all', async () => {
		const r =
			await rows(`SELECT year(held_on::DATE)::INTEGER AS y, count(*)::INTEGER AS n, count(DISTINCT street_code)::INTEGER AS s
			FROM trainings GROUP BY 1 ORDER BY 1`);
		const streets = num((await one(`SELECT count(*)::INTEGER AS n FROM ref_streets`)).n);
		for (const x of r.filter((x) => num(x.y) >= 2020)) {
			expect(num(x.n), `trainings ${x.y}`).toBeGreaterThanOrEqual(150);
			expect(num(x.s) / streets, `street coverage ${x.y}`).toBeGreaterThan(0.75);
			expect(num(x.s), `street coverage ${x.y}`).toBeLessThan(streets);
		}
	});

	it('communities without a team exist (coverage gaps)', async () => {
		const r = await one(
			`SELECT count(*)::INTEGER AS gaps FROM ref_communities WHERE code NOT IN (SELECT community_code FROM teams)`
		);
		expect(num(r.gaps)).toBeGreaterThan(0);
	});
});

describe('generate: determinism and options', () => {
	it('same seed and scale give byte-identical files; another seed differs', async () => {
		const dirB = join(root, 'b');
		const dirC = join(root, 'c');
		await generate({ scale: SCALE, seed: 'test-seed', outDir: dirB });
		await generate({ scale: SCALE, seed: 'other-seed', outDir: dirC });
		for (const t of INPUT_TABLES) {
			const a = readFileSync(join(dirA, t.file));
			expect(a.equals(readFileSync(join(dirB, t.file))), t.file).toBe(true);
		}
		expect(
			readFileSync(join(dirA, 'participations.csv')).equals(readFileSync(join(dirC, 'participations.csv')))
		).toBe(false);
		rmSync(dirB, { recursive: true, force: true });
		rmSync(dirC, { recursive: true, force: true });
	});

	it('--with-personal adds synthetic name and phone columns; a rerun replaces the directory', async () => {
		const dir = join(root, 'personal');
		await generate({ scale: 0.005, seed: 1, outDir: dir, withPersonal: true });
		const lines = readFileSync(join(dir, 'volunteers.csv'), 'utf8').trim().split('\n');
		const head = lines[0].split(',');
		expect(head.slice(-2)).toEqual(['name', 'phone']);
		const row = lines[1].split(',');
		expect(row.at(-2)).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
		expect(row.at(-1)).toMatch(/^199\d{8}$/);
		await generate({ scale: 0.005, seed: 1, outDir: dir });
		expect(readFileSync(join(dir, 'volunteers.csv'), 'utf8').split('\n', 1)[0].split(',')).not.toContain(
			'name'
		);
		expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
	});

	it('rejects a bad scale', async () => {
		await expect(generate({ scale: 0, seed: 1, outDir: join(root, 'x') })).rejects.toThrow(/scale/);
	});
});
