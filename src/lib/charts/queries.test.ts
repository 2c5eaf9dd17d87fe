import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeConnector, type NodeConnector } from '$lib/db/server/node';
import { createTableSql, PUBLIC_TABLES } from '$lib/schema/public';
import { PUBLIC_TABLES as T } from '$lib/schema/public';
import { areaTableSql, headlineSql, starsSql, tablesOf, trendSql, verificationSql } from './queries';
import { yearFilters } from '$lib/components/filters';

// A tiny hand-made release: two districts, three activities, four participations.
let db: NodeConnector;
beforeAll(async () => {
	db = await createNodeConnector({ threads: 1 });
	for (const t of PUBLIC_TABLES) await db.exec(createTableSql(t));
	await db.exec(
		`INSERT INTO ref_districts VALUES ('440103','荔湾区','Liwan',1000,2020), ('440104','越秀区','Yuexiu',2000,2020)`
	);
	await db.exec(
		`INSERT INTO ref_streets VALUES ('440103001','440103','街一'), ('440104001','440104','街二')`
	);
	await db.exec(`INSERT INTO volunteers VALUES
		('v1', DATE '2024-03-01', NULL, NULL, 'masses', false, '440103', '440103001', NULL),
		('v2', DATE '2025-02-01', NULL, NULL, 'masses', false, '440103', '440103001', NULL),
		('v3', DATE '2025-12-31', NULL, NULL, 'masses', false, '440104', '440104001', NULL),
		('v4', DATE '2026-01-01', NULL, NULL, 'masses', false, '440104', '440104001', NULL)`);
	await db.exec(
		`INSERT INTO teams VALUES ('t1','队','squad','community',NULL,'440103','440103001','440103001001', DATE '2020-01-01')`
	);
	await db.exec(`INSERT INTO activities VALUES
		('a1','x','t1',NULL,'health',NULL,'440103','440103001','440103001001', TIMESTAMP '2025-01-05 09:00', TIMESTAMP '2025-01-05 11:00', true,true,true,true,true,true, 9),
		('a2','x','t1',NULL,'education',NULL,'440104','440104001','440104001001', TIMESTAMP '2025-03-05 09:00', TIMESTAMP '2025-03-05 11:00', true,true,true,true,true,true, NULL),
		('a3','x','t1',NULL,'health',NULL,'440103','440103001','440103001001', TIMESTAMP '2024-06-05 09:00', TIMESTAMP '2024-06-05 11:00', true,true,true,true,true,true, NULL)`);
	await db.exec(`INSERT INTO hours VALUES
		('p1','a1','v1', 2.5, true, 'scan', 'none', DATE '2025-01-06'),
		('p2','a1','v2', 2, true, 'backfill', 'none', NULL),
		('p3','a2','v1', 150, true, 'backfill', 'none', DATE '2025-03-06'),
		('p4','a3','v1', 1, true, 'scan', 'none', DATE '2024-06-06')`);
	await db.exec(
		`INSERT INTO beneficiaries VALUES ('a1','general',12,false), ('a1','disabled',NULL,true), ('a2','general',7,false)`
	);
});
afterAll(async () => db?.close());

describe('dashboard SQL', () => {
	it('headline figures follow the counting rules, with the previous period', async () => {
		const rows = await db.query<Record<string, number | string>>(headlineSql(yearFilters(2025)));
		const cur = rows.find((r) => r.period === 'cur')!;
		const prev = rows.find((r) => r.period === 'prev')!;
		expect(cur).toMatchObject({
			registered: 3,
			active: 1,
			activities: 2,
			hours: 152.5,
			person_times: 19,
			teams: 1
		});
		expect(prev).toMatchObject({ registered: 1, active: 1, activities: 1, hours: 1, person_times: 0 });
	});
	it('district filter applies to activities and volunteers', async () => {
		const rows = await db.query<Record<string, number | string>>(
			headlineSql({ ...yearFilters(2025), district: '440104' })
		);
		expect(rows.find((r) => r.period === 'cur')).toMatchObject({
			registered: 1,
			active: 1,
			activities: 1,
			hours: 150
		});
	});
	it('stars and verification totals reconcile with the headline', async () => {
		const f = yearFilters(2025);
		const stars = await db.query<{ stars: number; volunteers: number }>(
			starsSql(f, [100, 300, 600, 1000, 1500])
		);
		expect(stars.map((r) => r.volunteers)).toEqual([2, 1, 0, 0, 0, 0]);
		const ver = await db.query<{ verification: string; hours: number }>(verificationSql(f));
		expect(ver.reduce((a, r) => a + r.hours, 0)).toBe(152.5);
	});
	it('monthly trend and per-area table', async () => {
		const f = yearFilters(2025);
		expect(await db.query(trendSql(f))).toEqual([
			{ month: '2025-01', activities: 1, hours: 2.5, person_times: 12 },
			{ month: '2025-03', activities: 1, hours: 150, person_times: 7 }
		]);
		const areas = await db.query<Record<string, unknown>>(areaTableSql(f, 'district'));
		expect(areas.map((r) => [r.code, r.registered, r.activities, r.hours])).toEqual([
			['440103', 2, 1, 2.5],
			['440104', 1, 1, 150]
		]);
	});
	it('finds the tables a statement reads, quoted or not', () => {
		const names = T.map((t) => t.name);
		expect(tablesOf('SELECT 1 FROM "hours" h JOIN activities a USING (x)', names).sort()).toEqual([
			'activities',
			'hours'
		]);
		expect(tablesOf(headlineSql(yearFilters(2025)), names)).toContain('micro_wishes');
	});
});
