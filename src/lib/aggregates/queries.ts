/**
 * The dashboard's questions answered from the pre-aggregated tables (src/lib/aggregates/tables.ts) instead of
 * the raw activities / hours / beneficiaries / volunteers tables. Each function returns the same columns, rows
 * and order as its namesake in src/lib/charts/queries.ts (tests run both on one release and compare).
 *
 * Distinct active volunteers exist per calendar year and quarter only; a custom month range that is neither
 * falls back to the raw tables for that one figure (and loads them on demand in the browser).
 */
import { VERIFICATIONS } from '../schema/codes';
import { periodBounds, previousPeriod, safeCode, type Filters } from '../components/filters';
import {
	CATEGORY_SHARES,
	activityWhere,
	and,
	areaListSql,
	gapSummarySqlWith,
	gapsSqlWith,
	lit,
	openStation,
	placeWhere
} from '../charts/queries';
import { FLOW_GROUPING, verificationSums, type FlowOptions } from '../charts/flows';

/** The year (and quarter) a period is, when it is exactly one; else null. */
export function cubePeriod(f: Pick<Filters, 'from' | 'to'>): { year: number; quarter: number | null } | null {
	const [fy, fm] = f.from.split('-').map(Number);
	const [ty, tm] = f.to.split('-').map(Number);
	if (fy !== ty) return null;
	if (fm === 1 && tm === 12) return { year: fy, quarter: null };
	if (fm % 3 === 1 && tm === fm + 2) return { year: fy, quarter: (fm + 2) / 3 };
	return null;
}

/** The month table holding the filters' rows: one beneficiary group's, or those for all activities. */
const monthTable = (f: Pick<Filters, 'group'>): string =>
	safeCode(f.group) ? 'agg_activity_month_group' : 'agg_activity_month';
/** Likewise for the distinct active volunteers. */
const activeTable = (f: Pick<Filters, 'group'>): string =>
	safeCode(f.group) ? 'agg_active_group' : 'agg_active';

/** Conditions on `agg_activity_month` rows `x` for the filters (one row set: a group's rows or the all rows). */
function aggWhere(f: Filters, x = 'x'): string {
	const { start, end } = periodBounds(f);
	const w = [`${x}.month >= DATE ${lit(start)}`, `${x}.month < DATE ${lit(end)}`, ...placeWhere(f, x)];
	if (safeCode(f.category)) w.push(`${x}.category = ${lit(f.category!)}`);
	w.push(safeCode(f.group) ? `${x}.beneficiary_group = ${lit(f.group!)}` : `${x}.beneficiary_group IS NULL`);
	return w.join(' AND ');
}

/** `agg_active` rows for the period, category and group (all levels; callers pick the level). */
function activeWhere(f: Filters, p: { year: number; quarter: number | null }, t = 'aa'): string {
	return [
		`${t}.year = ${p.year}`,
		p.quarter === null ? `${t}.quarter IS NULL` : `${t}.quarter = ${p.quarter}`,
		safeCode(f.category) ? `${t}.category = ${lit(f.category!)}` : `${t}.category IS NULL`,
		safeCode(f.group) ? `${t}.beneficiary_group = ${lit(f.group!)}` : `${t}.beneficiary_group IS NULL`
	].join(' AND ');
}

/** The `agg_active` cell of the filters' place, category and group for one year or quarter. */
function activeCell(f: Filters, p: { year: number; quarter: number | null }): string {
	const district = safeCode(f.district);
	const street = safeCode(f.street);
	return [
		activeWhere(f, p),
		district ? `aa.district_code = ${lit(district)}` : 'aa.district_code IS NULL',
		street ? `aa.street_code = ${lit(street)}` : 'aa.street_code IS NULL'
	].join(' AND ');
}

