/**
 * Results of the benchmark: the JSON shape (bench-results/latest.json), target checks with notes on what
 * bounds a miss, the console table and BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { BrowserResult, PageInteractions } from './browser';
import type { EnginesResult, PreaggregateTiming } from './engines';
import { geomean, median } from './stats';
import {
	BUILD_RSS_MAX_BYTES,
	BUILD_WALL_MAX_S,
	BYTES_BEFORE_FIRST_PAINT_MAX,
	FIRST_ANSWER_MAX_MS,
	INTERACTION_P95_MAX_MS,
	TARGETS,
	TARGET_SCALE,
	WASM_NATIVE_RATIO_MAX,
	type TargetId
} from './targets';

/** `loadavg`: the 1-minute load average when the part finished (the machine is shared). */
export type Part<T> =
	| { status: 'measured'; measuredAt: string; loadavg?: number; value: T }
	| { status: 'not measured'; measuredAt: string; reason: string };

export interface DataPart {
	participations: number;
	inputReused: boolean;
	generateSeconds: number | null;
	wallSeconds: number;
	rowsPerSecond: number;
	peakRssBytes: number;
	peakHwmBytes: number;
	peakTreeRssBytes: number;
	version: string;
	stages?: Record<string, number>;
	/** CPU seconds per stage (all threads of the build's process) and `total`. */
	stageCpu?: Record<string, number>;
	browserTables: { name: string; rows: number; bytes: number; br: number | null }[];
}

export interface PreaggregatePart {
	tables: string[];
	/** Geometric mean of raw ÷ pre-aggregate on DuckDB-WASM. */
	speedup: number | null;
	timings?: PreaggregateTiming[];
}

/** The engine-level raw vs pre-aggregate part of an engines run. */
export function preaggregatePart(e: EnginesResult): Part<PreaggregatePart> {
	const t = e.preaggregate ?? [];
	if (!t.length)
		return notMeasured(
			e.preaggregateTables.length
				? `the release has pre-aggregated tables (${e.preaggregateTables.join(', ')}) but no page query differs between source 'raw' and 'agg'`
				: 'the release has no pre-aggregated (agg_*) tables to compare the raw queries with'
		);
	const uses = (name: string) => e.queries.some((q) => q.tables.includes(name));
	return measured({
		tables: [...e.preaggregateTables, ...(uses('indicators') ? ['indicators'] : [])],
		speedup: geomean(t.map((p) => p.speedup)),
		timings: t
	});
}

export interface ScaleResult {
	scale: number;
	data?: Part<DataPart>;
	site?: Part<{ buildSeconds: number; version: string }>;
	browser?: Part<BrowserResult>;
	engines?: Part<EnginesResult>;
	preaggregate?: Part<PreaggregatePart>;
}

export interface Machine {
	cpus: number;
	cpuModel: string;
	memory: string;
	node: string;
	chromium: string;
	os: string;
	/** 1-minute load average when the results were written (the machine is shared). */
	loadavg: number;
}

export interface BenchResults {
	/** When this file was last written. */
	date: string;
	machine: Machine;
	targetScale: number;
	scales: ScaleResult[];
}

export type TargetStatus = 'met' | 'MISSED' | 'not measured';

export interface TargetCheck {
	id: TargetId;
	label: string;
	limit: string;
	value: string;
	status: TargetStatus;
	note?: string;
}

export const notMeasured = (reason: string): Part<never> => ({
	status: 'not measured',
	measuredAt: new Date().toISOString(),
	reason
});
export const measured = <T>(value: T): Part<T> => ({
	status: 'measured',
	measuredAt: new Date().toISOString(),
	loadavg: Math.round(os.loadavg()[0] * 10) / 10,
	value
});

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const kb = (b: number) => `${(b / 1e3).toFixed(0)} KB`;
const gib = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GiB`;
const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v.toFixed(0)} ms`);
const fx = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '—' : v.toFixed(d));

function check(id: TargetId, ok: boolean | null, value: string, note?: string): TargetCheck {
	const t = TARGETS.find((x) => x.id === id);
	if (!t) throw new Error(`unknown target ${id}`);
	return {
		id,
		label: t.label,
		limit: t.limit,
		value,
		status: ok === null ? 'not measured' : ok ? 'met' : 'MISSED',
		note: ok === false || ok === null ? note?.replace(/^not measured: /, '') : undefined
	};
}

function reasonOf(p: Part<unknown> | undefined): string {
	if (!p) return 'this part was not run';
	return p.status === 'not measured' ? p.reason : '';
}

