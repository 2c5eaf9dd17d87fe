/**
 * Engines part of the benchmark, on native DuckDB (`@duckdb/node-api`) and on DuckDB-WASM (the Node blocking
 * bundle with the same duckdb-eh.wasm the browser runs), both loaded from the release's Arrow files:
 * - the dashboard pages' queries as the pages run them (pre-aggregated tables by default) and the assessment
 *   indicators computed from the raw tables (the issue's WASM ÷ native target is on these indicator queries);
 * - raw vs pre-aggregate: every page question with `source: 'raw'` vs `source: 'agg'`.
 * Each query runs once to warm up, then `reps` times (default 5); the median is kept. WASM is single-threaded;
 * native runs with DuckDB's default threads and again with one thread.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createNodeConnector } from '../../src/lib/db/server/node';
import { createWasmNodeConnector } from '../../src/lib/db/server/wasm-node';
import { categoriesQueries, mapQueries, overviewQueries, type Source } from '../../src/lib/charts/pages';
import { tablesOf } from '../../src/lib/charts/queries';
import { yearFilters, type Filters } from '../../src/lib/components/filters';
import { regionConfig, siteConfig } from '../../src/lib/config';
import { PUBLIC_TABLES } from '../../src/lib/schema/public';
import { geomean, median } from './stats';

export type QueryKind = 'page' | 'indicator';

export interface QueryTiming {
	name: string;
	/** `page`: a dashboard page's query as the page runs it (pre-aggregates by default); `indicator`: the
	 * assessment indicators computed from the raw tables (the WASM ÷ native target). */
	kind: QueryKind;
	tables: string[];
	nativeMs: number;
	native1Ms: number;
	wasmMs: number;
	ratio: number;
	rows: number;
	/** Set when the two engines disagree on the row count. */
	mismatch?: string;
}

export interface EnginesResult {
	queries: QueryTiming[];
	/** Geometric mean of the per-query ratios. */
	ratioGeomean: number | null;
	/** Sum of WASM medians ÷ sum of native medians. */
	ratioTotal: number | null;
	/** Geometric mean of the ratios of the assessment indicator queries only (null when there are none). */
	indicatorRatioGeomean: number | null;
	indicatorQueries: number;
	/** Geometric mean of the ratios of the pages' own queries (pre-aggregates by default). */
	pageRatioGeomean?: number | null;
	pageQueries?: number;
	/** The same two against native DuckDB on one thread. */
	ratio1Geomean: number | null;
	ratio1Total: number | null;
	nativeThreads: number;
	loadMs: { native: number; wasm: number };
	loadedTables: { name: string; rows: number; bytes: number }[];
	notes: string[];
	/** Pre-aggregated tables in the release manifest (none → raw vs pre-aggregate is not measured). */
	preaggregateTables: string[];
	/**
	 * Raw vs pre-aggregate: each page query with `source: 'raw'` vs the same question with the default
	 * `source: 'agg'` (overview, categories, map, and the assessment indicators computed from the raw tables vs
	 * read from the published `indicators` table). Null when the release has no pre-aggregates.
	 */
	preaggregate: PreaggregateTiming[] | null;
	/** Raw ÷ pre-aggregate geometric mean on DuckDB-WASM over `preaggregate`. */
	preaggregateSpeedup?: number | null;
}

export interface PreaggregateTiming {
	name: string;
	rawWasmMs: number;
	/** The pre-aggregate (`source: 'agg'`) variant. */
	preWasmMs: number;
	rawNativeMs: number;
	preNativeMs: number;
	/** Raw ÷ pre-aggregate on DuckDB-WASM. */
	speedup: number;
	rawRows: number;
	preRows: number;
}

interface ManifestTable {
	file: string;
	rows: number;
	bytes: number;
}

/** The district of the district-filtered query set (天河区). */
export const BENCH_DISTRICT = '440106';

const PUBLIC = new Set(PUBLIC_TABLES.map((t) => t.name));

/**
 * Pre-aggregated tables of the manifest: the `agg_*` tables (public tables since the aggregates were added to
 * the contract) and any table that is not a public table at all; the `indicators` table is not counted.
 */
export function preaggregateTables(manifestTables: Record<string, unknown>): string[] {
	return Object.keys(manifestTables)
		.filter((n) => n.startsWith('agg_') || (!PUBLIC.has(n) && n !== 'indicators'))
		.sort();
}

type AssessmentSql = (
	region: ReturnType<typeof regionConfig>,
	f: Filters,
	levels?: undefined,
	source?: Source
) => string;

/** The assessment page's indicator SQL, when that module is available. */
async function loadAssessmentSql(notes: string[]): Promise<AssessmentSql | null> {
	const spec = '../../src/lib/components/indicators';
	try {
		const m = (await import(/* @vite-ignore */ spec)) as { assessmentSql?: AssessmentSql };
		if (typeof m.assessmentSql === 'function') return m.assessmentSql;
	} catch (e) {
		notes.push(`assessment indicator SQL not available: ${(e as Error).message.split('\n')[0]}`);
	}
	return null;
}

