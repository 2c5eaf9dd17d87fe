/**
 * Indicator SQL checked against an independent plain-TypeScript computation over the same fixture rows, and the
 * DuckDB-WASM engine checked against the native one on the same Arrow bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionConfig } from '../config';
import { publicArrowIPC } from '../db/arrow';
import { createNodeConnector, type NodeConnector } from '../db/server/node';
import { createWasmNodeConnector, type WasmNodeConnector } from '../db/server/wasm-node';
import { BENEFICIARY_GROUPS, CATEGORIES } from '../schema/codes';
import { PUBLIC_TABLES, browserTable, createTableSql } from '../schema/public';
import { FIXTURE, FIXTURE_REGION_CODE } from './fixture';
import { INDICATORS, INDICATOR_IDS, indicatorDef, type IndicatorId } from './registry';
import {
	indicatorRowsSql,
	indicatorSql,
	monthsInPeriod,
	sliceKey,
	splitSliceKey,
	type IndicatorQuery,
	type IndicatorRow,
	type Level
} from './sql';

const region = regionConfig(FIXTURE_REGION_CODE);
type Row = Record<string, unknown>;
const T = FIXTURE as Record<string, Row[]>;

// ---------------------------------------------------------------------------------------------------------
// Independent reference computation (plain loops over the fixture rows; shares nothing with the SQL).
// ---------------------------------------------------------------------------------------------------------

const SPECIAL = new Set([
	'elderly_alone',
	'children_in_difficulty',
	'left_behind',
	'disabled',
	'workers_in_difficulty',
	'low_income',
	'serious_illness',
	'migrant_families'
]);
const s = (x: unknown) => x as string;
const n = (x: unknown) => x as number;
const dayOf = (ts: unknown) => s(ts).slice(0, 10);
const days = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;
const addDays = (a: string, k: number) => new Date(Date.parse(a) + k * 86_400_000).toISOString().slice(0, 10);

const workdays = new Map(T.ref_calendar.map((r) => [s(r.date), r.is_workday as boolean]));
/** Walk forward from the day after `end` and count working days until the 5th. */
function deadlineOf(end: string): string | null {
	let count = 0;
	for (let d = addDays(end, 1); workdays.has(d); d = addDays(d, 1)) {
		if (workdays.get(d) && ++count === 5) return d;
	}
	return null;
}

interface Area {
	level: Level;
	code: string;
	pop: number | null;
	share: number;
}
function areas(): Area[] {
	const cityPop = T.ref_districts.reduce((a, d) => a + n(d.population), 0);
	const comm = (pred: (c: Row) => boolean) => T.ref_communities.filter(pred).length;
	return [
		{ level: 'city', code: FIXTURE_REGION_CODE, pop: cityPop, share: 1 },
		...T.ref_districts.map((d) => ({
			level: 'district' as const,
			code: s(d.district_code),
			pop: n(d.population),
			share: n(d.population) / cityPop
		})),
		...T.ref_streets.map((st) => {
			const d = T.ref_districts.find((x) => x.district_code === st.district_code)!;
			return {
				level: 'street' as const,
				code: s(st.street_code),
				pop: null,
				share:
					(n(d.population) / cityPop) *
					(comm((c) => c.street_code === st.street_code) / comm((c) => c.district_code === st.district_code))
			};
		})
	];
}
const inArea = (a: Area, r: Row) =>
	a.level === 'city' || (a.level === 'district' ? r.district_code === a.code : r.street_code === a.code);

interface Period {
	year: number;
	from: string;
	to: string;
	months: number;
}
const inP = (p: Period, d: unknown) => d !== null && s(d) >= p.from && s(d) <= p.to;

