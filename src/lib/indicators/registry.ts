/**
 * The assessment indicators of DOMAIN.md §7: ids, units, targets, bilingual names and definitions, and the SQL
 * (one place, shared by the release build, the prerender, the browser and the tests). The SQL reads only the
 * public tables of `src/lib/schema/public.ts`; `sql.ts` wraps the per-indicator aggregates into one statement.
 *
 * Counting rules shared by all indicators (decisions where DOMAIN.md is silent are marked "Decision"):
 * - Period P = [from, to] (inclusive dates), a calendar year by default.
 * - An activity is "in P" when its start date (`CAST(start_at AS DATE)`) is in P (Decision: start, not end).
 * - A participation is "confirmed" when `hours.confirmed_on` is not null; "confirmed hours in P" are the hours of
 *   confirmed participations in activities in P, whenever the confirmation happened.
 * - Place: activities, beneficiaries and hours-of-activities count where the activity took place
 *   (`activities.district_code/street_code`); volunteer indicators count where the volunteer registered
 *   (`volunteers.district_code/street_code`), wherever they served; wishes, points, trainings and stations use
 *   their own `district_code/street_code`; communities use `ref_communities`.
 * - Population: `ref_districts.population`; the city is the sum of its districts. Streets have no population in
 *   the reference data, so per-capita indicators are NULL at street level (Decision).
 * - Person rules ("≥ 20 h / ≥ 2 services / ≥ 40 h per year") judge the cohort registered before P starts
 *   (DOMAIN.md says so for 20 h; Decision: the same for the party rules, since a yearly rule cannot be judged for
 *   people who joined part-way through P).
 * - Beneficiary cells withheld at source (`suppressed = true`, `person_times` NULL) are excluded from
 *   person-time sums (sums are therefore lower bounds); they still show that the group was served, so they
 *   count when deciding whether an activity served a special group.
 * - Filters: area filters (district, street) only choose which rows are returned; they never change a value.
 *   `category` (service category) and `group` (beneficiary group) change only the indicators whose `filters`
 *   list them; the others ignore them (see each entry).
 */
import { ACTIVIST_STATUSES, SPECIAL_GROUPS } from '../schema/codes';
import type { RegionConfig } from '../config';

export type IndicatorUnit = 'ratio' | 'per_10k' | 'per_1k' | 'hours' | 'per_month' | 'days' | 'score10';
export type IndicatorBasis = 'people' | 'events' | 'places';
export type IndicatorFilter = 'category' | 'group';

/** The format of an indicator's values (`formatValue`): an average of hours reads with one decimal everywhere
 * ("20.0" beside "20.5"), where a total of hours drops a zero decimal; the other units format as they are. */
export const valueUnit = (unit: string): string => (unit === 'hours' ? 'per_active' : unit);

/** Everything an indicator's SQL needs from the query builder. */
export interface SqlContext {
	region: RegionConfig;
	/** The level the aggregate is built for (`sql.ts` builds each aggregate once per level and unions them:
	 * three plain GROUP BYs cost far less than one over rows tripled by a join to the levels). */
	level: 'city' | 'district' | 'street';
	/** `'<level>' AS level, <area code of alias at that level> AS area_code`. */
	areaCols(alias: string): string;
	/** Condition putting a date expression in period `pr` (an equality on the year when the periods are
	 * calendar years, much cheaper than a range join over millions of rows). */
	inPeriod(date: string): string;
	/** SQL list of the special (vulnerable) beneficiary groups, e.g. `('elderly_alone', …)`. */
	specialGroups: string;
	/** Beneficiary group filter as an SQL literal, or null. */
	group: string | null;
	/** Set when every beneficiary group is computed at once (`allGroups` in sql.ts; `group` is then null): the
	 * period key of a row from the period key of its activity (`acts.year`) and its beneficiary group column.
	 * The indicators filtered by 'group' that read `acts`/`acts_f` must key their rows with it. */
	groupYear?(year: string, group: string): string;
}

