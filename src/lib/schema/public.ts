/**
 * The public tables of a release: what the browser loads (Arrow IPC), what researchers download
 * (Parquet, CSV) and what the indicator SQL reads. Names and columns here are canonical; the release
 * build writes exactly these, the data package describes them from here, and the indicator SQL uses them.
 *
 * Privacy (DOMAIN.md §6): no names, phones, ID numbers, birth dates or addresses; volunteer ids are
 * keyed-hash pseudonyms; beneficiaries appear only as counts per activity and group.
 */

import { VERIFICATIONS } from './codes';

const VERIFICATION_CODES: readonly string[] = VERIFICATIONS.map((v) => v.code);

export type SqlType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP';

export interface PublicColumn {
	name: string;
	type: SqlType;
	/** May be null. */
	nullable?: boolean;
	unit?: string;
	/** Code list name from `codes.ts` (e.g. "CATEGORIES"). */
	codes?: string;
	/**
	 * In the Parquet and CSV downloads only, not in the browser's copy (Arrow): a per-row pseudonym that no
	 * other table refers to and no page or indicator reads. Random by design, it does not compress: at scale 10
	 * the hours table's `participation_id` was 120 of its 173 MB of brotli, and loading the table into DuckDB-WASM
	 * took 20 s with it, 14 s without.
	 */
	downloadsOnly?: boolean;
	zh: string;
	en: string;
}

export interface PublicTable {
	name: string;
	zh: string;
	en: string;
	primaryKey: string[];
	foreignKeys?: { fields: string[]; table: string; fieldsRef: string[] }[];
	/** Loaded by the dashboard pages (small or needed for first interaction). Others load on demand. */
	browser: 'page' | 'on-demand';
	columns: PublicColumn[];
}

const place = (level: 'district' | 'street' | 'community', nullable = false): PublicColumn => ({
	name: `${level}_code`,
	type: 'VARCHAR',
	nullable,
	zh: {
		district: '区代码（GB/T 2260，6位）',
		street: '街（镇）代码（9位）',
		community: '村（居）代码（12位）'
	}[level],
	en: {
		district: 'district code (GB/T 2260, 6 digits)',
		street: 'street/town code (9 digits)',
		community: 'community code (12 digits)'
	}[level]
});

/** A column that may be empty because it was withheld against re-identification (k-anonymity). */
const withheld = (c: PublicColumn): PublicColumn => ({
	...c,
	zh: `${c.zh}（为防识别可能为空）`,
	en: `${c.en} (may be withheld against re-identification)`
});
const month: PublicColumn = {
	name: 'month',
	type: 'DATE',
	zh: '月份（当月1日）',
	en: 'month (its first day)'
};
const count = (name: string, zh: string, en: string): PublicColumn => ({ name, type: 'INTEGER', zh, en });
const allOr = (c: PublicColumn, zh: string, en: string): PublicColumn => ({
	...c,
	nullable: true,
	zh: `${c.zh}；空值表示${zh}`,
	en: `${c.en}; empty means ${en}`
});
const categoryCol: PublicColumn = {
	name: 'category',
	type: 'VARCHAR',
	codes: 'CATEGORIES',
	zh: '服务领域',
	en: 'service category'
};
const groupCol: PublicColumn = {
	name: 'beneficiary_group',
	type: 'VARCHAR',
	codes: 'BENEFICIARY_GROUPS',
	zh: '受益群体',
	en: 'beneficiary group'
};
const AGG_NOTE = { zh: '（预汇总，由公开表计算）', en: ' (pre-aggregated from the public tables)' };