function reference(q: IndicatorQuery, periods: Period[]): IndicatorRow[] {
	const cat = q.category ?? null;
	const grp = q.group ?? null;
	const rows: IndicatorRow[] = [];
	const acts = (p: Period, filtered: boolean) =>
		T.activities.filter((a) => inP(p, dayOf(a.start_at)) && (!filtered || !cat || a.category === cat));
	const actById = new Map(T.activities.map((a) => [a.activity_id, a]));
	/** Confirmed participations in activities in P. */
	const parts = (p: Period, filtered: boolean) => {
		const ids = new Set(acts(p, filtered).map((a) => a.activity_id));
		return T.hours.filter((h) => h.confirmed_on !== null && ids.has(h.activity_id));
	};
	const perVolunteer = (p: Period, filtered: boolean) => {
		const m = new Map<unknown, { hours: number; acts: Set<unknown> }>();
		for (const h of parts(p, filtered)) {
			const e = m.get(h.volunteer_id) ?? { hours: 0, acts: new Set() };
			e.hours += n(h.hours);
			e.acts.add(h.activity_id);
			m.set(h.volunteer_id, e);
		}
		return m;
	};
	const levels = q.level === undefined ? ['city', 'district', 'street'] : [q.level].flat();
	for (const id of INDICATOR_IDS) {
		const def = indicatorDef(id);
		for (const a of areas()) {
			if (!levels.includes(a.level)) continue;
			if (
				q.district &&
				a.level !== 'city' &&
				(a.level === 'district' ? a.code : a.code.slice(0, 6)) !== q.district
			)
				continue;
			if (q.street && a.level === 'street' && a.code !== q.street) continue;
			for (const p of periods) {
				let num: number | null = 0;
				let den: number | null = 0;
				let basis = 0;
				const regBy = T.volunteers.filter((v) => s(v.registered_on) <= p.to && inArea(a, v));
				const cohort = T.volunteers.filter((v) => s(v.registered_on) < p.from && inArea(a, v));
				const all = perVolunteer(p, false);
				const filt = perVolunteer(p, true);
				switch (id) {
					case 'volunteers_per_10k':
						num = basis = regBy.length;
						den = a.pop;
						break;
					case 'active_rate':
						den = basis = regBy.length;
						num = regBy.filter((v) => filt.has(v.volunteer_id)).length;
						break;
					case 'hours_per_1k': {
						const ps = parts(p, true).filter((h) => inArea(a, actById.get(h.activity_id)!));
						num = ps.reduce((x, h) => x + n(h.hours), 0);
						basis = new Set(ps.map((h) => h.volunteer_id)).size;
						den = a.pop;
						break;
					}
					case 'hours_per_active': {
						const active = regBy.filter((v) => filt.has(v.volunteer_id));
						den = basis = active.length;
						num = active.reduce((x, v) => x + filt.get(v.volunteer_id)!.hours, 0);
						break;
					}
					case 'share_meeting_20h':
						den = basis = cohort.length;
						num = cohort.filter((v) => (all.get(v.volunteer_id)?.hours ?? 0) >= 20).length;
						break;
					case 'party_2_services': {
						const c = cohort.filter(
							(v) =>
								v.party_reporting && ['party_member', 'probationary_member'].includes(s(v.political_status))
						);
						den = basis = c.length;
						num = c.filter((v) => (all.get(v.volunteer_id)?.acts.size ?? 0) >= 2).length;
						break;
					}
					case 'activist_40h': {
						const c = cohort.filter((v) =>
							['party_activist', 'probationary_member'].includes(s(v.political_status))
						);
						den = basis = c.length;
						num = c.filter((v) => (all.get(v.volunteer_id)?.hours ?? 0) >= 40).length;
						break;
					}
					case 'community_team_coverage': {
						const cs = T.ref_communities.filter((c) => inArea(a, c));
						den = basis = cs.length;
						const teamsHeld = new Set(acts(p, false).map((x) => x.team_id));
						num = cs.filter((c) =>
							T.teams.some((t) => t.community_code === c.community_code && teamsHeld.has(t.team_id))
						).length;
						break;
					}
					case 'street_station_coverage':
					case 'training_street_coverage': {
						const ss = T.ref_streets.filter((x) => inArea(a, x));
						den = basis = ss.length;
						num = ss.filter((st) =>
							id === 'street_station_coverage'
								? T.stations.some(
										(x) =>
											x.street_code === st.street_code &&
											s(x.opened_on) <= p.to &&
											(x.closed_on === null || s(x.closed_on) > p.to)
									)
								: T.trainings.some((x) => x.street_code === st.street_code && inP(p, x.held_on))
						).length;
						break;
					}
					case 'confirmed_within_5wd': {
						const ps = parts(p, true).filter((h) => inArea(a, actById.get(h.activity_id)!));
						den = basis = ps.length;
						num = ps.filter((h) => {
							const dl = deadlineOf(dayOf(actById.get(h.activity_id)!.end_at));
							return dl !== null && s(h.confirmed_on) <= dl;
						}).length;
						break;
					}
					case 'ledger_complete': {
						const as = acts(p, true).filter((x) => inArea(a, x));
						den = basis = as.length;
						num = as.filter((x) =>
							['time', 'content', 'participation', 'outcome', 'photos', 'evaluation'].every(
								(k) => x[`ledger_${k}`]
							)
						).length;
						break;
					}
					case 'person_times_per_1k':
					case 'vulnerable_share': {
						const ids = new Set(
							acts(p, true)
								.filter((x) => inArea(a, x))
								.map((x) => x.activity_id)
						);
						const bs = T.beneficiaries.filter((b) => ids.has(b.activity_id) && !b.suppressed);
						const sum = (xs: Row[]) => xs.reduce((t, b) => t + n(b.person_times), 0);
						if (id === 'person_times_per_1k') {
							num = basis = sum(bs.filter((b) => !grp || b.beneficiary_group === grp));
							den = a.pop;
						} else {
							den = basis = sum(bs);
							num = sum(bs.filter((b) => SPECIAL.has(s(b.beneficiary_group))));
						}
						break;
					}
					case 'vulnerable_activities_per_month': {
						num = basis = acts(p, true).filter(
							(x) =>
								inArea(a, x) &&
								T.beneficiaries.some(
									(b) =>
										b.activity_id === x.activity_id &&
										SPECIAL.has(s(b.beneficiary_group)) &&
										(!grp || b.beneficiary_group === grp) &&
										(b.suppressed || n(b.person_times) > 0)
								)
						).length;
						den = p.months;
						break;
					}
					case 'wish_fulfilment_rate':
					case 'wish_days_median': {
						const ws = T.micro_wishes.filter(
							(w) =>
								inArea(a, w) &&
								(!cat || w.category === cat) &&
								(!grp || w.beneficiary_group === grp) &&
								inP(p, id === 'wish_fulfilment_rate' ? w.posted_on : w.fulfilled_on)
						);
						den = basis = ws.length;
						if (id === 'wish_fulfilment_rate') {
							num = ws.filter(
								(w) => w.fulfilled_on !== null && days(s(w.posted_on), s(w.fulfilled_on)) <= 30
							).length;
						} else {
							const d = ws.map((w) => days(s(w.posted_on), s(w.fulfilled_on))).sort((x, y) => x - y);
							const m = d.length >> 1;
							num = d.length === 0 ? null : d.length % 2 ? d[m] : (d[m - 1] + d[m]) / 2;
						}
						break;
					}
					case 'activity_rating': {
						const as = acts(p, true).filter((x) => inArea(a, x) && x.rating !== null);
						den = basis = as.length;
						num = as.reduce((t, x) => t + n(x.rating), 0);
						break;
					}
					case 'points_donated_share': {
						const xs = T.points.filter((x) => inArea(a, x) && inP(p, x.occurred_on));
						const sum = (k: string) =>
							xs.filter((x) => x.kind === k).reduce((t, x) => t + Math.abs(n(x.points)), 0);
						num = sum('donate');
						den = sum('earn');
						basis = new Set(xs.filter((x) => x.kind === 'earn').map((x) => x.volunteer_id)).size;
						break;
					}
				}
				const value =
					den === null || !(den > 0) || num === null
						? null
						: def.value.kind === 'median'
							? num
							: (num * def.value.scale) / den;
				const base = (region.targets as Record<string, number>)[id];
				const target =
					base === undefined ? null : id === 'vulnerable_activities_per_month' ? base * a.share : base;
				rows.push({
					indicator_id: id,
					level: a.level,
					area_code: a.code,
					year: p.year,
					numerator: num,
					denominator: den,
					value,
					target,
					basis_count: basis
				});
			}
		}
	}
	const k = (r: IndicatorRow) =>
		[r.indicator_id, r.level, r.area_code, String(r.year).padStart(4, '0')].join('\u0000');
	return rows.sort((x, y) => (k(x) < k(y) ? -1 : k(x) > k(y) ? 1 : 0));
}

