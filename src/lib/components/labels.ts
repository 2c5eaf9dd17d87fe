/** Labels for codes and periods. */
import { BENEFICIARY_GROUPS, CATEGORIES, VERIFICATIONS } from '$lib/schema/codes';
import { label, t, type Locale } from '$lib/i18n';
import { formatMonth } from '$lib/i18n/format';
import type { Filters } from './filters';

const find = (list: readonly { code: string; zh: string; en: string }[], code: string, locale: Locale) => {
	const c = list.find((x) => x.code === code);
	return c ? label(locale, c) : code;
};
export const categoryLabel = (code: string, locale: Locale): string => find(CATEGORIES, code, locale);
export const groupLabel = (code: string, locale: Locale): string => find(BENEFICIARY_GROUPS, code, locale);
export const verificationLabel = (code: string, locale: Locale): string => find(VERIFICATIONS, code, locale);

export function periodLabel(f: Filters, locale: Locale): string {
	const year = f.from.slice(0, 4);
	if (f.kind === 'year') return t(locale, 'period_label_year', { year });
	if (f.kind === 'quarter')
		return t(locale, 'period_label_quarter', { year, q: Math.ceil(Number(f.from.slice(5)) / 3) });
	return t(locale, 'period_label_months', {
		from: formatMonth(f.from, locale),
		to: formatMonth(f.to, locale)
	});
}

export const starLabel = (n: number, locale: Locale): string =>
	n === 0 ? t(locale, 'star_0') : t(locale, 'star_n', { n });
