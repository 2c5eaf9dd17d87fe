/** Chinese text templates for the sample data: activity titles, team/station names, training topics,
 * synthetic personal names. Templates never contain personal names. */

export const TITLE_TEMPLATES: Record<string, readonly string[]> = {
	care_support: [
		'关爱独居长者上门探访',
		'爱心义剪进社区',
		'长者集体生日会',
		'困境儿童陪伴成长',
		'残障人士康乐活动',
		'困难家庭上门慰问',
		'长者助餐送餐服务'
	],
	education: ['四点半课堂', '暑期托管服务', '青少年课业辅导', '亲子阅读分享会', '留守儿童周末课堂'],
	health: ['义诊及健康咨询', '长者健康讲座', '免费测量血压血糖', '中医养生义诊', '急救知识普及'],
	psychological: ['长者心理关爱小组', '青少年心理健康沙龙', '家庭关系心理辅导', '情绪减压工作坊'],
	legal_aid: ['法律咨询进社区', '普法宣传活动', '反诈骗宣传讲座', '劳动权益法律咨询'],
	technology: ['长者智能手机培训', '科普知识展', '防范电信诈骗科技课堂', '数字生活体验课'],
	emergency: ['应急救护培训', '消防安全演练', '防汛防台风巡查', '安全隐患排查'],
	civility: ['文明交通劝导', '文明养犬宣传', '垃圾不落地文明引导', '文明城市创建宣传', '地铁站文明引导'],
	culture_sports: [
		'社区文艺汇演',
		'粤剧粤曲欣赏会',
		'长者健身操活动',
		'传统节日游园会',
		'书法绘画交流',
		'端午包粽子活动'
	],
	environment: ['社区环境清洁行动', '河涌保护巡查', '植树护绿活动', '旧衣物回收活动', '绿色环保宣传'],
	public_events: ['马拉松赛事志愿服务', '大型展会志愿服务', '广交会志愿服务', '重大活动保障服务', '公益集市']
};

export const PROGRAMME_TEMPLATES: Record<string, readonly string[]> = {
	meal_vouchers: ['爱心待餐送餐服务', '爱心待餐券派发', '长者饭堂助餐服务'],
	elder_hotline: ['长者心声热线回访', '长者心声热线值守'],
	autumn_warmth: ['金秋送暖探访空巢长者', '金秋送暖重阳敬老活动', '金秋送暖上门慰问'],
	micro_wishes: ['点亮微心愿集中认领', '微心愿圆梦行动', '微心愿物资派送'],
	tourism_stations: ['景区游客咨询服务', '旅游志愿服务站值守', '景区文明旅游引导'],
	waste_sorting: ['垃圾分类桶边督导', '垃圾分类入户宣传', '垃圾分类知识竞赛'],
	epidemic_prevention: [
		'疫情防控卡口值守',
		'核酸检测现场秩序维护',
		'疫苗接种点志愿服务',
		'隔离居民生活物资配送',
		'防疫知识宣传'
	]
};

export const TRAINING_TOPICS = [
	'社区志愿者骨干培训',
	'时间银行平台操作培训',
	'志愿服务礼仪与沟通技巧',
	'长者照护基础知识',
	'应急救护技能培训',
	'志愿服务项目设计',
	'微心愿服务流程培训',
	'服务台账规范化培训',
	'垃圾分类督导员培训',
	'心理支持与倾听技巧'
];

export const TOURISM_SPOTS: readonly { district: string; name: string }[] = [
	{ district: '越秀区', name: '越秀公园' },
	{ district: '越秀区', name: '北京路步行街' },
	{ district: '越秀区', name: '南越王博物院' },
	{ district: '荔湾区', name: '陈家祠' },
	{ district: '荔湾区', name: '沙面' },
	{ district: '荔湾区', name: '永庆坊' },
	{ district: '海珠区', name: '广州塔' },
	{ district: '海珠区', name: '黄埔古港' },
	{ district: '天河区', name: '花城广场' },
	{ district: '天河区', name: '天河路商圈' },
	{ district: '白云区', name: '白云山' },
	{ district: '白云区', name: '白云国际机场' },
	{ district: '黄埔区', name: '黄埔军校旧址' },
	{ district: '番禺区', name: '长隆旅游度假区' },
	{ district: '番禺区', name: '宝墨园' },
	{ district: '花都区', name: '圆玄道观' },
	{ district: '南沙区', name: '南沙湿地公园' },
	{ district: '从化区', name: '石门国家森林公园' },
	{ district: '从化区', name: '从化温泉' },
	{ district: '增城区', name: '白水寨' }
];

const SURNAMES =
	'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武';
const GIVEN =
	'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力鹏宇浩然欣怡子涵梓晨思雨嘉琪俊杰佳颖志伟婷雪梅海燕小丽淑贞少华锦荣泳诗';

/** A synthetic Chinese name (for the optional personal-columns test export only). */
export function syntheticName(u1: number, u2: number, u3: number): string {
	const s = SURNAMES[Math.floor(u1 * SURNAMES.length)];
	const g1 = GIVEN[Math.floor(u2 * GIVEN.length)];
	return u3 < 0.4 ? s + g1 : s + g1 + GIVEN[Math.floor(u3 * GIVEN.length)];
}