/** The other slicing filter than `key`, set to a value the fixture has rows for. */
const other = (key: 'category' | 'group'): Partial<IndicatorQuery> =>
	key === 'category' ? { group: 'elderly_alone' } : { category: 'care_support' };

const yearPeriods = (...ys: number[]): Period[] =>
	ys.map((y) => ({ year: y, from: `${y}-01-01`, to: `${y}-12-31`, months: 12 }));

function expectRowsClose(actual: IndicatorRow[], expected: IndicatorRow[]) {
	expect(actual.map((r) => `${r.indicator_id} ${r.level} ${r.area_code} ${r.year}`)).toEqual(
		expected.map((r) => `${r.indicator_id} ${r.level} ${r.area_code} ${r.year}`)
	);
	actual.forEach((r, i) => {
		const e = expected[i];
		const where = `${r.indicator_id} ${r.level} ${r.area_code} ${r.year}`;
		for (const c of ['numerator', 'denominator', 'value', 'target', 'basis_count'] as const) {
			if (e[c] === null) expect(r[c], `${where} ${c}`).toBeNull();
			else expect(r[c], `${where} ${c}`).toBeCloseTo(e[c] as number, 9);
		}
	});
}

// ---------------------------------------------------------------------------------------------------------

let native: NodeConnector;
let wasm: WasmNodeConnector;