export interface BenchQuery {
	name: string;
	sql: string;
	kind: QueryKind;
}

/** A page question asked of the pre-aggregates (`agg`) and of the raw tables (`raw`). */
export interface QueryPair {
	name: string;
	agg: string;
	raw: string;
}

export const FILTER_VARIANTS = (year: number): { tag: string; f: Filters }[] => {
	const base = yearFilters(year);
	return [
		{ tag: 'city', f: base },
		{ tag: 'district', f: { ...base, district: BENCH_DISTRICT } },
		{ tag: 'category', f: { ...base, category: 'care_support' } }
	];
};

/**
 * The benchmark's queries for a release whose last full year is `year`: `queries` — the pages' queries as the
 * pages run them (default source, pre-aggregates) plus the assessment indicators computed from the raw tables
 * (`indicator`), timed on both engines; `pairs` — every page question in its `raw` and `agg` variants where the
 * two differ (identical SQL, e.g. an indicator query with a category filter, has nothing pre-aggregated).
 */
export async function querySet(
	year: number,
	notes: string[] = []
): Promise<{ queries: BenchQuery[]; pairs: QueryPair[] }> {
	const bands = regionConfig(siteConfig.region).star_bands_hours;
	const region = regionConfig(siteConfig.region);
	const queries: BenchQuery[] = [];
	const pairs: QueryPair[] = [];
	const assessment = await loadAssessmentSql(notes);
	for (const { tag, f } of FILTER_VARIANTS(year)) {
		const sets: [string, (s: Source) => Record<string, string>][] = [
			['overview', (s) => overviewQueries(f, bands, s)],
			['categories', (s) => categoriesQueries(f, s)],
			['map', (s) => mapQueries(f, s)]
		];
		if (assessment)
			sets.push([
				'assessment',
				(s): Record<string, string> => {
					try {
						return { indicators: assessment(region, f, undefined, s) };
					} catch (e) {
						notes.push(`assessment SQL (${tag}, ${s}): ${(e as Error).message.split('\n')[0]}`);
						return {};
					}
				}
			]);
		for (const [page, make] of sets) {
			const agg = make('agg');
			const raw = make('raw');
			for (const [k, sql] of Object.entries(agg)) {
				const name = `${page}.${k} (${tag})`;
				queries.push({ name, sql, kind: 'page' });
				if (raw[k] !== undefined && raw[k] !== sql) pairs.push({ name, agg: sql, raw: raw[k] });
			}
			if (page === 'assessment' && raw.indicators)
				queries.push({ name: `indicators.raw (${tag})`, sql: raw.indicators, kind: 'indicator' });
		}
	}
	// Equal SQL (e.g. the map's district table ignores the district filter) is timed once.
	const seen = new Set<string>();
	const seenPair = new Set<string>();
	return {
		queries: queries.filter((q) => !seen.has(`${q.kind} ${q.sql}`) && seen.add(`${q.kind} ${q.sql}`)),
		pairs: pairs.filter((p) => !seenPair.has(p.raw) && seenPair.add(p.raw))
	};
}

async function time(fn: () => Promise<unknown>, reps: number): Promise<{ ms: number; result: unknown }> {
	const result = await fn();
	const ms: number[] = [];
	for (let i = 0; i < reps; i++) {
		const t0 = performance.now();
		await fn();
		ms.push(performance.now() - t0);
	}
	return { ms: median(ms) ?? 0, result };
}

