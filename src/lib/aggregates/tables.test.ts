/**
 * The release build fills the aggregate tables with `insertAggregates` (agg_active counted in JS, agg_stars over
 * volunteer numbers, see ./active.ts); the SELECTs of `aggregateSelects` are their definitions. On small
 * pseudo-random public tables with awkward cases (hours of unknown activities and of volunteers missing from
 * `volunteers`, unconfirmed hours, activities without beneficiaries, several years and quarters, withheld
 * registration places), both must give exactly the same rows in the same order.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENEFICIARY_GROUPS, CATEGORIES, VERIFICATIONS } from '../schema/codes';
import { aggregateSelects, insertAggregates } from './tables';

const BANDS = [5, 20, 45, 80];
const list = (codes: readonly { code: string }[]) => `[${codes.map((c) => `'${c.code}'`).join(', ')}]`;
/** A pseudo-random integer in [0, n) from the row number i and a salt. */
const rnd = (i: string, salt: number, n: number) => `CAST(hash(${i}, ${salt}) % ${n} AS INTEGER)`;

let instance: DuckDBInstance;
let conn: DuckDBConnection;

async function createPublicTables(c: DuckDBConnection, activities: number): Promise<void> {
	const cats = list(CATEGORIES);
	const groups = list(BENEFICIARY_GROUPS);
	const verifs = list(VERIFICATIONS);
	const street = (i: string, salt: number) => {
		const d = rnd(i, salt, 3);
		return { d: `'44010' || ${d}`, s: `'44010' || ${d} || '00' || ${rnd(i, salt + 1, 3)}` };
	};
	const a = street('i', 3);
	await c.run(`CREATE TABLE activities AS
		SELECT 'a' || i AS activity_id, 't' || ${rnd('i', 1, 7)} AS team_id,
			${cats}[1 + ${rnd('i', 2, CATEGORIES.length)}] AS category, ${a.d} AS district_code, ${a.s} AS street_code,
			TIMESTAMP '2022-11-01 08:00:00' + INTERVAL (${rnd('i', 5, 560)}) DAY AS start_at
		FROM range(${activities}) t(i)`);
	// Some hours point at activities that do not exist (ids ≥ activities) or at volunteers without a row.
	await c.run(`CREATE TABLE "hours" AS
		SELECT 'p' || j AS participation_id, 'a' || ${rnd('j', 6, activities + 15)} AS activity_id,
			'v' || lpad(CAST(${rnd('j', 7, 160)} AS VARCHAR), 3, '0') AS volunteer_id,
			0.5 * (1 + ${rnd('j', 8, 14)}) AS "hours", ${verifs}[1 + ${rnd('j', 9, VERIFICATIONS.length)}] AS verification,
			CASE WHEN ${rnd('j', 10, 10)} = 0 THEN NULL ELSE DATE '2025-01-01' END AS confirmed_on
		FROM range(${activities * 12}) t(j)`);
	// Activities with 1–3 groups; every fifth without beneficiaries.
	await c.run(`CREATE TABLE beneficiaries AS
		SELECT DISTINCT 'a' || i AS activity_id, ${groups}[1 + ${rnd('i * 3 + k', 11, BENEFICIARY_GROUPS.length)}] AS beneficiary_group,
			CAST(1 + ${rnd('i * 3 + k', 12, 30)} AS INTEGER) AS person_times, ${rnd('i * 3 + k', 13, 6)} = 0 AS suppressed
		FROM range(${activities}) t(i), range(3) u(k)
		WHERE i % 5 <> 0 AND k <= ${rnd('i', 14, 3)}`);
	const v = street('i', 15);
	await c.run(`CREATE TABLE volunteers AS
		SELECT 'v' || lpad(CAST(i AS VARCHAR), 3, '0') AS volunteer_id,
			DATE '2021-06-01' + INTERVAL (${rnd('i', 17, 900)}) DAY AS registered_on,
			CASE WHEN i % 9 = 0 THEN NULL ELSE ${v.d} END AS district_code,
			CASE WHEN i % 9 IN (0, 1) THEN NULL ELSE ${v.s} END AS street_code
		FROM range(150) t(i)`);
	await c.run(`CREATE TABLE teams AS
		SELECT 't' || i AS team_id, '4401010' || (i % 3) AS community_code FROM range(7) t(i)`);
	const w = street('i', 18);
	await c.run(`CREATE TABLE micro_wishes AS
		SELECT 'w' || i AS wish_id, ${w.d} AS district_code, ${w.s} AS street_code,
			${groups}[1 + ${rnd('i', 20, BENEFICIARY_GROUPS.length)}] AS beneficiary_group,
			${cats}[1 + ${rnd('i', 21, CATEGORIES.length)}] AS category,
			CASE WHEN i % 4 = 0 THEN NULL ELSE DATE '2023-01-01' + INTERVAL (${rnd('i', 22, 500)}) DAY END AS fulfilled_on
		FROM range(120) t(i)`);
}

