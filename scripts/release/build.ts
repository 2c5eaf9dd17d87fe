/**
 * `buildRelease`: import + validate an export, transform it to the public tables, compute indicators
 * with small-cell suppression, and write a versioned release atomically (see src/lib/release/manifest.ts
 * for the layout). Nothing is written when the import reports errors; a failed build leaves the previous
 * releases untouched and no temporary directory behind; a lock file keeps two builds apart.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import site from '../../data/config.json';
import { regionConfig, type RegionConfig } from '../../src/lib/config';
import {
	suppressIndicators,
	withholdSlices,
	type IndicatorInputRow,
	type IndicatorSlice,
	type SuppressedIndicatorRow
} from '../../src/lib/privacy/suppress';
import { BENEFICIARY_GROUPS, CATEGORIES } from '../../src/lib/schema/codes';
import {
	MANIFEST_FILE,
	RELEASES_FILE,
	type Manifest,
	type ReleaseEntry,
	type ReleasesIndex
} from '../../src/lib/release/manifest';
import { INPUT_TABLES } from '../../src/lib/schema/input';
import { PUBLIC_TABLES } from '../../src/lib/schema/public';
import { insertAggregates } from '../../src/lib/aggregates/tables';
import { buildDataPackage } from './datapackage';
import { acquireLock, cleanStale, listFiles, sha256File, swapIntoPlace, writeSha256Sums } from './files';
import { pausePoint } from './pause';
import { loadPseudonymKey, pseudonym } from './pseudonym';
import {
	createPublicTables,
	dataYears,
	transformToPublic,
	withholdResidual,
	type PrivacyStats,
	type ReferenceData
} from './transform';
import { writeFiles } from './write';

export type Lang = 'zh' | 'en';

export interface ImportResult {
	ok: boolean;
	errors: unknown[];
	report: unknown;
	rowCounts?: Record<string, number>;
}

/** Loads and validates an export into src_* tables (scripts/import/import.ts). */
export type Importer = (
	conn: DuckDBConnection,
	inputDir: string,
	opts: { region: string; dropPersonal: boolean; onProgress?: (msg: string) => void }
) => Promise<ImportResult>;

type Level = 'city' | 'district' | 'street';

/** Computes indicator rows for the given levels and calendar years over the public tables in `conn`. */
export type IndicatorProvider = (
	conn: DuckDBConnection,
	opts: { levels: readonly Level[]; years: number[]; region: RegionConfig }
) => Promise<IndicatorInputRow[]>;

/** Computes the slices of `agg_indicators` (rows of the indicators each slice changes). */
export type IndicatorSliceProvider = (
	conn: DuckDBConnection,
	opts: { levels: readonly Level[]; years: number[]; region: RegionConfig }
) => Promise<{ slice: IndicatorSlice; rows: IndicatorInputRow[] }[]>;

export interface BuildReleaseOptions {
	/** Directory with the exported CSV files (hashed for the default version; passed to the importer). */
	inputDir?: string;
	/** Release root (holds releases.json and one directory per version). */
	outDir: string;
	version?: string;
	region?: string;
	dropPersonal?: boolean;
	/** Pseudonymisation key file; else env TIMEBANK_PSEUDONYM_KEY; else data/.pseudonym-key. */
	keyFile?: string;
	/** The key itself (tests). */
	key?: Buffer;
	importer?: Importer;
	indicators?: IndicatorProvider;
	reference?: ReferenceData;
	/** Use this connection instead of a fresh in-memory database (must hold src_* tables if importer is a no-op). */
	conn?: DuckDBConnection;
	created?: Date;
	lang?: Lang;
	log?: (msg: string) => void;
	/** Called before each write stage (tests use it to fail a build half-way). */
	onStage?: (stage: string) => void | Promise<void>;
}

