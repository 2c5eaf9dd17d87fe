/**
 * Engines part of the benchmark: the dashboard's own queries (overview, categories, map and the assessment
 * indicators) on native DuckDB (`@duckdb/node-api`) and on DuckDB-WASM (the Node blocking bundle with the same
 * duckdb-eh.wasm the browser runs), both loaded from the release's Arrow files. Each query runs once to warm up,
 * then `reps` times (default 5); the median is kept. WASM is single-threaded; native runs with DuckDB's default threads and
 * again with one thread.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createNodeConnector } from '../../src/lib/db/server/node';
import { createWasmNodeConnector } from '../../src/lib/db/server/wasm-node';
import { categoriesQueries, mapQueries, overviewQueries } from '../../src/lib/charts/pages';
import { tablesOf } from '../../src/lib/charts/queries';
import { yearFilters, type Filters } from '../../src/lib/components/filters';
import { regionConfig, siteConfig } from '../../src/lib/config';
import { PUBLIC_TABLES } from '../../src/lib/schema/public';
import { geomean, median } from './stats';

export interface QueryTiming {
	name: string;
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
	 * Raw vs pre-aggregate: the assessment indicators computed from the raw tables (the page's query) vs read from
	 * the release's precomputed `indicators` table (same year, levels and areas). Null when either is missing.
	 */
	preaggregate: PreaggregateTiming[] | null;
}