type Row = unknown[];
async function rows(c: DuckDBConnection, sql: string): Promise<Row[]> {
	return (await c.runAndReadAll(sql)).getRowsJS() as Row[];
}

/** Fill empty copies of the definition tables with insertAggregates and compare them row by row. */
async function compareAll(
	c: DuckDBConnection,
	schema: string,
	opts: Parameters<typeof insertAggregates>[2] = {}
): Promise<Record<string, number>> {
	const selects = aggregateSelects(BANDS);
	await c.run(`CREATE SCHEMA ${schema}`);
	for (const [name, select] of Object.entries(selects)) {
		await c.run(`CREATE TABLE ${schema}.ref_${name} AS ${select}`);
		await c.run(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM ${schema}.ref_${name} LIMIT 0`);
	}
	const steps: string[] = [];
	await insertAggregates(c, BANDS, { ...opts, onStep: (s) => steps.push(s) });
	expect(steps).toContain('agg_activity_month');
	const counts: Record<string, number> = {};
	for (const name of Object.keys(selects)) {
		const ref = await rows(c, `SELECT * FROM ${schema}.ref_${name}`);
		const got = await rows(c, `SELECT * FROM ${name}`);
		expect(got, name).toEqual(ref);
		counts[name] = ref.length;
		await c.run(`DROP TABLE ${name}`);
	}
	return counts;
}

beforeAll(async () => {
	instance = await DuckDBInstance.create(':memory:', { threads: '2' });
	conn = await instance.connect();
	await conn.run(`SET preserve_insertion_order = true`);
	await createPublicTables(conn, 200);
}, 60_000);

afterAll(() => {
	conn?.closeSync();
	instance?.closeSync();
});

describe('insertAggregates', () => {
	it('fills every aggregate table with exactly the rows of its SQL definition, in order', async () => {
		const counts = await compareAll(conn, 'fast');
		// Not vacuous: the awkward cases exist and every table has rows.
		const check = async (sql: string) => Number((await rows(conn, sql))[0][0]);
		expect(
			await check(
				`SELECT count(*) FROM "hours" WHERE activity_id NOT IN (SELECT activity_id FROM activities)`
			)
		).toBeGreaterThan(0);
		expect(
			await check(
				`SELECT count(*) FROM "hours" WHERE confirmed_on IS NOT NULL AND volunteer_id NOT IN (SELECT volunteer_id FROM volunteers)`
			)
		).toBeGreaterThan(0);
		expect(await check(`SELECT count(DISTINCT year(start_at)) FROM activities`)).toBeGreaterThanOrEqual(3);
		for (const n of Object.values(counts)) expect(n).toBeGreaterThan(0);
		// All 24 combinations of agg_active occur, and some volunteers reach the top star level.
		expect(
			await check(
				`SELECT count(DISTINCT (quarter IS NULL, district_code IS NULL, street_code IS NULL, category IS NULL, beneficiary_group IS NULL)) FROM fast.ref_agg_active`
			)
		).toBe(24);
		expect(
			await check(`SELECT count(*) FROM fast.ref_agg_stars WHERE stars = ${BANDS.length}`)
		).toBeGreaterThan(0);
	}, 60_000);

	it('gives the same rows through the SQL definition of agg_active when the counters would be too large', async () => {
		await compareAll(conn, 'fallback', { maxCells: 0 });
	}, 60_000);

	it('handles a release without activities', async () => {
		const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
		const c = await inst.connect();
		try {
			await createPublicTables(c, 0);
			const counts = await compareAll(c, 'empty');
			expect(counts.agg_active).toBe(0);
			// Level 0 (registration) rows stay.
			expect(counts.agg_stars).toBeGreaterThan(0);
		} finally {
			c.closeSync();
			inst.closeSync();
		}
	}, 60_000);
});
