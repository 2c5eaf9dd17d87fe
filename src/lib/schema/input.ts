/**
 * The input contract: the CSV files a time bank exports (one file per table, UTF-8, header row,
 * comma-separated). This module is the single definition used by the generator, the validator,
 * the release build and `data/README.md`.
 *
 * Column types:
 * - `id`       non-empty text, unique in its table when `unique`
 * - `text`     free text (may be empty when not required)
 * - `integer`  whole number
 * - `decimal`  number with a decimal point
 * - `boolean`  1/0 (also accepted: true/false, 是/否, Y/N)
 * - `date`     calendar date: 2024-03-05, 2024/3/5, 2024年3月5日, 20240305
 * - `datetime` date and time: 2024-03-05 14:30[:00], 2024-03-05T14:30[:00], 2024/3/5 14:30, 2024年3月5日 14:30
 * - `code`     one of a code list (`codes`)
 * - `place`    a GB/T 2260 code of the configured region at the given `placeLevel`
 */
import {
	APPROVALS,
	BENEFICIARY_GROUPS,
	CATEGORIES,
	GENDERS,
	POINT_KINDS,
	POLITICAL_STATUSES,
	PROGRAMMES,
	STATION_KINDS,
	TEAM_KINDS,
	TEAM_LEVELS,
	VERIFICATIONS,
	type Code
} from './codes';

export type ColumnType =
	'id' | 'text' | 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime' | 'code' | 'place';
export type PlaceLevel = 'district' | 'street' | 'community';

export interface InputColumn {
	name: string;
	type: ColumnType;
	required: boolean;
	unique?: boolean;
	/** Unit of a number ("hours", "points", "person-times", "persons", "0–10"). */
	unit?: string;
	min?: number;
	max?: number;
	/** `min` is exclusive (hours must be > 0). */
	minExclusive?: boolean;
	codes?: readonly Code[];
	placeLevel?: PlaceLevel;
	/** Foreign key: `table.column`. */
	references?: string;
	zh: string;
	en: string;
}

export interface InputTable {
	name: InputTableName;
	file: string;
	zh: string;
	en: string;
	columns: InputColumn[];
}

export type InputTableName =
	| 'volunteers'
	| 'teams'
	| 'stations'
	| 'activities'
	| 'participations'
	| 'beneficiaries'
	| 'micro_wishes'
	| 'points'
	| 'trainings';

/**
 * Columns that carry personal data. An export may contain them (operators' systems do), but the
 * import refuses them unless `--drop-personal` is given, in which case they are dropped on read and
 * never reach any table.
 */
export const PERSONAL_COLUMNS: readonly { name: string; zh: string; en: string }[] = [
	{ name: 'name', zh: '姓名', en: 'name' },
	{ name: 'real_name', zh: '真实姓名', en: 'real name' },
	{ name: 'phone', zh: '手机号码', en: 'phone number' },
	{ name: 'mobile', zh: '手机号码', en: 'mobile number' },
	{ name: 'id_number', zh: '身份证号', en: 'ID-card number' },
	{ name: 'id_card', zh: '身份证号', en: 'ID-card number' },
	{ name: 'address', zh: '详细地址', en: 'street address' },
	{ name: 'email', zh: '电子邮箱', en: 'e-mail address' }
];

const ledger = (item: string, zh: string): InputColumn => ({
	name: `ledger_${item}`,
	type: 'boolean',
	required: true,
	zh: `台账是否含${zh}`,
	en: `ledger record has the ${item} item`
});