/** What the first answer had to download, largest first (from the bytes per kind and the release tables). */
function wireNote(b: BrowserResult, data: DataPart | null): string {
	const kinds = Object.entries(b.cold.byKind)
		.sort((x, y) => y[1] - x[1])
		.filter(([, v]) => v >= 50_000)
		.map(([k, v]) => `${k} ${mb(v)}`)
		.join(', ');
	const files = b.cold.arrowFiles?.length
		? `; Arrow files fetched: ${b.cold.arrowFiles.map((f) => `${f.table} ${mb(f.bytes)}`).join(', ')}`
		: '';
	const raw = data?.browserTables
		.filter((t) => ['hours', 'activities', 'beneficiaries', 'points', 'volunteers'].includes(t.name))
		.map((t) => `${t.name} ${t.rows.toLocaleString('en')} rows/${mb(t.br ?? t.bytes)} br`)
		.join(', ');
	return `on the wire before the first answer: ${kinds}${files}${raw ? `; raw tables in the release: ${raw}` : ''}`;
}

/** When the WASM bundle and the data had arrived, and what the rest of the first answer took. */
/**
 * Where the first answer came from, and when the engine computed its first one (a run before the prerendered
 * answers reported neither).
 */
export function answerSource(c: BrowserResult['cold']): string {
	if (c.firstAnswerQueries === undefined) return '';
	const from =
		c.firstAnswerQueries === 0
			? 'answered from the prerendered answers, no engine query'
			: `${c.firstAnswerQueries} engine quer${c.firstAnswerQueries === 1 ? 'y' : 'ies'}`;
	const engine =
		c.engineAnswerMs !== null && c.engineAnswerMs !== undefined
			? `first answer computed by the engine (a second filter at once) ${ms(c.engineAnswerMs)} after navigation`
			: `first answer computed by the engine not measured: ${c.engineAnswerNote ?? 'no second change'}`;
	return ` (${from}; ${engine})`;
}

function timeNote(b: BrowserResult): string {
	const c = b.cold;
	const after =
		c.firstAnswerMs !== null && c.arrowLoadedMs !== null
			? `, then ${ms(c.firstAnswerMs - c.arrowLoadedMs)} to insert the tables into DuckDB-WASM, run the queries and paint`
			: '';
	return `the WASM bundle was in at ${ms(c.wasmLoadedMs)}, the last Arrow file at ${ms(c.arrowLoadedMs)} after navigation${after}`;
}

function stagesNote(d: DataPart): string {
	const all = Object.entries(d.stages ?? {});
	// A part timed inside a larger stage (arrow, parquet, csv within "write (arrow ∥ parquet + csv, …)") is not
	// a stage of its own.
	const within = (k: string) =>
		all.some(([o]) => o !== k && o.includes('(') && new RegExp(`\\b${k}\\b`).test(o));
	const st = all.filter(([k]) => !within(k)).sort((a, b) => b[1] - a[1]);
	if (!st.length)
		return 'the build validates the export, pseudonymises ids, computes indicators and writes Arrow (+ brotli/gzip), Parquet and CSV.';
	const cpu = d.stageCpu ?? {};
	const cores = (k: string, wall: number) =>
		cpu[k] !== undefined && wall > 0 ? `, ${(cpu[k] / wall).toFixed(1)} cores` : '';
	const top = st
		.slice(0, 4)
		.map(([k, v]) => `${k} ${v.toFixed(1)} s (${((v / d.wallSeconds) * 100).toFixed(0)}%${cores(k, v)})`);
	let total = '';
	if (cpu.total !== undefined && d.wallSeconds > 0) {
		const busy = cpu.total / d.wallSeconds;
		const n = os.availableParallelism();
		total = `${cpu.total.toFixed(0)} CPU-s in ${d.wallSeconds.toFixed(0)} s, ${busy.toFixed(2)} of ${n} cores busy on average (every thread of the build: DuckDB, compression, JavaScript)${
			busy >= 0.8 * n
				? `: bound by its CPU work (${BUILD_WALL_MAX_S} s at this use of the cores needs at most ~${Math.round(BUILD_WALL_MAX_S * busy)} CPU-s)`
				: ': cores idle for part of the build (more overlap of its stages would help)'
		}; `;
	}
	return `${total}slowest stages: ${top.join(', ')}.`;
}

