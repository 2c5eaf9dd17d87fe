/**
 * The plain-language summary paragraph of a district page (pure): built from the district's figures so
 * the text always agrees with the numbers. Withheld (suppressed) or missing figures are said to be
 * withheld, never shown as 0.
 */

export type SummaryLang = 'zh' | 'en';

export interface IndicatorOutcome {
	id: string;
	name_zh: string;
	name_en: string;
	value: number | null;
	target: number | null;
	/** True when the value is withheld for small numbers. */
	suppressed?: boolean;
	/** Higher is better (default); false for indicators where lower values meet the target. */
	higherIsBetter?: boolean;
}

export interface DistrictFigures {
	name_zh: string;
	name_en: string;
	year: number;
	/** Volunteers registered by the end of the year. */
	volunteers: number | null;
	/** Share (0–1) of those volunteers with at least one confirmed participation in the year. */
	active_rate: number | null;
	/** Confirmed service hours in the year. */
	hours: number | null;
	/** Beneficiary person-times in the year. */
	person_times: number | null;
	/** The same figures for the previous year, when known. */
	previous?: { volunteers?: number | null; hours?: number | null; person_times?: number | null } | null;
	indicators?: IndicatorOutcome[];
}

const nf = (lang: SummaryLang, digits = 0) =>
	new Intl.NumberFormat(lang === 'en' ? 'en' : 'zh-CN', {
		maximumFractionDigits: digits,
		minimumFractionDigits: 0
	});

const num = (v: number, lang: SummaryLang) =>
	nf(lang, Math.abs(v) < 100 && !Number.isInteger(v) ? 1 : 0).format(v);
const pct = (v: number, lang: SummaryLang) => `${nf(lang, 1).format(v * 100)}%`;
const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Relative change, or null when either side is missing or the base is 0. */
export function relativeChange(
	current: number | null | undefined,
	previous: number | null | undefined
): number | null {
	if (!ok(current) || !ok(previous) || previous === 0) return null;
	return (current - previous) / previous;
}

/** An indicator with a target: met, missed, or unknown (withheld/missing). */
export function targetOutcome(i: IndicatorOutcome): 'met' | 'missed' | 'unknown' | 'no_target' {
	if (!ok(i.target)) return 'no_target';
	if (i.suppressed || !ok(i.value)) return 'unknown';
	const eps = 1e-9;
	return (i.higherIsBetter ?? true)
		? i.value + eps >= i.target
			? 'met'
			: 'missed'
		: i.value - eps <= i.target
			? 'met'
			: 'missed';
}

function changeClause(label: { zh: string; en: string }, ch: number, lang: SummaryLang): string {
	const size = pct(Math.abs(ch), lang);
	if (lang === 'zh')
		return Math.abs(ch) < 0.0005 ? `${label.zh}基本持平` : `${label.zh}${ch > 0 ? '增加' : '减少'}${size}`;
	return Math.abs(ch) < 0.0005
		? `${label.en} were about the same`
		: `${label.en} ${ch > 0 ? 'rose' : 'fell'} by ${size}`;
}

const listJoin = (items: string[], lang: SummaryLang) =>
	lang === 'zh'
		? items.join('、')
		: items.length <= 2
			? items.join(' and ')
			: `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/** A plain-language paragraph about a district's year, in Chinese or English. */
export function districtSummary(f: DistrictFigures, lang: SummaryLang): string {
	const name = lang === 'zh' ? f.name_zh : f.name_en;
	const parts: string[] = [];
	const withheld = lang === 'zh' ? '（人数过少，未公布）' : ' (withheld: too few people)';

	// Volunteers and activity.
	if (lang === 'zh') {
		let s = `${f.year}年，${name}`;
		s += ok(f.volunteers) ? `共有注册志愿者${num(f.volunteers, lang)}名` : `注册志愿者人数${withheld}`;
		if (ok(f.active_rate)) s += `，其中${pct(f.active_rate, lang)}在年内至少参加过一次经确认的服务`;
		parts.push(`${s}。`);
		const h = ok(f.hours) ? `全年确认服务时数${num(f.hours, lang)}小时` : `确认服务时数${withheld}`;
		const p = ok(f.person_times) ? `服务群众${num(f.person_times, lang)}人次` : `服务人次${withheld}`;
		parts.push(`${h}，${p}。`);
	} else {
		let s = `In ${f.year}, ${name} had `;
		s += ok(f.volunteers)
			? `${num(f.volunteers, lang)} registered volunteers`
			: `a number of registered volunteers${withheld}`;
		if (ok(f.active_rate))
			s += `; ${pct(f.active_rate, lang)} of them took part in at least one confirmed service during the year`;
		parts.push(`${s}.`);
		const h = ok(f.hours)
			? `Volunteers gave ${num(f.hours, lang)} confirmed hours`
			: 'Confirmed hours are withheld (too few people)';
		const p = ok(f.person_times)
			? `served ${num(f.person_times, lang)} person-times`
			: `person-times are withheld`;
		parts.push(`${h} and ${p}.`);
	}

	// Change against the previous year.
	const prev = f.previous;
	if (prev) {
		const changes: string[] = [];
		const labels = {
			volunteers: { zh: '注册志愿者', en: 'registered volunteers' },
			hours: { zh: '服务时数', en: 'hours' },
			person_times: { zh: '服务人次', en: 'person-times' }
		};
		for (const k of ['volunteers', 'hours', 'person_times'] as const) {
			const ch = relativeChange(f[k], prev[k]);
			if (ch !== null) changes.push(changeClause(labels[k], ch, lang));
		}
		if (changes.length)
			parts.push(
				lang === 'zh'
					? `与${f.year - 1}年相比，${changes.join('，')}。`
					: `Compared with ${f.year - 1}, ${listJoin(changes, lang)}.`
			);
	}

	// Indicators with a target.
	const withTarget = (f.indicators ?? []).filter((i) => targetOutcome(i) !== 'no_target');
	if (withTarget.length) {
		const met = withTarget.filter((i) => targetOutcome(i) === 'met');
		const missed = withTarget.filter((i) => targetOutcome(i) === 'missed');
		const unknown = withTarget.filter((i) => targetOutcome(i) === 'unknown');
		const names = (xs: IndicatorOutcome[]) =>
			xs.map((i) => (lang === 'zh' ? `“${i.name_zh}”` : `“${i.name_en}”`));
		if (lang === 'zh') {
			let s = `在${withTarget.length}项有目标值的考核指标中，${met.length}项达标`;
			if (missed.length) s += `，${missed.length}项未达标（${names(missed).join('、')}）`;
			if (unknown.length) s += `，${unknown.length}项因人数过少未公布`;
			parts.push(`${s}。`);
		} else {
			const n = withTarget.length;
			let s = `Of the ${n} ${n === 1 ? 'indicator' : 'indicators'} with a target, ${met.length} ${met.length === 1 ? 'was' : 'were'} met`;
			if (missed.length) s += `, ${missed.length} missed (${listJoin(names(missed), lang)})`;
			if (unknown.length) s += `, ${unknown.length} withheld for small numbers`;
			parts.push(`${s}.`);
		}
	}
	return parts.join(lang === 'zh' ? '' : ' ');
}
