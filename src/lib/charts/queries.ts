/**
 * Dashboard SQL over the public release tables (counts, sums, shares — the §7 indicators come from
 * `$lib/indicators`). The same strings run at build time in native DuckDB (prerendering) and in
 * DuckDB-WASM in the browser, so the two give the same numbers. Every numeric output is cast to DOUBLE and
 * every date to VARCHAR so both engines decode them the same way.
 */
import { periodBounds, previousPeriod, safeCode, type Filters } from '../components/filters';
import { VERIFICATIONS } from '../schema/codes';
import { FLOW_GROUPING, verificationSums, type FlowOptions } from './flows';

export type Row = Record<string, string | number | boolean | null>;

export const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Conditions on activities `a` for the filters (period by start time, place, category, group). */
export function activityWhere(f: Filters, a = 'a'): string {
	const { start, end } = periodBounds(f);
	const w = [`${a}.start_at >= TIMESTAMP ${lit(start)}`, `${a}.start_at < TIMESTAMP ${lit(end)}`];
	if (safeCode(f.district)) w.push(`${a}.district_code = ${lit(f.district!)}`);
	if (safeCode(f.street)) w.push(`${a}.street_code = ${lit(f.street!)}`);
	if (safeCode(f.category)) w.push(`${a}.category = ${lit(f.category!)}`);
	if (safeCode(f.group))
		w.push(
			`EXISTS (SELECT 1 FROM beneficiaries gb WHERE gb.activity_id = ${a}.activity_id AND gb.beneficiary_group = ${lit(f.group!)})`
		);
	return w.join(' AND ');
}

/** Place conditions for a table with district_code / street_code columns. */
export function placeWhere(f: Filters, t: string): string[] {
	const w: string[] = [];
	if (safeCode(f.district)) w.push(`${t}.district_code = ${lit(f.district!)}`);
	if (safeCode(f.street)) w.push(`${t}.street_code = ${lit(f.street!)}`);
	return w;
}

export const and = (parts: string[]): string => (parts.length ? parts.join(' AND ') : 'TRUE');

/** Person-times condition on beneficiaries `b` (group filter applies to the counted group). */
export const groupCond = (f: Filters, b = 'b'): string =>
	safeCode(f.group) ? `${b}.beneficiary_group = ${lit(f.group!)}` : 'TRUE';

/** Headline figures for one period, one row. */
function headlineSelect(f: Filters, period: string): string {
	const { end } = periodBounds(f);
	const endDate = `DATE ${lit(end)}`;
	const volunteerPlace = and(placeWhere(f, 'v'));
	return `SELECT ${lit(period)} AS period,
	(SELECT count(*)::DOUBLE FROM volunteers v WHERE v.registered_on < ${endDate} AND ${volunteerPlace}) AS registered,
	(SELECT count(DISTINCT h.volunteer_id)::DOUBLE FROM hours h JOIN activities a USING (activity_id)
		WHERE h.confirmed_on IS NOT NULL AND ${activityWhere(f)}) AS active,
	(SELECT count(*)::DOUBLE FROM teams t WHERE t.founded_on < ${endDate} AND ${and(placeWhere(f, 't'))}) AS teams,
	(SELECT count(*)::DOUBLE FROM stations s WHERE s.opened_on < ${endDate} AND (s.closed_on IS NULL OR s.closed_on >= ${endDate})
		AND ${and(placeWhere(f, 's'))}) AS stations,
	(SELECT count(*)::DOUBLE FROM activities a WHERE ${activityWhere(f)}) AS activities,
	(SELECT coalesce(sum(h.hours), 0)::DOUBLE FROM hours h JOIN activities a USING (activity_id)
		WHERE h.confirmed_on IS NOT NULL AND ${activityWhere(f)}) AS hours,
	(SELECT coalesce(sum(b.person_times), 0)::DOUBLE FROM beneficiaries b JOIN activities a USING (activity_id)
		WHERE ${groupCond(f)} AND ${activityWhere(f)}) AS person_times,
	(SELECT count(*)::DOUBLE FROM micro_wishes m WHERE m.fulfilled_on >= DATE ${lit(periodBounds(f).start)} AND m.fulfilled_on < ${endDate}
		AND ${and([...placeWhere(f, 'm'), ...(safeCode(f.category) ? [`m.category = ${lit(f.category!)}`] : []), ...(safeCode(f.group) ? [`m.beneficiary_group = ${lit(f.group!)}`] : [])])}) AS wishes`;
}