export type BuildReleaseResult =
	| {
			ok: true;
			version: string;
			path: string;
			dataAsOf: string;
			rowCounts: Record<string, number>;
			privacy: PrivacyStats & { indicators_primary: number; indicators_secondary: number };
			timings: Record<string, number>;
	  }
	| { ok: false; errors: unknown[]; message: string };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function tryImport(path: string): Promise<Record<string, unknown> | null> {
	if (!existsSync(path)) return null;
	return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}

/** Default importer: scripts/import/import.ts (`importExports`, `formatErrors`). */
async function defaultImporter(): Promise<{
	importer: Importer;
	format: (e: unknown[], lang: Lang) => string;
}> {
	const mod = await tryImport(join(ROOT, 'scripts/import/import.ts'));
	if (!mod || typeof mod.importExports !== 'function')
		throw new Error(
			'缺少导入模块 scripts/import/import.ts（importExports） / the import module scripts/import/import.ts (importExports) is missing'
		);
	const format =
		typeof mod.formatErrors === 'function'
			? (mod.formatErrors as (e: unknown[], lang: Lang) => string)
			: (e: unknown[]) => e.map((x) => JSON.stringify(x)).join('\n');
	return { importer: mod.importExports as Importer, format };
}

const LEVEL_RANK: Record<string, number> = { city: 0, district: 1, street: 2 };
const cmp = (a: string | number | null, b: string | number | null) =>
	a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;

/**
 * An indicator number as published: rounded to `PUBLISHED_DECIMALS` places. Summation noise (72217.19999999992) and
 * long fractions (2 ÷ 141 = 0.014184397163120567) would otherwise put 11- and 18-digit runs into the CSV files,
 * shaped like mobile and ID-card numbers to any privacy scanner; ten decimals is far finer than any indicator needs.
 */
const PUBLISHED_DECIMALS = 10;
const publishedNumber = (x: number): number => Number(x.toFixed(PUBLISHED_DECIMALS));

/** Appends withheld indicator rows to `indicators` (slice null) or `agg_indicators[_street]`, in a stable order (the
 * content hash in the Arrow file name should only change with the data). */
async function appendIndicators(
	conn: DuckDBConnection,
	table: 'indicators' | 'agg_indicators' | 'agg_indicators_street',
	rows: (SuppressedIndicatorRow & { slice: IndicatorSlice | null })[]
): Promise<void> {
	rows.sort(
		(a, b) =>
			cmp(a.indicator_id, b.indicator_id) ||
			(LEVEL_RANK[a.level] ?? 9) - (LEVEL_RANK[b.level] ?? 9) ||
			cmp(a.area_code, b.area_code) ||
			a.year - b.year ||
			cmp(a.slice?.quarter ?? null, b.slice?.quarter ?? null) ||
			cmp(a.slice?.category ?? null, b.slice?.category ?? null) ||
			cmp(a.slice?.beneficiary_group ?? null, b.slice?.beneficiary_group ?? null)
	);
	const app = await conn.createAppender(table);
	const text = (v: string | null) => (v === null ? app.appendNull() : app.appendVarchar(v));
	for (const r of rows) {
		app.appendVarchar(r.indicator_id);
		app.appendVarchar(r.level);
		app.appendVarchar(r.area_code);
		app.appendInteger(r.year);
		if (r.slice) {
			if (r.slice.quarter === null) app.appendNull();
			else app.appendInteger(r.slice.quarter);
			text(r.slice.category);
			text(r.slice.beneficiary_group);
		}
		for (const v of [r.numerator, r.denominator, r.value, r.target]) {
			if (v === null || v === undefined || !Number.isFinite(v)) app.appendNull();
			else app.appendDouble(publishedNumber(v));
		}
		app.appendBoolean(r.suppressed);
		app.endRow();
	}
	app.closeSync();
}

/**
 * Default indicator provider: `indicatorRowsSql` from src/lib/indicators (sql.ts or index.ts) and, from
 * registry.ts, which indicators count people (`basis: 'people'`: the ones small-cell suppression applies
 * to). Null when the module is absent.
 */
