/**
 * Prerendered answers: the pages' queries for the filter states one change away from a page's starting view
 * (each district, each category, each beneficiary group), answered at build time by native DuckDB and served as
 * small JSON files. A visitor's first change is then answered without waiting for the WebAssembly engine (seconds
 * on a first visit), and on a phone without downloading it at all for that answer. The page asks the same SQL
 * either way: an answer is found by the SHA-256 of its SQL text, so it can only ever stand for that exact query.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { categoriesQueries, mapQueries, overviewQueries } from '../charts/pages';
import { assessmentSql } from '../components/indicators';
import { regionConfig } from '../config';
import { BENEFICIARY_GROUPS, CATEGORIES } from '../schema/codes';
import type { Filters } from '../components/filters';
import type { Source } from '../charts/pages';

/** What the plan needs of the site data (src/lib/server/layout-data.ts). */
export interface AnswerSite {
	defaults: Filters;
	districts: readonly { code: string }[];
	region: { code: string; star_bands_hours: readonly number[] };
}

/** The map page's indicator query (city and district levels, whatever the place filter). */
export const mapIndicatorSql = (regionCode: string, f: Filters, source: Source = 'agg'): string =>
	assessmentSql(
		regionConfig(regionCode),
		{ ...f, district: null, street: null },
		['city', 'district'],
		source
	);

/** Each page's queries for a filter state, as the page asks them (the pages use these same builders). */
export const PAGE_SQL = {
	overview: (f: Filters, site: AnswerSite): string[] =>
		Object.values(overviewQueries(f, site.region.star_bands_hours)),
	categories: (f: Filters): string[] => Object.values(categoriesQueries(f)),
	map: (f: Filters, site: AnswerSite): string[] => [
		...Object.values(mapQueries(f)),
		mapIndicatorSql(site.region.code, f)
	],
	assessment: (f: Filters, site: AnswerSite): string[] => [
		assessmentSql(regionConfig(site.region.code), f, undefined, 'agg')
	]
} as const;
export type AnswerPage = keyof typeof PAGE_SQL;

/** The states one change from the starting view: `name` is safe in a file name. */
export function answerStates(site: AnswerSite): { name: string; filters: Filters }[] {
	const d = site.defaults;
	return [
		...site.districts.map((x) => ({ name: `district-${x.code}`, filters: { ...d, district: x.code } })),
		...CATEGORIES.map((c) => ({ name: `category-${c.code}`, filters: { ...d, category: c.code } })),
		...BENEFICIARY_GROUPS.map((g) => ({ name: `group-${g.code}`, filters: { ...d, group: g.code } }))
	];
}

/** One answer file: a page in one state, its queries. */
export interface AnswerFile {
	name: string;
	sql: string[];
}

/** Every answer file (a query already in an earlier file is not repeated). */
export function answerFiles(site: AnswerSite): AnswerFile[] {
	const seen = new Set<string>();
	const out: AnswerFile[] = [];
	for (const page of Object.keys(PAGE_SQL) as AnswerPage[])
		for (const s of answerStates(site)) {
			const sql = PAGE_SQL[page](s.filters, site).filter((q) => !seen.has(q) && seen.add(q));
			if (sql.length) out.push({ name: `${page}.${s.name}`, sql });
		}
	return out;
}

/** Characters of the SHA-256 hex digest that key an answer (64 bits: no two of a few thousand queries collide). */
export const ANSWER_KEY_LENGTH = 16;

/**
 * An answer's key: the start of the SHA-256 of its SQL (UTF-8), computed the same way at build time and in the
 * browser. Synchronous (@noble/hashes), so a filter change that has no prerendered answer goes to the engine in
 * the same task, not after Web Crypto's round trip through another thread.
 */
export const answerKey = (sql: string): string =>
	bytesToHex(sha256(utf8ToBytes(sql))).slice(0, ANSWER_KEY_LENGTH);

/** The index the browser loads: answer key → file name. */
export interface AnswerIndex {
	version: string;
	answers: Record<string, string>;
}

/** One file's content: answer key → rows. */
export type AnswerRows = Record<string, Record<string, string | number | boolean | null>[]>;
