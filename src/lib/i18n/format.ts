/**
 * Number and date formatting shared by the prerendered HTML and the browser, so values do not change
 * appearance when the browser engine takes over. Chinese uses 万 / 亿 for large numbers (12.3万).
 */
import type { Locale } from './index';

export type Unit =
	| 'persons'
	| 'teams'
	| 'stations'
	| 'activities'
	| 'hours'
	| 'person_times'
	| 'wishes'
	| 'count'
	| 'ratio'
	| 'per_10k'
	| 'per_1k'
	| 'days'
	| 'score'
	| 'per_month'
	| 'points'
	| 'score10';

const nf = new Map<string, Intl.NumberFormat>();
function fmt(locale: Locale, min: number, max: number): Intl.NumberFormat {
	const key = `${locale}|${min}|${max}`;
	let f = nf.get(key);
	if (!f) {
		f = new Intl.NumberFormat(locale, { minimumFractionDigits: min, maximumFractionDigits: max });
		nf.set(key, f);
	}
	return f;
}

/** Plain number with grouping and up to `digits` decimals. */
export function formatPlain(value: number, locale: Locale, digits = 0, minDigits = 0): string {
	return fmt(locale, Math.min(minDigits, digits), digits).format(value);
}

/**
 * Compact count: in Chinese 1.2万 / 3.45亿 from 10,000 on; in English 12,345 up to a million, then 1.23 M.
 * Below the threshold whole numbers get grouping only.
 */
export function formatCount(value: number, locale: Locale, digits = 0): string {
	const a = Math.abs(value);
	if (locale === 'zh-CN') {
		if (a >= 1e8) return `${fmt(locale, 0, 2).format(value / 1e8)}亿`;
		if (a >= 1e4) return `${fmt(locale, 0, a >= 1e6 ? 0 : 1).format(value / 1e4)}万`;
		return fmt(locale, 0, digits).format(value);
	}
	if (a >= 1e9) return `${fmt(locale, 0, 2).format(value / 1e9)} bn`;
	if (a >= 1e6) return `${fmt(locale, 0, 2).format(value / 1e6)} M`;
	return fmt(locale, 0, digits).format(value);
}

/** A ratio 0..1 as a percentage, e.g. 0.4567 → "45.7%". */
export function formatPercent(value: number, locale: Locale, digits = 1): string {
	return `${fmt(locale, digits, digits).format(value * 100)}%`;
}

/** Format a value in its unit (no unit label). */
export function formatValue(value: number | null | undefined, unit: Unit | string, locale: Locale): string {
	if (value === null || value === undefined || Number.isNaN(value)) return '–';
	switch (unit) {
		case 'ratio':
		case 'share':
		case 'percent':
			return formatPercent(value, locale);
		case 'per_10k':
		case 'per_1k':
		case 'per_active':
		case 'days':
		case 'rating':
		case 'score':
		case 'score10':
		case 'per_month':
			return formatPlain(value, locale, 1, 1);
		case 'hours':
			return formatCount(value, locale, 1);
		default:
			return formatCount(value, locale, 0);
	}
}

/** Relative change a → b as a signed percentage ("+12.3%"), or null if undefined. */
export function formatChange(
	current: number,
	previous: number | null | undefined,
	locale: Locale
): string | null {
	if (previous === null || previous === undefined || previous === 0) return null;
	const r = (current - previous) / Math.abs(previous);
	const s = fmt(locale, 1, 1).format(Math.abs(r) * 100);
	return `${r > 0 ? '+' : r < 0 ? '−' : '±'}${s}%`;
}

/** Bytes as "1.2 MB". */
export function formatBytes(n: number, locale: Locale): string {
	if (n >= 1024 * 1024) return `${fmt(locale, 1, 1).format(n / 1024 / 1024)} MB`;
	if (n >= 1024) return `${fmt(locale, 0, 0).format(n / 1024)} KB`;
	return `${fmt(locale, 0, 0).format(n)} B`;
}

/** ISO date (YYYY-MM-DD) for display: 2025年3月1日 / 1 Mar 2025. */
export function formatDate(iso: string, locale: Locale): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
	if (!m) return iso;
	const [, y, mo, d] = m;
	if (locale === 'zh-CN') return `${Number(y)}年${Number(mo)}月${Number(d)}日`;
	const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
	return `${Number(d)} ${months[Number(mo) - 1]} ${y}`;
}

/** Year-month (YYYY-MM) for display: 2025年3月 / Mar 2025. */
export function formatMonth(ym: string, locale: Locale): string {
	const m = /^(\d{4})-(\d{2})/.exec(ym);
	if (!m) return ym;
	if (locale === 'zh-CN') return `${Number(m[1])}年${Number(m[2])}月`;
	const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
	return `${months[Number(m[2]) - 1]} ${m[1]}`;
}