export interface PreaggregateTiming {
	name: string;
	rawWasmMs: number;
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

const RAW = new Set(PUBLIC_TABLES.map((t) => t.name));

/** Tables of the manifest that are not public raw tables: pre-aggregates, by the design. */
export function preaggregateTables(manifestTables: Record<string, unknown>): string[] {
	return Object.keys(manifestTables).filter((n) => !RAW.has(n) && n !== 'indicators');
}

type AssessmentSql = (region: ReturnType<typeof regionConfig>, f: Filters) => string;

/** The assessment page's indicator SQL, when that module is available (it is being built in parallel). */
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

/** The benchmark's query set for a release whose last full year is `year`. */
export async function querySet(year: number, notes: string[] = []): Promise<{ name: string; sql: string }[]> {
	const bands = regionConfig(siteConfig.region).star_bands_hours;
	const base = yearFilters(year);
	const variants: { tag: string; f: Filters }[] = [
		{ tag: 'city', f: base },
		{ tag: 'district', f: { ...base, district: BENCH_DISTRICT } },
		{ tag: 'category', f: { ...base, category: 'care_support' } }
	];
	const out: { name: string; sql: string }[] = [];
	const assessment = await loadAssessmentSql(notes);
	for (const { tag, f } of variants) {
		for (const [k, sql] of Object.entries(overviewQueries(f, bands)))
			out.push({ name: `overview.${k} (${tag})`, sql });
		for (const [k, sql] of Object.entries(categoriesQueries(f)))
			out.push({ name: `categories.${k} (${tag})`, sql });
		for (const [k, sql] of Object.entries(mapQueries(f))) out.push({ name: `map.${k} (${tag})`, sql });
		if (assessment) {
			try {
				out.push({
					name: `assessment.indicators (${tag})`,
					sql: assessment(regionConfig(siteConfig.region), f)
				});
			} catch (e) {
				notes.push(`assessment SQL (${tag}): ${(e as Error).message.split('\n')[0]}`);
			}
		}
	}
	// Equal SQL (e.g. the map's district table ignores the district filter) is timed once.
	const seen = new Set<string>();
	return out.filter((q) => !seen.has(q.sql) && seen.add(q.sql));
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
	const queries = await querySet(year, notes);
	const names = Object.keys(manifest.tables);
	const needed = [...new Set(queries.flatMap((q) => tablesOf(q.sql, names)))];
	const hasIndicators =
		'indicators' in manifest.tables && queries.some((q) => q.name.startsWith('assessment.'));
	if (hasIndicators && !needed.includes('indicators')) needed.push('indicators');

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
		const timings: QueryTiming[] = [];
		for (const q of queries) {
			try {
				const n = await time(() => native.query(q.sql), reps);
				const w = await time(() => wasm.query(q.sql), reps);
				const nRows = (n.result as unknown[]).length;
				const wRows = (w.result as unknown[]).length;
				timings.push({
					name: q.name,
					tables: tablesOf(q.sql, names),
					nativeMs: n.ms,
					native1Ms: 0,
					wasmMs: w.ms,
					ratio: n.ms > 0 ? w.ms / n.ms : 0,
					rows: nRows,
					mismatch: nRows === wRows ? undefined : `native ${nRows} rows, WASM ${wRows} rows`
				});
			} catch (e) {
				notes.push(`${q.name}: ${(e as Error).message.split('\n')[0]}`);
			}
		}
		await native.exec('SET threads = 1');
		for (const t of timings) {
			const sql = queries.find((q) => q.name === t.name)?.sql as string;
			t.native1Ms = (await time(() => native.query(sql), reps)).ms;
		}
		await native.exec(`SET threads = ${threads}`);
		let pre: PreaggregateTiming[] | null = null;
		if (hasIndicators) {
			pre = [];
			const variants = [
				{ tag: 'city', where: `level IN ('city', 'district')` },
				{
					tag: 'district',
					where: `(level = 'city' OR (level = 'district' AND area_code = '${BENCH_DISTRICT}') OR (level = 'street' AND area_code IN (SELECT street_code FROM ref_streets WHERE district_code = '${BENCH_DISTRICT}')))`
				}
			];
			for (const v of variants) {
				const raw = queries.find((q) => q.name === `assessment.indicators (${v.tag})`);
				if (!raw) continue;
				const sql = `SELECT indicator_id, level, area_code, value, numerator, denominator, target, suppressed FROM indicators WHERE "year" = ${year} AND ${v.where}`;
				try {
					const rn = await time(() => native.query(raw.sql), reps);
					const rw = await time(() => wasm.query(raw.sql), reps);
					const pn = await time(() => native.query(sql), reps);
					const pw = await time(() => wasm.query(sql), reps);
					pre.push({
						name: `assessment.indicators (${v.tag})`,
						rawWasmMs: rw.ms,
						preWasmMs: pw.ms,
						rawNativeMs: rn.ms,
						preNativeMs: pn.ms,
						speedup: rw.ms / Math.max(pw.ms, 0.01),
						rawRows: (rw.result as unknown[]).length,
						preRows: (pw.result as unknown[]).length
					});
				} catch (e) {
					notes.push(`pre-aggregate ${v.tag}: ${(e as Error).message.split('\n')[0]}`);
				}
			}
		}
		const sum = (k: 'nativeMs' | 'native1Ms' | 'wasmMs') => timings.reduce((s, t) => s + t[k], 0);
		const indicator = timings.filter((t) => t.name.startsWith('assessment.'));
		return {
			queries: timings,
			ratioGeomean: geomean(timings.map((t) => t.wasmMs / Math.max(t.nativeMs, 0.01))),
			indicatorRatioGeomean: geomean(indicator.map((t) => t.wasmMs / Math.max(t.nativeMs, 0.01))),
			indicatorQueries: indicator.length,
			ratioTotal: sum('nativeMs') > 0 ? sum('wasmMs') / sum('nativeMs') : null,
			ratio1Geomean: geomean(timings.map((t) => t.wasmMs / Math.max(t.native1Ms, 0.01))),
			ratio1Total: sum('native1Ms') > 0 ? sum('wasmMs') / sum('native1Ms') : null,
			nativeThreads: threads,
			loadMs: { native: nativeLoad, wasm: wasmLoad },
			loadedTables: loaded,
			notes,
			preaggregateTables: preaggregateTables(manifest.tables),
			preaggregate: pre
		};
	} finally {
		await native.close();
		await wasm.close();
	}
}