export function evaluateTargets(s: ScaleResult): TargetCheck[] {
	const out: TargetCheck[] = [];
	const b = s.browser?.status === 'measured' ? s.browser.value : null;
	const d = s.data?.status === 'measured' ? s.data.value : null;
	const e = s.engines?.status === 'measured' ? s.engines.value : null;
	const pre = s.engines?.status === 'measured' && e && e.preaggregateTables.length === 0;
	const preNote = pre
		? ' The release has no pre-aggregated tables, so every interaction scans the raw tables.'
		: '';
	const bReason = `not measured: ${reasonOf(s.browser)}`;

	if (!b) {
		for (const id of [
			'headline_no_wasm_wait',
			'first_answer',
			'bytes_first_paint',
			'interaction_p95'
		] as const)
			out.push(check(id, null, '—', bReason));
	} else {
		const c = b.cold;
		out.push(
			check(
				'headline_no_wasm_wait',
				c.headlineVisibleMs === null ? null : c.headlineInHtml && !c.wasmBeforeHeadline,
				c.headlineVisibleMs === null
					? '—'
					: `${ms(c.headlineVisibleMs)}${c.headlineInHtml ? ', in the HTML' : ', not in the HTML'}`,
				c.headlineVisibleMs === null
					? 'not measured: the headline ([data-figure][data-value]) never appeared'
					: !c.headlineInHtml
						? 'the prerendered HTML does not carry the headline values'
						: 'the WASM bundle finished loading before the headline was visible'
			)
		);
		out.push(
			check(
				'first_answer',
				c.firstAnswerMs === null ? null : c.firstAnswerMs <= FIRST_ANSWER_MAX_MS,
				ms(c.firstAnswerMs),
				c.firstAnswerMs === null
					? `not measured: ${c.firstAnswerNote}`
					: `${timeNote(b)}; ${wireNote(b, d)}.${answerSource(c)}${preNote}`
			)
		);
		out.push(
			check(
				'bytes_first_paint',
				c.fcpMs === null ? null : c.bytesBeforeFcp.exclWasm <= BYTES_BEFORE_FIRST_PAINT_MAX,
				`${kb(c.bytesBeforeFcp.exclWasm)} (${c.bytesBeforeFcp.requests} requests)`,
				c.fcpMs === null
					? 'not measured: no first-contentful-paint entry'
					: 'the HTML, CSS and JavaScript before the first paint exceed the budget'
			)
		);
		const slowest = [...b.pages].filter((p) => p.p95 != null).sort((x, y) => (y.p95 ?? 0) - (x.p95 ?? 0))[0];
		const unmeasured = b.pages.filter((p) => p.notMeasured).map((p) => `${p.page}: ${p.notMeasured}`);
		const split = slowest ? engineSplit(slowest).replace(/^; of a change, /, '') : '';
		const wasmNote =
			(split ? ` In the browser, ${split}.` : '') +
			(e && slowest ? ` ${pageQueryNote(e, slowest.page)}` : '');
		out.push(
			check(
				'interaction_p95',
				b.all.p95 === null ? null : b.all.p95 <= INTERACTION_P95_MAX_MS,
				`${ms(b.all.p95)} (n = ${b.all.n}${b.readMs !== undefined ? `, after a ${(b.readMs / 1000).toFixed(1)} s read` : ''}${unmeasured.length ? `, ${unmeasured.length} page(s) not measured` : ''})`,
				b.all.p95 === null
					? `not measured: ${unmeasured.join('; ') || 'no interaction answered'}`
					: `slowest page ${slowest?.page} (p95 ${ms(slowest?.p95)}): each change waits for the page's DuckDB-WASM queries (one after another in the one engine worker) and for the page's own work on the main thread (Svelte's updates, the Plot charts, layout and paint).${wasmNote}${warmupNote(b.pages)}${preNote}${unmeasured.length ? ` Not measured: ${unmeasured.join('; ')}.` : ''}`
			)
		);
	}
	if (!e) out.push(check('wasm_native_ratio', null, '—', `not measured: ${reasonOf(s.engines)}`));
	else {
		// The issue's target is on the indicator queries: without them the ratio is not measured (the dashboard
		// queries alone would hide the engine's heaviest work).
		const ind = e.indicatorQueries > 0 && e.indicatorRatioGeomean !== null;
		const ratio = e.indicatorRatioGeomean;
		out.push(
			ind
				? check(
						'wasm_native_ratio',
						ratio !== null && ratio <= WASM_NATIVE_RATIO_MAX,
						`${fx(ratio)} (geomean of ${e.indicatorQueries} indicator queries from the raw tables; ${pageRatio(e)})`,
						`native DuckDB runs on ${e.nativeThreads} threads, DuckDB-WASM on one (the duckdb-eh bundle has no threads); against native on one thread the geomean ratio over all queries is ${fx(e.ratio1Geomean)}.`
					)
				: check(
						'wasm_native_ratio',
						null,
						`— (${pageRatio(e)})`,
						`not measured: no indicator query ran${e.notes.length ? ` (${e.notes[0]})` : ''}`
					)
		);
	}
	if (!d) {
		out.push(check('build_wall', null, '—', `not measured: ${reasonOf(s.data)}`));
		out.push(check('build_rss', null, '—', `not measured: ${reasonOf(s.data)}`));
	} else {
		out.push(
			check(
				'build_wall',
				d.wallSeconds <= BUILD_WALL_MAX_S,
				`${d.wallSeconds.toFixed(1)} s (${Math.round(d.rowsPerSecond).toLocaleString('en')} rows/s)`,
				`${Math.round(d.rowsPerSecond).toLocaleString('en')} participation rows/s on 2 cores; ${stagesNote(d)}`
			)
		);
		out.push(
			check(
				'build_rss',
				d.peakRssBytes <= BUILD_RSS_MAX_BYTES,
				gib(d.peakRssBytes),
				'DuckDB holds the imported tables in memory during the build.'
			)
		);
	}
	return out;
}

