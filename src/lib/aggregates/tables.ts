/**
 * The pre-aggregated tables of a release (`agg_*` in src/lib/schema/public.ts): one SELECT each over the
 * public tables, run by the release build after every privacy step, so an aggregate never holds more than the
 * public tables do (person-times are sums of the cells that are not withheld, as the raw dashboard SQL sums them).
 * `src/lib/aggregates/queries.ts` answers the dashboard's questions from them; tests check both give the
 * same rows as the raw SQL of `src/lib/charts/queries.ts`.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { VERIFICATIONS } from '../schema/codes';
import { ACTIVE_ORDER, insertActiveAndStars, type StarsSource } from './active';

/** First day of the month of a date or timestamp expression. */
const monthOf = (e: string) => `CAST(date_trunc('month', ${e}) AS DATE)`;

const VERIFICATION_CODES = VERIFICATIONS.map((v) => v.code);

/**
 * Per month (activity start), street, category and beneficiary group (NULL = all activities): activities,
 * confirmed participations and hours (also per verification), visible person-times and withheld cells.
 * A group row counts the activities serving the group, their hours, and the person-times of that group only.
 */
const activityMonth = `WITH
	act AS (SELECT activity_id, ${monthOf('start_at')} AS month, district_code, street_code, category FROM activities),
	hrs AS (
		SELECT activity_id, count(*) AS participations, sum("hours") AS hrs,
			${VERIFICATION_CODES.map((v) => `count(*) FILTER (WHERE verification = '${v}') AS participations_${v}, coalesce(sum("hours") FILTER (WHERE verification = '${v}'), 0) AS hours_${v}`).join(',\n\t\t\t')}
		FROM "hours" WHERE confirmed_on IS NOT NULL GROUP BY activity_id
	),
	ben AS (
		SELECT activity_id, beneficiary_group, coalesce(sum(person_times), 0) AS person_times,
			count(*) FILTER (WHERE suppressed) AS withheld_cells
		FROM beneficiaries GROUP BY activity_id, beneficiary_group
	),
	ben_all AS (
		SELECT activity_id, sum(person_times) AS person_times, sum(withheld_cells) AS withheld_cells FROM ben GROUP BY activity_id
	),
	per_activity AS (
		SELECT act.*, CAST(NULL AS VARCHAR) AS beneficiary_group, ben_all.person_times, ben_all.withheld_cells
		FROM act LEFT JOIN ben_all USING (activity_id)
		UNION ALL
		SELECT act.*, ben.beneficiary_group, ben.person_times, ben.withheld_cells
		FROM act JOIN ben USING (activity_id)
	)
SELECT p.month, p.district_code, p.street_code, p.category, p.beneficiary_group,
	CAST(count(*) AS INTEGER) AS activities,
	CAST(coalesce(sum(h.participations), 0) AS INTEGER) AS participations,
	CAST(coalesce(sum(h.hrs), 0) AS DOUBLE) AS "hours",
	${VERIFICATION_CODES.map((v) => `CAST(coalesce(sum(h.participations_${v}), 0) AS INTEGER) AS participations_${v}, CAST(coalesce(sum(h.hours_${v}), 0) AS DOUBLE) AS hours_${v}`).join(',\n\t')},
	CAST(coalesce(sum(p.person_times), 0) AS INTEGER) AS person_times,
	CAST(coalesce(sum(p.withheld_cells), 0) AS INTEGER) AS withheld_cells
FROM per_activity p LEFT JOIN hrs h USING (activity_id)
GROUP BY ALL
ORDER BY p.month, p.street_code, p.category, p.beneficiary_group NULLS FIRST`;

/**
 * Distinct active volunteers (with a confirmed participation in an activity of the period, counted where the
 * activity took place) for every year and quarter, at city / district / street level, for all activities, per
 * category, per beneficiary group and per category × group. Distinct counts do not add up, so each
 * combination is its own row; custom month ranges are answered from the raw tables.
 */
function active(): string {
	const places = ['', ', district_code', ', district_code, street_code'];
	const sets = (filters: string[]) =>
		['year', 'year, quarter']
			.flatMap((p) => places.flatMap((pl) => filters.map((f) => `(${p}${pl}${f})`)))
			.join(', ');
	const cols = 'year, quarter, district_code, street_code, category';
	// Volunteers as dense integers: distinct counts over integers are several times faster than over pseudonyms.
	return `WITH
	vk AS (SELECT volunteer_id, CAST(row_number() OVER () AS INTEGER) AS k FROM (SELECT DISTINCT volunteer_id FROM "hours")),
	part AS (
		SELECT DISTINCT vk.k AS volunteer_id, a.activity_id, CAST(year(a.start_at) AS INTEGER) AS year,
			CAST(quarter(a.start_at) AS INTEGER) AS quarter, a.district_code, a.street_code, a.category
		FROM "hours" h JOIN activities a USING (activity_id) JOIN vk USING (volunteer_id) WHERE h.confirmed_on IS NOT NULL
	),
	served AS (
		SELECT DISTINCT p.volunteer_id, p.year, p.quarter, p.district_code, p.street_code, p.category, g.beneficiary_group
		FROM part p JOIN (SELECT DISTINCT activity_id, beneficiary_group FROM beneficiaries) g USING (activity_id)
	),
	x AS (
		SELECT ${cols}, CAST(NULL AS VARCHAR) AS beneficiary_group, CAST(count(DISTINCT volunteer_id) AS INTEGER) AS volunteers
		FROM part GROUP BY GROUPING SETS (${sets(['', ', category'])})
		UNION ALL
		SELECT ${cols}, beneficiary_group, CAST(count(DISTINCT volunteer_id) AS INTEGER) AS volunteers
		FROM served GROUP BY GROUPING SETS (${sets([', beneficiary_group', ', category, beneficiary_group'])})
	)
SELECT * FROM x
ORDER BY ${ACTIVE_ORDER}`;
}