/** Headline figures for the period and the previous period of the same length: rows `cur` and `prev`. */
export const headlineSql = (f: Filters): string =>
	`${headlineSelect(f, 'cur')}\nUNION ALL\n${headlineSelect(previousPeriod(f), 'prev')}\nORDER BY period`;

/**
 * Monthly series: month (YYYY-MM), activities, hours, person_times.
 * The pages ask `flowsSql`; this one-panel form is the reference its split is tested against.
 */
export function trendSql(f: Filters): string {
	return `WITH act AS (SELECT a.activity_id, strftime(a.start_at, '%Y-%m') AS month FROM activities a WHERE ${activityWhere(f)}),
	hrs AS (SELECT act.month, sum(h.hours) AS hours FROM hours h JOIN act USING (activity_id) WHERE h.confirmed_on IS NOT NULL GROUP BY 1),
	pt AS (SELECT act.month, sum(b.person_times) AS person_times FROM beneficiaries b JOIN act USING (activity_id) WHERE ${groupCond(f)} GROUP BY 1),
	n AS (SELECT month, count(*) AS activities FROM act GROUP BY 1)
	SELECT n.month, n.activities::DOUBLE AS activities, coalesce(hrs.hours, 0)::DOUBLE AS hours,
		coalesce(pt.person_times, 0)::DOUBLE AS person_times
	FROM n LEFT JOIN hrs USING (month) LEFT JOIN pt USING (month) ORDER BY n.month`;
}

/**
 * The trend, categories and verification answers in one query, split by `splitFlows` (`./flows`): one row per
 * activity with its confirmed hours (in all and per verification class) and person-times, summed per month, per
 * category and in all (GROUPING SETS).
 */
export function flowsSql(f: Filters, o: FlowOptions = {}): string {
	return `WITH act AS (SELECT a.activity_id, strftime(a.start_at, '%Y-%m') AS month, a.category FROM activities a WHERE ${activityWhere(f)}),
	hrs AS (SELECT h.activity_id, sum(h.hours) AS hours, ${VERIFICATIONS.map((v) => `sum(h.hours) FILTER (WHERE h.verification = ${lit(v.code)}) AS hours_${v.code}, count(*) FILTER (WHERE h.verification = ${lit(v.code)}) AS participations_${v.code}`).join(', ')}
		FROM hours h JOIN act USING (activity_id) WHERE h.confirmed_on IS NOT NULL GROUP BY 1),
	pt AS (SELECT b.activity_id, sum(b.person_times) AS person_times FROM beneficiaries b JOIN act USING (activity_id) WHERE ${groupCond(f)} GROUP BY 1)
	SELECT grouping(act.month, act.category)::DOUBLE AS part, act.month, act.category, count(*)::DOUBLE AS activities,
		coalesce(sum(hrs.hours), 0)::DOUBLE AS hours, coalesce(sum(pt.person_times), 0)::DOUBLE AS person_times,
		${verificationSums(
			(c) => `hrs.hours_${c}`,
			(c) => `hrs.participations_${c}`
		)}
	FROM act LEFT JOIN hrs USING (activity_id) LEFT JOIN pt USING (activity_id)
	GROUP BY ${FLOW_GROUPING('act.month', 'act.category', o)}
	ORDER BY 1, 2, 3`;
}

/**
 * Per service category: activities, hours, person_times (and shares of each, 0..1).
 * The pages ask `flowsSql`; this one-panel form is the reference its split is tested against.
 */