async function defaultIndicators(): Promise<{
	provider: IndicatorProvider;
	slices?: IndicatorSliceProvider;
	isPeopleBased?: (id: string) => boolean;
} | null> {
	const mod =
		(await tryImport(join(ROOT, 'src/lib/indicators/index.ts'))) ??
		(await tryImport(join(ROOT, 'src/lib/indicators/sql.ts')));
	if (!mod || typeof mod.indicatorRowsSql !== 'function') return null;
	const rowsSql = mod.indicatorRowsSql as (o: Record<string, unknown>) => string;
	const registry = (await tryImport(join(ROOT, 'src/lib/indicators/registry.ts'))) ?? mod;
	const defs = Array.isArray(registry.INDICATORS)
		? (registry.INDICATORS as { id: string; basis?: string; filters?: readonly string[] }[])
		: null;
	const people = defs ? new Set(defs.filter((d) => d.basis === 'people').map((d) => d.id)) : null;
	const read = async (conn: DuckDBConnection, q: Record<string, unknown>) => {
		const r = await conn.runAndReadAll(`SELECT indicator_id::VARCHAR AS indicator_id, level::VARCHAR AS level,
				area_code::VARCHAR AS area_code, year::INTEGER AS year, numerator::DOUBLE AS numerator,
				denominator::DOUBLE AS denominator, value::DOUBLE AS value, target::DOUBLE AS target,
				basis_count::DOUBLE AS basis_count FROM (${rowsSql(q)})`);
		return r.getRowObjectsJS() as unknown as IndicatorInputRow[];
	};
	const provider: IndicatorProvider = (conn, { levels, years, region }) =>
		read(conn, { level: levels, years, region });
	// Slices: every quarter (all indicators), every category (the indicators a category changes), every
	// beneficiary group (likewise). Combinations of these filters are left to the browser's raw tables.
	const dependent = (f: string) => (defs ?? []).filter((d) => d.filters?.includes(f)).map((d) => d.id);
	const slices: IndicatorSliceProvider = async (conn, { levels, years, region }) => {
		const none = { quarter: null, category: null, beneficiary_group: null };
		const out: { slice: IndicatorSlice; rows: IndicatorInputRow[] }[] = [];
		// The four quarters of a year in one statement (rows' year = year × 10 + quarter).
		for (const y of years) {
			const rows = await read(conn, { level: levels, quartersOf: y, region });
			for (const q of [1, 2, 3, 4])
				out.push({
					slice: { ...none, quarter: q },
					rows: rows.filter((r) => r.year === y * 10 + q).map((r) => ({ ...r, year: y }))
				});
		}
		// Every category (the indicators a category changes) in one statement, likewise every group: rows' year =
		// year × 100 + k, k = 1 + the code's index in CATEGORIES / BENEFICIARY_GROUPS (sql.ts `sliceKey`).
		const sliced = async (dimension: 'category' | 'group', codes: readonly string[]) => {
			const ids = dependent(dimension);
			if (!ids.length) return;
			const all = dimension === 'category' ? 'allCategories' : 'allGroups';
			const rows = await read(conn, { level: levels, years, region, [all]: true, ids });
			const byCode = codes.map((): IndicatorInputRow[] => []);
			for (const r of rows) byCode[(r.year % 100) - 1]?.push({ ...r, year: Math.floor(r.year / 100) });
			codes.forEach((code, i) =>
				out.push({
					slice:
						dimension === 'category' ? { ...none, category: code } : { ...none, beneficiary_group: code },
					rows: byCode[i]
				})
			);
		};
		await sliced(
			'category',
			CATEGORIES.map((c) => c.code)
		);
		await sliced(
			'group',
			BENEFICIARY_GROUPS.map((g) => g.code)
		);
		return out;
	};
	return { provider, slices, ...(people ? { isPeopleBased: (id: string) => people.has(id) } : {}) };
}

const truthy = (v: unknown) =>
	v === true || v === 1 || ['1', 'true', 'TRUE', 'True', '是', 'Y', 'y'].includes(String(v));
const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));