/** Columns of an indicator row (`indicators`, and `agg_indicators` with its slice columns). */
const INDICATOR_COLUMNS: readonly PublicColumn[] = [
	{ name: 'indicator_id', type: 'VARCHAR', zh: '指标编号', en: 'indicator id' },
	{
		name: 'level',
		type: 'VARCHAR',
		zh: '层级（city / district / street）',
		en: 'level (city / district / street)'
	},
	{ name: 'area_code', type: 'VARCHAR', zh: '区域代码', en: 'area code' },
	{ name: 'year', type: 'INTEGER', zh: '年度', en: 'year' },
	{ name: 'numerator', type: 'DOUBLE', nullable: true, zh: '分子', en: 'numerator' },
	{ name: 'denominator', type: 'DOUBLE', nullable: true, zh: '分母', en: 'denominator' },
	{
		name: 'value',
		type: 'DOUBLE',
		nullable: true,
		zh: '指标值（隐去时为空）',
		en: 'value (empty when withheld)'
	},
	{ name: 'target', type: 'DOUBLE', nullable: true, zh: '目标值', en: 'target' },
	{ name: 'suppressed', type: 'BOOLEAN', zh: '是否因小样本隐去', en: 'withheld for small numbers' }
];

/** A table of indicator slices (per quarter, category or group) for some levels (`zh` / `en`: which ones). */
const indicatorSlices = (name: string, zh: string, en: string): PublicTable => ({
	name,
	zh: `考核指标的季度、服务领域和受益群体切片：${zh}（与 indicators 同样计算并隐去小样本；只含随该筛选变化的指标）`,
	en: `Assessment indicators per quarter, service category and beneficiary group: ${en} (computed and withheld like indicators; only the indicators that the filter changes)`,
	primaryKey: [],
	browser: 'page',
	columns: [
		...INDICATOR_COLUMNS.slice(0, 4),
		allOr(
			{ name: 'quarter', type: 'INTEGER', zh: '季度（1–4）', en: 'quarter (1–4)' },
			'全年',
			'the whole year'
		),
		allOr(categoryCol, '全部领域', 'all categories'),
		allOr(groupCol, '全部受益群体', 'all beneficiary groups'),
		...INDICATOR_COLUMNS.slice(4)
	]
});

/**
 * Two tables from one: the rows for all activities (`beneficiary_group` empty), which the pages read unless a
 * group is chosen (so the first answer loads only these), and the rows per beneficiary group (`<name>_group`).
 */
const splitByGroup = (t: PublicTable): PublicTable[] => [
	{
		...t,
		zh: `${t.zh}：全部活动的行（各受益群体的行见 ${t.name}_group）`,
		en: `${t.en}: the rows for all activities (the rows per beneficiary group are in ${t.name}_group)`
	},
	{
		...t,
		name: `${t.name}_group`,
		zh: `${t.zh}：各受益群体的行`,
		en: `${t.en}: the rows per beneficiary group`
	}
];

/**
 * Pre-aggregated tables: small tables computed at build time from the public tables above (so they add no
 * information the public tables do not hold), read by the dashboard's filter interactions instead of the raw
 * activities / hours / beneficiaries / volunteers tables (see src/lib/aggregates). `primaryKey` is empty where
 * a NULL key means "all" (a roll-up row). `agg_indicators` is the exception to "from the public tables": it is
 * computed and withheld exactly like `indicators` (before the last k-anonymity steps), in slices.
 */