export const INPUT_TABLES: readonly InputTable[] = [
	{
		name: 'volunteers',
		file: 'volunteers.csv',
		zh: '志愿者（注册信息）',
		en: 'Volunteers (registration)',
		columns: [
			{
				name: 'volunteer_id',
				type: 'id',
				required: true,
				unique: true,
				zh: '志愿者编号',
				en: 'volunteer id'
			},
			{ name: 'registered_at', type: 'date', required: true, zh: '注册日期', en: 'registration date' },
			{
				name: 'birth_date',
				type: 'date',
				required: true,
				zh: '出生日期（发布时仅保留年龄段）',
				en: 'birth date (published only as an age band)'
			},
			{ name: 'gender', type: 'code', required: true, codes: GENDERS, zh: '性别', en: 'gender' },
			{
				name: 'political_status',
				type: 'code',
				required: true,
				codes: POLITICAL_STATUSES,
				zh: '政治面貌',
				en: 'political status'
			},
			{
				name: 'party_reporting',
				type: 'boolean',
				required: true,
				zh: '在职党员是否到社区报到',
				en: 'in-service party member reporting to the community'
			},
			{
				name: 'community_code',
				type: 'place',
				placeLevel: 'community',
				required: true,
				zh: '注册所在村（居）代码',
				en: 'community of registration (12-digit code)'
			}
		]
	},
	{
		name: 'teams',
		file: 'teams.csv',
		zh: '志愿服务队伍',
		en: 'Volunteer teams',
		columns: [
			{ name: 'team_id', type: 'id', required: true, unique: true, zh: '队伍编号', en: 'team id' },
			{ name: 'name', type: 'text', required: true, zh: '队伍名称', en: 'team name' },
			{ name: 'level', type: 'code', required: true, codes: TEAM_LEVELS, zh: '层级', en: 'level' },
			{ name: 'kind', type: 'code', required: true, codes: TEAM_KINDS, zh: '类型', en: 'kind' },
			{
				name: 'parent_team_id',
				type: 'id',
				required: false,
				references: 'teams.team_id',
				zh: '上级队伍编号',
				en: 'parent team id'
			},
			{
				name: 'community_code',
				type: 'place',
				placeLevel: 'community',
				required: true,
				zh: '所属村（居）代码',
				en: 'home community (12-digit code)'
			},
			{ name: 'founded_at', type: 'date', required: true, zh: '成立日期', en: 'founding date' }
		]
	},
	{
		name: 'stations',
		file: 'stations.csv',
		zh: '志愿服务站点',
		en: 'Volunteer stations',
		columns: [
			{ name: 'station_id', type: 'id', required: true, unique: true, zh: '站点编号', en: 'station id' },
			{ name: 'name', type: 'text', required: true, zh: '站点名称', en: 'station name' },
			{ name: 'kind', type: 'code', required: true, codes: STATION_KINDS, zh: '类型', en: 'kind' },
			{
				name: 'street_code',
				type: 'place',
				placeLevel: 'street',
				required: true,
				zh: '所在街（镇）代码',
				en: 'street/town (9-digit code)'
			},
			{
				name: 'community_code',
				type: 'place',
				placeLevel: 'community',
				required: false,
				zh: '所在村（居）代码',
				en: 'community (12-digit code), when the station sits in one'
			},
			{ name: 'opened_at', type: 'date', required: true, zh: '启用日期', en: 'opening date' },
			{ name: 'closed_at', type: 'date', required: false, zh: '撤销日期', en: 'closing date' }
		]
	},
	{
		name: 'activities',
		file: 'activities.csv',
		zh: '志愿服务活动',
		en: 'Activities',
		columns: [
			{ name: 'activity_id', type: 'id', required: true, unique: true, zh: '活动编号', en: 'activity id' },
			{ name: 'title', type: 'text', required: true, zh: '活动主题', en: 'title' },
			{
				name: 'team_id',
				type: 'id',
				required: true,
				references: 'teams.team_id',
				zh: '组织队伍编号',
				en: 'organising team id'
			},
			{
				name: 'station_id',
				type: 'id',
				required: false,
				references: 'stations.station_id',
				zh: '站点编号',
				en: 'station id'
			},
			{
				name: 'category',
				type: 'code',
				required: true,
				codes: CATEGORIES,
				zh: '服务领域',
				en: 'service category'
			},
			{
				name: 'programme',
				type: 'code',
				required: false,
				codes: PROGRAMMES,
				zh: '品牌项目',
				en: 'named programme'
			},
			{
				name: 'community_code',
				type: 'place',
				placeLevel: 'community',
				required: true,
				zh: '活动所在村（居）代码',
				en: 'community where the activity took place (12-digit code)'
			},
			{ name: 'start_at', type: 'datetime', required: true, zh: '开始时间', en: 'start time' },
			{ name: 'end_at', type: 'datetime', required: true, zh: '结束时间', en: 'end time' },
			ledger('time', '时间'),
			ledger('content', '内容'),
			ledger('participation', '志愿者参与情况'),
			ledger('outcome', '成效'),
			ledger('photos', '照片'),
			ledger('evaluation', '评估'),
			{
				name: 'rating',
				type: 'decimal',
				required: false,
				unit: '0–10',
				min: 0,
				max: 10,
				zh: '服务反馈评分（满分10分）',
				en: 'feedback rating (out of 10)'
			}
		]
	},
	{
		name: 'participations',
		file: 'participations.csv',
		zh: '参与记录（服务时数）',
		en: 'Participations (service hours)',
		columns: [
			{
				name: 'participation_id',
				type: 'id',
				required: true,
				unique: true,
				zh: '参与记录编号',
				en: 'participation id'
			},
			{
				name: 'activity_id',
				type: 'id',
				required: true,
				references: 'activities.activity_id',
				zh: '活动编号',
				en: 'activity id'
			},
			{
				name: 'volunteer_id',
				type: 'id',
				required: true,
				references: 'volunteers.volunteer_id',
				zh: '志愿者编号',
				en: 'volunteer id'
			},
			{
				name: 'hours',
				type: 'decimal',
				required: true,
				unit: 'hours',
				min: 0,
				minExclusive: true,
				max: 24,
				zh: '服务时数（小时，> 0 且 ≤ 24）',
				en: 'service hours (> 0 and ≤ 24)'
			},
			{ name: 'signed_in_at', type: 'datetime', required: false, zh: '签到时间', en: 'sign-in time' },
			{
				name: 'verification',
				type: 'code',
				required: true,
				codes: VERIFICATIONS,
				zh: '时数核验方式',
				en: 'verification class'
			},
			{
				name: 'approval',
				type: 'code',
				required: true,
				codes: APPROVALS,
				zh: '超时审批状态',
				en: 'approval of long days'
			},
			{
				name: 'confirmed_at',
				type: 'datetime',
				required: false,
				zh: '组织方确认时间（空 = 未确认）',
				en: 'confirmation time by the organiser (empty = unconfirmed)'
			}
		]
	},
	{
		name: 'beneficiaries',
		file: 'beneficiaries.csv',
		zh: '服务对象（按活动与群体的人次）',
		en: 'Beneficiaries (person-times per activity and group)',
		columns: [
			{
				name: 'activity_id',
				type: 'id',
				required: true,
				references: 'activities.activity_id',
				zh: '活动编号',
				en: 'activity id'
			},
			{
				name: 'beneficiary_group',
				type: 'code',
				required: true,
				codes: BENEFICIARY_GROUPS,
				zh: '服务对象群体',
				en: 'beneficiary group'
			},
			{
				name: 'person_times',
				type: 'integer',
				required: true,
				unit: 'person-times',
				min: 0,
				zh: '服务人次',
				en: 'person-times served'
			}
		]
	},
	{
		name: 'micro_wishes',
		file: 'micro_wishes.csv',
		zh: '微心愿（群众点单 → 平台派单 → 志愿者接单 → 群众评单）',
		en: 'Micro-wishes (posted → dispatched → accepted → fulfilled → rated)',
		columns: [
			{ name: 'wish_id', type: 'id', required: true, unique: true, zh: '心愿编号', en: 'wish id' },
			{
				name: 'community_code',
				type: 'place',
				placeLevel: 'community',
				required: true,
				zh: '所在村（居）代码',
				en: 'community (12-digit code)'
			},
			{
				name: 'beneficiary_group',
				type: 'code',
				required: true,
				codes: BENEFICIARY_GROUPS,
				zh: '许愿人群体',
				en: 'group of the person making the wish'
			},
			{
				name: 'category',
				type: 'code',
				required: true,
				codes: CATEGORIES,
				zh: '服务领域',
				en: 'service category'
			},
			{ name: 'posted_at', type: 'datetime', required: true, zh: '点单时间', en: 'posted' },
			{ name: 'dispatched_at', type: 'datetime', required: false, zh: '派单时间', en: 'dispatched' },
			{ name: 'accepted_at', type: 'datetime', required: false, zh: '接单时间', en: 'accepted' },
			{ name: 'fulfilled_at', type: 'datetime', required: false, zh: '完成时间', en: 'fulfilled' },
			{
				name: 'volunteer_id',
				type: 'id',
				required: false,
				references: 'volunteers.volunteer_id',
				zh: '接单志愿者编号',
				en: 'accepting volunteer id'
			},
			{
				name: 'rating',
				type: 'decimal',
				required: false,
				unit: '0–10',
				min: 0,
				max: 10,
				zh: '评单评分（满分10分）',
				en: 'rating (out of 10)'
			}
		]
	},
	{
		name: 'points',
		file: 'points.csv',
		zh: '积分流水（获得 / 兑换 / 捐赠）',
		en: 'Point transactions (earn / exchange / donate)',
		columns: [
			{
				name: 'transaction_id',
				type: 'id',
				required: true,
				unique: true,
				zh: '流水编号',
				en: 'transaction id'
			},
			{
				name: 'volunteer_id',
				type: 'id',
				required: true,
				references: 'volunteers.volunteer_id',
				zh: '志愿者编号',
				en: 'volunteer id'
			},
			{ name: 'kind', type: 'code', required: true, codes: POINT_KINDS, zh: '类型', en: 'kind' },
			{
				name: 'points',
				type: 'integer',
				required: true,
				unit: 'points',
				min: 1,
				zh: '积分（正整数）',
				en: 'points (positive whole number)'
			},
			{ name: 'occurred_at', type: 'datetime', required: true, zh: '发生时间', en: 'time' },
			{
				name: 'activity_id',
				type: 'id',
				required: false,
				references: 'activities.activity_id',
				zh: '来源活动编号（获得积分时）',
				en: 'source activity id (for earned points)'
			}
		]
	},
	{
		name: 'trainings',
		file: 'trainings.csv',
		zh: '志愿者培训',
		en: 'Volunteer trainings',
		columns: [
			{ name: 'training_id', type: 'id', required: true, unique: true, zh: '培训编号', en: 'training id' },
			{
				name: 'street_code',
				type: 'place',
				placeLevel: 'street',
				required: true,
				zh: '举办街（镇）代码',
				en: 'street/town where held (9-digit code)'
			},
			{ name: 'held_on', type: 'date', required: true, zh: '培训日期', en: 'date' },
			{
				name: 'trainees',
				type: 'integer',
				required: true,
				unit: 'persons',
				min: 1,
				zh: '参训人数',
				en: 'trainees'
			},
			{ name: 'topic', type: 'text', required: true, zh: '培训主题', en: 'topic' }
		]
	}
];

export const inputTable = (name: InputTableName): InputTable => {
	const t = INPUT_TABLES.find((x) => x.name === name);
	if (!t) throw new Error(`unknown input table ${name}`);
	return t;
};