/** The place, category and group part of an `agg_active` cell (the same for every period). */
function activeCellPlace(f: Filters): string {
	const district = safeCode(f.district);
	const street = safeCode(f.street);
	return [
		safeCode(f.category) ? `aa.category = ${lit(f.category!)}` : 'aa.category IS NULL',
		safeCode(f.group) ? `aa.beneficiary_group = ${lit(f.group!)}` : 'aa.beneficiary_group IS NULL',
		district ? `aa.district_code = ${lit(district)}` : 'aa.district_code IS NULL',
		street ? `aa.street_code = ${lit(street)}` : 'aa.street_code IS NULL'
	].join(' AND ');
}

/** Distinct active volunteers for the filters' place (city, district or street), as a scalar subquery. */
function activeScalar(f: Filters): string {
	const p = cubePeriod(f);
	if (!p)
		return `(SELECT count(DISTINCT h.volunteer_id)::DOUBLE FROM hours h JOIN activities a USING (activity_id)
		WHERE h.confirmed_on IS NOT NULL AND ${activityWhere(f)})`;
	return `(SELECT coalesce(sum(aa.volunteers), 0)::DOUBLE FROM ${activeTable(f)} aa WHERE ${activeCell(f, p)})`;
}

/** Distinct active volunteers per area of a level: rows (code, active). `base` carries the area filters. */
function activeByArea(f: Filters, base: Filters, level: 'district' | 'street'): string {
	const key = `${level}_code`;
	const p = cubePeriod(f);
	if (!p)
		return `SELECT a.${key} AS code, count(DISTINCT h.volunteer_id) AS active FROM hours h JOIN activities a USING (activity_id)
		WHERE h.confirmed_on IS NOT NULL AND ${activityWhere(base)} GROUP BY 1`;
	const place =
		level === 'district'
			? 'aa.district_code IS NOT NULL AND aa.street_code IS NULL'
			: `aa.district_code = ${lit(safeCode(base.district) ?? '')} AND aa.street_code IS NOT NULL`;
	return `SELECT aa.${key} AS code, aa.volunteers AS active FROM ${activeTable(f)} aa WHERE ${activeWhere(f, p)} AND ${place}`;
}

/**
 * Headline figures for the period (`cur`) and the previous period of the same length (`prev`): one scan of each
 * table for both periods (every scan costs a few milliseconds in DuckDB-WASM, whatever the table's size). The
 * conditions that are the same for both periods are in the WHERE clauses, where the scan applies them to the
 * rows its cheap integer and date conditions let through (in a FILTER clause DuckDB-WASM would evaluate the
 * text columns of every row); the flow tables are grouped by period instead of summed twice with FILTERs.
 */