function pageRatio(e: EnginesResult): string {
	return e.pageRatioGeomean === undefined
		? `all ${e.queries.length} dashboard queries ${fx(e.ratioGeomean)}`
		: `the pages' ${e.pageQueries ?? 0} queries as they run them ${fx(e.pageRatioGeomean)}`;
}

/** The sum of a page's query medians per filter set on DuckDB-WASM and native (one interaction's work). */
export function pageQueryNote(e: EnginesResult, page: string): string {
	const sets = new Map<string, { wasm: number; native: number }>();
	for (const q of e.queries) {
		const m = /^(\w+)\.\w+ \((\w+)\)$/.exec(q.name);
		if (!m || m[1] !== page) continue;
		const s = sets.get(m[2]) ?? { wasm: 0, native: 0 };
		s.wasm += q.wasmMs;
		s.native += q.nativeMs;
		sets.set(m[2], s);
	}
	if (!sets.size) return '';
	const parts = [...sets].map(([k, v]) => `${k} ${v.wasm.toFixed(0)} ms (native ${v.native.toFixed(0)} ms)`);
	return `Sum of the ${page} page's query medians per filter set on DuckDB-WASM in Node: ${parts.join(', ')}.`;
}

export function machineInfo(chromium = ''): Machine {
	let cpuModel = os.cpus()[0]?.model ?? '';
	try {
		cpuModel = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
	} catch {
		/* not Linux */
	}
	let memory = `${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB`;
	try {
		const free = execFileSync('free', ['-g'], { encoding: 'utf8' });
		const m = /Mem:\s+(\d+)\s+(\d+)\s+(\d+)/.exec(free);
		if (m) memory = `${m[1]} GiB total, ${m[3]} GiB free (free -g)`;
	} catch {
		/* no free(1) */
	}
	return {
		cpus: os.availableParallelism(),
		cpuModel,
		memory,
		node: process.version,
		chromium,
		os: `${os.type()} ${os.release()}`,
		loadavg: os.loadavg()[0]
	};
}

/** Keep the parts of a previous run that this run did not measure. */
export function mergeResults(previous: BenchResults | null, current: BenchResults): BenchResults {
	if (!previous) return current;
	const scales = new Map<number, ScaleResult>();
	for (const s of previous.scales) scales.set(s.scale, s);
	for (const s of current.scales) {
		const old = scales.get(s.scale) ?? { scale: s.scale };
		const merged: ScaleResult = { ...old };
		for (const k of ['data', 'site', 'browser', 'engines', 'preaggregate'] as const)
			if (s[k]) (merged as unknown as Record<string, unknown>)[k] = s[k];
		scales.set(s.scale, merged);
	}
	return { ...current, scales: [...scales.values()].sort((a, b) => a.scale - b.scale) };
}

export interface Line {
	metric: string;
	value: string;
}

