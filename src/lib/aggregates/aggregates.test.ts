/**
 * The pre-aggregated tables answer every dashboard question exactly as the raw tables do: a small generated
 * release is built, and each query of src/lib/aggregates/queries.ts is compared with its raw namesake in
 * src/lib/charts/queries.ts over many filter combinations (year, quarter, custom months; city, district,
 * street; category; beneficiary group; and combinations).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../scripts/generate/generate';
import { buildRelease } from '../../../scripts/release/build';
import { createNodeConnector, type NodeConnector } from '../db/server/node';
import { PUBLIC_TABLES } from '../schema/public';
import { BENEFICIARY_GROUPS, CATEGORIES } from '../schema/codes';
import { yearFilters, type Filters } from '../components/filters';
import * as raw from '../charts/queries';
import { splitFlows } from '../charts/flows';
import type { Row as ChartRow } from '../charts/queries';
import * as agg from './queries';
import { cubePeriod } from './queries';
import { assessmentSql, suppressRows } from '../components/indicators';
import { indicatorDef, INDICATORS } from '../indicators/registry';
import { regionConfig } from '../config';

const BANDS = [100, 300, 600, 1000, 1500];
type Row = Record<string, unknown>;

let dir: string;
let db: NodeConnector;
let district: string;
let street: string;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'timebank-agg-'));
	await generate({ scale: 0.02, seed: 99, outDir: join(dir, 'input') });
	const r = await buildRelease({
		inputDir: join(dir, 'input'),
		outDir: join(dir, 'out'),
		key: Buffer.from('aggregates-test-key-not-secret'),
		log: () => {}
	});
	if (!r.ok) throw new Error(r.message);
	db = await createNodeConnector({ threads: 2 });
	for (const t of PUBLIC_TABLES) await db.loadParquet(t.name, join(r.path, 'parquet', `${t.name}.parquet`));
	// The busiest street and its district, so that street-level comparisons have data.
	const top = await db.query<{ district_code: string; street_code: string }>(
		`SELECT district_code, street_code FROM activities GROUP BY ALL ORDER BY count(*) DESC, street_code LIMIT 1`
	);
	({ district_code: district, street_code: street } = top[0]);
}, 600_000);

afterAll(async () => {
	await db?.close();
	rmSync(dir, { recursive: true, force: true });
});

/** Rows equal up to floating-point summation order. */
function expectSameRows(a: Row[], b: Row[], what: string): void {
	expect(b.length, `${what}: row count`).toBe(a.length);
	a.forEach((r, i) => {
		expect(Object.keys(b[i]), `${what}: columns`).toEqual(Object.keys(r));
		for (const [k, v] of Object.entries(r)) {
			const w = b[i][k];
			if (typeof v === 'number' && typeof w === 'number')
				expect(Math.abs(v - w), `${what}: row ${i} ${k} ${v} vs ${w}`).toBeLessThanOrEqual(
					1e-9 * Math.max(1, Math.abs(v))
				);
			else expect(w, `${what}: row ${i} ${k}`).toEqual(v);
		}
	});
}

const quarter = (y: number, q: number): Filters => ({
	...yearFilters(y),
	kind: 'quarter',
	from: `${y}-${String(q * 3 - 2).padStart(2, '0')}`,
	to: `${y}-${String(q * 3).padStart(2, '0')}`
});
const months = (from: string, to: string): Filters => ({
	...yearFilters(Number(from.slice(0, 4))),
	kind: 'months',
	from,
	to
});

function cases(): [string, Filters][] {
	const cat = CATEGORIES[0].code;
	const grp = BENEFICIARY_GROUPS.find((g) => g.code !== 'general')?.code ?? BENEFICIARY_GROUPS[0].code;
	const periods: [string, Filters][] = [
		['2024', yearFilters(2024)],
		['2023', yearFilters(2023)],
		['2024 Q2', quarter(2024, 2)],
		['2020 Q1', quarter(2020, 1)],
		['2023-11…2024-02', months('2023-11', '2024-02')],
		['2010 (no data)', yearFilters(2010)]
	];
	const out: [string, Filters][] = [];
	for (const [name, f] of periods) {
		out.push([name, f]);
		out.push([`${name} district`, { ...f, district }]);
		out.push([`${name} street`, { ...f, district, street }]);
		out.push([`${name} category`, { ...f, category: cat }]);
		out.push([`${name} group`, { ...f, group: grp }]);
		out.push([`${name} district category group`, { ...f, district, category: cat, group: grp }]);
	}
	return out;
}