export function headlineSql(f: Filters): string {
	const pf = previousPeriod(f);
	const cur = periodBounds(f);
	const prev = periodBounds(pf);
	const d = (s: string) => `DATE ${lit(s)}`;
	const isCur = (t: string) => `${t}.month >= ${d(cur.start)}`;
	const both = (t: string) => `${t}.month >= ${d(prev.start)} AND ${t}.month < ${d(cur.end)}`;
	const place = (t: string) => and(placeWhere(f, t));
	const cat = (t: string) => (safeCode(f.category) ? `${t}.category = ${lit(f.category!)}` : 'TRUE');
	const grp = (t: string) =>
		safeCode(f.group) ? `${t}.beneficiary_group = ${lit(f.group!)}` : `${t}.beneficiary_group IS NULL`;
	const opened = (t: string, on: string, end: string) =>
		`${t}.${on} < ${d(end)}${t === 's' ? ` AND (s.closed_on IS NULL OR s.closed_on >= ${d(end)})` : ''}`;
	const pc = cubePeriod(f);
	const pp = cubePeriod(pf);
	let active: string;
	if (pc && pp) {
		const quarters = [pc.quarter, pp.quarter];
		const q = quarters.every((x) => x === null)
			? 'aa.quarter IS NULL'
			: quarters.every((x) => x !== null)
				? `aa.quarter IN (${quarters.join(', ')})`
				: 'TRUE';
		const cell = (p: { year: number; quarter: number | null }) =>
			`aa.year = ${p.year} AND ${p.quarter === null ? 'aa.quarter IS NULL' : `aa.quarter = ${p.quarter}`}`;
		active = `SELECT coalesce(sum(aa.volunteers) FILTER (WHERE ${cell(pc)}), 0)::DOUBLE AS cur,
			coalesce(sum(aa.volunteers) FILTER (WHERE ${cell(pp)}), 0)::DOUBLE AS prev
		FROM ${activeTable(f)} aa WHERE aa.year IN (${pc.year}, ${pp.year}) AND ${q} AND ${activeCellPlace(f)}`;
	} else active = `SELECT ${activeScalar(f)} AS cur, ${activeScalar(pf)} AS prev`;
	return `WITH
	r AS (SELECT coalesce(sum(r.volunteers) FILTER (WHERE r.month < ${d(cur.end)}), 0)::DOUBLE AS cur,
			coalesce(sum(r.volunteers) FILTER (WHERE r.month < ${d(prev.end)}), 0)::DOUBLE AS prev
		FROM agg_registrations r WHERE r.month < ${d(cur.end)} AND ${place('r')}),
	act AS (${active}),
	t AS (SELECT count(*) FILTER (WHERE ${opened('t', 'founded_on', cur.end)})::DOUBLE AS cur,
			count(*) FILTER (WHERE ${opened('t', 'founded_on', prev.end)})::DOUBLE AS prev FROM teams t WHERE ${place('t')}),
	s AS (SELECT count(*) FILTER (WHERE ${opened('s', 'opened_on', cur.end)})::DOUBLE AS cur,
			count(*) FILTER (WHERE ${opened('s', 'opened_on', prev.end)})::DOUBLE AS prev FROM stations s WHERE ${place('s')}),
	x AS (SELECT ${isCur('x')} AS is_cur, sum(x.activities) AS activities, sum(x."hours") AS hours, sum(x.person_times) AS person_times
		FROM ${monthTable(f)} x WHERE ${both('x')} AND ${place('x')} AND ${cat('x')} AND ${grp('x')} GROUP BY 1),
	w AS (SELECT ${isCur('m')} AS is_cur, sum(m.wishes) AS wishes FROM agg_wishes m
		WHERE ${both('m')} AND ${place('m')} AND ${cat('m')}${safeCode(f.group) ? ` AND ${grp('m')}` : ''} GROUP BY 1)
	SELECT p.period,
		CASE p.period WHEN 'cur' THEN r.cur ELSE r.prev END AS registered,
		CASE p.period WHEN 'cur' THEN act.cur ELSE act.prev END AS active,
		CASE p.period WHEN 'cur' THEN t.cur ELSE t.prev END AS teams,
		CASE p.period WHEN 'cur' THEN s.cur ELSE s.prev END AS stations,
		coalesce(x.activities, 0)::DOUBLE AS activities,
		coalesce(x.hours, 0)::DOUBLE AS hours,
		coalesce(x.person_times, 0)::DOUBLE AS person_times,
		coalesce(w.wishes, 0)::DOUBLE AS wishes
	FROM (VALUES ('cur'), ('prev')) p(period) CROSS JOIN r CROSS JOIN act CROSS JOIN t CROSS JOIN s
		LEFT JOIN x ON x.is_cur = (p.period = 'cur') LEFT JOIN w ON w.is_cur = (p.period = 'cur')
	ORDER BY p.period`;
}

/**
 * Monthly series. Grouped by the month's date, formatted afterwards (formatting every row first is slower).
 * The pages ask `flowsSql`; this one-panel form is the reference its split is tested against.
 */
export function trendSql(f: Filters): string {
	return `SELECT strftime(m.month, '%Y-%m') AS month, m.activities, m.hours, m.person_times
	FROM (SELECT x.month, sum(x.activities)::DOUBLE AS activities, coalesce(sum(x."hours"), 0)::DOUBLE AS hours,
		coalesce(sum(x.person_times), 0)::DOUBLE AS person_times
		FROM ${monthTable(f)} x WHERE ${aggWhere(f)} GROUP BY 1) m
	ORDER BY m.month`;
}

