/**
 * One SQL statement computing the indicators of `registry.ts` for the release build (native), the prerender,
 * the browser (DuckDB-WASM) and the tests. The rows have the shape of the public `indicators` table (minus
 * `suppressed`, which the release adds from `basis_count`) plus `basis_count`.
 *
 * Periods: `years` → one row per calendar year; `from`/`to` → one custom period whose `year` is the calendar
 * year of `to`; neither → every calendar year in which an activity started. Months in a period count partial
 * months by days (a calendar year is exactly 12).
 */
import { BENEFICIARY_GROUPS, CATEGORIES } from '../schema/codes';
import type { RegionConfig } from '../config';
import {
	INDICATORS,
	SPECIAL_GROUPS_SQL,
	cityTarget,
	indicatorDef,
	type IndicatorDef,
	type IndicatorId,
	type SqlContext
} from './registry';

export type Level = 'city' | 'district' | 'street';
export const LEVELS: readonly Level[] = ['city', 'district', 'street'];

export interface IndicatorQuery {
	region: RegionConfig;
	/** One level or several; default all three. */
	level?: Level | readonly Level[];
	/** Calendar years. */
	years?: readonly number[];
	/** The four quarters of this calendar year, in one statement (for the release build's slices): each row's
	 * `year` is then year × 10 + quarter. Not together with `years` or `from`/`to`. */
	quartersOf?: number;
	/** Custom period, inclusive ISO dates (both or neither; not together with `years`). */
	from?: string;
	to?: string;
	/** Area filters: only choose which rows come back (district: district and street rows inside it;
	 * street: street rows). The city row is never filtered. Values are not changed. */
	district?: string;
	street?: string;
	/** Service category code (CATEGORIES); applies to indicators whose `filters` include 'category'. */
	category?: string;
	/** Beneficiary group code (BENEFICIARY_GROUPS); applies to indicators whose `filters` include 'group'. */
	group?: string;
	/** Every service category in one statement (for the release build's slices): each row's `year` is then
	 * period × 100 + k, k = 1 + the category's index in CATEGORIES (see `sliceKey`), with the values the query
	 * with `category` set to it would give. Only the indicators whose `filters` include 'category' (the
	 * default `ids`). Not together with `category` or `allGroups`. */
	allCategories?: boolean;
	/** Likewise every beneficiary group (BENEFICIARY_GROUPS, indicators filtered by 'group'). Not together
	 * with `group` or `allCategories`. */
	allGroups?: boolean;
	/** Only these indicators (default: all). */
	ids?: readonly IndicatorId[];
}

/** One result row (decoded by the Connector). */
export interface IndicatorRow {
	indicator_id: IndicatorId;
	level: Level;
	area_code: string;
	year: number;
	numerator: number | null;
	denominator: number | null;
	value: number | null;
	target: number | null;
	/** People / events / places (see the indicator's `basis`) the value rests on. */
	basis_count: number;
}

export interface Period {
	year: number;
	from: string;
	to: string;
	months: number;
}

/** The `year` of a row of slice `k` (1-based index in CATEGORIES or BENEFICIARY_GROUPS) of period key
 * `period` with `allCategories` / `allGroups`. */
export const sliceKey = (period: number, k: number) => period * 100 + k;
/** Inverse of `sliceKey`: the period key and the slice's 0-based index in its code list. */
export const splitSliceKey = (key: number) => ({ period: Math.floor(key / 100), index: (key % 100) - 1 });

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CODE = /^[0-9]{2,12}$/;

function parseDate(s: string, what: string): Date {
	const m = ISO_DATE.exec(s);
	const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
	if (!m || !d || d.toISOString().slice(0, 10) !== s)
		throw new Error(`indicator query: ${what} must be a valid date YYYY-MM-DD, got ${JSON.stringify(s)}`);
	return d;
}

/** Months in [from, to]: each calendar month contributes (its days inside the range ÷ its length). */
export function monthsInPeriod(from: string, to: string): number {
	const a = parseDate(from, 'from');
	const b = parseDate(to, 'to');
	let months = 0;
	// Walk the calendar months touching the range; Date.UTC normalises month 12 to January of the next year.
	for (let i = 0; ; i++) {
		const first = Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + i, 1);
		if (first > b.getTime()) break;
		const last = Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + i + 1, 0);
		const length = (last - first) / 86_400_000 + 1;
		const inside = (Math.min(last, b.getTime()) - Math.max(first, a.getTime())) / 86_400_000 + 1;
		months += inside / length;
	}
	return months;
}