describe('pre-aggregated tables', () => {
	it('tell year and quarter periods apart from other month ranges', () => {
		expect(cubePeriod(yearFilters(2024))).toEqual({ year: 2024, quarter: null });
		expect(cubePeriod(quarter(2024, 3))).toEqual({ year: 2024, quarter: 3 });
		expect(cubePeriod(months('2024-02', '2024-04'))).toBeNull();
		expect(cubePeriod(months('2023-12', '2024-02'))).toBeNull();
	});

	it('give the same dashboard answers as the raw tables', async () => {
		let compared = 0;
		let nonZero = 0;
		for (const [name, f] of cases()) {
			const pairs: [string, string, string][] = [
				['headline', raw.headlineSql(f), agg.headlineSql(f)],
				['trend', raw.trendSql(f), agg.trendSql(f)],
				['categories', raw.categoriesSql(f), agg.categoriesSql(f)],
				['groups', raw.groupsSql(f), agg.groupsSql(f)],
				['byMonth', raw.categoriesByMonthSql(f), agg.categoriesByMonthSql(f)],
				['byDistrict', raw.categoriesByDistrictSql(f), agg.categoriesByDistrictSql(f)],
				['stars', raw.starsSql(f, BANDS), agg.starsSql(f, BANDS)],
				['verification', raw.verificationSql(f), agg.verificationSql(f)],
				['flows', raw.flowsSql(f), agg.flowsSql(f)],
				['flows by month', raw.flowsSql(f, { byMonth: true }), agg.flowsSql(f, { byMonth: true })],
				[
					'districts',
					raw.areaTableSql({ ...f, district: null, street: null }, 'district'),
					agg.areaTableSql({ ...f, district: null, street: null }, 'district')
				],
				['gaps', raw.gapsSql(f), agg.gapsSql(f)],
				['gap summary', raw.gapSummarySql(f), agg.gapSummarySql(f)]
			];
			if (f.district) pairs.push(['streets', raw.areaTableSql(f, 'street'), agg.areaTableSql(f, 'street')]);
			for (const [what, r, a] of pairs) {
				const rr = await db.query<Row>(r);
				const ar = await db.query<Row>(a);
				expectSameRows(rr, ar, `${name} ${what}`);
				compared++;
				if (rr.some((x) => Object.values(x).some((v) => typeof v === 'number' && v > 0))) nonZero++;
			}
		}
		// The comparison is not vacuous: most answers hold data.
		expect(compared).toBeGreaterThan(60);
		expect(nonZero / compared).toBeGreaterThan(0.6);
	}, 300_000);

	it('split the one flows query into the trend, categories, verification and categories-by-month answers', async () => {
		let withRows = 0;
		for (const [name, f] of cases())
			for (const [source, m] of [
				['raw', raw],
				['agg', agg]
			] as const) {
				const parts = splitFlows(await db.query<ChartRow>(m.flowsSql(f)));
				expectSameRows(await db.query<Row>(m.trendSql(f)), parts.trend, `${name} ${source} trend`);
				expectSameRows(
					await db.query<Row>(m.categoriesSql(f)),
					parts.categories,
					`${name} ${source} categories`
				);
				expectSameRows(
					await db.query<Row>(m.verificationSql(f)),
					parts.verification,
					`${name} ${source} verification`
				);
				expect(parts.byMonth, `${name} ${source}: by month only when asked`).toEqual([]);
				const withMonths = splitFlows(await db.query<ChartRow>(m.flowsSql(f, { byMonth: true })));
				expectSameRows(
					await db.query<Row>(m.categoriesByMonthSql(f)),
					withMonths.byMonth,
					`${name} ${source} by month`
				);
				expect(withMonths.categories, `${name} ${source}: the same categories`).toEqual(parts.categories);
				if (parts.trend.length && parts.categories.length && parts.verification.length) withRows++;
			}
		// Not vacuous: most filter sets have rows in all three answers.
		expect(withRows).toBeGreaterThan(cases().length);
	}, 300_000);

	it('answer from the small tables only (raw tables only for distinct counts of custom month ranges)', () => {
		const names = PUBLIC_TABLES.map((t) => t.name);
		const rawTables = ['activities', 'hours', 'beneficiaries', 'volunteers', 'micro_wishes', 'points'];
		for (const f of [
			yearFilters(2024),
			quarter(2024, 1),
			{ ...yearFilters(2024), district, category: 'health' }
		]) {
			const all = [
				agg.headlineSql(f),
				agg.trendSql(f),
				agg.categoriesSql(f),
				agg.groupsSql(f),
				agg.starsSql(f, BANDS),
				agg.verificationSql(f),
				agg.flowsSql(f),
				agg.areaTableSql(f, 'district'),
				agg.gapsSql(f),
				agg.gapSummarySql(f),
				agg.dataRangeSql()
			];
			for (const sql of all)
				expect(raw.tablesOf(sql, names).filter((t) => rawTables.includes(t))).toEqual([]);
		}
		expect(raw.tablesOf(agg.headlineSql(months('2024-02', '2024-04')), names)).toContain('hours');
		// Without a group, the overview reads only the all-activities rows (the first answer loads less).
		const overview = (f: Filters) =>
			[agg.headlineSql(f), agg.flowsSql(f)].flatMap((sql) => raw.tablesOf(sql, names));
		const groupTables = ['agg_activity_month_group', 'agg_active_group'];
		expect(overview(yearFilters(2024)).filter((t) => groupTables.includes(t))).toEqual([]);
		const grouped = overview({ ...yearFilters(2024), group: 'elderly_alone' });
		for (const t of groupTables) expect(grouped).toContain(t);
		expect(grouped).not.toContain('agg_activity_month');
		expect(grouped).not.toContain('agg_active');
	});

	it('the data range matches the raw one', async () => {
		expectSameRows(await db.query<Row>(raw.dataRangeSql()), await db.query<Row>(agg.dataRangeSql()), 'range');
	});

	it('the assessment reads the published indicators and their slices, and they match the raw computation', async () => {
		const region = regionConfig('4401');
		const names = PUBLIC_TABLES.map((t) => t.name);
		const f = yearFilters(2024);
		const cases: [string, Filters, string[]][] = [
			['year', f, ['indicators']],
			['quarter', quarter(2024, 2), ['agg_indicators']],
			['category', { ...f, category: 'health' }, ['agg_indicators', 'indicators']],
			['group', { ...f, group: 'elderly_alone' }, ['agg_indicators', 'indicators']],
			[
				'district + category',
				{ ...f, district, category: 'care_support' },
				['agg_indicators', 'agg_indicators_street', 'indicators', 'ref_streets']
			],
			[
				'district + quarter',
				{ ...quarter(2024, 3), district },
				['agg_indicators', 'agg_indicators_street', 'ref_streets']
			]
		];
		for (const [what, filters, tables] of cases) {
			const published = assessmentSql(region, filters);
			expect(raw.tablesOf(published, names).sort(), what).toEqual([...tables].sort());
			const a = suppressRows(await db.query(published), region.suppression_threshold, region.code);
			const b = suppressRows(
				await db.query(assessmentSql(region, filters, undefined, 'raw')),
				region.suppression_threshold,
				region.code
			);
			expect(
				a.map((r) => `${r.indicator_id}|${r.level}|${r.area_code}|${r.year}`),
				what
			).toEqual(b.map((r) => `${r.indicator_id}|${r.level}|${r.area_code}|${r.year}`));
			let checked = 0;
			for (const [i, r] of a.entries()) {
				// People-based indicators may read volunteer columns withheld after the build computed them.
				if (indicatorDef(r.indicator_id).basis === 'people' || r.suppressed || b[i].suppressed) continue;
				if (r.value === null || b[i].value === null)
					expect(b[i].value, `${what} ${r.indicator_id} ${r.area_code}`).toBe(r.value);
				else expect(r.value, `${what} ${r.indicator_id} ${r.area_code}`).toBeCloseTo(b[i].value!, 9);
				checked++;
			}
			expect(checked, what).toBeGreaterThan(20);
		}
		// Two of quarter / category / group together, a custom month range, or the raw switch compute from the
		// raw tables.
		for (const sql of [
			assessmentSql(region, { ...quarter(2024, 1), category: 'health' }),
			assessmentSql(region, { ...f, category: 'health', group: 'elderly_alone' }),
			assessmentSql(region, months('2024-02', '2024-04')),
			assessmentSql(region, f, undefined, 'raw')
		])
			expect(raw.tablesOf(sql, names)).toContain('activities');
	});

	it('the slices hold each quarter, category and group of every year, and only the indicators they change', async () => {
		const rows = await db.query<{ kind: string; ids: number; years: number; slices: number }>(`
			SELECT CASE WHEN quarter IS NOT NULL THEN 'quarter' WHEN category IS NOT NULL THEN 'category' ELSE 'group' END AS kind,
				count(DISTINCT indicator_id)::INTEGER AS ids, count(DISTINCT year)::INTEGER AS years,
				count(DISTINCT concat(quarter, category, beneficiary_group))::INTEGER AS slices
			FROM (SELECT * FROM agg_indicators UNION ALL SELECT * FROM agg_indicators_street) GROUP BY ALL ORDER BY kind`);
		const years = (
			await db.query<{ n: number }>(
				`SELECT count(*)::INTEGER AS n FROM (SELECT DISTINCT year FROM indicators)`
			)
		)[0].n;
		const changes = (filter: 'category' | 'group') =>
			INDICATORS.filter((d) => d.filters.includes(filter)).length;
		expect(rows).toEqual([
			{ kind: 'category', ids: changes('category'), years, slices: CATEGORIES.length },
			{ kind: 'group', ids: changes('group'), years, slices: BENEFICIARY_GROUPS.length },
			{ kind: 'quarter', ids: INDICATORS.length, years, slices: 4 }
		]);
		const levels = await db.query<{ t: string; level: string }>(
			`SELECT DISTINCT 'city+district' AS t, level FROM agg_indicators UNION ALL SELECT DISTINCT 'street', level FROM agg_indicators_street ORDER BY ALL`
		);
		expect(levels).toEqual([
			{ t: 'city+district', level: 'city' },
			{ t: 'city+district', level: 'district' },
			{ t: 'street', level: 'street' }
		]);
		// No slice row combines two filters.
		const combined = await db.query<{ n: number }>(
			`SELECT count(*)::INTEGER AS n FROM (SELECT * FROM agg_indicators UNION ALL SELECT * FROM agg_indicators_street) WHERE (quarter IS NOT NULL)::INT + (category IS NOT NULL)::INT + (beneficiary_group IS NOT NULL)::INT <> 1`
		);
		expect(combined[0].n).toBe(0);
	});
});