/** Normalise reference rows (from `loadReference` or the CSV files) to the public reference tables. */
export function normalizeReference(raw: {
	districts: Record<string, unknown>[];
	streets: Record<string, unknown>[];
	communities: Record<string, unknown>[];
	calendar: Record<string, unknown>[];
	sources?: unknown[];
}): ReferenceData {
	const streetDistrict = new Map<string, string>();
	const streets = raw.streets.map((s) => {
		const street_code = String(s.street_code ?? s.code);
		const district_code = String(s.district_code ?? street_code.slice(0, 6));
		streetDistrict.set(street_code, district_code);
		return { street_code, district_code, name_zh: String(s.name_zh ?? s.name ?? '') };
	});
	let index = 0;
	const calendar = [...raw.calendar]
		.map((c) => {
			const d = c.date instanceof Date ? c.date.toISOString().slice(0, 10) : String(c.date);
			return { date: d, is_workday: truthy(c.is_workday ?? c.workday), wi: num(c.workday_index) };
		})
		.sort((a, b) => (a.date < b.date ? -1 : 1))
		.map((c) => {
			if (c.is_workday) index++;
			return { date: c.date, is_workday: c.is_workday, workday_index: c.wi ?? index };
		});
	return {
		districts: raw.districts.map((d) => ({
			district_code: String(d.district_code ?? d.code),
			name_zh: String(d.name_zh ?? d.name ?? ''),
			name_en: String(d.name_en ?? ''),
			population:
				num(d.population) ??
				(num(d.population_10k) !== null ? Math.round(num(d.population_10k)! * 10000) : 0),
			population_year: num(d.population_year) ?? 0
		})),
		streets,
		communities: raw.communities.map((c) => {
			const community_code = String(c.community_code ?? c.code);
			const street_code = String(c.street_code ?? community_code.slice(0, 9));
			return {
				community_code,
				street_code,
				district_code: String(
					c.district_code ?? streetDistrict.get(street_code) ?? community_code.slice(0, 6)
				),
				name_zh: String(c.name_zh ?? c.name ?? '')
			};
		}),
		calendar,
		sources: raw.sources ?? []
	};
}

/** Reference data of a region: `loadReference` from src/lib/reference/load.ts, else data/reference/<code>/*.csv. */
export async function loadReferenceData(code: string): Promise<ReferenceData> {
	const dir = join(ROOT, 'data/reference', code);
	const sourcesPath = join(dir, 'sources.json');
	const loadSources = (): unknown[] => {
		if (!existsSync(sourcesPath)) return [];
		const s = JSON.parse(readFileSync(sourcesPath, 'utf8')) as {
			files?: Record<
				string,
				{ source?: string; homepage?: string; licence?: string; license?: string; year?: number }
			>;
			sources?: unknown[];
		};
		if (Array.isArray(s)) return s;
		if (Array.isArray(s.sources)) return s.sources;
		// data/reference/<code>/sources.json: one entry per reference file.
		return Object.entries(s.files ?? {}).map(([file, f]) => ({
			title: `${file}: ${f.source ?? ''}`.trim(),
			...(f.homepage ? { path: f.homepage } : {}),
			...(f.licence || f.license ? { license: f.licence ?? f.license } : {}),
			...(f.year ? { year: f.year } : {})
		}));
	};
	const mod = await tryImport(join(ROOT, 'src/lib/reference/load.ts'));
	if (mod && typeof mod.loadReference === 'function') {
		const raw = (await (mod.loadReference as (c: string) => unknown)(code)) as Parameters<
			typeof normalizeReference
		>[0];
		return normalizeReference({ ...raw, sources: loadSources() });
	}
	const csv = (f: string) => {
		const p = join(dir, f);
		if (!existsSync(p))
			throw new Error(
				`缺少参考数据文件 ${p}（先运行 npm run data:reference） / missing reference file ${p} (run npm run data:reference)`
			);
		return parse(readFileSync(p), { columns: true, bom: true, skip_empty_lines: true }) as Record<
			string,
			unknown
		>[];
	};
	return normalizeReference({
		districts: csv('districts.csv'),
		streets: csv('streets.csv'),
		communities: csv('communities.csv'),
		calendar: csv('calendar.csv'),
		sources: loadSources()
	});
}

