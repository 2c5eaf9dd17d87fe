/** Messages of the research pages (/data, /sql, /about), zh-CN first, English second. */
import type { Locale } from '$lib/i18n';
import zh from '$lib/i18n/messages/research.zh-CN.json';
import en from '$lib/i18n/messages/research.en.json';

export type RKey = keyof typeof zh;

const catalogs: Record<Locale, Record<string, string>> = { 'zh-CN': zh, en };

/** Translate a research message, filling `{name}` placeholders. */
export function rt(locale: Locale, key: RKey, params: Record<string, string | number> = {}): string {
	const s = catalogs[locale][key] ?? zh[key] ?? key;
	return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export const researchCatalogs = { zh: zh as Record<string, string>, en: en as Record<string, string> };