/** The measured lines of one scale (every line says "not measured: …" when its part is missing). */
export function lines(s: ScaleResult): Line[] {
	const out: Line[] = [];
	const nm = (p: Part<unknown> | undefined) => `not measured: ${reasonOf(p)}`;
	const d = s.data?.status === 'measured' ? s.data.value : null;
	out.push({ metric: 'participation rows', value: d ? d.participations.toLocaleString('en') : nm(s.data) });
	out.push({ metric: 'data:build wall time', value: d ? `${d.wallSeconds.toFixed(1)} s` : nm(s.data) });
	out.push({
		metric: 'data:build rows/s',
		value: d ? Math.round(d.rowsPerSecond).toLocaleString('en') : nm(s.data)
	});
	out.push({
		metric: 'data:build peak RSS',
		value: d ? `${gib(d.peakRssBytes)} (largest process ${gib(d.peakHwmBytes)})` : nm(s.data)
	});
	if (d?.stageCpu && Object.keys(d.stageCpu).length) {
		// The stages that print their CPU time (the build's top-level stages), wall and CPU seconds each.
		const cpu = d.stageCpu;
		const parts = Object.keys(cpu)
			.filter((k) => k !== 'total' && d.stages?.[k] !== undefined)
			.map((k) => `${k} ${d.stages![k].toFixed(1)} s / ${cpu[k].toFixed(0)} CPU-s`);
		out.push({
			metric: 'data:build stages (wall / CPU)',
			value: `${parts.join(', ')}${cpu.total !== undefined ? `; total ${cpu.total.toFixed(0)} CPU-s (${(cpu.total / d.wallSeconds).toFixed(2)} cores on average)` : ''}`
		});
	}
	if (d) {
		const arrow = d.browserTables.reduce((a, t) => a + t.bytes, 0);
		const br = d.browserTables.reduce((a, t) => a + (t.br ?? t.bytes), 0);
		out.push({
			metric: 'release browser files',
			value: `${mb(arrow)} Arrow, ${mb(br)} brotli (${d.browserTables.length} tables)`
		});
	}
	const b = s.browser?.status === 'measured' ? s.browser.value : null;
	if (!b) {
		for (const m of [
			'overview: first contentful paint',
			'overview: headline numbers visible',
			'overview: hydrated / engine ready',
			'overview: first interactive answer',
			'bytes before first paint',
			'bytes before first answer',
			'interactions p50 / p95 (all pages)',
			'peak JS heap',
			'peak memory of a page with its engine',
			'raw tables (?source=raw): interactions p50 / p95',
			'page-level speed-up, raw p50 ÷ pre-aggregate p50'
		])
			out.push({ metric: m, value: nm(s.browser) });
	} else {
		const c = b.cold;
		out.push({ metric: 'overview: first contentful paint', value: ms(c.fcpMs) });
		out.push({
			metric: 'overview: headline numbers visible',
			value: `${ms(c.headlineVisibleMs)} (${c.headlineInHtml ? 'prerendered in the HTML' : 'not in the HTML'}${c.wasmBeforeHeadline ? ', after WASM' : ', before any WASM'})`
		});
		out.push({
			metric: 'overview: hydrated / engine ready',
			value:
				c.hydratedMs === undefined
					? 'not measured: older run'
					: `${c.hydratedMs === null ? 'no data-hydrated hook' : ms(c.hydratedMs)} / ${c.engineReadyMs === null || c.engineReadyMs === undefined ? 'not ready within the cold load' : ms(c.engineReadyMs)} after navigation`
		});
		out.push({
			metric: 'overview: first interactive answer',
			value:
				c.firstAnswerMs === null
					? `not measured: ${c.firstAnswerNote}`
					: `${ms(c.firstAnswerMs)} after navigation${answerSource(c)}`
		});
		out.push({
			metric: 'bytes before first paint',
			value: `${kb(c.bytesBeforeFcp.total)} total, ${kb(c.bytesBeforeFcp.exclWasm)} excl. WASM`
		});
		out.push({
			metric: 'bytes before first answer',
			value: c.bytesBeforeFirstAnswer
				? `${kb(c.bytesBeforeFirstAnswer.total)} total, ${kb(c.bytesBeforeFirstAnswer.exclWasm)} excl. WASM (WASM ${kb(c.wasmBytes)}; information, not a target)`
				: `not measured: ${c.firstAnswerNote}`
		});
		for (const p of b.pages)
			out.push({
				metric: `interactions ${p.page} p50 / p95`,
				value: p.notMeasured ? `not measured: ${p.notMeasured}` : pageLine(p)
			});
		out.push({
			metric: 'interactions p50 / p95 (all pages)',
			value: `${ms(b.all.p50)} / ${ms(b.all.p95)} (n = ${b.all.n})`
		});
		out.push({
			metric: 'peak JS heap',
			value: b.peakJsHeapBytes
				? `${mb(b.peakJsHeapBytes)} (main thread; the DuckDB worker's memory is in the next row)`
				: 'not measured: no CDP heap metrics'
		});
		out.push({
			metric: 'peak memory of a page with its engine',
			value:
				b.peakRendererBytes === undefined
					? 'not measured: older run'
					: b.peakRendererBytes
						? `${mb(b.peakRendererBytes)} (peak RSS of the largest renderer process: the page, its DuckDB worker and the engine's WebAssembly memory; WebGL buffers of the map live in the GPU process, not counted)`
						: 'not measured: no renderer process found in /proc'
		});
		const raw = b.raw;
		if (!raw) {
			out.push({
				metric: 'raw tables (?source=raw): interactions p50 / p95',
				value: 'not measured: no raw run'
			});
			out.push({
				metric: 'page-level speed-up, raw p50 ÷ pre-aggregate p50',
				value: 'not measured: no raw run'
			});
		} else {
			for (const p of raw.pages)
				out.push({
					metric: `raw tables: interactions ${p.page} p50 / p95`,
					value: p.notMeasured ? `not measured: ${p.notMeasured}` : `${pageLine(p)}${speedupOf(b.pages, p)}`
				});
			out.push({
				metric: 'raw tables (?source=raw): interactions p50 / p95',
				value: raw.notMeasured
					? `not measured: ${raw.notMeasured}`
					: raw.all.n
						? `${ms(raw.all.p50)} / ${ms(raw.all.p95)} (n = ${raw.all.n}, ${raw.interactions} asked per page; peak JS heap ${mb(raw.peakJsHeapBytes)}${raw.peakRendererBytes ? `, peak memory of a page with its engine ${mb(raw.peakRendererBytes)}` : ''})`
						: 'not measured: no page answered from the raw tables'
			});
			out.push({
				metric: 'page-level speed-up, raw p50 ÷ pre-aggregate p50',
				value:
					raw.speedup === null
						? `not measured: ${raw.notMeasured ?? 'no page measured both ways'}`
						: `${fx(raw.speedup, 1)}× (pages measured both ways: ${raw.pages
								.filter((p) => p.samples?.length)
								.map((p) => p.page)
								.join(', ')})`
			});
		}
	}
	const e = s.engines?.status === 'measured' ? s.engines.value : null;
	out.push({
		metric: 'WASM ÷ native (indicator and dashboard queries)',
		value: e
			? `indicator queries (from the raw tables) ${fx(e.indicatorRatioGeomean)} geomean (${e.indicatorQueries}); ${pageRatio(e)} geomean; all ${e.queries.length} ${fx(e.ratioGeomean)} geomean, ${fx(e.ratioTotal)} total (native ${e.nativeThreads} threads); vs native 1 thread ${fx(e.ratio1Geomean)} / ${fx(e.ratio1Total)}`
			: nm(s.engines)
	});
	const pre = s.preaggregate;
	out.push({
		metric: 'raw ÷ pre-aggregate speed-up (engine, DuckDB-WASM)',
		value:
			pre?.status === 'measured'
				? `${fx(pre.value.speedup, 1)}× geomean over ${(pre.value.timings ?? []).length} page queries asked of the raw tables vs the pre-aggregates (${pre.value.tables.join(', ')}); sum of medians ${preSums(pre.value.timings ?? [])}`
				: nm(pre)
	});
	return out;
}