export async function runEngines(
	releaseDir: string,
	opts: { reps?: number; log?: (s: string) => void } = {}
): Promise<EnginesResult> {
	const reps = opts.reps ?? 5;
	const log = opts.log ?? (() => {});
	const browserDir = path.join(releaseDir, 'browser');
	const manifest = JSON.parse(readFileSync(path.join(browserDir, 'manifest.json'), 'utf8')) as {
		data_as_of: string;
		tables: Record<string, ManifestTable>;
	};
	const notes: string[] = [];
	const year = Number(manifest.data_as_of.slice(0, 4)) - (manifest.data_as_of.slice(5) === '12-31' ? 0 : 1);
	const { queries, pairs } = await querySet(year, notes);
	const names = Object.keys(manifest.tables);
	const aggTables = preaggregateTables(manifest.tables);
	const needed = [
		...new Set([...queries.map((q) => q.sql), ...pairs.map((p) => p.raw)].flatMap((q) => tablesOf(q, names)))
	];

	const native = await createNodeConnector();
	const wasm = await createWasmNodeConnector();
	try {
		const threads = Number(
			((await native.query<{ t: unknown }>(`SELECT current_setting('threads')::INTEGER AS t`))[0]
				?.t as number) ?? 0
		);
		let nativeLoad = 0;
		let wasmLoad = 0;
		const loaded: EnginesResult['loadedTables'] = [];
		for (const name of needed) {
			const t = manifest.tables[name];
			const bytes = new Uint8Array(readFileSync(path.join(browserDir, t.file)));
			log(`engines: loading ${name} (${t.rows} rows, ${(t.bytes / 1e6).toFixed(1)} MB) …`);
			let t0 = performance.now();
			await native.loadArrowIPC(name, bytes);
			nativeLoad += performance.now() - t0;
			t0 = performance.now();
			await wasm.insertArrowIPC(name, bytes);
			wasmLoad += performance.now() - t0;
			loaded.push({ name, rows: t.rows, bytes: t.bytes });
		}
		// One timing per distinct SQL (a page query may equal an indicator query or a pair's side).
		const memo = new Map<string, { nativeMs: number; wasmMs: number; nRows: number; wRows: number }>();
		const timeBoth = async (sql: string) => {
			let m = memo.get(sql);
			if (!m) {
				const n = await time(() => native.query(sql), reps);
				const w = await time(() => wasm.query(sql), reps);
				m = {
					nativeMs: n.ms,
					wasmMs: w.ms,
					nRows: (n.result as unknown[]).length,
					wRows: (w.result as unknown[]).length
				};
				memo.set(sql, m);
			}
			return m;
		};
		log(`engines: ${queries.length} queries on native DuckDB and DuckDB-WASM …`);
		const timings: QueryTiming[] = [];
		for (const q of queries) {
			try {
				const m = await timeBoth(q.sql);
				timings.push({
					name: q.name,
					kind: q.kind,
					tables: tablesOf(q.sql, names),
					nativeMs: m.nativeMs,
					native1Ms: 0,
					wasmMs: m.wasmMs,
					ratio: m.nativeMs > 0 ? m.wasmMs / m.nativeMs : 0,
					rows: m.nRows,
					mismatch: m.nRows === m.wRows ? undefined : `native ${m.nRows} rows, WASM ${m.wRows} rows`
				});
			} catch (e) {
				notes.push(`${q.name}: ${(e as Error).message.split('\n')[0]}`);
			}
		}
		await native.exec('SET threads = 1');
		const one = new Map<string, number>();
		for (const t of timings) {
			const sql = queries.find((q) => q.name === t.name)?.sql as string;
			if (!one.has(sql)) one.set(sql, (await time(() => native.query(sql), reps)).ms);
			t.native1Ms = one.get(sql) as number;
		}
		await native.exec(`SET threads = ${threads}`);
		let pre: PreaggregateTiming[] | null = null;
		if (aggTables.length || pairs.some((p) => tablesOf(p.agg, names).includes('indicators'))) {
			log(`engines: ${pairs.length} page questions from the raw tables vs the pre-aggregates …`);
			pre = [];
			for (const p of pairs) {
				try {
					const r = await timeBoth(p.raw);
					const a = await timeBoth(p.agg);
					pre.push({
						name: p.name,
						rawWasmMs: r.wasmMs,
						preWasmMs: a.wasmMs,
						rawNativeMs: r.nativeMs,
						preNativeMs: a.nativeMs,
						speedup: r.wasmMs / Math.max(a.wasmMs, 0.01),
						rawRows: r.wRows,
						preRows: a.wRows
					});
				} catch (e) {
					notes.push(`raw vs pre-aggregate ${p.name}: ${(e as Error).message.split('\n')[0]}`);
				}
			}
		} else notes.push('the release has no pre-aggregated tables: raw vs pre-aggregate not measured');
		const sum = (k: 'nativeMs' | 'native1Ms' | 'wasmMs') => timings.reduce((s, t) => s + t[k], 0);
		const ratios = (ts: QueryTiming[]) => ts.map((t) => t.wasmMs / Math.max(t.nativeMs, 0.01));
		const indicator = timings.filter((t) => t.kind === 'indicator');
		const page = timings.filter((t) => t.kind === 'page');
		return {
			queries: timings,
			ratioGeomean: geomean(ratios(timings)),
			indicatorRatioGeomean: geomean(ratios(indicator)),
			indicatorQueries: indicator.length,
			pageRatioGeomean: geomean(ratios(page)),
			pageQueries: page.length,
			ratioTotal: sum('nativeMs') > 0 ? sum('wasmMs') / sum('nativeMs') : null,
			ratio1Geomean: geomean(timings.map((t) => t.wasmMs / Math.max(t.native1Ms, 0.01))),
			ratio1Total: sum('native1Ms') > 0 ? sum('wasmMs') / sum('native1Ms') : null,
			nativeThreads: threads,
			loadMs: { native: nativeLoad, wasm: wasmLoad },
			loadedTables: loaded,
			notes,
			preaggregateTables: aggTables,
			preaggregate: pre,
			preaggregateSpeedup: pre?.length ? geomean(pre.map((p) => p.speedup)) : null
		};
	} finally {
		await native.close();
		await wasm.close();
	}
}