export function categoriesSql(f: Filters): string {
	return `WITH act AS (SELECT a.activity_id, a.category FROM activities a WHERE ${activityWhere(f)}),
	hrs AS (SELECT act.category, sum(h.hours) AS hours FROM hours h JOIN act USING (activity_id) WHERE h.confirmed_on IS NOT NULL GROUP BY 1),
	pt AS (SELECT act.category, sum(b.person_times) AS person_times FROM beneficiaries b JOIN act USING (activity_id) WHERE ${groupCond(f)} GROUP BY 1),
	n AS (SELECT category, count(*) AS activities FROM act GROUP BY 1),
	j AS (SELECT n.category, n.activities::DOUBLE AS activities, coalesce(hrs.hours, 0)::DOUBLE AS hours,
		coalesce(pt.person_times, 0)::DOUBLE AS person_times FROM n LEFT JOIN hrs USING (category) LEFT JOIN pt USING (category))
	${CATEGORY_SHARES}`;
}

/** The per-category answer from a CTE `j` (category, activities, hours, person_times): figures and shares. */
export const CATEGORY_SHARES = `SELECT category, activities, hours, person_times,
		(activities / nullif(sum(activities) OVER (), 0))::DOUBLE AS activities_share,
		(hours / nullif(sum(hours) OVER (), 0))::DOUBLE AS hours_share,
		(person_times / nullif(sum(person_times) OVER (), 0))::DOUBLE AS person_times_share
	FROM j ORDER BY activities DESC, category`;

/** Per beneficiary group: activities serving it, person-times, withheld cells, share of person-times. */
export function groupsSql(f: Filters): string {
	return `WITH b AS (SELECT b.* FROM beneficiaries b JOIN activities a USING (activity_id) WHERE ${groupCond(f)} AND ${activityWhere(f)}),
	g AS (SELECT beneficiary_group, count(DISTINCT activity_id)::DOUBLE AS activities, coalesce(sum(person_times), 0)::DOUBLE AS person_times,
		count(*) FILTER (WHERE suppressed)::DOUBLE AS withheld_cells FROM b GROUP BY 1)
	SELECT beneficiary_group, activities, person_times, withheld_cells,
		(person_times / nullif(sum(person_times) OVER (), 0))::DOUBLE AS person_times_share
	FROM g ORDER BY person_times DESC, beneficiary_group`;
}

/**
 * Per month and category: activities (for the stacked "over time" chart).
 * The pages ask `flowsSql`; this one-panel form is the reference its split is tested against.
 */
export function categoriesByMonthSql(f: Filters): string {
	return `SELECT strftime(a.start_at, '%Y-%m') AS month, a.category, count(*)::DOUBLE AS activities,
		coalesce(sum(hs.hours), 0)::DOUBLE AS hours
	FROM activities a LEFT JOIN (SELECT activity_id, sum(hours) AS hours FROM hours WHERE confirmed_on IS NOT NULL GROUP BY 1) hs USING (activity_id)
	WHERE ${activityWhere(f)} GROUP BY 1, 2 ORDER BY 1, 2`;
}

/** Per district and category: activities and share within the district. */
export function categoriesByDistrictSql(f: Filters): string {
	const g = { ...f, district: null, street: null };
	return `WITH x AS (SELECT a.district_code, a.category, count(*)::DOUBLE AS activities FROM activities a WHERE ${activityWhere(g)} GROUP BY 1, 2)
	SELECT x.district_code, d.name_zh, d.name_en, x.category, x.activities,
		(x.activities / sum(x.activities) OVER (PARTITION BY x.district_code))::DOUBLE AS share
	FROM x JOIN ref_districts d USING (district_code) ORDER BY x.district_code, x.category`;
}

/**
 * Volunteers registered by the end of the period by star level (0–5) from cumulative confirmed hours up to the
 * end of the period. The total equals the "registered" headline figure.
 */
export function starsSql(f: Filters, bands: readonly number[]): string {
	const { end } = periodBounds(f);
	const level = bands.map((b, i) => `WHEN cum >= ${Number(b)} THEN ${i + 1}`).reverse();
	return `WITH v AS (SELECT v.volunteer_id FROM volunteers v WHERE v.registered_on < DATE ${lit(end)} AND ${and(placeWhere(f, 'v'))}),
	c AS (SELECT h.volunteer_id, sum(h.hours) AS cum FROM hours h JOIN activities a USING (activity_id)
		WHERE h.confirmed_on IS NOT NULL AND a.start_at < TIMESTAMP ${lit(end)} GROUP BY 1),
	s AS (SELECT CASE ${level.join(' ')} ELSE 0 END AS stars FROM (SELECT v.volunteer_id, coalesce(c.cum, 0) AS cum FROM v LEFT JOIN c USING (volunteer_id)))
	SELECT l.stars::DOUBLE AS stars, count(s.stars)::DOUBLE AS volunteers
	FROM range(0, ${bands.length + 1}) l(stars) LEFT JOIN s ON s.stars = l.stars GROUP BY l.stars ORDER BY l.stars`;
}