function pageLine(p: PageInteractions): string {
	return `${ms(p.p50)} / ${ms(p.p95)} (n = ${p.n}, max ${ms(p.max)}, ${p.fromCache} from cache, ${p.timeouts} timed out, ${p.failed ?? 0} with a panel error, ${p.asked ?? 0} answered by the offer to download the raw tables; first answer on the page ${ms(p.firstMs)}${engineSplit(p)})`;
}

/**
 * `; engine …` where the page reported its query spans: the medians of the engine's share of a change and of the
 * rest (the page's own work: building the SQL, updating the panels, layout and paint), and queries per change.
 */
export function engineSplit(p: PageInteractions): string {
	const t = p.samples ?? [];
	const e = p.engineSamples ?? [];
	if (!t.length || e.length !== t.length || !e.some((x) => x > 0)) return '';
	const rest = t.map((x, i) => x - e[i]);
	const q = median(p.querySamples ?? []);
	return `; of a change, engine queries p50 ${ms(median(e))} (${q === null ? '?' : fx(q, 0)} queries), the page's own work p50 ${ms(median(rest))}`;
}

/**
 * The first `n` changes of each page against its last `n` (p50 of each group over all pages, engine share in
 * brackets): the browser optimises DuckDB's WebAssembly and the page's JavaScript only after they have run a
 * while, so a page's first changes are its slowest. Empty when no page has 2 × `n` changes.
 */
export function warmupNote(pages: readonly PageInteractions[], n = 10): string {
	const long = pages.filter((p) => (p.samples?.length ?? 0) >= 2 * n);
	if (!long.length) return '';
	const part = (pick: (xs: readonly number[]) => readonly number[]) => {
		const total = median(long.flatMap((p) => pick(p.samples ?? [])));
		const engine = long.every((p) => p.engineSamples?.length === p.samples?.length)
			? median(long.flatMap((p) => pick(p.engineSamples ?? [])))
			: null;
		return `${ms(total)}${engine === null ? '' : ` (engine ${ms(engine)})`}`;
	};
	return ` The first ${n} changes of each page p50 ${part((xs) => xs.slice(0, n))}, the last ${n} ${part((xs) => xs.slice(-n))}: the browser optimises DuckDB's WebAssembly and the page's JavaScript as they run, so a page's first changes are its slowest.`;
}

/** `; raw ÷ pre-aggregate p50 N×` for a raw page measured both ways. */
function speedupOf(agg: readonly PageInteractions[], raw: PageInteractions): string {
	const a = agg.find((x) => x.page === raw.page);
	return a?.p50 && raw.p50 ? `; raw ÷ pre-aggregate p50 ${fx(raw.p50 / a.p50, 1)}×` : '';
}

function preSums(t: readonly PreaggregateTiming[]): string {
	const raw = t.reduce((s, x) => s + x.rawWasmMs, 0);
	const pre = t.reduce((s, x) => s + x.preWasmMs, 0);
	return `${raw.toFixed(0)} ms raw → ${pre.toFixed(1)} ms pre-aggregated`;
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].length));

export function consoleTable(s: ScaleResult): string {
	const rows = lines(s);
	const w = Math.max(...rows.map((r) => r.metric.length));
	const t = evaluateTargets(s);
	const tw = Math.max(...t.map((x) => x.label.length));
	return [
		`── scale ${s.scale} ──`,
		...rows.map((r) => `  ${pad(r.metric, w)}  ${r.value}`),
		`  targets (stated for scale ${TARGET_SCALE}):`,
		...t.map((x) => `  ${pad(x.status, 12)} ${pad(x.label, tw)}  ${pad(x.limit, 10)} ${x.value}`)
	].join('\n');
}

const esc = (s: string) => s.replaceAll('|', '\\|');