beforeAll(async () => {
	[native, wasm] = await Promise.all([createNodeConnector({ threads: 2 }), createWasmNodeConnector()]);
	// The tables as the browser has them (without the downloads-only columns): the indicator SQL must not need those.
	for (const t of PUBLIC_TABLES.map(browserTable)) {
		const rows = T[t.name];
		if (!rows) continue;
		const ipc = publicArrowIPC(t, rows);
		await native.exec(createTableSql(t));
		await wasm.exec(createTableSql(t));
		await native.loadArrowIPC(t.name, ipc, { mode: 'append' });
		await wasm.insertArrowIPC(t.name, ipc, { create: false });
	}
});

afterAll(async () => {
	await native?.close();
	await wasm?.close();
});

describe('indicator registry', () => {
	it('has exactly the ids of DOMAIN.md §7, each with its SQL, texts and a valid target', () => {
		expect(INDICATORS.map((d) => d.id)).toEqual([...INDICATOR_IDS]);
		expect(new Set(INDICATOR_IDS).size).toBe(19);
		for (const d of INDICATORS) {
			for (const t of [d.name, d.definition, d.formula]) expect(t.zh && t.en, d.id).toBeTruthy();
			if (d.targetKey) {
				expect((region.targets as Record<string, number>)[d.targetKey], d.id).toBeTypeOf('number');
				// composite.ts relies on this: every targeted indicator is higher-is-better.
				expect(d.higherIsBetter, d.id).toBe(true);
			}
		}
		expect(
			Object.keys(region.targets)
				.filter((k) => (INDICATOR_IDS as readonly string[]).includes(k))
				.sort()
		).toEqual(
			INDICATORS.filter((d) => d.targetKey)
				.map((d) => d.id)
				.sort()
		);
	});

	it('rejects bad parameters with clear errors', () => {
		expect(() => indicatorRowsSql({ region, category: 'x; DROP TABLE volunteers' })).toThrow(/category/);
		expect(() => indicatorRowsSql({ region, district: "44'01" })).toThrow(/district/);
		expect(() => indicatorRowsSql({ region, from: '2024-02-30', to: '2024-03-01' })).toThrow(/from/);
		expect(() => indicatorRowsSql({ region, from: '2024-03-01' })).toThrow(/both/);
		expect(() => indicatorRowsSql({ region, from: '2024-03-02', to: '2024-03-01' })).toThrow(/after/);
		expect(() => indicatorRowsSql({ region, ids: ['nope' as IndicatorId] })).toThrow(/unknown indicator/);
	});

	it('counts months in a period by days', () => {
		expect(monthsInPeriod('2024-01-01', '2024-12-31')).toBeCloseTo(12, 12);
		expect(monthsInPeriod('2024-02-01', '2024-02-29')).toBeCloseTo(1, 12);
		expect(monthsInPeriod('2024-02-15', '2024-03-15')).toBeCloseTo(15 / 29 + 15 / 31, 12);
	});
});

