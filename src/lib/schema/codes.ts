/**
 * Code lists shared by the input contract, the generator, the validator, the release and the pages.
 * Codes are stable ASCII identifiers; labels are for display (zh-CN first, English second).
 * Sources: DOMAIN.md §2 (seed 002 "志愿服务领域" table, beneficiary groups named across the seeds).
 */

export interface Code {
	code: string;
	zh: string;
	en: string;
}

/** Service categories (志愿服务领域, seed 002). */
export const CATEGORIES = [
	{ code: 'care_support', zh: '爱心帮扶', en: 'Care and support' },
	{ code: 'education', zh: '支教助学', en: 'Education support' },
	{ code: 'health', zh: '卫生保健', en: 'Health care' },
	{ code: 'psychological', zh: '心理疏导', en: 'Psychological support' },
	{ code: 'legal_aid', zh: '法律援助', en: 'Legal aid' },
	{ code: 'technology', zh: '科技推广', en: 'Technology outreach' },
	{ code: 'emergency', zh: '应急救援', en: 'Emergency response' },
	{ code: 'civility', zh: '公共文明行为引导', en: 'Civic conduct guidance' },
	{ code: 'culture_sports', zh: '群众文体', en: 'Culture and sports' },
	{ code: 'environment', zh: '环境保护', en: 'Environmental protection' },
	{ code: 'public_events', zh: '大型社会公益活动', en: 'Large public-welfare events' }
] as const satisfies readonly Code[];

/** Beneficiary groups. `special: true` marks the special (vulnerable) groups of DOMAIN.md §2. */
export const BENEFICIARY_GROUPS = [
	{ code: 'elderly_alone', zh: '独居/空巢/孤寡长者', en: 'Elders living alone or empty-nest', special: true },
	{ code: 'children_in_difficulty', zh: '困境儿童', en: 'Children in difficulty', special: true },
	{ code: 'left_behind', zh: '留守妇女儿童', en: 'Left-behind women and children', special: true },
	{ code: 'disabled', zh: '残疾人', en: 'People with disabilities', special: true },
	{ code: 'workers_in_difficulty', zh: '困难职工', en: 'Workers in difficulty', special: true },
	{ code: 'low_income', zh: '低保/低收入家庭', en: 'Minimum-allowance / low-income families', special: true },
	{ code: 'serious_illness', zh: '重疾群体', en: 'People with serious illness', special: true },
	{ code: 'migrant_families', zh: '外来务工家庭', en: 'Migrant worker families', special: true },
	{ code: 'general', zh: '一般居民', en: 'General residents', special: false }
] as const satisfies readonly (Code & { special: boolean })[];

export const SPECIAL_GROUPS: readonly string[] = BENEFICIARY_GROUPS.filter((g) => g.special).map(
	(g) => g.code
);

/** Political status at registration (seed 001). */
export const POLITICAL_STATUSES = [
	{ code: 'party_member', zh: '中共党员', en: 'CPC member' },
	{ code: 'probationary_member', zh: '中共预备党员', en: 'Probationary CPC member' },
	{ code: 'party_activist', zh: '入党积极分子', en: 'Party activist' },
	{ code: 'league_member', zh: '共青团员', en: 'Communist Youth League member' },
	{ code: 'masses', zh: '群众', en: 'No affiliation' }
] as const satisfies readonly Code[];

/** Statuses that the ≥ 40 h/year rule applies to (activists, candidates, probationary members; seed 002). */
export const ACTIVIST_STATUSES: readonly string[] = ['party_activist', 'probationary_member'];

export const GENDERS = [
	{ code: 'F', zh: '女', en: 'Female' },
	{ code: 'M', zh: '男', en: 'Male' }
] as const satisfies readonly Code[];

/** Team levels, 总队 → 分队 → 大队 → 小队 (seeds 001, 002). */
export const TEAM_LEVELS = [
	{ code: 'corps', zh: '总队', en: 'Corps' },
	{ code: 'division', zh: '分队', en: 'Division' },
	{ code: 'brigade', zh: '大队', en: 'Brigade' },
	{ code: 'squad', zh: '小队', en: 'Squad' }
] as const satisfies readonly Code[];

