import { zhCN, type MessageKey } from './messages/zh-CN';
import { en } from './messages/en';

export type Locale = 'zh-CN' | 'en';
export type { MessageKey };
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

const catalogs: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** Translate a message key, filling `{name}` placeholders. */
export function t(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
	const s = catalogs[locale][key] ?? catalogs['zh-CN'][key] ?? key;
	return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** A translator bound to one locale. */
export const translator =
	(locale: Locale) =>
	(key: MessageKey, params?: Record<string, string | number>): string =>
		t(locale, key, params);

/** The locale of a path: `/en/...` is English, everything else Chinese. */
export const localeOfPath = (pathname: string): Locale =>
	pathname === '/en' || pathname.startsWith('/en/') ? 'en' : 'zh-CN';

/** Path without the locale prefix (always starting with "/"). */
export const stripLocale = (pathname: string): string =>
	localeOfPath(pathname) === 'en' ? pathname.slice(3) || '/' : pathname;

/** Prefix a locale-free path ("/map/") for a locale. */
export const localizePath = (path: string, locale: Locale): string => (locale === 'en' ? `/en${path}` : path);

/** Pick the label of a code-list entry or reference row for the locale. */
export const label = (
	locale: Locale,
	x: { zh?: string; en?: string; name_zh?: string; name_en?: string }
): string => (locale === 'en' ? (x.en ?? x.name_en) : (x.zh ?? x.name_zh)) ?? x.zh ?? x.name_zh ?? '';