describe('indicator SQL (native) equals an independent computation', () => {
	const cases: [string, IndicatorQuery, Period[]][] = [
		['years 2023–2025, all levels', { region, years: [2023, 2024, 2025] }, yearPeriods(2023, 2024, 2025)],
		['default periods (years with activities)', { region }, yearPeriods(2023, 2024, 2025)],
		[
			'category care_support, group disabled',
			{ region, years: [2024], category: 'care_support', group: 'disabled' },
			yearPeriods(2024)
		],
		[
			'category health, group general',
			{ region, years: [2024], category: 'health', group: 'general' },
			yearPeriods(2024)
		],
		[
			'custom range, district filter, two levels',
			{ region, from: '2024-02-01', to: '2024-10-10', district: '440101', level: ['district', 'street'] },
			[
				{
					year: 2024,
					from: '2024-02-01',
					to: '2024-10-10',
					months: monthsInPeriod('2024-02-01', '2024-10-10')
				}
			]
		],
		[
			'street filter, street level',
			{ region, years: [2024], street: '440102001', level: 'street' },
			yearPeriods(2024)
		]
	];
	for (const [name, q, periods] of cases) {
		it(name, async () => {
			const rows = await native.query<IndicatorRow>(indicatorRowsSql(q));
			expect(rows.length).toBeGreaterThan(0);
			expectRowsClose(rows, reference(q, periods));
		});
	}

	it('party_2_services counts distinct activities: two participations in one activity are one service', async () => {
		// V9: a reporting party member like V1, registered before 2024, with two confirmed participations in A1.
		const v1 = T.volunteers.find((v) => v.volunteer_id === 'V1')!;
		const v9 = { ...v1, volunteer_id: 'V9' };
		const a1 = T.hours.find((h) => h.activity_id === 'A1' && h.volunteer_id === 'V1')!;
		const twice = [1, 2].map((k) => ({ ...a1, participation_id: `P9-${k}`, volunteer_id: 'V9' }));
		const db = await createNodeConnector({ threads: 1 });
		try {
			for (const t of PUBLIC_TABLES.map(browserTable)) {
				const rows =
					t.name === 'volunteers'
						? [...T.volunteers, v9]
						: t.name === 'hours'
							? [...T.hours, ...twice]
							: T[t.name];
				if (!rows) continue;
				await db.exec(createTableSql(t));
				await db.loadArrowIPC(t.name, publicArrowIPC(t, rows), { mode: 'append' });
			}
			const city = async (rules: object) =>
				(
					await db.query<IndicatorRow>(
						indicatorRowsSql({
							region: { ...region, rules: { ...region.rules, ...rules } },
							years: [2024],
							level: 'city',
							ids: ['party_2_services']
						})
					)
				)[0];
			// Reporting members before 2024: V1 (A1, A6), V4 (A1, A2, A3, A6, A4), V9 (A1 twice).
			expect(await city({})).toMatchObject({ numerator: 2, denominator: 3 });
			// With a minimum of 3 (counted in full, not capped at 2): V4 alone.
			expect(await city({ party_min_services: 3 })).toMatchObject({ numerator: 1, denominator: 3 });
		} finally {
			await db.close();
		}
	});

	it('spot checks of the edge cases (hand-computed)', async () => {
		const rows = await native.query<IndicatorRow>(indicatorRowsSql({ region, years: [2024] }));
		const get = (id: string, level: string, code: string) =>
			rows.find((r) => r.indicator_id === id && r.level === level && r.area_code === code)!;
		// 12 confirmed participations in 2024 activities (A4-V3 unconfirmed, A5 is 2023); 3 are late (see fixture).
		expect(get('confirmed_within_5wd', 'city', '4401')).toMatchObject({ numerator: 9, denominator: 12 });
		// Per street of the activity: S12 (A2: V2 on time, V3 late, V4 on time).
		expect(get('confirmed_within_5wd', 'street', '440101002')).toMatchObject({
			numerator: 2,
			denominator: 3
		});
		// V3 (24 h) and V4 (40 h) reach 20 h; cohort registered before 2024: V1, V3, V4, V7, V8.
		expect(get('share_meeting_20h', 'city', '4401')).toMatchObject({ numerator: 2, denominator: 5 });
		expect(get('activist_40h', 'city', '4401')).toMatchObject({ numerator: 1, denominator: 2 });
		expect(get('party_2_services', 'city', '4401')).toMatchObject({ numerator: 2, denominator: 2 });
		// S12: ST2 closed 11-30, ST5 closed on 12-31; S21: ST3 opened 12-31.
		expect(get('street_station_coverage', 'street', '440101002').value).toBe(0);
		expect(get('street_station_coverage', 'street', '440102001').value).toBe(1);
		// Wishes posted in 2024: W1 (day 30) in, W2 (day 31) out, W3 (16 d) in, W4 never, W6 (0 d) in.
		expect(get('wish_fulfilment_rate', 'city', '4401')).toMatchObject({ numerator: 3, denominator: 5 });
		// Fulfilled in 2024: 0, 10, 30, 31 days → median 20.
		expect(get('wish_days_median', 'city', '4401')).toMatchObject({
			numerator: 20,
			denominator: 4,
			value: 20
		});
		// Special-group activities: A1, A2 (withheld), A3, A6 (withheld only); A3's zero low_income row alone would not count.
		expect(get('vulnerable_activities_per_month', 'city', '4401').numerator).toBe(4);
		expect(get('vulnerable_activities_per_month', 'district', '440102').target).toBeCloseTo(100 / 3, 9);
		// C111 (T1 active), C121 (T3), C211 (T4) of 6 communities; C112's team T2 held nothing, C212's only in 2023.
		expect(get('community_team_coverage', 'city', '4401')).toMatchObject({ numerator: 3, denominator: 6 });
		expect(get('hours_per_1k', 'street', '440101001').value).toBeNull();
	});

	it('the four quarters of a year in one statement equal each quarter as its own period', async () => {
		const together = await native.query<IndicatorRow>(indicatorRowsSql({ region, quartersOf: 2024 }));
		expect(new Set(together.map((r) => r.year))).toEqual(new Set([20241, 20242, 20243, 20244]));
		let compared = 0;
		for (const k of [1, 2, 3, 4]) {
			const from = `2024-${String(k * 3 - 2).padStart(2, '0')}-01`;
			const to = new Date(Date.UTC(2024, k * 3, 0)).toISOString().slice(0, 10);
			const alone = await native.query<IndicatorRow>(indicatorRowsSql({ region, from, to }));
			const mine = together.filter((r) => r.year === 20240 + k).map((r) => ({ ...r, year: 2024 }));
			expectRowsClose(mine, alone);
			compared += alone.filter((r) => r.value !== null).length;
		}
		expect(compared).toBeGreaterThan(50);
		expect(() => indicatorRowsSql({ region, quartersOf: 2024, years: [2024] })).toThrow(/quartersOf/);
	});

	// Every category (group) in one statement equals the statement for that category (group) alone, including
	// the categories with no activity in an area or year (zero numerators over the registered volunteers).
	const slicings = [
		['category', 'allCategories', CATEGORIES],
		['group', 'allGroups', BENEFICIARY_GROUPS]
	] as const;
	for (const [key, all, codes] of slicings) {
		const periodSets: [string, Omit<IndicatorQuery, 'region'>][] = [
			['years 2023–2025', { years: [2023, 2024, 2025] }],
			['a custom range, two levels', { from: '2024-02-01', to: '2024-10-10', level: ['city', 'street'] }],
			['the quarters of 2024', { quartersOf: 2024 }],
			[`with a ${key === 'category' ? 'group' : 'category'} filter`, { years: [2024], ...other(key) }]
		];
		for (const [name, p] of periodSets)
			it(`every ${key} in one statement equals each ${key} alone: ${name}`, async () => {
				const ids = INDICATORS.filter((d) => d.filters.includes(key)).map((d) => d.id);
				const together = await native.query<IndicatorRow>(indicatorRowsSql({ region, ...p, [all]: true }));
				expect(new Set(together.map((r) => r.indicator_id))).toEqual(new Set(ids));
				let compared = 0;
				for (const [i, c] of codes.entries()) {
					const alone = await native.query<IndicatorRow>(
						indicatorRowsSql({ region, ...p, [key]: c.code, ids })
					);
					const mine = together
						.filter((r) => splitSliceKey(r.year).index === i)
						.map((r) => ({ ...r, year: splitSliceKey(r.year).period }));
					expect(mine.length, c.code).toBe(alone.length);
					expectRowsClose(mine, alone);
					compared += alone.filter((r) => r.value !== null).length;
				}
				expect(together.length).toBe(together.filter((r) => splitSliceKey(r.year).index >= 0).length);
				expect(compared).toBeGreaterThan(20);
			});
	}

	it('every category / group in one statement: the values that prove the slicing', async () => {
		const rows = await native.query<IndicatorRow>(
			indicatorRowsSql({ region, years: [2024], allCategories: true, ids: ['active_rate'] })
		);
		const k = (code: string) => sliceKey(2024, CATEGORIES.findIndex((c) => c.code === code) + 1);
		const get = (code: string) => rows.find((r) => r.level === 'city' && r.year === k(code))!;
		// Registered by the end of 2024: V1–V5, V7, V8 (7). Active in health: V1, V3, V4; in legal aid nobody.
		expect(get('health')).toMatchObject({ numerator: 3, denominator: 7, basis_count: 7 });
		expect(get('legal_aid')).toMatchObject({ numerator: 0, denominator: 7, value: 0 });
		expect(() => indicatorRowsSql({ region, allCategories: true, ids: ['share_meeting_20h'] })).toThrow(
			/share_meeting_20h/
		);
		expect(() => indicatorRowsSql({ region, allGroups: true, group: 'disabled' })).toThrow(/allGroups/);
		expect(() => indicatorRowsSql({ region, allGroups: true, allCategories: true })).toThrow(/not both/);
	});

	it('per-indicator SQL returns the same rows as the full statement', async () => {
		const q = { region, years: [2024] };
		const all = await native.query<IndicatorRow>(indicatorRowsSql(q));
		for (const id of ['confirmed_within_5wd', 'wish_days_median'] as const) {
			expect(await native.query<IndicatorRow>(indicatorSql(id, q))).toEqual(
				all.filter((r) => r.indicator_id === id)
			);
		}
	});
});

describe('DuckDB-WASM returns the same rows as native', () => {
	for (const q of [
		{ region, years: [2023, 2024, 2025] },
		{ region, from: '2024-02-01', to: '2024-10-10', category: 'care_support', group: 'disabled' }
	] as IndicatorQuery[]) {
		it(JSON.stringify({ ...q, region: q.region.code }), async () => {
			const sql = indicatorRowsSql(q);
			const [a, b] = await Promise.all([native.query(sql), wasm.query(sql)]);
			expect(a.length).toBeGreaterThan(50);
			expect(b).toEqual(a);
		});
	}

	it('decodes every public column type identically', async () => {
		for (const t of ['activities', 'hours', 'ref_calendar', 'volunteers', 'beneficiaries']) {
			const sql = `SELECT * FROM ${t} ORDER BY ALL`;
			expect(await wasm.query(sql), t).toEqual(await native.query(sql));
		}
	});
});