/**
 * Confirmed hours of activities in the period by verification class; the total equals the "hours" headline.
 * The pages ask `flowsSql`; this one-panel form is the reference its split is tested against.
 */
export function verificationSql(f: Filters): string {
	return `SELECT h.verification, coalesce(sum(h.hours), 0)::DOUBLE AS hours, count(*)::DOUBLE AS participations
	FROM hours h JOIN activities a USING (activity_id) WHERE h.confirmed_on IS NOT NULL AND ${activityWhere(f)}
	GROUP BY 1 ORDER BY 1`;
}

/** Figures per area (districts of the city, or streets of `f.district`). */
export function areaTableSql(f: Filters, level: 'district' | 'street'): string {
	const { end } = periodBounds(f);
	const key = `${level}_code`;
	const base = { ...f, street: null, district: level === 'district' ? null : f.district };
	return `WITH ar AS (${areaListSql(f, level)}),
	reg AS (SELECT v.${key} AS code, count(*) AS n FROM volunteers v WHERE v.registered_on < DATE ${lit(end)} AND ${and(placeWhere(base, 'v'))} GROUP BY 1),
	act AS (SELECT a.activity_id, a.${key} AS code FROM activities a WHERE ${activityWhere(base)}),
	na AS (SELECT code, count(*) AS n FROM act GROUP BY 1),
	hv AS (SELECT act.code, count(DISTINCT h.volunteer_id) AS active, sum(h.hours) AS hours FROM hours h JOIN act USING (activity_id)
		WHERE h.confirmed_on IS NOT NULL GROUP BY 1),
	pt AS (SELECT act.code, sum(b.person_times) AS n FROM beneficiaries b JOIN act USING (activity_id) WHERE ${groupCond(f)} GROUP BY 1),
	st AS (SELECT s.${key} AS code, count(*) AS n FROM stations s WHERE ${openStation('s', end)} GROUP BY 1)
	SELECT ar.code, ar.name_zh, ar.name_en, ar.population,
		coalesce(reg.n, 0)::DOUBLE AS registered, coalesce(hv.active, 0)::DOUBLE AS active,
		coalesce(st.n, 0)::DOUBLE AS stations, coalesce(na.n, 0)::DOUBLE AS activities,
		coalesce(hv.hours, 0)::DOUBLE AS hours, coalesce(pt.n, 0)::DOUBLE AS person_times
	FROM ar LEFT JOIN reg USING (code) LEFT JOIN na USING (code) LEFT JOIN hv USING (code) LEFT JOIN pt USING (code) LEFT JOIN st USING (code)
	ORDER BY ar.code`;
}

/** The test "a team of community `c` held an activity in the period" on the raw tables. */
const teamHeld = (base: Filters) =>
	`SELECT 1 FROM teams t JOIN activities a USING (team_id) WHERE t.community_code = c.community_code AND ${activityWhere(base)}`;

/**
 * Coverage gaps: communities with no team that held an activity in the period; streets with no open station.
 * At most `limit` rows per kind are listed; `total` is the full count of the kind.
 */
export const gapsSql = (f: Filters, limit = 50): string => gapsSqlWith(f, teamHeld, limit);

/** `gapsSql` with the test "a team of community `c` held an activity" given (from raw or pre-aggregated tables). */
export function gapsSqlWith(f: Filters, teamHeld: (base: Filters) => string, limit = 50): string {
	const { end } = periodBounds(f);
	const base = { ...f, category: null, group: null, street: null };
	return `WITH g AS (SELECT 'community' AS kind, c.community_code AS code, c.name_zh, c.district_code
	FROM ref_communities c WHERE ${and(placeWhere(base, 'c'))} AND NOT EXISTS (${teamHeld(base)})
	UNION ALL
	SELECT 'street' AS kind, s.street_code AS code, s.name_zh, s.district_code FROM ref_streets s WHERE ${and(placeWhere(base, 's'))} AND NOT EXISTS (${stationOpen(end)})),
	n AS (SELECT *, row_number() OVER (PARTITION BY kind ORDER BY code) AS rn, count(*) OVER (PARTITION BY kind) AS total FROM g)
	SELECT kind, code, name_zh, district_code, total::DOUBLE AS total FROM n WHERE rn <= ${Math.floor(limit)} ORDER BY kind, code`;
}

