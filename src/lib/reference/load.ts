/**
 * Load a region's reference data (written by `npm run data:reference`) from `data/reference/<code>/`.
 * Node only (reads files); free of SvelteKit imports so scripts (generator, validator, release) can use it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface District {
	district_code: string;
	name_zh: string;
	name_en: string;
	/** Resident population, persons. */
	population: number;
	population_year: number;
}

export interface Street {
	street_code: string;
	district_code: string;
	name_zh: string;
}

export interface Community {
	community_code: string;
	street_code: string;
	district_code: string;
	name_zh: string;
}

export interface CalendarDay {
	/** ISO date YYYY-MM-DD. */
	date: string;
	is_workday: boolean;
	/** Running count of working days from the first calendar date up to and including this date. */
	workday_index: number;
	/** true when the year's holidays/调休 are officially published; false = plain Monday–Friday. */
	official: boolean;
}

export interface Reference {
	regionCode: string;
	dir: string;
	districts: District[];
	streets: Street[];
	communities: Community[];
	calendar: CalendarDay[];
	/** Absolute path of `districts.geojson` (FeatureCollection, properties {district_code, name_zh, name_en}). */
	geojsonPath: string;
	/** Absolute path of `sources.json`. */
	sourcesPath: string;
}

/** Directory of a region's reference data. `base` defaults to `<repo>/data/reference`. */
export function referenceDir(
	code: string = '4401',
	base: string = path.join(ROOT, 'data/reference')
): string {
	return path.join(base, code);
}

function readCsv(file: string): Record<string, string>[] {
	if (!existsSync(file))
		throw new Error(
			`Reference file ${file} is missing: run \`npm run data:reference -- --region <code>\` first`
		);
	return parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true }) as Record<
		string,
		string
	>[];
}

function toBool(v: string, file: string, row: number, col: string): boolean {
	if (v === 'true') return true;
	if (v === 'false') return false;
	throw new Error(`${file} row ${row}, column ${col}: "${v}" is not true/false`);
}

function toInt(v: string, file: string, row: number, col: string): number {
	const n = Number(v);
	if (!Number.isInteger(n)) throw new Error(`${file} row ${row}, column ${col}: "${v}" is not an integer`);
	return n;
}

const cache = new Map<string, Reference>();

/** Read (and cache) the reference tables of a region. `base` overrides `data/reference` (tests). */
export function loadReference(regionCode: string = '4401', base?: string): Reference {
	const dir = referenceDir(regionCode, base);
	const hit = cache.get(dir);
	if (hit) return hit;
	const f = (n: string): string => path.join(dir, n);
	const districts = readCsv(f('districts.csv')).map((r, i) => ({
		district_code: r.district_code,
		name_zh: r.name_zh,
		name_en: r.name_en,
		population: toInt(r.population, f('districts.csv'), i + 2, 'population'),
		population_year: toInt(r.population_year, f('districts.csv'), i + 2, 'population_year')
	}));
	const streets = readCsv(f('streets.csv')).map((r) => ({
		street_code: r.street_code,
		district_code: r.district_code,
		name_zh: r.name_zh
	}));
	const communities = readCsv(f('communities.csv')).map((r) => ({
		community_code: r.community_code,
		street_code: r.street_code,
		district_code: r.district_code,
		name_zh: r.name_zh
	}));
	const calendar = readCsv(f('calendar.csv')).map((r, i) => ({
		date: r.date,
		is_workday: toBool(r.is_workday, f('calendar.csv'), i + 2, 'is_workday'),
		workday_index: toInt(r.workday_index, f('calendar.csv'), i + 2, 'workday_index'),
		official: toBool(r.official, f('calendar.csv'), i + 2, 'official')
	}));
	const geojsonPath = f('districts.geojson');
	if (!existsSync(geojsonPath)) throw new Error(`Reference file ${geojsonPath} is missing`);
	const ref: Reference = {
		regionCode,
		dir,
		districts,
		streets,
		communities,
		calendar,
		geojsonPath,
		sourcesPath: f('sources.json')
	};
	cache.set(dir, ref);
	return ref;
}

/** Forget cached tables (after re-running the extractor in the same process). */
export function clearReferenceCache(): void {
	cache.clear();
}

/** Working-day helpers over a loaded calendar (dates outside the calendar throw). */
export function workdayIndexer(calendar: readonly CalendarDay[]): {
	index: (date: string) => number;
	isWorkday: (date: string) => boolean;
	/** Working days strictly after `from` up to and including `to` (0 when `to` ≤ `from`). */
	workdaysBetween: (from: string, to: string) => number;
} {
	const byDate = new Map(calendar.map((d) => [d.date, d]));
	const get = (date: string): CalendarDay => {
		const d = byDate.get(date.slice(0, 10));
		if (!d)
			throw new Error(
				`Date ${date} is outside the reference calendar (${calendar[0]?.date} – ${calendar[calendar.length - 1]?.date})`
			);
		return d;
	};
	return {
		index: (date) => get(date).workday_index,
		isWorkday: (date) => get(date).is_workday,
		workdaysBetween: (from, to) => Math.max(0, get(to).workday_index - get(from).workday_index)
	};
}