const AGGREGATE_TABLES: readonly PublicTable[] = [
	...splitByGroup({
		name: 'agg_activity_month',
		zh: `活动、时数与受益人次（按月、街镇、服务领域、受益群体）${AGG_NOTE.zh}`,
		en: `Activities, hours and person-times per month, street, category and beneficiary group${AGG_NOTE.en}`,
		primaryKey: [],
		browser: 'page',
		columns: [
			{ ...month, zh: '活动开始月份（当月1日）', en: 'month the activities started (its first day)' },
			place('district'),
			place('street'),
			categoryCol,
			allOr(
				{
					...groupCol,
					zh: '受益群体（该行只含服务该群体的活动）',
					en: 'beneficiary group (the row counts only activities serving it)'
				},
				'全部活动',
				'all activities'
			),
			count('activities', '活动数', 'activities'),
			count('participations', '已确认参与人次', 'confirmed participations'),
			{ name: 'hours', type: 'DOUBLE', unit: 'hours', zh: '已确认服务时数', en: 'confirmed hours' },
			...VERIFICATION_CODES.flatMap((v): PublicColumn[] => [
				count(
					`participations_${v}`,
					`已确认参与人次（记录方式 ${v}）`,
					`confirmed participations recorded by ${v}`
				),
				{
					name: `hours_${v}`,
					type: 'DOUBLE',
					unit: 'hours',
					zh: `已确认服务时数（记录方式 ${v}）`,
					en: `confirmed hours recorded by ${v}`
				}
			]),
			count(
				'person_times',
				'受益人次（未隐去的格子之和；群体行只计该群体）',
				'person-times (sum of the cells not withheld; a group row counts that group only)'
			),
			count('withheld_cells', '因小样本隐去的受益格子数', 'beneficiary cells withheld for small numbers')
		]
	}),
	...splitByGroup({
		name: 'agg_active',
		zh: `活跃志愿者人数（按年或季度、区、街镇、服务领域、受益群体）${AGG_NOTE.zh}`,
		en: `Active volunteers per year or quarter, district, street, category and beneficiary group${AGG_NOTE.en}`,
		primaryKey: [],
		browser: 'page',
		columns: [
			{ name: 'year', type: 'INTEGER', zh: '年度', en: 'year' },
			allOr(
				{ name: 'quarter', type: 'INTEGER', zh: '季度（1–4）', en: 'quarter (1–4)' },
				'全年',
				'the whole year'
			),
			allOr(place('district'), '全市', 'the whole city'),
			allOr(place('street'), '全区或全市', 'the whole district or city'),
			allOr(categoryCol, '全部领域', 'all categories'),
			allOr(groupCol, '全部活动', 'all activities'),
			count(
				'volunteers',
				'在期内有已确认时数的不同志愿者人数（按活动所在地）',
				'distinct volunteers with confirmed hours in the period (by where the activity took place)'
			)
		]
	}),
	{
		name: 'agg_registrations',
		zh: `志愿者注册人数（按注册月份、区、街镇）${AGG_NOTE.zh}`,
		en: `Volunteer registrations per month, district and street${AGG_NOTE.en}`,
		primaryKey: [],
		browser: 'page',
		columns: [
			{ ...month, zh: '注册月份（当月1日）', en: 'month of registration (its first day)' },
			allOr(place('district'), '为防识别而隐去', 'withheld against re-identification'),
			allOr(place('street'), '为防识别而隐去', 'withheld against re-identification'),
			count('volunteers', '注册人数', 'registrations')
		]
	},
	{
		name: 'agg_stars',
		zh: `志愿者达到星级的人数（按月份、注册区、街镇与星级）${AGG_NOTE.zh}`,
		en: `Volunteers reaching a star level per month, district and street of registration${AGG_NOTE.en}`,
		primaryKey: [],
		browser: 'page',
		columns: [
			{
				...month,
				zh: '达到该星级的月份（当月1日；0星为注册月份）',
				en: 'month the level was reached (its first day; level 0: registration)'
			},
			allOr(place('district'), '为防识别而隐去', 'withheld against re-identification'),
			allOr(place('street'), '为防识别而隐去', 'withheld against re-identification'),
			{
				name: 'stars',
				type: 'INTEGER',
				zh: '星级（0–5，按累计已确认时数）',
				en: 'star level (0–5, by cumulative confirmed hours)'
			},
			count('volunteers', '当月达到该星级的人数', 'volunteers reaching the level that month')
		]
	},
	{
		name: 'agg_community_activity',
		zh: `各村（居）队伍组织的活动数（按月份与活动所在区）${AGG_NOTE.zh}`,
		en: `Activities held by each community's teams per month and district of the activity${AGG_NOTE.en}`,
		primaryKey: ['month', 'community_code', 'district_code'],
		browser: 'page',
		columns: [
			{ ...month, zh: '活动开始月份（当月1日）', en: 'month the activities started (its first day)' },
			{ ...place('community'), zh: '队伍所在村（居）代码', en: "code of the team's community" },
			{ ...place('district'), zh: '活动所在区代码', en: 'district code of the activity' },
			count('activities', '活动数', 'activities')
		]
	},
	{
		name: 'agg_wishes',
		zh: `已完成的微心愿数（按完成月份、区、街镇、服务领域、受益群体）${AGG_NOTE.zh}`,
		en: `Fulfilled micro-wishes per month, district, street, category and beneficiary group${AGG_NOTE.en}`,
		primaryKey: ['month', 'street_code', 'category', 'beneficiary_group'],
		browser: 'page',
		columns: [
			{ ...month, zh: '完成月份（当月1日）', en: 'month fulfilled (its first day)' },
			place('district'),
			place('street'),
			categoryCol,
			groupCol,
			count('wishes', '完成数', 'wishes fulfilled')
		]
	},
	indicatorSlices('agg_indicators', '全市和各区', 'city and districts'),
	indicatorSlices('agg_indicators_street', '街镇', 'streets')
];