export function markdown(r: BenchResults): string {
	const m = r.machine;
	const out: string[] = [
		'# Benchmarks',
		'',
		'Generated by `npm run bench` (scripts/bench/); the raw numbers are in `bench-results/latest.json`. The',
		'benchmark is not a test: it runs on demand and its last results are committed. Re-run a part with',
		'`npm run bench -- --scales 1 --only data|browser|engines`; `--skip-generate` reuses the sample in',
		'`.tmp/bench/scale-N/input`, `--interactions N` sets the filter changes per page, `--raw-interactions N` those',
		'of the `?source=raw` run, `--read-ms N` the reading pause before the measured changes.',
		'',
		`Last written ${r.date}.`,
		'',
		...r.scales.map((s) => {
			const c = evaluateTargets(s);
			const missed = c.filter((x) => x.status === 'MISSED').map((x) => x.label);
			const nm = c.filter((x) => x.status === 'not measured').length;
			return `- **Scale ${s.scale}**: ${c.filter((x) => x.status === 'met').length} targets met, ${missed.length} MISSED${missed.length ? ` (${missed.join('; ')})` : ''}${nm ? `, ${nm} not measured` : ''}.`;
		}),
		...(r.scales.some((s) => s.scale === r.targetScale)
			? []
			: [`- **Scale ${r.targetScale}** (the scale the targets are stated for): not measured yet.`]),
		'',
		'## Machine',
		'',
		`- CPU: ${m.cpuModel}, ${m.cpus} cores (nproc)`,
		`- Memory: ${m.memory}`,
		`- Node ${m.node}; ${m.chromium || 'Chromium: not used'}; ${m.os}`,
		`- Shared with other work while measuring: 1-minute load average ${m.loadavg?.toFixed(1) ?? '?'} on ${m.cpus} cores when the results were written; treat small differences as noise.`,
		'',
		'## How it measures',
		'',
		'- **data:build**: `tsx scripts/release/cli.ts` as a child process on the generated sample; wall time, participation',
		'  rows ÷ wall time, peak RSS polled every 100 ms from /proc/<pid>/status over the child and its descendants',
		'  (highest summed VmRSS, or the highest single VmHWM if larger).',
		"- **Site**: built in `.tmp/bench/scale-N/site` against that release (the developers' `static/data` and `build/`",
		'  are not touched; the page cache is written to disk with `sync` first), served by `scripts/serve.ts` (brotli/gzip) on a free localhost port, driven by',
		'  `/usr/bin/chromium` headless through playwright-core with a fresh profile.',
		'- **Cold load** of the overview: first contentful paint; headline visible = the later of FCP and the first',
		'  `[data-figure][data-value]` element; hydrated / engine ready = navigation → `<html data-hydrated="true">` /',
		'  `<html data-engine="ready">` (the page starts the engine after the first paint that follows hydration); first interactive answer =',
		'  navigation → the first district change answered and painted (the change is made the moment the page is',
		'  hydrated; one change from the starting view, so the prerendered answers can answer it); first answer computed',
		'  by the engine = navigation → the answer to a second change made at once (a category as well: two changes away,',
		'  which only the engine answers); bytes = encoded response bodies + headers of the requests finished before the',
		'  first answer (workers included), with and without `.wasm`. The byte target is before the first paint; the',
		'  bytes before the first answer are information.',
		'- **Interactions**: per page, a warm-up (the first change; when a prerendered answer needed no engine for it, a',
		'  second control as well, which only the engine answers: its first queries on a page are slower), a wait for',
		'  the engine to be ready and no panel busy, and a reading pause (`--read-ms`, default 10 s: a visitor reads the',
		'  page before exploring; in such pauses the page loads tables and answers nearby filter states ahead of need,',
		"  which also lets the browser optimise the engine's WebAssembly), then N changes cycling district / category / year /",
		'  group / quarter, one question at a time: before a',
		'  category, group or quarter is chosen, another of those still set is cleared (that clearing is one of the N',
		'  changes). Changes that the page answers with its offer to download the raw tables are counted, not timed.',
		'  Each is timed in the page from the `change` event to a task after',
		"  the next animation frame once no panel is `aria-busy` (answers from the query cache included); the engine's",
		"  share of a change is the union of the page's `duckdb-query` User Timing spans inside it (a query asked until",
		'  its rows are ready on the main thread, waiting behind other queries and main-thread work included).',
		'- **Raw tables, page level**: the same interaction sequence on each page opened with `?source=raw` (the pages',
		'  ask the same questions of the raw tables instead of the pre-aggregates), in a fresh browser context; the first',
		"  timeout ends a page's raw run, and a page whose first change times out or errors, or that answers no change,",
		'  is "not measured" (`--raw-interactions 0` skips the raw run, `--raw-timeout` sets its per-change limit).',
		'  Speed-up = p50 of the raw interactions ÷ p50 of the pre-aggregate interactions on the pages measured both ways.',
		"- **Peak JS heap**: CDP `Performance.getMetrics` JSHeapUsedSize of each page (main thread), polled every 250 ms during the cold load and the interactions. **Peak memory of a page with its engine**: the highest VmHWM (peak RSS) of any Chromium renderer process (`--type=renderer` among the benchmark's descendants in /proc, polled every 250 ms): one page with its DuckDB worker and the engine's WebAssembly memory (shared libraries included; the map's WebGL buffers live in the GPU process).",
		'- **WASM ÷ native**: for three filter sets (city, one district, one category), the overview, categories, map and',
		'  assessment queries as the pages run them (pre-aggregated tables) and the assessment indicators computed from',
		'  the raw tables, on `@duckdb/node-api` and on DuckDB-WASM (Node blocking bundle, `duckdb-eh.wasm`), both loaded',
		"  from the release's Arrow files; median of `--reps` runs after a warm-up; ratio = geometric mean of per-query",
		'  ratios (the target uses the indicator queries from the raw tables).',
		"- **Raw vs pre-aggregate (engine)**: each of those page queries with `source: 'raw'` vs `source: 'agg'` (the",
		'  assessment: computed from the raw tables vs read from the published `indicators` table) on DuckDB-WASM;',
		'  speed-up = geometric mean of raw ÷ pre-aggregate. Queries whose two variants are the same SQL are left out.',
		''
	];
	for (const s of r.scales) {
		const dates = (['data', 'browser', 'engines'] as const)
			.map((k) => {
				const p = s[k];
				if (!p) return null;
				const load = p.status === 'measured' && p.loadavg !== undefined ? ` (load average ${p.loadavg})` : '';
				return `${k} ${p.measuredAt.slice(0, 16).replace('T', ' ')} UTC${load}`;
			})
			.filter(Boolean)
			.join(', ');
		out.push(`## Scale ${s.scale}`, '', `Measured: ${dates || '—'}.`, '', '| measure | value |', '|---|---|');
		for (const l of lines(s)) out.push(`| ${esc(l.metric)} | ${esc(l.value)} |`);
		out.push(
			'',
			`Targets (stated for scale ${TARGET_SCALE}; checked here at scale ${s.scale}):`,
			'',
			'| target | limit | measured | status |',
			'|---|---|---|---|'
		);
		const checks = evaluateTargets(s);
		for (const c of checks)
			out.push(
				`| ${esc(c.label)} | ${esc(c.limit)} | ${esc(c.value)} | ${c.status === 'met' ? 'met' : `**${c.status}**`} |`
			);
		const notes = checks.filter((c) => c.note);
		if (notes.length) {
			out.push('');
			for (const c of notes) out.push(`- ${c.label} — ${c.status}: ${c.note}`);
		}
		const e = s.engines?.status === 'measured' ? s.engines.value : null;
		if (e) {
			out.push(
				'',
				'<details><summary>Per-query WASM ÷ native, raw ÷ pre-aggregate</summary>',
				'',
				'| query | kind | rows | native | native 1 thread | WASM | ratio |',
				'|---|---|---|---|---|---|---|'
			);
			for (const q of e.queries)
				out.push(
					`| ${esc(q.name)} | ${q.kind ?? ''} | ${q.rows}${q.mismatch ? ` (${esc(q.mismatch)})` : ''} | ${q.nativeMs.toFixed(1)} ms | ${q.native1Ms.toFixed(1)} ms | ${q.wasmMs.toFixed(1)} ms | ${q.ratio.toFixed(2)} |`
				);
			if (e.preaggregate?.length) {
				out.push(
					'',
					'Raw ÷ pre-aggregate per page query (DuckDB-WASM; native in brackets):',
					'',
					'| query | raw | pre-aggregate | speed-up | rows raw / pre |',
					'|---|---|---|---|---|'
				);
				for (const t of e.preaggregate)
					out.push(
						`| ${esc(t.name)} | ${t.rawWasmMs.toFixed(1)} ms (${t.rawNativeMs.toFixed(1)}) | ${t.preWasmMs.toFixed(1)} ms (${t.preNativeMs.toFixed(1)}) | ${t.speedup.toFixed(1)}× | ${t.rawRows} / ${t.preRows} |`
					);
			}
			out.push(
				'',
				`Tables loaded: ${e.loadedTables.map((t) => `${t.name} (${t.rows.toLocaleString('en')} rows)`).join(', ')}; load time native ${e.loadMs.native.toFixed(0)} ms, WASM ${e.loadMs.wasm.toFixed(0)} ms.`
			);
			if (e.notes.length) out.push('', ...e.notes.map((n) => `- ${esc(n)}`));
			out.push('', '</details>');
		}
		out.push('');
	}
	if (!r.scales.some((s) => s.scale === r.targetScale))
		out.push(
			`## Scale ${r.targetScale}`,
			'',
			`Not measured yet: the targets are stated for scale ${r.targetScale}; run \`npm run bench -- --scales ${r.targetScale}\` (several minutes of generation and data:build on this machine).`,
			''
		);
	return `${out.join('\n')}\n`;
}