/** The pages ask `flowsSql`; this one-panel form is the reference its split is tested against. */
export function categoriesSql(f: Filters): string {
	return `WITH j AS (SELECT x.category, sum(x.activities)::DOUBLE AS activities, coalesce(sum(x."hours"), 0)::DOUBLE AS hours,
		coalesce(sum(x.person_times), 0)::DOUBLE AS person_times FROM ${monthTable(f)} x WHERE ${aggWhere(f)} GROUP BY 1)
	${CATEGORY_SHARES}`;
}

export function groupsSql(f: Filters): string {
	const { start, end } = periodBounds(f);
	const w = [`x.month >= DATE ${lit(start)}`, `x.month < DATE ${lit(end)}`, ...placeWhere(f, 'x')];
	if (safeCode(f.category)) w.push(`x.category = ${lit(f.category!)}`);
	w.push(safeCode(f.group) ? `x.beneficiary_group = ${lit(f.group!)}` : 'x.beneficiary_group IS NOT NULL');
	return `WITH g AS (SELECT x.beneficiary_group, sum(x.activities)::DOUBLE AS activities, coalesce(sum(x.person_times), 0)::DOUBLE AS person_times,
		sum(x.withheld_cells)::DOUBLE AS withheld_cells FROM agg_activity_month_group x WHERE ${w.join(' AND ')} GROUP BY 1)
	SELECT beneficiary_group, activities, person_times, withheld_cells,
		(person_times / nullif(sum(person_times) OVER (), 0))::DOUBLE AS person_times_share
	FROM g ORDER BY person_times DESC, beneficiary_group`;
}

/** The pages ask `flowsSql`; this one-panel form is the reference its split is tested against. */
export function categoriesByMonthSql(f: Filters): string {
	return `SELECT strftime(m.month, '%Y-%m') AS month, m.category, m.activities, m.hours
	FROM (SELECT x.month, x.category, sum(x.activities)::DOUBLE AS activities, coalesce(sum(x."hours"), 0)::DOUBLE AS hours
		FROM ${monthTable(f)} x WHERE ${aggWhere(f)} GROUP BY 1, 2) m
	ORDER BY m.month, m.category`;
}

export function categoriesByDistrictSql(f: Filters): string {
	const g = { ...f, district: null, street: null };
	return `WITH y AS (SELECT x.district_code, x.category, sum(x.activities)::DOUBLE AS activities FROM ${monthTable(g)} x WHERE ${aggWhere(g)} GROUP BY 1, 2)
	SELECT y.district_code, d.name_zh, d.name_en, y.category, y.activities,
		(y.activities / sum(y.activities) OVER (PARTITION BY y.district_code))::DOUBLE AS share
	FROM y JOIN ref_districts d USING (district_code) ORDER BY y.district_code, y.category`;
}

/** Star levels at the end of the period: volunteers at level ≥ L minus those at level ≥ L + 1. */
export function starsSql(f: Filters, bands: readonly number[]): string {
	const { end } = periodBounds(f);
	return `WITH r AS (SELECT s.stars, sum(s.volunteers) AS n FROM agg_stars s WHERE s.month < DATE ${lit(end)} AND ${and(placeWhere(f, 's'))} GROUP BY 1),
	l AS (SELECT l.stars, coalesce(r.n, 0) AS n FROM range(0, ${bands.length + 1}) l(stars) LEFT JOIN r ON r.stars = l.stars)
	SELECT stars::DOUBLE AS stars, (n - coalesce(lead(n) OVER (ORDER BY stars), 0))::DOUBLE AS volunteers FROM l ORDER BY stars`;
}

/**
 * The trend, categories and verification answers (with `byMonth`, also the categories per month) in one scan, split
 * by `splitFlows` (`../charts/flows`).
 */