export const PUBLIC_TABLES: readonly PublicTable[] = [
	{
		name: 'ref_districts',
		zh: '区（含常住人口）',
		en: 'Districts (with resident population)',
		primaryKey: ['district_code'],
		browser: 'page',
		columns: [
			place('district'),
			{ name: 'name_zh', type: 'VARCHAR', zh: '中文名称', en: 'name (Chinese)' },
			{ name: 'name_en', type: 'VARCHAR', zh: '英文名称', en: 'name (English)' },
			{
				name: 'population',
				type: 'DOUBLE',
				unit: 'persons',
				zh: '常住人口（人）',
				en: 'resident population'
			},
			{ name: 'population_year', type: 'INTEGER', zh: '人口数据年份', en: 'population year' }
		]
	},
	{
		name: 'ref_streets',
		zh: '街（镇）',
		en: 'Streets and towns',
		primaryKey: ['street_code'],
		foreignKeys: [{ fields: ['district_code'], table: 'ref_districts', fieldsRef: ['district_code'] }],
		browser: 'page',
		columns: [
			place('street'),
			place('district'),
			{ name: 'name_zh', type: 'VARCHAR', zh: '名称', en: 'name' }
		]
	},
	{
		name: 'ref_communities',
		zh: '村（居）委会',
		en: 'Communities (village and residents’ committees)',
		primaryKey: ['community_code'],
		foreignKeys: [{ fields: ['street_code'], table: 'ref_streets', fieldsRef: ['street_code'] }],
		browser: 'page',
		columns: [
			place('community'),
			place('street'),
			place('district'),
			{ name: 'name_zh', type: 'VARCHAR', zh: '名称', en: 'name' }
		]
	},
	{
		name: 'ref_calendar',
		zh: '工作日历（含调休）',
		en: 'Working-day calendar (with adjusted working days)',
		primaryKey: ['date'],
		browser: 'page',
		columns: [
			{ name: 'date', type: 'DATE', zh: '日期', en: 'date' },
			{ name: 'is_workday', type: 'BOOLEAN', zh: '是否工作日', en: 'is a working day' },
			{
				name: 'workday_index',
				type: 'INTEGER',
				zh: '截至当日（含）的累计工作日序号',
				en: 'running count of working days up to and including this date'
			}
		]
	},
	{
		name: 'volunteers',
		zh: '志愿者（假名化）',
		en: 'Volunteers (pseudonymised)',
		primaryKey: ['volunteer_id'],
		browser: 'on-demand',
		columns: [
			{ name: 'volunteer_id', type: 'VARCHAR', zh: '志愿者假名编号', en: 'volunteer pseudonym' },
			{ name: 'registered_on', type: 'DATE', zh: '注册日期', en: 'registration date' },
			{
				name: 'age_band',
				type: 'VARCHAR',
				nullable: true,
				codes: 'AGE_BANDS',
				zh: '注册时年龄段（为防识别可能为空）',
				en: 'age band at registration (may be withheld against re-identification)'
			},
			{
				name: 'gender',
				type: 'VARCHAR',
				nullable: true,
				codes: 'GENDERS',
				zh: '性别（为防识别可能为空）',
				en: 'gender (may be withheld)'
			},
			{
				name: 'political_status',
				type: 'VARCHAR',
				nullable: true,
				codes: 'POLITICAL_STATUSES',
				zh: '政治面貌（为防识别可能为空）',
				en: 'political status (may be withheld against re-identification)'
			},
			{
				name: 'party_reporting',
				type: 'BOOLEAN',
				nullable: true,
				zh: '在职党员到社区报到（为防识别可能为空）',
				en: 'in-service party member reporting (may be withheld)'
			},
			withheld(place('district', true)),
			withheld(place('street', true)),
			{
				...place('community', true),
				zh: '村（居）代码（为防识别可能为空）',
				en: 'community code (may be withheld)'
			}
		]
	},
	{
		name: 'teams',
		zh: '志愿服务队伍',
		en: 'Teams',
		primaryKey: ['team_id'],
		browser: 'page',
		columns: [
			{ name: 'team_id', type: 'VARCHAR', zh: '队伍编号', en: 'team id' },
			{ name: 'name', type: 'VARCHAR', zh: '队伍名称', en: 'name' },
			{ name: 'level', type: 'VARCHAR', codes: 'TEAM_LEVELS', zh: '层级', en: 'level' },
			{ name: 'kind', type: 'VARCHAR', codes: 'TEAM_KINDS', zh: '类型', en: 'kind' },
			{ name: 'parent_team_id', type: 'VARCHAR', nullable: true, zh: '上级队伍编号', en: 'parent team id' },
			place('district'),
			place('street'),
			place('community'),
			{ name: 'founded_on', type: 'DATE', zh: '成立日期', en: 'founding date' }
		]
	},
	{
		name: 'stations',
		zh: '志愿服务站点',
		en: 'Stations',
		primaryKey: ['station_id'],
		browser: 'page',
		columns: [
			{ name: 'station_id', type: 'VARCHAR', zh: '站点编号', en: 'station id' },
			{ name: 'name', type: 'VARCHAR', zh: '站点名称', en: 'name' },
			{ name: 'kind', type: 'VARCHAR', codes: 'STATION_KINDS', zh: '类型', en: 'kind' },
			place('district'),
			place('street'),
			place('community', true),
			{ name: 'opened_on', type: 'DATE', zh: '启用日期', en: 'opening date' },
			{ name: 'closed_on', type: 'DATE', nullable: true, zh: '撤销日期', en: 'closing date' }
		]
	},
	{
		name: 'activities',
		zh: '志愿服务活动',
		en: 'Activities',
		primaryKey: ['activity_id'],
		foreignKeys: [{ fields: ['team_id'], table: 'teams', fieldsRef: ['team_id'] }],
		browser: 'on-demand',
		columns: [
			{ name: 'activity_id', type: 'VARCHAR', zh: '活动编号', en: 'activity id' },
			{ name: 'title', type: 'VARCHAR', zh: '活动主题', en: 'title' },
			{ name: 'team_id', type: 'VARCHAR', zh: '组织队伍编号', en: 'team id' },
			{ name: 'station_id', type: 'VARCHAR', nullable: true, zh: '站点编号', en: 'station id' },
			{ name: 'category', type: 'VARCHAR', codes: 'CATEGORIES', zh: '服务领域', en: 'service category' },
			{
				name: 'programme',
				type: 'VARCHAR',
				nullable: true,
				codes: 'PROGRAMMES',
				zh: '品牌项目',
				en: 'programme'
			},
			place('district'),
			place('street'),
			place('community'),
			{ name: 'start_at', type: 'TIMESTAMP', zh: '开始时间', en: 'start' },
			{ name: 'end_at', type: 'TIMESTAMP', zh: '结束时间', en: 'end' },
			{ name: 'ledger_time', type: 'BOOLEAN', zh: '台账：时间', en: 'ledger: time' },
			{ name: 'ledger_content', type: 'BOOLEAN', zh: '台账：内容', en: 'ledger: content' },
			{ name: 'ledger_participation', type: 'BOOLEAN', zh: '台账：参与情况', en: 'ledger: participation' },
			{ name: 'ledger_outcome', type: 'BOOLEAN', zh: '台账：成效', en: 'ledger: outcome' },
			{ name: 'ledger_photos', type: 'BOOLEAN', zh: '台账：照片', en: 'ledger: photos' },
			{ name: 'ledger_evaluation', type: 'BOOLEAN', zh: '台账：评估', en: 'ledger: evaluation' },
			{ name: 'rating', type: 'DOUBLE', nullable: true, unit: '0–10', zh: '反馈评分', en: 'feedback rating' }
		]
	},
	{
		name: 'hours',
		zh: '服务时数（参与记录，假名化）',
		en: 'Hours (participations, pseudonymised)',
		primaryKey: ['participation_id'],
		foreignKeys: [
			{ fields: ['activity_id'], table: 'activities', fieldsRef: ['activity_id'] },
			{ fields: ['volunteer_id'], table: 'volunteers', fieldsRef: ['volunteer_id'] }
		],
		browser: 'on-demand',
		columns: [
			{
				name: 'participation_id',
				type: 'VARCHAR',
				downloadsOnly: true,
				zh: '参与记录编号（假名化）',
				en: 'participation id (pseudonym)'
			},
			{ name: 'activity_id', type: 'VARCHAR', zh: '活动编号', en: 'activity id' },
			{ name: 'volunteer_id', type: 'VARCHAR', zh: '志愿者假名编号', en: 'volunteer pseudonym' },
			{ name: 'hours', type: 'DOUBLE', unit: 'hours', zh: '服务时数', en: 'hours' },
			{ name: 'signed_in', type: 'BOOLEAN', zh: '是否签到', en: 'signed in' },
			{
				name: 'verification',
				type: 'VARCHAR',
				codes: 'VERIFICATIONS',
				zh: '核验方式',
				en: 'verification class'
			},
			{ name: 'approval', type: 'VARCHAR', codes: 'APPROVALS', zh: '超时审批', en: 'approval' },
			{
				name: 'confirmed_on',
				type: 'DATE',
				nullable: true,
				zh: '确认日期（空 = 未确认）',
				en: 'confirmation date (empty = unconfirmed)'
			}
		]
	},
	{
		name: 'beneficiaries',
		zh: '服务对象人次（按活动与群体）',
		en: 'Beneficiary person-times (per activity and group)',
		primaryKey: ['activity_id', 'beneficiary_group'],
		foreignKeys: [{ fields: ['activity_id'], table: 'activities', fieldsRef: ['activity_id'] }],
		browser: 'on-demand',
		columns: [
			{ name: 'activity_id', type: 'VARCHAR', zh: '活动编号', en: 'activity id' },
			{ name: 'beneficiary_group', type: 'VARCHAR', codes: 'BENEFICIARY_GROUPS', zh: '群体', en: 'group' },
			{
				name: 'person_times',
				type: 'INTEGER',
				nullable: true,
				unit: 'person-times',
				zh: '服务人次（小于5时隐去）',
				en: 'person-times (withheld when below 5)'
			},
			{ name: 'suppressed', type: 'BOOLEAN', zh: '是否隐去', en: 'withheld' }
		]
	},
	{
		name: 'micro_wishes',
		zh: '微心愿',
		en: 'Micro-wishes',
		primaryKey: ['wish_id'],
		browser: 'on-demand',
		columns: [
			{ name: 'wish_id', type: 'VARCHAR', zh: '心愿编号（假名化）', en: 'wish id (pseudonym)' },
			place('district'),
			place('street'),
			{ name: 'beneficiary_group', type: 'VARCHAR', codes: 'BENEFICIARY_GROUPS', zh: '群体', en: 'group' },
			{ name: 'category', type: 'VARCHAR', codes: 'CATEGORIES', zh: '服务领域', en: 'category' },
			{ name: 'posted_on', type: 'DATE', zh: '点单日期', en: 'posted' },
			{ name: 'dispatched_on', type: 'DATE', nullable: true, zh: '派单日期', en: 'dispatched' },
			{ name: 'accepted_on', type: 'DATE', nullable: true, zh: '接单日期', en: 'accepted' },
			{ name: 'fulfilled_on', type: 'DATE', nullable: true, zh: '完成日期', en: 'fulfilled' },
			{ name: 'rating', type: 'DOUBLE', nullable: true, unit: '0–10', zh: '评分', en: 'rating' }
		]
	},
	{
		name: 'points',
		zh: '积分流水（假名化）',
		en: 'Point transactions (pseudonymised)',
		primaryKey: ['transaction_id'],
		browser: 'on-demand',
		columns: [
			{
				name: 'transaction_id',
				type: 'VARCHAR',
				downloadsOnly: true,
				zh: '流水编号（假名化）',
				en: 'transaction id (pseudonym)'
			},
			{ name: 'volunteer_id', type: 'VARCHAR', zh: '志愿者假名编号', en: 'volunteer pseudonym' },
			withheld(place('district', true)),
			withheld(place('street', true)),
			{ name: 'kind', type: 'VARCHAR', codes: 'POINT_KINDS', zh: '类型', en: 'kind' },
			{ name: 'points', type: 'INTEGER', unit: 'points', zh: '积分', en: 'points' },
			{ name: 'occurred_on', type: 'DATE', zh: '日期', en: 'date' }
		]
	},
	{
		name: 'trainings',
		zh: '志愿者培训',
		en: 'Trainings',
		primaryKey: ['training_id'],
		browser: 'page',
		columns: [
			{ name: 'training_id', type: 'VARCHAR', zh: '培训编号', en: 'training id' },
			place('district'),
			place('street'),
			{ name: 'held_on', type: 'DATE', zh: '培训日期', en: 'date' },
			{ name: 'trainees', type: 'INTEGER', unit: 'persons', zh: '参训人数', en: 'trainees' },
			{ name: 'topic', type: 'VARCHAR', zh: '主题', en: 'topic' }
		]
	},
	{
		name: 'indicators',
		zh: '考核指标（按市、区、街镇与年度）',
		en: 'Assessment indicators (per city, district, street and year)',
		primaryKey: ['indicator_id', 'level', 'area_code', 'year'],
		browser: 'page',
		columns: [...INDICATOR_COLUMNS]
	},
	...AGGREGATE_TABLES
];

export const publicTable = (name: string): PublicTable => {
	const t = PUBLIC_TABLES.find((x) => x.name === name);
	if (!t) throw new Error(`unknown public table ${name}`);
	return t;
};

/** The columns of a table's browser copy (Arrow): all but the `downloadsOnly` ones, in order. */
export const browserColumns = (t: PublicTable): PublicColumn[] => t.columns.filter((c) => !c.downloadsOnly);

/** A table as the browser has it (`browserColumns`), for test fixtures that stand in for the browser's tables. */
export const browserTable = (t: PublicTable): PublicTable => ({ ...t, columns: browserColumns(t) });

/** `CREATE TABLE` statement for a public table (used by the release build and test fixtures). */
export const createTableSql = (t: PublicTable, name = t.name): string =>
	`CREATE TABLE ${name} (${t.columns.map((c) => `"${c.name}" ${c.type}${c.nullable ? '' : ' NOT NULL'}`).join(', ')})`;
