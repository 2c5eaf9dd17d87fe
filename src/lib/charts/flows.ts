/**
 * The overview's (and a district page's) three panels that sum the same activities under the same filters — the
 * monthly trend, the categories and the hours by verification class (on the categories page: the categories and
 * the categories per month) — asked as one query (`flowsSql` of
 * `./queries` for the raw tables, of `../aggregates/queries` for the pre-aggregates) and split here into the three
 * answers, with the same columns, rows and order as `trendSql`, `categoriesSql`, `verificationSql` and
 * `categoriesByMonthSql` (tests compare them). One query instead of three: the browser engine's cost is mostly
 * per query (parsing, planning, one scan each), not per row.
 *
 * Rows of the query: `part` (which GROUPING SET: `FLOW_PART`), `month` (YYYY-MM) or `category` (the other NULL;
 * both NULL in the totals row), `activities`, `hours`, `person_times`, and per verification class `hours_<code>`
 * and `participations_<code>`.
 */
import { VERIFICATIONS } from '../schema/codes';
import type { Row } from './queries';

/** `grouping(month, category)` of each GROUPING SET: per month and category, per month, per category, all rows. */
export const FLOW_PART = { monthCategory: 0, month: 1, category: 2, total: 3 } as const;

/** Options of both `flowsSql`. */
export interface FlowOptions {
	/** Also per month and category (`Flows.byMonth`, the categories page's "over time" chart). */
	byMonth?: boolean;
}

/** The GROUPING SETS clause of both `flowsSql`. */
export const FLOW_GROUPING = (month: string, category: string, o: FlowOptions = {}): string =>
	`GROUPING SETS (${o.byMonth ? `(${month}, ${category}), ` : ''}(${month}), (${category}), ())`;

/** Both `flowsSql`'s sums per verification class (0 when none). */
export const verificationSums = (hours: (code: string) => string, participations: (code: string) => string) =>
	VERIFICATIONS.map(
		(v) =>
			`coalesce(sum(${hours(v.code)}), 0)::DOUBLE AS hours_${v.code}, coalesce(sum(${participations(v.code)}), 0)::DOUBLE AS participations_${v.code}`
	).join(', ');

export interface Flows {
	/** As `trendSql`: month, activities, hours, person_times; by month. */
	trend: Row[];
	/** As `categoriesSql`: category, activities, hours, person_times and their shares; by activities, then code. */
	categories: Row[];
	/** As `verificationSql`: verification, hours, participations; classes with participations, by code. */
	verification: Row[];
	/** As `categoriesByMonthSql`: month, category, activities, hours; by month, then category (`byMonth` only). */
	byMonth: Row[];
}

const num = (v: unknown): number => Number(v ?? 0);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The three answers in one query's rows (see the module comment). */
export function splitFlows(rows: readonly Row[]): Flows {
	const of = (part: number) => rows.filter((r) => num(r.part) === part);
	const trend = of(FLOW_PART.month)
		.map((r) => ({
			month: r.month,
			activities: num(r.activities),
			hours: num(r.hours),
			person_times: num(r.person_times)
		}))
		.sort((a, b) => cmp(String(a.month), String(b.month)));
	const cats = of(FLOW_PART.category);
	const total = (k: string) => cats.reduce((s, r) => s + num(r[k]), 0);
	const share = (x: number, t: number) => (t === 0 ? null : x / t);
	const [ta, th, tp] = [total('activities'), total('hours'), total('person_times')];
	const categories = cats
		.map((r) => {
			const [a, h, p] = [num(r.activities), num(r.hours), num(r.person_times)];
			return {
				category: r.category,
				activities: a,
				hours: h,
				person_times: p,
				activities_share: share(a, ta),
				hours_share: share(h, th),
				person_times_share: share(p, tp)
			};
		})
		.sort((x, y) => y.activities - x.activities || cmp(String(x.category), String(y.category)));
	const all = of(FLOW_PART.total)[0];
	const verification = all
		? [...VERIFICATIONS]
				.sort((a, b) => cmp(a.code, b.code))
				.map((v) => ({
					verification: v.code,
					hours: num(all[`hours_${v.code}`]),
					participations: num(all[`participations_${v.code}`])
				}))
				.filter((r) => r.participations > 0)
		: [];
	const byMonth = of(FLOW_PART.monthCategory)
		.map((r) => ({
			month: r.month,
			category: r.category,
			activities: num(r.activities),
			hours: num(r.hours)
		}))
		.sort((a, b) => cmp(String(a.month), String(b.month)) || cmp(String(a.category), String(b.category)));
	return { trend, categories, verification, byMonth };
}