export function flowsSql(f: Filters, o: FlowOptions = {}): string {
	return `SELECT grouping(x.month, x.category)::DOUBLE AS part, strftime(x.month, '%Y-%m') AS month, x.category,
		coalesce(sum(x.activities), 0)::DOUBLE AS activities, coalesce(sum(x."hours"), 0)::DOUBLE AS hours,
		coalesce(sum(x.person_times), 0)::DOUBLE AS person_times,
		${verificationSums(
			(c) => `x.hours_${c}`,
			(c) => `x.participations_${c}`
		)}
	FROM ${monthTable(f)} x WHERE ${aggWhere(f)}
	GROUP BY ${FLOW_GROUPING('x.month', 'x.category', o)}
	ORDER BY 1, 2, 3`;
}

/**
 * Hours and participations per verification class: one scan for all classes, then one row per class.
 * The pages ask `flowsSql`; this one-panel form is the reference its split is tested against.
 */
export function verificationSql(f: Filters): string {
	const pick = (col: string) =>
		`CASE v.verification ${VERIFICATIONS.map((v) => `WHEN '${v.code}' THEN t.${col}_${v.code}`).join(' ')} END`;
	return `WITH t AS (SELECT ${VERIFICATIONS.map((v) => `sum(x.hours_${v.code}) AS hours_${v.code}, sum(x.participations_${v.code}) AS participations_${v.code}`).join(', ')}
		FROM ${monthTable(f)} x WHERE ${aggWhere(f)})
	SELECT v.verification, coalesce(${pick('hours')}, 0)::DOUBLE AS hours, coalesce(${pick('participations')}, 0)::DOUBLE AS participations
	FROM (VALUES ${VERIFICATIONS.map((v) => `('${v.code}')`).join(', ')}) v(verification), t
	WHERE ${pick('participations')} > 0
	ORDER BY 1`;
}

export function areaTableSql(f: Filters, level: 'district' | 'street'): string {
	const { end } = periodBounds(f);
	const key = `${level}_code`;
	const base = { ...f, street: null, district: level === 'district' ? null : f.district };
	return `WITH ar AS (${areaListSql(f, level)}),
	reg AS (SELECT r.${key} AS code, sum(r.volunteers) AS n FROM agg_registrations r WHERE r.month < DATE ${lit(end)} AND ${and(placeWhere(base, 'r'))} GROUP BY 1),
	x AS (SELECT x.${key} AS code, sum(x.activities) AS n, sum(x."hours") AS hours, sum(x.person_times) AS pt
		FROM ${monthTable(base)} x WHERE ${aggWhere(base)} GROUP BY 1),
	hv AS (${activeByArea(f, base, level)}),
	st AS (SELECT s.${key} AS code, count(*) AS n FROM stations s WHERE ${openStation('s', end)} GROUP BY 1)
	SELECT ar.code, ar.name_zh, ar.name_en, ar.population,
		coalesce(reg.n, 0)::DOUBLE AS registered, coalesce(hv.active, 0)::DOUBLE AS active,
		coalesce(st.n, 0)::DOUBLE AS stations, coalesce(x.n, 0)::DOUBLE AS activities,
		coalesce(x.hours, 0)::DOUBLE AS hours, coalesce(x.pt, 0)::DOUBLE AS person_times
	FROM ar LEFT JOIN reg USING (code) LEFT JOIN x USING (code) LEFT JOIN hv USING (code) LEFT JOIN st USING (code)
	ORDER BY ar.code`;
}

/** The test "a team of community `c` held an activity in the period" on the pre-aggregated tables. */
const teamHeld = (f: Filters) => (base: Filters) => {
	const { start, end } = periodBounds(f);
	return `SELECT 1 FROM agg_community_activity ca WHERE ca.community_code = c.community_code AND ca.month >= DATE ${lit(start)} AND ca.month < DATE ${lit(end)}${safeCode(base.district) ? ` AND ca.district_code = ${lit(base.district!)}` : ''}`;
};

export const gapsSql = (f: Filters, limit = 50): string => gapsSqlWith(f, teamHeld(f), limit);

export const gapSummarySql = (f: Filters): string => gapSummarySqlWith(f, teamHeld(f));

export const dataRangeSql = (): string =>
	`SELECT strftime(min(month), '%Y-%m') AS first_month, strftime(max(month), '%Y-%m') AS last_month FROM agg_activity_month`;