/** The indicator ids of DOMAIN.md §7, in registry order. */
export const INDICATOR_IDS = [
	'volunteers_per_10k',
	'active_rate',
	'hours_per_1k',
	'hours_per_active',
	'share_meeting_20h',
	'party_2_services',
	'activist_40h',
	'community_team_coverage',
	'street_station_coverage',
	'confirmed_within_5wd',
	'ledger_complete',
	'person_times_per_1k',
	'vulnerable_share',
	'vulnerable_activities_per_month',
	'wish_fulfilment_rate',
	'wish_days_median',
	'activity_rating',
	'training_street_coverage',
	'points_donated_share'
] as const;

export type IndicatorId = (typeof INDICATOR_IDS)[number];

export interface IndicatorDef {
	id: IndicatorId;
	unit: IndicatorUnit;
	higherIsBetter: boolean;
	/** Key in `data/regions/<code>.json` `targets`, when a rule gives one. */
	targetKey?: string;
	/** How the target varies by area: 'same' everywhere, or 'pro_rata' by population (see sql.ts). */
	targetScope?: 'same' | 'pro_rata';
	name: { zh: string; en: string };
	definition: { zh: string; en: string };
	formula: { zh: string; en: string };
	/** Seed document and clause the rule or definition comes from. */
	source: string;
	/** What `basis_count` counts (people, events or places), for small-cell suppression. */
	basis: IndicatorBasis;
	/** Which dashboard filters change the value (area filters never do). */
	filters: readonly IndicatorFilter[];
	/** Value = numerator × scale ÷ denominator, or the numerator itself for 'median'. */
	value: { kind: 'ratio'; scale: 1 | 1000 | 10000 } | { kind: 'median' };
	/** Where the denominator comes from: the area's population, the months in P, or the aggregate. */
	denominator: 'population' | 'months' | 'aggregate';
	/**
	 * SELECT returning `level, area_code, year, num, den, basis` (den only for 'aggregate') for the areas and
	 * periods that have data. Available CTEs: see `sql.ts` (`periods`, `levels`, `acts`, `acts_f`, `parts`,
	 * `parts_f`, `vol_totals`, `vol_totals_f`, `vol_registered`, `vol_year`, `vol_year_f`, `deadlines`), built for
	 * `ctx.level`. `vol_registered` counts the registered volunteers per place, cohort and period (`n_end`,
	 * `n_before`). `vol_year` and `vol_year_f` hold the active volunteers one row each (n = 1) and the inactive
	 * ones counted per place (n of them): count with SUM(n). With a category, `vol_year_f` has only
	 * `district_code, street_code, year, active, total_hours, n`.
	 */
	aggregate(ctx: SqlContext): string;
}

const list = (codes: readonly string[]) => `(${codes.map((c) => `'${c}'`).join(', ')})`;
const PARTY_REPORTING_STATUSES = ['party_member', 'probationary_member'];

/** A person-rule indicator: cohort registered before P starts, who meet `test` on their totals. */
const cohortRule = (ctx: SqlContext, cohort: string, test: string) => `
		SELECT ${ctx.areaCols('v')}, v.year,
			SUM(v.n) FILTER (WHERE ${test}) AS num,
			SUM(v.n) AS den,
			SUM(v.n) AS basis
		FROM vol_year v
		WHERE v.before_start AND (${cohort})
		GROUP BY ALL`;