export const TEAM_KINDS = [
	{ code: 'community', zh: '社区志愿服务队', en: 'Community volunteer team' },
	{ code: 'party_member', zh: '党员志愿服务队', en: 'Party-member volunteer team' },
	{ code: 'social_organisation', zh: '社会组织志愿服务队', en: 'Social-organisation team' },
	{ code: 'enterprise', zh: '企事业单位志愿服务队', en: 'Employer volunteer team' }
] as const satisfies readonly Code[];

export const STATION_KINDS = [
	{ code: 'social_work', zh: '社工站（时间银行志愿驿站）', en: 'Social-work station (Time Bank station)' },
	{ code: 'lei_feng', zh: '学雷锋志愿服务站', en: 'Learn-from-Lei-Feng station' },
	{ code: 'tourism', zh: '旅游志愿服务站', en: 'Tourism volunteer station' },
	{ code: 'charity_sign', zh: '慈善标识点', en: 'Charity sign point' }
] as const satisfies readonly Code[];

/** How the hours were recorded (DOMAIN.md §3). */
export const VERIFICATIONS = [
	{ code: 'scan', zh: '现场扫码', en: 'Scanned on site' },
	{ code: 'backfill', zh: '补录（盖章名册）', en: 'Back-filled with stamped roster' }
] as const satisfies readonly Code[];

/** Approval of long days: ≤ 8 h counts directly, 8–12 h needs the organisation, > 12 h the authority. */
export const APPROVALS = [
	{ code: 'none', zh: '无需审批', en: 'No approval' },
	{ code: 'organisation', zh: '组织审批', en: 'Approved by organisation' },
	{ code: 'authority', zh: '主管部门审批', en: 'Approved by authority' }
] as const satisfies readonly Code[];

export const POINT_KINDS = [
	{ code: 'earn', zh: '获得', en: 'Earned' },
	{ code: 'exchange', zh: '兑换', en: 'Exchanged' },
	{ code: 'donate', zh: '捐赠（二次公益）', en: 'Donated' }
] as const satisfies readonly Code[];

/** Named programmes (品牌项目, seed 000). Activities may carry one. */
export const PROGRAMMES = [
	{ code: 'meal_vouchers', zh: '爱心待餐', en: 'Meal vouchers' },
	{ code: 'elder_hotline', zh: '长者心声热线', en: 'Elder hotline' },
	{ code: 'autumn_warmth', zh: '金秋送暖', en: 'Autumn warmth visits' },
	{ code: 'micro_wishes', zh: '点亮10000微心愿', en: 'Light up 10,000 micro-wishes' },
	{ code: 'tourism_stations', zh: '旅游志愿服务站', en: 'Tourism volunteer stations' },
	{ code: 'waste_sorting', zh: '垃圾分类', en: 'Waste sorting' },
	{ code: 'epidemic_prevention', zh: '疫情防控', en: 'Epidemic prevention' }
] as const satisfies readonly Code[];

/** Age bands used in public files instead of birth dates (DOMAIN.md §6). Lower bound inclusive. */
export const AGE_BANDS = [
	{ code: '0-17', zh: '18岁以下', en: 'Under 18', min: 0, max: 17 },
	{ code: '18-29', zh: '18–29岁', en: '18–29', min: 18, max: 29 },
	{ code: '30-44', zh: '30–44岁', en: '30–44', min: 30, max: 44 },
	{ code: '45-59', zh: '45–59岁', en: '45–59', min: 45, max: 59 },
	{ code: '60+', zh: '60岁及以上', en: '60 and over', min: 60, max: 200 }
] as const;

export const LEDGER_ITEMS = ['time', 'content', 'participation', 'outcome', 'photos', 'evaluation'] as const;

export const codesOf = (list: readonly Code[]): string[] => list.map((c) => c.code);
