import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { PUBLIC_TABLES, createTableSql } from '../../src/lib/schema/public';
import { equivalenceClasses } from '../../src/lib/privacy/scan';
import { VOLUNTEER_QI, withholdResidual } from './transform';
import { rng } from './test-helpers';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
const all = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS();

/** Volunteers after age band, gender and community were withheld: street × status classes, some small. */
async function load(relaxed: boolean) {
	instance ??= await DuckDBInstance.create(':memory:');
	conn ??= await instance.connect();
	for (const name of ['volunteers', 'points']) {
		const t = PUBLIC_TABLES.find((x) => x.name === name)!;
		const cols = relaxed ? t.columns.map((c) => ({ ...c, nullable: true })) : t.columns;
		await conn.run(`DROP TABLE IF EXISTS ${name}; ${createTableSql({ ...t, columns: cols })}`);
	}
	const r = rng(7);
	const statuses = ['masses', 'masses', 'masses', 'league_member', 'party_member', 'party_activist'];
	const values: string[] = [];
	const points: string[] = [];
	for (let i = 0; i < 300; i++) {
		const d = `44010${1 + Math.floor(r() * 3)}`;
		const s = `${d}00${1 + Math.floor(r() * 4)}`;
		const ps = statuses[Math.floor(r() * statuses.length)];
		values.push(
			`('v_${i}', DATE '2020-01-01', NULL, NULL, '${ps}', ${ps === 'party_member' && r() < 0.5}, '${d}', '${s}', NULL)`
		);
		points.push(`('t_${i}', 'v_${i}', '${d}', '${s}', 'earn', 1, DATE '2021-01-01')`);
	}
	await conn.run(`INSERT INTO volunteers VALUES ${values.join(', ')}`);
	await conn.run(`INSERT INTO points VALUES ${points.join(', ')}`);
}

afterAll(() => {
	conn?.closeSync();
	instance?.closeSync();
});

describe('withholdResidual', () => {
	it('with nullable columns: every class over the quasi-identifiers reaches k; points follow', async () => {
		await load(true);
		const before = await all('SELECT * FROM volunteers');
		expect(equivalenceClasses(before, [...VOLUNTEER_QI])[0].size).toBeLessThan(5);
		const res = await withholdResidual(conn, 5, { allowed: () => true });
		expect(res.residual).toBe(0);
		expect(res.withheld.political_status).toBeGreaterThan(0);
		const after = await all('SELECT * FROM volunteers ORDER BY volunteer_id');
		expect(equivalenceClasses(after, [...VOLUNTEER_QI])[0].size).toBeGreaterThanOrEqual(5);
		expect(equivalenceClasses(after, [...VOLUNTEER_QI, 'party_reporting'])[0].size).toBeGreaterThanOrEqual(5);
		// Status and party reporting go together; most rows keep everything.
		for (const v of after) if (v.political_status === null) expect(v.party_reporting).toBeNull();
		expect(after.filter((v) => v.political_status !== null).length).toBeGreaterThan(150);
		// points carries the same street/district as the (possibly withheld) volunteer row.
		const mismatch =
			await all(`SELECT count(*)::INTEGER AS n FROM points p JOIN volunteers v USING (volunteer_id)
			WHERE p.street_code IS DISTINCT FROM v.street_code OR p.district_code IS DISTINCT FROM v.district_code`);
		expect(mismatch[0].n).toBe(0);
	});

	it('with the schema as published (NOT NULL columns): changes nothing and reports the residual', async () => {
		await load(false);
		const before = await all('SELECT * FROM volunteers ORDER BY volunteer_id');
		const expected = equivalenceClasses(before, [...VOLUNTEER_QI])
			.filter((c) => c.size < 5)
			.reduce((s, c) => s + c.size, 0);
		const schemaAllows = ['political_status', 'street_code', 'district_code'].every(
			(c) => PUBLIC_TABLES.find((t) => t.name === 'volunteers')!.columns.find((x) => x.name === c)!.nullable
		);
		const res = await withholdResidual(conn, 5);
		if (schemaAllows) expect(res.residual).toBe(0);
		else {
			expect(res.residual).toBe(expected);
			expect(await all('SELECT * FROM volunteers ORDER BY volunteer_id')).toEqual(before);
		}
	});
});
