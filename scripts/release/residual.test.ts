import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { PUBLIC_TABLES, createTableSql } from '../../src/lib/schema/public';
import { equivalenceClasses } from '../../src/lib/privacy/scan';
import { VOLUNTEER_QI, withholdResidual } from './transform';
import { rng } from './test-helpers';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
const all = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS();

/** Empty volunteers and points tables as published. */
async function tables() {
	instance ??= await DuckDBInstance.create(':memory:');
	conn ??= await instance.connect();
	for (const name of ['volunteers', 'points']) {
		const t = PUBLIC_TABLES.find((x) => x.name === name)!;
		await conn.run(`DROP TABLE IF EXISTS ${name}; ${createTableSql(t)}`);
	}
}

/** Insert volunteers (age band, gender and community already withheld) and one point row each. */
async function insert(rows: { district: string; street: string; status: string; reporting: boolean }[]) {
	const v = rows.map(
		(r, i) =>
			`('v_${i}', DATE '2020-01-01', NULL, NULL, '${r.status}', ${r.reporting}, '${r.district}', '${r.street}', NULL)`
	);
	const p = rows.map(
		(r, i) => `('t_${i}', 'v_${i}', '${r.district}', '${r.street}', 'earn', 1, DATE '2021-01-01')`
	);
	await conn.run(`INSERT INTO volunteers VALUES ${v.join(', ')}`);
	await conn.run(`INSERT INTO points VALUES ${p.join(', ')}`);
}

/** Street × status classes after age band, gender and community were withheld, many of them small. */
async function load() {
	await tables();
	const r = rng(7);
	const statuses = ['masses', 'masses', 'masses', 'league_member', 'party_member', 'party_activist'];
	await insert(
		Array.from({ length: 300 }, () => {
			const district = `44010${1 + Math.floor(r() * 3)}`;
			const status = statuses[Math.floor(r() * statuses.length)];
			return {
				district,
				street: `${district}00${1 + Math.floor(r() * 4)}`,
				status,
				reporting: status === 'party_member' && r() < 0.5
			};
		})
	);
}

const smallRows = async (k: number) =>
	equivalenceClasses(await all('SELECT * FROM volunteers'), [...VOLUNTEER_QI])
		.filter((c) => c.size < k)
		.reduce((s, c) => s + c.size, 0);

afterAll(() => {
	conn?.closeSync();
	instance?.closeSync();
});

describe('withholdResidual', () => {
	it('with the published schema: every class over the quasi-identifiers reaches k; points follow', async () => {
		await load();
		expect(await smallRows(5)).toBeGreaterThan(0);
		const res = await withholdResidual(conn, 5);
		expect(res.residual).toBe(0);
		expect(await smallRows(5)).toBe(0);
		// Least informative first: status goes before street, street before district.
		expect(res.withheld.political_status).toBeGreaterThan(res.withheld.street);
		expect(res.withheld.street).toBeGreaterThan(0);
		const after = await all('SELECT * FROM volunteers ORDER BY volunteer_id');
		// Status and party reporting go together; most rows keep everything.
		for (const v of after) if (v.political_status === null) expect(v.party_reporting).toBeNull();
		expect(after.filter((v) => v.political_status !== null).length).toBeGreaterThan(150);
		// points carries the same street/district as the (possibly withheld) volunteer row.
		const mismatch =
			await all(`SELECT count(*)::INTEGER AS n FROM points p JOIN volunteers v USING (volunteer_id)
			WHERE p.street_code IS DISTINCT FROM v.street_code OR p.district_code IS DISTINCT FROM v.district_code`);
		expect(mismatch[0].n).toBe(0);
		expect(
			(await all('SELECT count(*)::INTEGER AS n FROM points WHERE street_code IS NULL'))[0].n
		).toBeGreaterThan(0);
	});

	it('pads a fully withheld class below k with rows from a class that stays at k or more', async () => {
		await tables();
		const row = (district: string, street: string) => ({
			district,
			street,
			status: 'masses',
			reporting: false
		});
		await insert([
			...Array.from({ length: 8 }, () => row('440101', '440101001')),
			row('440102', '440102001'),
			row('440103', '440103001')
		]);
		const res = await withholdResidual(conn, 5);
		expect(res.withheld).toEqual({
			political_status: 2,
			community: 0,
			gender: 0,
			age_band: 0,
			street: 2,
			district: 2,
			padding: 3
		});
		expect(res.residual).toBe(0);
		const sizes = equivalenceClasses(await all('SELECT * FROM volunteers'), [...VOLUNTEER_QI]).map(
			(c) => c.size
		);
		expect(sizes).toEqual([5, 5]);
		expect((await all('SELECT count(*)::INTEGER AS n FROM points WHERE district_code IS NULL'))[0].n).toBe(5);
	});

	it('where the schema forbids NULL: changes nothing and reports the residual', async () => {
		await load();
		const before = await all('SELECT * FROM volunteers ORDER BY volunteer_id');
		const expected = await smallRows(5);
		const res = await withholdResidual(conn, 5, { allowed: () => false });
		expect(res.residual).toBe(expected);
		expect(await all('SELECT * FROM volunteers ORDER BY volunteer_id')).toEqual(before);
	});
});