/** sha256 over the names and bytes of the input files (sorted), hex. */
export async function hashInputs(dir: string): Promise<string> {
	const h = createHash('sha256');
	for (const f of await listFiles(dir)) {
		h.update(`${f}\u0000`);
		for await (const chunk of createReadStream(join(dir, f), { highWaterMark: 1 << 20 }))
			h.update(chunk as Buffer);
		h.update('\u0000');
	}
	return h.digest('hex');
}

/** Remove stale spill directories (os tmpdir) of builds that were killed. */
async function cleanSpillDirs(): Promise<void> {
	for (const name of await readdir(tmpdir()).catch(() => [] as string[])) {
		const m = /^timebank-release-(\d+)-\d+$/.exec(name);
		if (!m || Number(m[1]) === process.pid) continue;
		let alive = true;
		try {
			process.kill(Number(m[1]), 0);
		} catch (e) {
			alive = (e as NodeJS.ErrnoException).code === 'EPERM';
		}
		if (!alive) await rm(join(tmpdir(), name), { recursive: true, force: true });
	}
}

export async function buildRelease(opts: BuildReleaseOptions): Promise<BuildReleaseResult> {
	const log = opts.log ?? ((m: string) => console.log(m));
	const lang = opts.lang ?? 'zh';
	const regionCode = opts.region ?? site.region;
	const region = regionConfig(regionCode);
	const timings: Record<string, number> = {};
	const t0 = performance.now();
	pausePoint('start');
	let tStage = t0;
	// CPU time of the process (every thread: DuckDB's, libuv's compression, JavaScript) beside each stage's wall
	// time: on a machine whose cores are all busy, only less CPU work makes the build faster.
	const cpu0 = process.cpuUsage();
	let cpuStage = cpu0;
	const cpuSeconds = (from: NodeJS.CpuUsage) => {
		const u = process.cpuUsage(from);
		return (u.user + u.system) / 1e6;
	};
	const stage = (name: string) => {
		const now = performance.now();
		timings[name] = Math.round(now - tStage) / 1000;
		tStage = now;
		log(`  ${name}: ${timings[name].toFixed(2)} s (CPU ${cpuSeconds(cpuStage).toFixed(1)} s)`);
		cpuStage = process.cpuUsage();
	};

	// DuckDB keeps the tables in memory up to `memory_limit` and spills the rest to a temp directory, which
	// bounds the RSS of a large build (env TIMEBANK_DUCKDB_MEMORY, default 3GB: at scale 10 the peak RSS
	// was 6.6 GiB with 4GB and 5.2 GiB with 3GB, at no cost in time).
	const spillDir = join(tmpdir(), `timebank-release-${process.pid}-${Date.now()}`);
	const instance = opts.conn
		? null
		: await DuckDBInstance.create(':memory:', {
				threads: process.env.TIMEBANK_DUCKDB_THREADS ?? '2',
				memory_limit: process.env.TIMEBANK_DUCKDB_MEMORY ?? '3GB',
				temp_directory: spillDir
			});
	const conn = opts.conn ?? (await instance!.connect());
	let tmpDir: string | null = null;
	let unlock: (() => Promise<void>) | null = null;
	// The lock is taken before any work, so a second build fails at once with a clear message instead of
	// after minutes of import; everything that writes under OUT (the swap and releases.json) runs under it.
	const outDir = resolve(opts.outDir);
	const createdOut = !existsSync(outDir);
	let committed = false;
	try {
		await mkdir(outDir, { recursive: true });
		unlock = await acquireLock(join(outDir, '.build.lock'));
		const cleaned = await cleanStale(outDir);
		if (cleaned.length)
			log(`  清理中断的构建留下的文件 / cleaned up after an interrupted build: ${cleaned.join(', ')}`);
		await cleanSpillDirs();
		pausePoint('locked');
		await conn.run(`SET preserve_insertion_order = true`);
		// 1. import + validate
		let importer = opts.importer;
		let format: (e: unknown[], lang: Lang) => string = (e) => e.map((x) => JSON.stringify(x)).join('\n');
		if (!importer) ({ importer, format } = await defaultImporter());
		const imported = await importer(conn, opts.inputDir ?? '', {
			region: regionCode,
			dropPersonal: opts.dropPersonal ?? false,
			onProgress: (m) => {
				pausePoint('import');
				log(`  ${m}`);
			}
		});
		if (!imported.ok) return { ok: false, errors: imported.errors, message: format(imported.errors, lang) };
		stage('import');

		// 2. transform to public tables
		let key = opts.key;
		if (!key) {
			const k = loadPseudonymKey(opts.keyFile);
			key = k.key;
			log(`  假名密钥 pseudonym key: ${k.origin}（切勿发布或提交 / never publish or commit it）`);
		}
		const reference = opts.reference ?? (await loadReferenceData(regionCode));
		await createPublicTables(conn, reference);
		const transformConn = instance ? await instance.connect() : null;
		const privacy = await transformToPublic(conn, {
			second: transformConn,
			key,
			k: region.suppression_threshold,
			threshold: region.suppression_threshold,
			log: (m) => {
				pausePoint('transform');
				log(m);
			}
		}).finally(() => transformConn?.closeSync());
		if (instance) {
			// The raw tables are no longer needed: free their memory before the indicators and the writers.
			for (const t of INPUT_TABLES) await conn.run(`DROP TABLE IF EXISTS src_${t.name}`);
		}
		stage('transform');

		// 3. indicators with small-cell suppression
		const years = await dataYears(conn);
		const found = opts.indicators ? { provider: opts.indicators } : await defaultIndicators();
		const provider = found?.provider;
		let indPrimary = 0;
		let indSecondary = 0;
		if (!provider)
			log(
				'  注意：缺少指标模块 src/lib/indicators，指标表为空 / note: src/lib/indicators missing, indicators table is empty'
			);
		else if (years.length) {
			// One statement for all levels: the shared parts (confirmed participations, per-volunteer totals) are
			// computed once (a third of the time of one statement per level at scale 10).
			const rows = await provider(conn, { levels: ['city', 'district', 'street'], years, region });
			log(`    indicator SQL: ${rows.length} rows, ${((performance.now() - tStage) / 1000).toFixed(2)} s`);
			pausePoint('indicators');
			const streetDistrict = new Map(reference.streets.map((s) => [s.street_code, s.district_code]));
			const parentOf = (level: string, area: string) =>
				level === 'street'
					? (streetDistrict.get(area) ?? area.slice(0, 6))
					: level === 'district'
						? regionCode
						: null;
			const sup = suppressIndicators(rows, {
				threshold: region.suppression_threshold,
				isPeopleBased: found && 'isPeopleBased' in found ? found.isPeopleBased : undefined,
				parentOf
			});
			indPrimary = sup.primary;
			indSecondary = sup.secondary;
			await appendIndicators(
				conn,
				'indicators',
				sup.rows.map((r) => ({ ...r, slice: null }))
			);
			// Slices for the dashboard's quarter, category and group filters, withheld within and across slices.
			const slices = found && 'slices' in found ? found.slices : undefined;
			if (slices) {
				const tSlices = performance.now();
				const parts = await slices(conn, { levels: ['city', 'district', 'street'], years, region });
				const tSliceSql = performance.now();
				const sliced = withholdSlices(parts, sup.rows, {
					threshold: region.suppression_threshold,
					isPeopleBased:
						found && 'isPeopleBased' in found && found.isPeopleBased ? found.isPeopleBased : () => true,
					parentOf
				});
				// Streets are most of the rows: their own table, loaded only when a page shows streets.
				await appendIndicators(
					conn,
					'agg_indicators',
					sliced.rows.filter((r) => r.level !== 'street')
				);
				await appendIndicators(
					conn,
					'agg_indicators_street',
					sliced.rows.filter((r) => r.level === 'street')
				);
				indPrimary += sliced.primary;
				indSecondary += sliced.secondary;
				log(
					`    indicator slices: ${sliced.rows.length} rows, ${((performance.now() - tSlices) / 1000).toFixed(2)} s (SQL ${((tSliceSql - tSlices) / 1000).toFixed(2)} s)`
				);
			}
		}
		// Indicators are computed: the last k-anonymity steps may now withhold what they read.
		const residual = await withholdResidual(conn, privacy.k);
		privacy.residual_below_k = residual.residual;
		privacy.residual_withheld = residual.withheld;
		if (privacy.residual_below_k)
			log(
				`  注意：${privacy.residual_below_k} 名志愿者所在（街镇、政治面貌）组合少于 ${privacy.k} 人 / note: ${privacy.residual_below_k} volunteers are in (street, political status) classes below ${privacy.k}`
			);
		stage('indicators');

		// 4. pre-aggregated tables for the dashboard, from the public tables after every privacy step
		await insertAggregates(conn, region.star_bands_hours, {
			onStep: (step, seconds) => log(`    ${step}: ${seconds.toFixed(2)} s`)
		});
		// The rows per beneficiary group go to their own tables (`splitByGroup` in public.ts), in the same order.
		for (const t of ['agg_activity_month', 'agg_active']) {
			await conn.run(`INSERT INTO ${t}_group SELECT * FROM ${t} WHERE beneficiary_group IS NOT NULL`);
			await conn.run(`DELETE FROM ${t} WHERE beneficiary_group IS NOT NULL`);
		}
		pausePoint('aggregates');
		stage('aggregates');

		const meta = (
			await conn.runAndReadAll(
				`SELECT strftime(max(start_at), '%Y-%m-%d') AS last, strftime(min(start_at), '%Y-%m-%d') AS first FROM activities`
			)
		).getRowObjectsJS()[0] as { last: string | null; first: string | null };
		const dataAsOf = meta.last ?? new Date().toISOString().slice(0, 10);
		const created = (opts.created ?? new Date()).toISOString();
		const version =
			opts.version ??
			`${dataAsOf}-${(opts.inputDir ? await hashInputs(opts.inputDir) : createHash('sha256').update(created).digest('hex')).slice(0, 8)}`;
		if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(version))
			throw new Error(
				`版本号只能含字母、数字、. _ - / version may only contain letters, digits, . _ -: ${version}`
			);
		const rowCounts: Record<string, number> = {};
		for (const t of PUBLIC_TABLES)
			rowCounts[t.name] = Number(
				(await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${t.name}`)).getColumnsJS()[0][0]
			);

		// 4. write the release into a temporary directory next to OUT, then rename into place.
		tmpDir = join(dirname(outDir), `.${basename(outDir)}.build-${version}-${process.pid}`);
		await rm(tmpDir, { recursive: true, force: true });
		for (const d of ['browser', 'parquet', 'csv']) await mkdir(join(tmpDir, d), { recursive: true });

		const { tables, files, known } = await writeFiles({
			conn,
			second: instance ? await instance.connect() : null,
			dir: tmpDir,
			rowCounts,
			log,
			timings,
			onStage: opts.onStage
		});

		stage('write (arrow ∥ parquet + csv, compression)');

		await opts.onStage?.('package');
		const privacyAll = { ...privacy, indicators_primary: indPrimary, indicators_secondary: indSecondary };
		const report = {
			version,
			created,
			import: pseudonymiseReport(imported.report, key),
			rowCounts: imported.rowCounts ?? null,
			privacy: privacyAll
		};
		await writeFile(join(tmpDir, 'validation-report.json'), JSON.stringify(report, null, '\t') + '\n');
		pausePoint('package');
		const manifest: Manifest = {
			version,
			created,
			data_as_of: dataAsOf,
			region: regionCode,
			format: 'arrow-ipc-stream',
			// In schema order, whatever order the files were written in.
			tables: Object.fromEntries(
				PUBLIC_TABLES.filter((t) => tables[t.name]).map((t) => [t.name, tables[t.name]])
			)
		};
		await writeFile(join(tmpDir, MANIFEST_FILE), JSON.stringify(manifest, null, '\t') + '\n');
		const dp = buildDataPackage({
			version,
			created,
			dataAsOf,
			temporal: { start: meta.first ?? dataAsOf, end: dataAsOf },
			region: {
				code: regionCode,
				name_zh: region.name_zh,
				name_en: region.name_en,
				time_bank_zh: region.time_bank_zh,
				time_bank_en: region.time_bank_en
			},
			site,
			referenceSources: reference.sources ?? [],
			files,
			report: {
				path: 'validation-report.json',
				...(await sha256File(join(tmpDir, 'validation-report.json')))
			},
			privacy: privacyAll
		});
		await writeFile(join(tmpDir, 'datapackage.json'), JSON.stringify(dp, null, '\t') + '\n');
		await writeSha256Sums(tmpDir, known);
		stage('package');

		await opts.onStage?.('commit');
		pausePoint('commit');
		await swapIntoPlace(tmpDir, join(outDir, version), () => pausePoint('swap'));
		tmpDir = null;
		pausePoint('releases');
		await updateReleasesIndex(outDir, {
			version,
			created,
			data_as_of: dataAsOf,
			path: version,
			manifest: `${version}/${MANIFEST_FILE}`,
			region: regionCode
		});
		committed = true;
		stage('commit');
		timings.total = Math.round(performance.now() - t0) / 1000;
		log(`  total: ${timings.total.toFixed(2)} s (CPU ${cpuSeconds(cpu0).toFixed(1)} s)`);
		return {
			ok: true,
			version,
			path: join(outDir, version),
			dataAsOf,
			rowCounts,
			privacy: privacyAll,
			timings
		};
	} finally {
		if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
		if (unlock) await unlock();
		// A build that wrote nothing leaves no empty OUT behind either.
		if (createdOut && !committed) await rmdir(outDir).catch(() => {});
		if (instance) {
			conn.closeSync();
			instance.closeSync();
			await rm(spillDir, { recursive: true, force: true });
		}
	}
}

/**
 * The import report lists example ids of suspect rows; participation ids are personal-level raw ids, so
 * the published copy carries their pseudonyms (the `participation_id` of the hours table) instead.
 */
export function pseudonymiseReport(report: unknown, key: Buffer): unknown {
	if (!report || typeof report !== 'object' || !Array.isArray((report as { suspect?: unknown }).suspect))
		return report;
	const r = report as { suspect: { examples?: unknown; example_kind?: unknown }[] };
	return {
		...r,
		suspect: r.suspect.map((c) =>
			c.example_kind === 'participation_id' && Array.isArray(c.examples)
				? { ...c, examples: c.examples.map((id) => pseudonym(key, 'participation', String(id))).sort() }
				: c
		)
	};
}

/** Add (or replace) a release in OUT/releases.json, newest first; written atomically. */
export async function updateReleasesIndex(outDir: string, entry: ReleaseEntry): Promise<ReleasesIndex> {
	const path = join(outDir, RELEASES_FILE);
	let index: ReleasesIndex = { releases: [] };
	if (existsSync(path)) index = JSON.parse(await readFile(path, 'utf8')) as ReleasesIndex;
	const releases = [entry, ...index.releases.filter((r) => r.version !== entry.version)];
	// Keep only releases whose directory exists; newest build first.
	const kept: ReleaseEntry[] = [];
	for (const r of releases)
		if (
			await stat(join(outDir, r.path)).then(
				() => true,
				() => false
			)
		)
			kept.push(r);
	kept.sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
	const next = { releases: kept };
	const tmp = `${path}.${process.pid}.tmp`;
	await writeFile(tmp, JSON.stringify(next, null, '\t') + '\n');
	pausePoint('releases-tmp');
	await rename(tmp, path);
	return next;
}
