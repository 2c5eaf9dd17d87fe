/** Example queries of the SQL console, and the table/column schema used for completion. */
import { browserColumns, PUBLIC_TABLES } from '$lib/schema/public';

export interface Example {
	id: string;
	zh: string;
	en: string;
	sql: string;
}

export const EXAMPLES: readonly Example[] = [
	{
		id: 'hours_by_district',
		zh: '各区确认服务时数',
		en: 'Confirmed hours by district',
		sql: `SELECT d.name_zh, d.name_en, round(sum(h.hours), 1) AS confirmed_hours
FROM hours h
JOIN activities a USING (activity_id)
JOIN ref_districts d ON d.district_code = a.district_code
WHERE h.confirmed_on IS NOT NULL
GROUP BY ALL
ORDER BY confirmed_hours DESC`
	},
	{
		id: 'activities_by_month',
		zh: '每月活动数',
		en: 'Activities per month',
		sql: `SELECT date_trunc('month', start_at)::DATE AS month, count(*) AS activities
FROM activities
GROUP BY 1
ORDER BY 1`
	},
	{
		id: 'categories',
		zh: '服务领域的活动与人次',
		en: 'Activities and person-times by category',
		sql: `SELECT a.category, count(DISTINCT a.activity_id) AS activities, sum(b.person_times) AS person_times
FROM activities a
LEFT JOIN beneficiaries b USING (activity_id)
GROUP BY 1
ORDER BY 2 DESC`
	},
	{
		id: 'age_bands',
		zh: '志愿者年龄段',
		en: 'Volunteers by age band',
		sql: `FROM volunteers
SELECT coalesce(age_band, '(withheld)') AS age_band, count(*) AS volunteers
GROUP BY ALL
ORDER BY 1`
	},
	{
		id: 'indicators',
		zh: '区级考核指标（最新年度）',
		en: 'District indicators (latest year)',
		sql: `SELECT indicator_id, area_code, year, value, target, suppressed
FROM indicators
WHERE level = 'district' AND year = (SELECT max(year) FROM indicators)
ORDER BY indicator_id, area_code`
	},
	{
		id: 'scratch',
		zh: '在 scratch 中建临时表',
		en: 'A working table in scratch',
		sql: `CREATE OR REPLACE TABLE scratch.busy AS
SELECT volunteer_id, sum(hours) AS total_hours
FROM hours WHERE confirmed_on IS NOT NULL
GROUP BY 1;
SELECT count(*) AS volunteers, round(avg(total_hours), 1) AS mean_hours FROM scratch.busy`
	}
];

/** Table → column names, for the editor's completion. */
export const COMPLETION_SCHEMA: Record<string, string[]> = Object.fromEntries(
	PUBLIC_TABLES.map((t) => [t.name, browserColumns(t).map((c) => c.name)])
);

/** Release tables a query mentions (so the console loads only those). */
export function tablesMentioned(words: readonly string[]): string[] {
	const names = new Set(PUBLIC_TABLES.map((t) => t.name));
	return [...new Set(words.filter((w) => names.has(w)))];
}