export const INDICATORS: readonly IndicatorDef[] = [
	{
		id: 'volunteers_per_10k',
		unit: 'per_10k',
		higherIsBetter: true,
		name: { zh: '每万人注册志愿者数', en: 'Registered volunteers per 10,000 residents' },
		definition: {
			zh: '期末前（含）注册的志愿者人数 ÷ 常住人口 × 10000；按志愿者注册地计。',
			en: 'Volunteers registered on or before the end of the period ÷ resident population × 10,000; by place of registration.'
		},
		formula: { zh: '注册志愿者数 ÷ 常住人口 × 10000', en: 'registered volunteers ÷ population × 10,000' },
		source: 'DOMAIN.md §7; 001',
		basis: 'people',
		filters: [],
		value: { kind: 'ratio', scale: 10000 },
		denominator: 'population',
		aggregate: (ctx) => `
		SELECT ${ctx.areaCols('v')}, v.year, SUM(v.n_end) AS num, SUM(v.n_end) AS basis
		FROM vol_registered v
		GROUP BY ALL`
	},
	{
		id: 'active_rate',
		unit: 'ratio',
		higherIsBetter: true,
		name: { zh: '志愿者活跃率', en: 'Active volunteer rate' },
		definition: {
			zh: '期内至少有 1 次已确认参与的志愿者 ÷ 期末前注册的志愿者；按注册地计。选定服务领域时只计该领域活动的参与。',
			en: 'Volunteers with at least one confirmed participation in the period ÷ volunteers registered by its end; by place of registration. With a service category selected, only participations in that category count.'
		},
		formula: { zh: '活跃志愿者 ÷ 注册志愿者', en: 'active volunteers ÷ registered volunteers' },
		source: 'DOMAIN.md §7, §8',
		basis: 'people',
		filters: ['category'],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'aggregate',
		aggregate: (ctx) => `
		SELECT ${ctx.areaCols('v')}, v.year,
			SUM(v.n) FILTER (WHERE v.active) AS num, SUM(v.n) AS den, SUM(v.n) AS basis
		FROM vol_year_f v
		GROUP BY ALL`
	},
	{
		id: 'hours_per_1k',
		unit: 'per_1k',
		higherIsBetter: true,
		name: { zh: '每千人服务时数', en: 'Service hours per 1,000 residents' },
		definition: {
			zh: '期内活动的已确认服务时数 ÷ 常住人口 × 1000；按活动举办地计。',
			en: 'Confirmed hours of activities in the period ÷ resident population × 1,000; by place of the activity.'
		},
		formula: { zh: '已确认时数 ÷ 常住人口 × 1000', en: 'confirmed hours ÷ population × 1,000' },
		source: 'DOMAIN.md §7; 002',
		basis: 'people',
		filters: ['category'],
		value: { kind: 'ratio', scale: 1000 },
		denominator: 'population',
		// The city's distinct volunteers are the rows of the per-volunteer totals (already built for other
		// indicators): counting them avoids a distinct count over every participation.
		aggregate: (ctx) =>
			ctx.level === 'city'
				? `
		SELECT ${ctx.areaCols('t')}, t.year, SUM(t.total_hours) AS num, COUNT(t.volunteer_id) AS basis
		FROM vol_totals_f t
		GROUP BY ALL`
				: `
		SELECT ${ctx.areaCols('p')}, p.year, SUM(p.hrs) AS num, COUNT(DISTINCT p.volunteer_id) AS basis
		FROM parts_f p
		GROUP BY ALL`
	},
	{
		id: 'hours_per_active',
		unit: 'hours',
		higherIsBetter: true,
		name: { zh: '活跃志愿者人均时数', en: 'Hours per active volunteer' },
		definition: {
			zh: '活跃志愿者期内已确认时数之和 ÷ 活跃志愿者人数；按注册地计。',
			en: 'Confirmed hours in the period of active volunteers ÷ number of active volunteers; by place of registration.'
		},
		formula: { zh: '活跃志愿者时数 ÷ 活跃志愿者数', en: 'hours of active volunteers ÷ active volunteers' },
		source: 'DOMAIN.md §7',
		basis: 'people',
		filters: ['category'],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'aggregate',
		aggregate: (ctx) => `
		SELECT ${ctx.areaCols('v')}, v.year, SUM(v.total_hours) AS num, SUM(v.n) AS den, SUM(v.n) AS basis
		FROM vol_year_f v
		WHERE v.active
		GROUP BY ALL`
	},
	{
		id: 'share_meeting_20h',
		unit: 'ratio',
		higherIsBetter: true,
		targetKey: 'share_meeting_20h',
		targetScope: 'same',
		name: { zh: '年服务满 20 小时志愿者占比', en: 'Share of volunteers serving ≥ 20 hours' },
		definition: {
			zh: '期初前注册且期内已确认时数 ≥ 20 小时的志愿者 ÷ 期初前注册的志愿者；按注册地计，计入所有服务领域。',
			en: 'Volunteers registered before the period starts with ≥ 20 confirmed hours in it ÷ volunteers registered before it starts; by place of registration, all categories.'
		},
		formula: {
			zh: '满 20 小时人数 ÷ 期初前注册人数',
			en: 'volunteers with ≥ 20 h ÷ volunteers registered before P'
		},
		source: '002 第十九条',
		basis: 'people',
		filters: [],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'aggregate',
		aggregate: (ctx) =>
			cohortRule(ctx, 'TRUE', `v.total_hours >= ${Number(ctx.region.rules.volunteer_min_hours)}`)
	},
	{
		id: 'party_2_services',
		unit: 'ratio',
		higherIsBetter: true,
		targetKey: 'party_2_services',
		targetScope: 'same',
		name: { zh: '报到党员年服务 2 次达标率', en: 'Reporting party members with ≥ 2 services' },
		definition: {
			zh: '回社区报到的在职党员（中共党员或预备党员且标记为报到）中，期内已确认参与 ≥ 2 次活动者 ÷ 全部报到党员；均为期初前注册，按注册地计。',
			en: 'In-service party members reporting to their community (CPC or probationary members flagged as reporting) with ≥ 2 confirmed services (distinct activities) in the period ÷ all of them; registered before the period, by place of registration.'
		},
		formula: {
			zh: '参与 ≥ 2 次的报到党员 ÷ 报到党员',
			en: 'reporting members with ≥ 2 services ÷ reporting members'
		},
		source: '002（在职党员回社区报到，每年至少参加两次党员志愿服务）',
		basis: 'people',
		filters: [],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'aggregate',
		aggregate: (ctx) =>
			cohortRule(
				ctx,
				`v.party_reporting AND v.political_status IN ${list(PARTY_REPORTING_STATUSES)}`,
				`v.services >= ${Number(ctx.region.rules.party_min_services)}`
			)
	},
	{
		id: 'activist_40h',
		unit: 'ratio',
		higherIsBetter: true,
		targetKey: 'activist_40h',
		targetScope: 'same',
		name: {
			zh: '入党积极分子、预备党员年服务满 40 小时占比',
			en: 'Party activists and probationary members with ≥ 40 hours'
		},
		definition: {
			zh: '入党积极分子和预备党员中期内已确认时数 ≥ 40 小时者 ÷ 全部此类志愿者；均为期初前注册，按注册地计。',
			en: 'Party activists and probationary members with ≥ 40 confirmed hours in the period ÷ all of them; registered before the period, by place of registration.'
		},
		formula: {
			zh: '满 40 小时人数 ÷ 积极分子与预备党员人数',
			en: 'those with ≥ 40 h ÷ activists and probationary members'
		},
		source: '002（每名入党积极分子、党员发展对象和预备党员每年服务时数不低于40小时）',
		basis: 'people',
		filters: [],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'aggregate',
		aggregate: (ctx) =>
			cohortRule(
				ctx,
				`v.political_status IN ${list(ACTIVIST_STATUSES)}`,
				`v.total_hours >= ${Number(ctx.region.rules.activist_min_hours)}`
			)
	},
	{
		id: 'community_team_coverage',
		unit: 'ratio',
		higherIsBetter: true,
		targetKey: 'community_team_coverage',
		targetScope: 'same',
		name: { zh: '社区志愿服务队伍覆盖率', en: 'Communities with an active team' },
		definition: {
			zh: '至少有 1 支（驻该村居的）队伍在期内组织过活动的村（居） ÷ 村（居）总数。任何类型的队伍均计入，活动地点不限。',
			en: 'Communities with at least one team (based in the community) that held an activity in the period ÷ all communities. Teams of any kind count, wherever the activity took place.'
		},
		formula: { zh: '有活跃队伍的村居 ÷ 村居总数', en: 'communities with an active team ÷ communities' },
		source: '001（每个社区至少有1支社区志愿服务队）',
		basis: 'places',
		filters: [],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'aggregate',
		aggregate: (ctx) => `
		SELECT ${ctx.areaCols('c')}, pr.year,
			COUNT(ac.community_code) AS num, COUNT(*) AS den, COUNT(*) AS basis
		FROM ref_communities c
		CROSS JOIN periods pr
		LEFT JOIN (
			SELECT DISTINCT t.community_code, a.year FROM acts a JOIN teams t ON t.team_id = a.team_id
		) ac ON ac.community_code = c.community_code AND ac.year = pr.year
		GROUP BY ALL`
	},
	{
		id: 'street_station_coverage',
		unit: 'ratio',
		higherIsBetter: true,
		targetKey: 'street_station_coverage',
		targetScope: 'same',
		name: { zh: '街镇志愿服务站点覆盖率', en: 'Streets covered by a station' },
		definition: {
			zh: '期末有至少 1 个在用站点（启用日期 ≤ 期末，且未撤销或撤销日期晚于期末）的街镇 ÷ 街镇总数；任何类型的站点均计入。',
			en: 'Streets with at least one station open at the end of the period (opened on or before it, not closed or closed after it) ÷ all streets; stations of any kind count.'
		},
		formula: { zh: '有站点的街镇 ÷ 街镇总数', en: 'streets with an open station ÷ streets' },
		source: '001（每个街道设立时间银行志愿驿站）',
		basis: 'places',
		filters: [],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'aggregate',
		aggregate: (ctx) => `
		SELECT ${ctx.areaCols('s')}, pr.year,
			COUNT(*) FILTER (WHERE EXISTS (
				SELECT 1 FROM stations st
				WHERE st.street_code = s.street_code AND st.opened_on <= pr.p_to
					AND (st.closed_on IS NULL OR st.closed_on > pr.p_to)
			)) AS num,
			COUNT(*) AS den, COUNT(*) AS basis
		FROM ref_streets s CROSS JOIN periods pr
		GROUP BY ALL`
	},
	{
		id: 'confirmed_within_5wd',
		unit: 'ratio',
		higherIsBetter: true,
		targetKey: 'confirmed_within_5wd',
		targetScope: 'same',
		name: { zh: '5 个工作日内确认时数比例', en: 'Participations confirmed within 5 working days' },
		definition: {
			zh: '确认日期不晚于活动结束日后第 5 个法定工作日（含调休）的已确认参与 ÷ 期内活动的已确认参与；按活动举办地计。结束日非工作日时从其后第一个工作日起算；日历未覆盖的视为未按时。',
			en: 'Confirmed participations whose confirmation date is no later than the 5th PRC working day (with adjusted days) after the activity’s end date ÷ confirmed participations in activities in the period; by place of the activity. When the end date is not a working day, counting starts at the next working day; dates outside the calendar count as late.'
		},
		formula: {
			zh: '按时确认的参与 ÷ 已确认参与',
			en: 'participations confirmed on time ÷ confirmed participations'
		},
		source: '002（活动结束后的5个工作日内确认志愿者服务时数）',
		basis: 'events',
		filters: ['category'],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'aggregate',
		aggregate: (ctx) => `
		SELECT ${ctx.areaCols('p')}, p.year,
			COUNT(*) FILTER (WHERE p.confirmed_on <= d.deadline) AS num, COUNT(*) AS den, COUNT(*) AS basis
		FROM parts_f p
		LEFT JOIN deadlines d ON d.end_date = p.end_date
		GROUP BY ALL`
	},
	{
		id: 'ledger_complete',
		unit: 'ratio',
		higherIsBetter: true,
		targetKey: 'ledger_complete',
		targetScope: 'same',
		name: { zh: '活动台账完整率', en: 'Activities with a complete ledger' },
		definition: {
			zh: '台账六项（时间、内容、参与情况、成效、照片、评价）齐全的期内活动 ÷ 期内活动；按举办地计。',
			en: 'Activities in the period whose ledger has all six items (time, content, participation, outcome, photos, evaluation) ÷ activities in the period; by place.'
		},
		formula: { zh: '台账齐全活动数 ÷ 活动数', en: 'activities with complete ledger ÷ activities' },
		source: '002 服务台账建档要求第33条',
		basis: 'events',
		filters: ['category'],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'aggregate',
		aggregate: (ctx) => `
		SELECT ${ctx.areaCols('a')}, a.year,
			COUNT(*) FILTER (WHERE a.ledger_time AND a.ledger_content AND a.ledger_participation
				AND a.ledger_outcome AND a.ledger_photos AND a.ledger_evaluation) AS num,
			COUNT(*) AS den, COUNT(*) AS basis
		FROM acts_f a
		GROUP BY ALL`
	},
	{
		id: 'person_times_per_1k',
		unit: 'per_1k',
		higherIsBetter: true,
		name: { zh: '每千人服务人次', en: 'Beneficiary person-times per 1,000 residents' },
		definition: {
			zh: '期内活动的服务对象人次 ÷ 常住人口 × 1000；按举办地计。源头隐去（少于 5）的单元不计，故为下限。',
			en: 'Beneficiary person-times of activities in the period ÷ resident population × 1,000; by place. Cells withheld at source (below 5) are left out, so this is a lower bound.'
		},
		formula: { zh: '服务人次 ÷ 常住人口 × 1000', en: 'person-times ÷ population × 1,000' },
		source: 'DOMAIN.md §7; 002 附录5',
		basis: 'people',
		filters: ['category', 'group'],
		value: { kind: 'ratio', scale: 1000 },
		denominator: 'population',
		aggregate: (ctx) => `
		SELECT ${ctx.areaCols('a')}, ${ctx.groupYear?.('a.year', 'b.beneficiary_group') ?? 'a.year'} AS year,
			SUM(b.person_times) FILTER (WHERE NOT b.suppressed) AS num,
			SUM(b.person_times) FILTER (WHERE NOT b.suppressed) AS basis
		FROM acts_f a JOIN beneficiaries b ON b.activity_id = a.activity_id
		${ctx.group ? `WHERE b.beneficiary_group = ${ctx.group}` : ''}
		GROUP BY ALL`
	},
	{
		id: 'vulnerable_share',
		unit: 'ratio',
		higherIsBetter: true,
		name: { zh: '困难群体服务人次占比', en: 'Share of person-times for people in difficulty' },
		definition: {
			zh: '特殊困难群体的服务人次 ÷ 全部服务人次（期内活动，按举办地计；源头隐去的单元不计）。',
			en: 'Person-times for the special groups ÷ all person-times (activities in the period, by place; cells withheld at source left out).'
		},
		formula: { zh: '困难群体人次 ÷ 全部人次', en: 'special-group person-times ÷ all person-times' },
		source: 'DOMAIN.md §2, §7',
		basis: 'people',
		filters: ['category'],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'aggregate',
		aggregate: (ctx) => `
		SELECT ${ctx.areaCols('a')}, a.year,
			SUM(b.person_times) FILTER (WHERE NOT b.suppressed AND b.beneficiary_group IN ${ctx.specialGroups}) AS num,
			SUM(b.person_times) FILTER (WHERE NOT b.suppressed) AS den,
			SUM(b.person_times) FILTER (WHERE NOT b.suppressed) AS basis
		FROM acts_f a JOIN beneficiaries b ON b.activity_id = a.activity_id
		GROUP BY ALL`
	},
	{
		id: 'vulnerable_activities_per_month',
		unit: 'per_month',
		higherIsBetter: true,
		targetKey: 'vulnerable_activities_per_month',
		targetScope: 'pro_rata',
		name: { zh: '每月困难群体服务活动数', en: 'Activities for people in difficulty per month' },
		definition: {
			zh: '期内为特殊困难群体开展的活动数 ÷ 期内月数（按天折算）；活动有该群体的服务记录（人次 > 0 或源头隐去）即计入。目标：全市每月 ≥ 100 场，区按常住人口比例分摊，街镇再按其村居数占所在区比例分摊。',
			en: 'Activities in the period serving a special group ÷ months in the period (partial months pro rata by days); an activity counts when it has a record for such a group (person-times > 0 or withheld). Target: city ≥ 100 a month, districts pro rata by population, streets by their share of the district’s communities.'
		},
		formula: { zh: '困难群体活动数 ÷ 月数', en: 'special-group activities ÷ months' },
		source: '000（每月为困难群体开展志愿服务不少于100场）',
		basis: 'events',
		filters: ['category', 'group'],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'months',
		aggregate: (ctx) =>
			ctx.groupYear
				? `
		SELECT ${ctx.areaCols('a')}, ${ctx.groupYear('a.year', 'b.beneficiary_group')} AS year,
			COUNT(*) AS num, COUNT(*) AS basis
		FROM acts_f a
		JOIN (
			SELECT DISTINCT activity_id, beneficiary_group FROM beneficiaries
			WHERE beneficiary_group IN ${ctx.specialGroups} AND (suppressed OR person_times > 0)
		) b ON b.activity_id = a.activity_id
		GROUP BY ALL`
				: `
		SELECT ${ctx.areaCols('a')}, a.year, COUNT(*) AS num, COUNT(*) AS basis
		FROM acts_f a
		WHERE EXISTS (
			SELECT 1 FROM beneficiaries b
			WHERE b.activity_id = a.activity_id AND b.beneficiary_group IN ${ctx.specialGroups}
				AND (b.suppressed OR b.person_times > 0)
				${ctx.group ? `AND b.beneficiary_group = ${ctx.group}` : ''}
		)
		GROUP BY ALL`
	},
	{
		id: 'wish_fulfilment_rate',
		unit: 'ratio',
		higherIsBetter: true,
		name: { zh: '微心愿 30 天内实现率', en: 'Micro-wishes fulfilled within 30 days' },
		definition: {
			zh: '期内发布且在 30 天内（完成日期 − 发布日期 ≤ 30）实现的微心愿 ÷ 期内发布的微心愿；按心愿所在地计。',
			en: 'Micro-wishes posted in the period and fulfilled within 30 days (fulfilment date − posting date ≤ 30) ÷ wishes posted in the period; by the wish’s place.'
		},
		formula: { zh: '30 天内实现数 ÷ 发布数', en: 'fulfilled within 30 days ÷ posted' },
		source: '000（点亮10000微心愿：群众点单、平台派单、志愿者接单、群众评单）',
		basis: 'people',
		filters: ['category', 'group'],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'aggregate',
		aggregate: (ctx) => `
		SELECT ${ctx.areaCols('w')}, w.year,
			COUNT(*) FILTER (WHERE w.fulfilled_on IS NOT NULL
				AND date_diff('day', w.posted_on, w.fulfilled_on) <= ${Number(ctx.region.rules.wish_fulfilment_days)}) AS num,
			COUNT(*) AS den, COUNT(*) AS basis
		FROM wishes_posted w
		GROUP BY ALL`
	},
	{
		id: 'wish_days_median',
		unit: 'days',
		higherIsBetter: false,
		name: { zh: '微心愿实现天数中位数', en: 'Median days to fulfil a micro-wish' },
		definition: {
			zh: '期内实现的微心愿从发布到实现天数的中位数（偶数个时取中间两数平均）。分子为中位数，分母为实现的心愿数。',
			en: 'Median days from posting to fulfilment of wishes fulfilled in the period (mean of the middle two for an even count). Numerator = the median, denominator = wishes fulfilled.'
		},
		formula: { zh: '中位数（完成日期 − 发布日期）', en: 'median(fulfilled − posted)' },
		source: '000（微心愿）',
		basis: 'people',
		filters: ['category', 'group'],
		value: { kind: 'median' },
		denominator: 'aggregate',
		aggregate: (ctx) => `
		SELECT ${ctx.areaCols('w')}, w.year,
			MEDIAN(CAST(date_diff('day', w.posted_on, w.fulfilled_on) AS DOUBLE)) AS num,
			COUNT(*) AS den, COUNT(*) AS basis
		FROM wishes_fulfilled w
		GROUP BY ALL`
	},
	{
		id: 'activity_rating',
		unit: 'score10',
		higherIsBetter: true,
		name: { zh: '活动平均评分', en: 'Mean activity rating' },
		definition: {
			zh: '期内有反馈评分的活动的平均评分（0–10）；按举办地计。',
			en: 'Mean feedback rating (0–10) of activities in the period that have one; by place.'
		},
		formula: { zh: '评分之和 ÷ 有评分的活动数', en: 'sum of ratings ÷ rated activities' },
		source: '002 附录（志愿服务反馈表，满分10分）',
		basis: 'events',
		filters: ['category'],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'aggregate',
		aggregate: (ctx) => `
		SELECT ${ctx.areaCols('a')}, a.year, SUM(a.rating) AS num, COUNT(*) AS den, COUNT(*) AS basis
		FROM acts_f a
		WHERE a.rating IS NOT NULL
		GROUP BY ALL`
	},
	{
		id: 'training_street_coverage',
		unit: 'ratio',
		higherIsBetter: true,
		targetKey: 'training_street_coverage',
		targetScope: 'same',
		name: { zh: '志愿者培训街镇覆盖率', en: 'Streets with a volunteer training' },
		definition: {
			zh: '期内至少举办 1 次培训的街镇 ÷ 街镇总数。',
			en: 'Streets with at least one training in the period ÷ all streets.'
		},
		formula: { zh: '有培训的街镇 ÷ 街镇总数', en: 'streets with a training ÷ streets' },
		source: '001（培训覆盖11个区和100%街镇）',
		basis: 'places',
		filters: [],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'aggregate',
		aggregate: (ctx) => `
		SELECT ${ctx.areaCols('s')}, pr.year,
			COUNT(*) FILTER (WHERE EXISTS (
				SELECT 1 FROM trainings tr
				WHERE tr.street_code = s.street_code AND tr.held_on BETWEEN pr.p_from AND pr.p_to
			)) AS num,
			COUNT(*) AS den, COUNT(*) AS basis
		FROM ref_streets s CROSS JOIN periods pr
		GROUP BY ALL`
	},
	{
		id: 'points_donated_share',
		unit: 'ratio',
		higherIsBetter: true,
		name: { zh: '积分捐赠比例（二次公益）', en: 'Share of points donated (second-round charity)' },
		definition: {
			zh: '期内捐赠的积分 ÷ 期内获得的积分（取绝对值，按流水所在地计）。',
			en: 'Points donated in the period ÷ points earned in the period (absolute values, by the transaction’s place).'
		},
		formula: { zh: '捐赠积分 ÷ 获得积分', en: 'points donated ÷ points earned' },
		source: '001、002（积分可捐赠，二次公益）',
		basis: 'people',
		filters: [],
		value: { kind: 'ratio', scale: 1 },
		denominator: 'aggregate',
		aggregate: (ctx) => `
		SELECT ${ctx.areaCols('x')}, pr.year,
			SUM(ABS(x.points)) FILTER (WHERE x.kind = 'donate') AS num,
			SUM(ABS(x.points)) FILTER (WHERE x.kind = 'earn') AS den,
			COUNT(DISTINCT x.volunteer_id) FILTER (WHERE x.kind = 'earn') AS basis
		FROM points x JOIN periods pr ON ${ctx.inPeriod('x.occurred_on')}
		GROUP BY ALL`
	}
];