/** The periods of a query, or null when they come from the data (all years with activities). */
export function periodsOf(q: Pick<IndicatorQuery, 'years' | 'from' | 'to' | 'quartersOf'>): Period[] | null {
	if ((q.from === undefined) !== (q.to === undefined))
		throw new Error('indicator query: give both `from` and `to`, or neither');
	if (q.quartersOf !== undefined) {
		const y = q.quartersOf;
		if (q.from !== undefined || q.years?.length)
			throw new Error('indicator query: give `quartersOf` alone, without `years` or `from`/`to`');
		if (!Number.isInteger(y) || y < 1900 || y > 2999) throw new Error(`indicator query: bad year ${y}`);
		return [1, 2, 3, 4].map((k) => ({
			year: y * 10 + k,
			from: `${y}-${String(k * 3 - 2).padStart(2, '0')}-01`,
			to: new Date(Date.UTC(y, k * 3, 0)).toISOString().slice(0, 10),
			months: 3
		}));
	}
	if (q.from !== undefined && q.to !== undefined) {
		if (q.years?.length) throw new Error('indicator query: give either `years` or `from`/`to`, not both');
		if (parseDate(q.from, 'from') > parseDate(q.to, 'to'))
			throw new Error(`indicator query: from ${q.from} is after to ${q.to}`);
		return [{ year: +q.to.slice(0, 4), from: q.from, to: q.to, months: monthsInPeriod(q.from, q.to) }];
	}
	if (!q.years?.length) return null;
	return [...new Set(q.years)].map((y) => {
		if (!Number.isInteger(y) || y < 1900 || y > 2999) throw new Error(`indicator query: bad year ${y}`);
		return { year: y, from: `${y}-01-01`, to: `${y}-12-31`, months: 12 };
	});
}

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

function checkCode(value: string | undefined, what: string, allowed?: readonly string[]): string | null {
	if (value === undefined || value === '') return null;
	if (allowed ? !allowed.includes(value) : !CODE.test(value))
		throw new Error(
			`indicator query: ${what} ${JSON.stringify(value)} is not valid` +
				(allowed ? `; expected one of ${allowed.join(', ')}` : '')
		);
	return lit(value);
}

const num = (x: number) => (Number.isFinite(x) ? String(x) : 'NULL');

function targetSql(def: IndicatorDef, region: RegionConfig): string {
	const t = cityTarget(def, region);
	if (t === null) return 'CAST(NULL AS DOUBLE)';
	return def.targetScope === 'pro_rata'
		? `CAST(${num(t)} AS DOUBLE) * ap.target_share`
		: `CAST(${num(t)} AS DOUBLE)`;
}

/** One indicator's rows for every area and period: its aggregate built once per level (UNION ALL). */
function indicatorBlock(def: IndicatorDef, contexts: readonly SqlContext[]): string {
	const ctx = contexts[0];
	const numerator =
		def.value.kind === 'median' ? 'CAST(x.num AS DOUBLE)' : 'CAST(COALESCE(x.num, 0) AS DOUBLE)';
	const denominator =
		def.denominator === 'population'
			? 'ap.population'
			: def.denominator === 'months'
				? 'ap.months'
				: 'CAST(COALESCE(x.den, 0) AS DOUBLE)';
	const value =
		def.value.kind === 'median'
			? 'CASE WHEN denominator > 0 THEN numerator END'
			: `CASE WHEN denominator > 0 THEN numerator * ${def.value.scale} / denominator END`;
	return `
	SELECT indicator_id, level, area_code, year, numerator, denominator, ${value} AS value, target, basis_count
	FROM (
		SELECT '${def.id}' AS indicator_id, ap.level, ap.area_code, ap.year,
			${numerator} AS numerator,
			${denominator} AS denominator,
			${targetSql(def, ctx.region)} AS target,
			CAST(COALESCE(x.basis, 0) AS BIGINT) AS basis_count
		FROM area_periods ap
		LEFT JOIN (${contexts.map((c) => def.aggregate(c)).join('\n\t\tUNION ALL')}
		) x ON x.level = ap.level AND x.area_code = ap.area_code AND x.year = ap.year
	)`;
}