/** The coverage gaps counted per district: its streets and those with no open station at the end of the period,
 * its communities and those with no team that held an activity in it. */
export const gapSummarySql = (f: Filters): string => gapSummarySqlWith(f, teamHeld);

/** `gapSummarySql` with the test "a team of community `c` held an activity" given (see `gapsSqlWith`). */
export function gapSummarySqlWith(f: Filters, teamHeld: (base: Filters) => string): string {
	const { end } = periodBounds(f);
	const base = { ...f, category: null, group: null, street: null };
	return `WITH c AS (SELECT district_code, count(*) AS n, count(*) FILTER (WHERE gap) AS gaps FROM (
		SELECT c.district_code, NOT EXISTS (${teamHeld(base)}) AS gap FROM ref_communities c WHERE ${and(placeWhere(base, 'c'))}
	) GROUP BY 1),
	s AS (SELECT district_code, count(*) AS n, count(*) FILTER (WHERE gap) AS gaps FROM (
		SELECT s.district_code, NOT EXISTS (${stationOpen(end)}) AS gap
		FROM ref_streets s WHERE ${and(placeWhere(base, 's'))}
	) GROUP BY 1)
	SELECT d.district_code AS code, d.name_zh, d.name_en,
		coalesce(s.n, 0)::DOUBLE AS streets, coalesce(s.gaps, 0)::DOUBLE AS street_gaps,
		c.n::DOUBLE AS communities, c.gaps::DOUBLE AS community_gaps
	FROM ref_districts d JOIN c USING (district_code) LEFT JOIN s USING (district_code)
	ORDER BY code`;
}

/** The test "street `s` has a station open at `end`" (the other half of the coverage gaps). */
const stationOpen = (end: string) =>
	`SELECT 1 FROM stations x WHERE x.street_code = s.street_code AND ${openStation('x', end)}`;

/** Stations `s` open at the end of the period (opened before `end`, not closed by then). */
export const openStation = (s: string, end: string): string =>
	`${s}.opened_on < DATE ${lit(end)} AND (${s}.closed_on IS NULL OR ${s}.closed_on >= DATE ${lit(end)})`;

/** The areas of an area table: districts of the city (with population) or streets of `f.district`. */
export const areaListSql = (f: Filters, level: 'district' | 'street'): string =>
	level === 'district'
		? `SELECT district_code AS code, name_zh, name_en, population::DOUBLE AS population FROM ref_districts`
		: `SELECT street_code AS code, name_zh, name_zh AS name_en, NULL::DOUBLE AS population FROM ref_streets WHERE district_code = ${lit(f.district ?? '')}`;

/** Months with data: first and last month of activities (for the period pickers). */
export const dataRangeSql = (): string =>
	`SELECT strftime(min(start_at), '%Y-%m') AS first_month, strftime(max(start_at), '%Y-%m') AS last_month FROM activities`;

/** Names after FROM or JOIN (lower case), per SQL text: pages ask the same queries again and again. */
const namesRead = new Map<string, Set<string>>();
const NAMES_READ_MAX = 5000;
const FROM_OR_JOIN = /\b(?:FROM|JOIN)\s+"?([A-Za-z_][A-Za-z0-9_]*)/gi;

/** Public table names that a SQL string reads (to load them into the browser engine first), in `names` order. */
export function tablesOf(sql: string, names: readonly string[]): string[] {
	let read = namesRead.get(sql);
	if (!read) {
		read = new Set([...sql.matchAll(FROM_OR_JOIN)].map((m) => m[1].toLowerCase()));
		if (namesRead.size >= NAMES_READ_MAX) namesRead.clear();
		namesRead.set(sql, read);
	}
	return names.filter((n) => read.has(n.toLowerCase()));
}