export const isIndicatorId = (id: string): id is IndicatorId =>
	(INDICATOR_IDS as readonly string[]).includes(id);

export function indicatorDef(id: string): IndicatorDef {
	const d = INDICATORS.find((x) => x.id === id);
	if (!d) throw new Error(`unknown indicator "${id}"; known: ${INDICATOR_IDS.join(', ')}`);
	return d;
}

/** The region's target for an indicator at city level (null when no rule gives one). */
export function cityTarget(def: IndicatorDef, region: RegionConfig): number | null {
	if (!def.targetKey) return null;
	const t = (region.targets as Record<string, number | undefined>)[def.targetKey];
	return typeof t === 'number' ? t : null;
}

export const SPECIAL_GROUPS_SQL = list(SPECIAL_GROUPS);

/**
 * Default small-cell rule for the release (DOMAIN.md §6–7): withhold a value that rests on more than 0 but fewer
 * than `threshold` people or events (participations and activities can point at a handful of people in a
 * small street). Counts of places (streets, communities) are never withheld. Unknown ids are withheld.
 */
export function isSmallCell(row: { indicator_id: string; basis_count: number }, threshold: number): boolean {
	const def = INDICATORS.find((d) => d.id === row.indicator_id);
	if (!def) return true;
	return def.basis !== 'places' && row.basis_count > 0 && row.basis_count < threshold;
}