/** The full statement: rows (indicator_id, level, area_code, year, numerator, denominator, value, target,
 * basis_count) ORDER BY indicator_id, level, area_code, year. */
export function indicatorRowsSql(q: IndicatorQuery): string {
	const region = q.region;
	if (!CODE.test(region.code)) throw new Error(`indicator query: bad region code ${region.code}`);
	const levels = q.level === undefined ? LEVELS : typeof q.level === 'string' ? [q.level] : q.level;
	for (const l of levels)
		if (!LEVELS.includes(l)) throw new Error(`indicator query: unknown level ${JSON.stringify(l)}`);
	if (!levels.length) throw new Error('indicator query: no level');
	const sliceBy = q.allCategories ? 'category' : q.allGroups ? 'group' : null;
	if (q.allCategories && q.allGroups)
		throw new Error('indicator query: give `allCategories` or `allGroups`, not both');
	if ((q.allCategories && q.category) || (q.allGroups && q.group))
		throw new Error(
			`indicator query: give \`all${q.allGroups ? 'Groups' : 'Categories'}\` or \`${sliceBy}\`, not both`
		);
	const defs = q.ids
		? [...new Set(q.ids)].map((id) => indicatorDef(id))
		: sliceBy
			? INDICATORS.filter((d) => d.filters.includes(sliceBy))
			: INDICATORS;
	if (sliceBy)
		for (const d of defs)
			if (!d.filters.includes(sliceBy))
				throw new Error(
					`indicator query: ${d.id} does not depend on the ${sliceBy}; all${sliceBy === 'group' ? 'Groups' : 'Categories'} takes only indicators whose filters include '${sliceBy}'`
				);
	const sliceCodes: readonly string[] =
		sliceBy === 'category'
			? CATEGORIES.map((c) => c.code)
			: sliceBy === 'group'
				? BENEFICIARY_GROUPS.map((g) => g.code)
				: [];
	const district = checkCode(q.district, 'district');
	const street = checkCode(q.street, 'street');
	const category = checkCode(
		q.category,
		'category',
		CATEGORIES.map((c) => c.code)
	);
	const group = checkCode(
		q.group,
		'group',
		BENEFICIARY_GROUPS.map((g) => g.code)
	);
	const periods = periodsOf(q);
	const regionCode = lit(region.code);
	// Services are only compared with the rule's minimum (registry.ts, party_2_services). Up to 2, whether a
	// volunteer reaches it shows in the smallest and largest activity id, so no distinct count (a hash set per
	// volunteer and period) is needed: the 8-year statement 19.2 → 17.5 s at 10 M participations. `services` is
	// then the count capped at 2, which compares with the minimum exactly as the full count does.
	const minServices = Number(region.rules.party_min_services);
	const servicesCapped = minServices <= 2;
	const servicesSql = servicesCapped
		? 'CASE WHEN MIN(activity_id) = MAX(activity_id) THEN 1 ELSE 2 END'
		: 'COUNT(DISTINCT activity_id)';

	// Calendar years and quarters are found by an equality on the period key; a custom period needs a range.
	// `periodCol` names the period key of `pr`: `periods.year`, or with a slice dimension (allCategories /
	// allGroups) `periods.base_year`, `periods` then holding one row per period and slice.
	const inPeriodOn = (periodCol: string) => (date: string) =>
		q.quartersOf !== undefined
			? `${periodCol} = CAST(year(${date}) * 10 + quarter(${date}) AS INTEGER)`
			: q.from === undefined
				? `${periodCol} = CAST(year(${date}) AS INTEGER)`
				: `CAST(${date} AS DATE) BETWEEN pr.p_from AND pr.p_to`;
	const inPeriod = inPeriodOn('pr.year');
	const inBasePeriod = inPeriodOn(sliceBy ? 'pr.base_year' : 'pr.year');
	/** Join condition putting a row in its period (and, with a slice dimension, in the slice of its own code). */
	const inSlice = (date: string, code: string) =>
		sliceBy ? `${inBasePeriod(date)} AND pr.slice = ${code}` : inPeriod(date);
	const sliceCase = (code: string) =>
		`CASE ${code} ${sliceCodes.map((c, i) => `WHEN ${lit(c)} THEN ${i + 1}`).join(' ')} END`;
	const contextFor = (level: Level): SqlContext => ({
		region,
		level,
		areaCols: (a) =>
			`'${level}' AS level, ${level === 'city' ? regionCode : level === 'district' ? `${a}.district_code` : `${a}.street_code`} AS area_code`,
		inPeriod: sliceBy
			? () => {
					throw new Error(
						`indicator query: inPeriod is not available with all${sliceBy === 'group' ? 'Groups' : 'Categories'}`
					);
				}
			: inPeriod,
		specialGroups: SPECIAL_GROUPS_SQL,
		group,
		...(sliceBy === 'group'
			? { groupYear: (year: string, g: string) => `CAST(${year} * 100 + ${sliceCase(g)} AS INTEGER)` }
			: {})
	});

	const periodsSql = periods
		? `SELECT * FROM (VALUES ${periods
				.map((p) => `(${p.year}, DATE '${p.from}', DATE '${p.to}', ${num(p.months)})`)
				.join(', ')}) AS t(year, p_from, p_to, months)`
		: `SELECT CAST(y AS INTEGER) AS year, make_date(y, 1, 1) AS p_from, make_date(y, 12, 31) AS p_to, 12 AS months
		FROM (SELECT DISTINCT CAST(year(start_at) AS BIGINT) AS y FROM activities)`;

	const areaFilter = [
		district ? `(level = 'city' OR district_code = ${district})` : '',
		street ? `(level <> 'street' OR area_code = ${street})` : ''
	]
		.filter(Boolean)
		.join(' AND ');

	const wishFilter = [category && `w.category = ${category}`, group && `w.beneficiary_group = ${group}`]
		.filter(Boolean)
		.map((s) => ` AND ${s}`)
		.join('');
	const wishSlice = sliceBy === 'category' ? 'w.category' : 'w.beneficiary_group';
	// Participations restricted to categories: one category, or every category (each row in its own slice).
	// (With every group, no indicator reads the volunteer CTEs, and their keys would not be the slices'.)
	const byCategory = category !== null || sliceBy === 'category';
	const volunteerCtes = sliceBy !== 'group';

	return `WITH
	levels AS (SELECT * FROM (VALUES ${levels.map((l) => `('${l}')`).join(', ')}) AS t(level)),
	base_periods AS (
		SELECT CAST(year AS INTEGER) AS year, CAST(p_from AS DATE) AS p_from, CAST(p_to AS DATE) AS p_to,
			CAST(months AS DOUBLE) AS months
		FROM (${periodsSql})
	),
	-- The keys rows are grouped by (year): the periods, or with a slice dimension one key per period and slice
	-- (sliceKey(base_year, k)) and the slice's code.
	periods AS (${
		sliceBy
			? `
		SELECT CAST(p.year * 100 + s.k AS INTEGER) AS year, p.year AS base_year, s.slice, p.p_from, p.p_to, p.months
		FROM base_periods p
		CROSS JOIN (VALUES ${sliceCodes.map((c, i) => `(${i + 1}, ${lit(c)})`).join(', ')}) AS s(k, slice)
	`
			: 'SELECT year, year AS base_year, CAST(NULL AS VARCHAR) AS slice, p_from, p_to, months FROM base_periods'
	}),
	city_pop AS (SELECT CAST(SUM(population) AS DOUBLE) AS pop FROM ref_districts),
	community_counts AS (
		SELECT street_code, district_code, COUNT(*) AS n FROM ref_communities GROUP BY street_code, district_code
	),
	all_areas AS (
		SELECT 'city' AS level, ${regionCode} AS area_code, CAST(NULL AS VARCHAR) AS district_code,
			cp.pop AS population, CAST(1 AS DOUBLE) AS target_share
		FROM city_pop cp
		UNION ALL
		SELECT 'district', d.district_code, d.district_code, CAST(d.population AS DOUBLE), d.population / cp.pop
		FROM ref_districts d CROSS JOIN city_pop cp
		UNION ALL
		SELECT 'street', s.street_code, s.district_code, CAST(NULL AS DOUBLE),
			d.population / cp.pop * CAST(COALESCE(cs.n, 0) AS DOUBLE)
				/ NULLIF(CAST((SELECT SUM(n) FROM community_counts cd WHERE cd.district_code = s.district_code) AS DOUBLE), 0)
		FROM ref_streets s
		JOIN ref_districts d ON d.district_code = s.district_code
		CROSS JOIN city_pop cp
		LEFT JOIN (SELECT street_code, SUM(n) AS n FROM community_counts GROUP BY street_code) cs
			ON cs.street_code = s.street_code
	),
	areas AS (
		SELECT * FROM all_areas WHERE level IN (SELECT level FROM levels)${areaFilter ? ` AND ${areaFilter}` : ''}
	),
	area_periods AS (SELECT a.*, p.* FROM areas a CROSS JOIN periods p),
	-- Activities in their period (all categories: in the slice of their category; all groups: per base period,
	-- the aggregates key their rows by beneficiary group with ctx.groupYear).
	acts AS (
		SELECT a.activity_id, a.team_id, a.category, a.district_code, a.street_code, a.community_code,
			CAST(a.start_at AS DATE) AS act_date, CAST(a.end_at AS DATE) AS end_date,
			a.ledger_time, a.ledger_content, a.ledger_participation, a.ledger_outcome, a.ledger_photos,
			a.ledger_evaluation, CAST(a.rating AS DOUBLE) AS rating, pr.year
		FROM activities a ${
			sliceBy === 'category'
				? `JOIN periods pr ON ${inSlice('a.start_at', 'a.category')}`
				: sliceBy === 'group'
					? `JOIN base_periods pr ON ${inPeriod('a.start_at')}`
					: `JOIN periods pr ON ${inPeriod('a.start_at')}`
		}
	),
	acts_f AS (SELECT * FROM acts${category ? ` WHERE category = ${category}` : ''}),
	parts AS NOT MATERIALIZED (
		SELECT h.volunteer_id, CAST(h."hours" AS DOUBLE) AS hrs, h.confirmed_on,
			a.activity_id, a.category, a.district_code, a.street_code, a.end_date, a.year
		FROM "hours" h JOIN acts a ON a.activity_id = h.activity_id
		WHERE h.confirmed_on IS NOT NULL
	),
	-- Unfiltered, the join is cheaper to repeat than to hold in memory (tens of millions of rows); one category's
	-- share is small enough to compute once. Every category: the columns its readers need, once (measured at
	-- 10 M participations: a fifth less time than repeating the join for each of its seven readers).
	parts_f AS ${
		category
			? `MATERIALIZED (SELECT * FROM parts WHERE category = ${category})`
			: sliceBy === 'category'
				? 'MATERIALIZED (SELECT volunteer_id, hrs, confirmed_on, end_date, district_code, street_code, year FROM parts)'
				: 'NOT MATERIALIZED (SELECT * FROM parts)'
	},
${
	!volunteerCtes
		? ''
		: `
	-- Registered volunteers counted per place of registration, cohort (political status, party reporting) and
	-- period: those registered by its end (n_end) and before its start (n_before); no row per volunteer and period.
	vol_registered AS MATERIALIZED (
		SELECT v.district_code, v.street_code, v.political_status, v.party_reporting, pr.year,
			COUNT(*) AS n_end, COUNT(*) FILTER (WHERE v.registered_on < pr.p_from) AS n_before
		FROM volunteers v JOIN base_periods pr ON v.registered_on <= pr.p_to
		GROUP BY ALL
	),`
}${
		sliceBy
			? ''
			: `
	-- Per volunteer and period: confirmed hours and services (distinct activities) in P${servicesCapped ? ', counted up to 2' : ''}.
	vol_totals AS MATERIALIZED (
		SELECT volunteer_id, year, SUM(hrs) AS total_hours, ${servicesSql} AS services
		FROM parts GROUP BY volunteer_id, year
	),
	-- The active volunteers (registered by the end of P) one row each with their totals.
	vol_active AS MATERIALIZED (
		SELECT v.district_code, v.street_code, v.political_status, v.party_reporting, t.year,
			v.registered_on < pr.p_from AS before_start, t.total_hours, t.services
		FROM vol_totals t
		JOIN base_periods pr ON pr.year = t.year
		JOIN volunteers v ON v.volunteer_id = t.volunteer_id AND v.registered_on <= pr.p_to
	),
	-- Registered volunteers in P (shared by every level and indicator): the active ones one row each (n = 1), the
	-- inactive ones counted (n) per place, cohort and whether they registered before P starts.
	vol_year AS (
		SELECT district_code, street_code, political_status, party_reporting, year, before_start, TRUE AS active,
			total_hours, services, 1 AS n
		FROM vol_active
		UNION ALL
		SELECT r.district_code, r.street_code, r.political_status, r.party_reporting, r.year, s.before_start, FALSE,
			CAST(NULL AS DOUBLE), CAST(NULL AS BIGINT),
			(CASE WHEN s.before_start THEN r.n_before ELSE r.n_end - r.n_before END) - COALESCE(x.n, 0)
		FROM vol_registered r
		CROSS JOIN (VALUES (TRUE), (FALSE)) AS s(before_start)
		LEFT JOIN (SELECT district_code, street_code, political_status, party_reporting, year, before_start,
				COUNT(*) AS n
			FROM vol_active GROUP BY ALL) x
			ON x.year = r.year AND x.before_start = s.before_start
				AND x.district_code IS NOT DISTINCT FROM r.district_code AND x.street_code IS NOT DISTINCT FROM r.street_code
				AND x.political_status IS NOT DISTINCT FROM r.political_status
				AND x.party_reporting IS NOT DISTINCT FROM r.party_reporting
	),`
	}${
		!volunteerCtes
			? ''
			: byCategory
				? `
	-- Within the category (or each category's slice): active volunteers one row each, the inactive ones counted
	-- (n) per place of registration and period, so the registered volunteers are not repeated for every slice.
	vol_totals_f AS MATERIALIZED (
		SELECT volunteer_id, year, SUM(hrs) AS total_hours FROM parts_f GROUP BY volunteer_id, year
	),
	vol_active_f AS MATERIALIZED (
		SELECT v.district_code, v.street_code, t.year, TRUE AS active, t.total_hours, 1 AS n
		FROM vol_totals_f t
		JOIN periods pr ON pr.year = t.year
		JOIN volunteers v ON v.volunteer_id = t.volunteer_id AND v.registered_on <= pr.p_to
	),
	vol_year_f AS (
		SELECT * FROM vol_active_f
		UNION ALL
		SELECT r.district_code, r.street_code, pr.year, FALSE, CAST(NULL AS DOUBLE), r.n - COALESCE(x.n, 0)
		FROM (SELECT district_code, street_code, year, SUM(n_end) AS n FROM vol_registered GROUP BY ALL) r
		JOIN periods pr ON pr.base_year = r.year
		LEFT JOIN (SELECT district_code, street_code, year, COUNT(*) AS n FROM vol_active_f GROUP BY ALL) x
			ON x.year = pr.year AND x.district_code IS NOT DISTINCT FROM r.district_code
				AND x.street_code IS NOT DISTINCT FROM r.street_code
	),`
				: `
	vol_totals_f AS (SELECT * FROM vol_totals),
	vol_year_f AS (SELECT * FROM vol_year),`
	}
	deadlines AS (
		SELECT c."date" AS end_date, d."date" AS deadline
		FROM ref_calendar c
		LEFT JOIN ref_calendar d ON d.is_workday AND d.workday_index = c.workday_index + ${Number(region.confirmation_working_days)}
	),
	wishes_posted AS (
		SELECT w.*, pr.year FROM micro_wishes w
		JOIN periods pr ON ${inSlice('w.posted_on', wishSlice)}${wishFilter}
	),
	wishes_fulfilled AS (
		SELECT w.*, pr.year FROM micro_wishes w
		JOIN periods pr ON ${inSlice('w.fulfilled_on', wishSlice)}${wishFilter}
	)
SELECT indicator_id, level, area_code, year, numerator, denominator, value, target, basis_count
FROM (${defs.map((d) => indicatorBlock(d, levels.map(contextFor))).join('\n\tUNION ALL')}
)
ORDER BY indicator_id, level, area_code, year`;
}

/** The same statement for one indicator (for a page that needs just one). */
export function indicatorSql(id: IndicatorId, q: Omit<IndicatorQuery, 'ids'>): string {
	return indicatorRowsSql({ ...q, ids: [id] });
}