/** Registrations per month and place of registration (NULL where the place was withheld). */
const registrations = `SELECT ${monthOf('registered_on')} AS month, district_code, street_code, CAST(count(*) AS INTEGER) AS volunteers
FROM volunteers GROUP BY ALL ORDER BY month, district_code NULLS FIRST, street_code NULLS FIRST`;

/**
 * Star levels: for each volunteer and level L (1…), the month their cumulative confirmed hours (activities by
 * start month, wherever they served) first reach band L, or their registration month if later; level 0 is the
 * registration month. Volunteers at level ≥ L by the end of month M = sum of rows with stars = L and month ≤ M.
 * With `source` (the release build, see ./active.ts) the confirmed participations come keyed by volunteer
 * numbers, which are mapped back to the pseudonyms only for the levels reached.
 */
function stars(bands: readonly number[], source: StarsSource | null = null): string {
	const levels = bands.map((b, i) => `(${i + 1}, CAST(${Number(b)} AS DOUBLE))`).join(', ');
	// With `source`, only volunteers whose positive hours add up to the lowest band (less a rounding margin)
	// can reach a level: the others are left out before the per-month window.
	const lowest = Math.min(...bands.map(Number));
	const monthly = source
		? `SELECT k AS volunteer_id, month, sum("hours") AS hrs FROM ${source.participations}
		WHERE k IN (SELECT k FROM ${source.participations} GROUP BY k HAVING sum(greatest("hours", 0)) >= ${lowest} * (1 - 1e-9) - 1e-9)
		GROUP BY ALL`
		: `SELECT h.volunteer_id, ${monthOf('a.start_at')} AS month, sum(h."hours") AS hrs
		FROM "hours" h JOIN activities a USING (activity_id) WHERE h.confirmed_on IS NOT NULL GROUP BY ALL`;
	const reached = `SELECT c.volunteer_id, b.stars, min(c.month) AS month FROM cum c JOIN bands b ON c.total >= b.band GROUP BY ALL`;
	return `WITH
	bands AS (SELECT * FROM (VALUES ${levels}) AS t(stars, band)),
	monthly AS (${monthly}),
	cum AS (SELECT volunteer_id, month, sum(hrs) OVER (PARTITION BY volunteer_id ORDER BY month) AS total FROM monthly),
	${
		source
			? `reached_k AS (${reached}),
	reached AS (SELECT v.volunteer_id, r.stars, r.month FROM reached_k r JOIN ${source.volunteers} v ON v.k = r.volunteer_id),`
			: `reached AS (${reached}),`
	}
	levels AS (
		SELECT v.volunteer_id, v.district_code, v.street_code, 0 AS stars, ${monthOf('v.registered_on')} AS month FROM volunteers v
		UNION ALL
		SELECT v.volunteer_id, v.district_code, v.street_code, r.stars, greatest(r.month, ${monthOf('v.registered_on')})
		FROM volunteers v JOIN reached r USING (volunteer_id)
	)
SELECT month, district_code, street_code, CAST(stars AS INTEGER) AS stars, CAST(count(*) AS INTEGER) AS volunteers
FROM levels GROUP BY ALL ORDER BY month, district_code NULLS FIRST, street_code NULLS FIRST, stars`;
}

/** Activities of each community's teams per month and district where the activity took place. */
const communityActivity = `SELECT ${monthOf('a.start_at')} AS month, t.community_code, a.district_code, CAST(count(*) AS INTEGER) AS activities
FROM activities a JOIN teams t USING (team_id) GROUP BY ALL ORDER BY month, community_code, district_code`;

/** Fulfilled micro-wishes per fulfilment month, place, category and group. */
const wishes = `SELECT ${monthOf('fulfilled_on')} AS month, district_code, street_code, category, beneficiary_group, CAST(count(*) AS INTEGER) AS wishes
FROM micro_wishes WHERE fulfilled_on IS NOT NULL GROUP BY ALL ORDER BY month, street_code, category, beneficiary_group`;

/** The SELECT filling each aggregate table (columns in the table's order). */
export function aggregateSelects(starBands: readonly number[]): Record<string, string> {
	return {
		agg_activity_month: activityMonth,
		agg_active: active(),
		agg_registrations: registrations,
		agg_stars: stars(starBands),
		agg_community_activity: communityActivity,
		agg_wishes: wishes
	};
}

/**
 * Fill the (existing, empty) aggregate tables from the public tables of `conn`: the SELECTs above, except
 * `agg_active` and `agg_stars`, which ./active.ts fills with the same rows much faster at scale (`opts.onStep`
 * hears the seconds each step took; `opts.maxCells` is for tests).
 */
export async function insertAggregates(
	conn: DuckDBConnection,
	starBands: readonly number[],
	opts: Parameters<typeof insertActiveAndStars>[2] = {}
): Promise<void> {
	const selects = aggregateSelects(starBands);
	const others = Object.entries(selects)
		.filter(([name]) => name !== 'agg_active' && name !== 'agg_stars')
		.map(([name, select]): [string, string] => [name, `INSERT INTO ${name} ${select}`]);
	await insertActiveAndStars(
		conn,
		{
			active: { target: 'agg_active', definition: selects.agg_active },
			stars: { target: 'agg_stars', sql: (source) => stars(starBands, source) },
			others
		},
		opts
	);
}
