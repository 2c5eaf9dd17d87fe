import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	bytesBefore,
	nextChange,
	nextValue,
	pageSpeedup,
	pageUrl,
	SLICE_CONTROLS,
	type PageInteractions
} from './browser';
import { preaggregateTables, querySet, type EnginesResult } from './engines';
import { tablesOf } from '../../src/lib/charts/queries';
import { PUBLIC_TABLES } from '../../src/lib/schema/public';
import { countCsvRows, parseStageCpu, parseStages } from './data';
import { runMeasured, processTree, rendererPids, watchRenderers } from './proc';
import {
	answerSource,
	engineSplit,
	warmupNote,
	evaluateTargets,
	lines,
	markdown,
	measured,
	mergeResults,
	notMeasured,
	preaggregatePart,
	type BenchResults,
	type ScaleResult
} from './report';
import { geomean, percentile } from './stats';
import { BUILD_WALL_MAX_S, FIRST_ANSWER_MAX_MS, INTERACTION_P95_MAX_MS, TARGETS } from './targets';
import type { BrowserResult } from './browser';

describe('stats', () => {
	it('nearest-rank percentiles', () => {
		const v = Array.from({ length: 100 }, (_, i) => 100 - i);
		expect(percentile(v, 50)).toBe(50);
		expect(percentile(v, 95)).toBe(95);
		expect(percentile([7], 95)).toBe(7);
		expect(percentile([], 50)).toBeNull();
		expect(geomean([1, 4])).toBeCloseTo(2);
		expect(geomean([1, 0])).toBeNull();
	});
});

describe('proc', () => {
	it('measures the peak RSS of a grandchild process', async () => {
		// The child spawns a grandchild that holds ~200 MB for a while, as tsx does with the real script.
		const grandchild = `const b = Buffer.alloc(200 * 1024 * 1024, 1); setTimeout(() => console.log(b[5]), 600);`;
		const child = `require('child_process').spawnSync(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: 'inherit' });`;
		const r = await runMeasured(process.execPath, ['-e', child]);
		expect(r.code).toBe(0);
		expect(r.stdout.trim()).toBe('1');
		expect(r.peakRssBytes).toBeGreaterThan(200 * 1024 * 1024);
		expect(r.wallMs).toBeGreaterThan(500);
		expect(r.samples).toBeGreaterThan(3);
	});
	it('keeps the peak memory of renderer processes only', async () => {
		// Two children of this process: a "renderer" holding ~150 MB and another process holding ~300 MB.
		const hold = (mb: number) =>
			`const b = Buffer.alloc(${mb} * 1024 * 1024, 1); setTimeout(() => console.log(b[5]), 1500);`;
		const start = (mb: number, args: string[]) =>
			new Promise<void>((resolve, reject) => {
				const c = spawn(process.execPath, ['-e', hold(mb), '--', ...args], { stdio: 'ignore' });
				c.on('error', reject);
				c.on('close', () => resolve());
			});
		const watch = watchRenderers(process.pid, 50);
		await Promise.all([start(150, ['--type=renderer', '--lang=zh-CN']), start(300, ['--type=gpu-process'])]);
		const peak = watch.stop();
		expect(peak).toBeGreaterThan(150 * 1024 * 1024);
		expect(peak).toBeLessThan(300 * 1024 * 1024);
		expect(rendererPids(process.pid)).toEqual([]);
	});
	it('finds the descendants of a process', () => {
		expect(processTree(process.pid)).toContain(process.pid);
		expect(spawnSync('true').status).toBe(0);
	});
});

describe('data', () => {
	it('counts CSV data rows with and without a final newline', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
		writeFileSync(path.join(dir, 'a.csv'), 'h1,h2\n1,2\n3,4\n');
		writeFileSync(path.join(dir, 'b.csv'), 'h1,h2\n1,2\n3,4');
		expect(await countCsvRows(path.join(dir, 'a.csv'))).toBe(2);
		expect(await countCsvRows(path.join(dir, 'b.csv'))).toBe(2);
	});
});

describe('data:build output', () => {
	it('parses the stage timings', () => {
		const out = 'data:build a → b\n  import: 12.50 s\n  brotli: 3 s\n  total: 15.50 s\nrows: {"a": 1}\n';
		expect(parseStages(out)).toEqual({ import: 12.5, brotli: 3 });
	});
	it('parses the CPU time printed beside a stage and the total', () => {
		const out =
			'  import: 12.50 s (CPU 23.4 s)\n  arrow: 3.00 s\n    indicator SQL: 2 rows, 1.00 s\n  total: 15.50 s (CPU 28 s)\n';
		expect(parseStages(out)).toEqual({ import: 12.5, arrow: 3 });
		expect(parseStageCpu(out)).toEqual({ import: 23.4, total: 28 });
	});
});

describe('browser helpers', () => {
	it('sums bytes finished before a moment, with and without WASM', () => {
		const list = [
			{ url: 'http://x/', end: 10, bytes: 100 },
			{ url: 'http://x/a.wasm', end: 20, bytes: 1000 },
			{ url: 'http://x/t.arrow', end: 30, bytes: 50 }
		];
		expect(bytesBefore(list, 25)).toEqual({ total: 1100, exclWasm: 100, requests: 2 });
		expect(bytesBefore(list, 30)).toEqual({ total: 1150, exclWasm: 150, requests: 3 });
	});
	it('asks one question at a time: never two of category, group and quarter set at once', () => {
		const opts = {
			district: ['', 'a', 'b'],
			category: ['', 'x', 'y', 'z'],
			year: ['2023', '2024'],
			group: ['', 'g1', 'g2'],
			q: ['0', '1', '2', '3', '4']
		} as Record<string, string[]>;
		const cur = Object.fromEntries(Object.entries(opts).map(([k, v]) => [k, { values: v, current: v[0] }]));
		const names = ['district', 'category', 'year', 'group', 'q'];
		const changed = new Set<string>();
		let resets = 0;
		for (let i = 0; i < 40; i++) {
			const { name, value } = nextChange(cur, names, i);
			expect(value, `change ${i}`).not.toBe(cur[name].current);
			if (value === opts[name][0]) resets++;
			cur[name].current = value;
			changed.add(name);
			const set = SLICE_CONTROLS.filter((c) => cur[c].current !== opts[c][0]);
			expect(set.length, `change ${i}: ${set.join(', ')}`).toBeLessThanOrEqual(1);
		}
		expect([...changed].sort()).toEqual([...names].sort());
		expect(resets).toBeGreaterThan(0);
	});

	it('cycles through option values other than the current one', () => {
		expect(nextValue(['', 'a', 'b'], '', 0)).toBe('a');
		expect(nextValue(['', 'a', 'b'], '', 1)).toBe('b');
		expect(nextValue(['', 'a', 'b'], 'a', 1)).toBe('b');
		expect(nextValue(['x'], 'x', 3)).toBe('x');
	});
	it('opens the raw variant of a page with ?source=raw', () => {
		expect(pageUrl('http://127.0.0.1:5/', '/map/', 'raw')).toBe('http://127.0.0.1:5/map/?source=raw');
		expect(pageUrl('http://127.0.0.1:5/', '/map/', 'agg')).toBe('http://127.0.0.1:5/map/');
	});
	it('compares raw and pre-aggregate p50 on the pages measured both ways only', () => {
		const pg = (page: string, samples?: number[]): PageInteractions =>
			samples ? { page, path: `/${page}/`, samples } : { page, path: `/${page}/`, notMeasured: 'x' };
		const agg = [pg('overview', [10, 20, 30]), pg('map', [5, 5, 5]), pg('categories', [1, 1, 1])];
		// The map's raw run is not measured, so its fast pre-aggregate samples do not count.
		const raw = [pg('overview', [100, 200, 300]), pg('map'), pg('assessment', [1000])];
		expect(pageSpeedup(agg, raw)).toBeCloseTo(10);
		expect(pageSpeedup(agg, [pg('overview'), pg('map')])).toBeNull();
	});
});

describe('engines query set', () => {
	const names = PUBLIC_TABLES.map((t) => t.name);
	it('recognises the pre-aggregated agg_* tables of a manifest', () => {
		const m = Object.fromEntries(names.map((n) => [n, {}]));
		const agg = preaggregateTables(m);
		expect(agg.length).toBeGreaterThan(0);
		expect(agg.every((n) => n.startsWith('agg_'))).toBe(true);
		expect(agg).not.toContain('indicators');
		expect(agg).not.toContain('hours');
		expect(preaggregateTables({ hours: {}, indicators: {}, cube_x: {} })).toEqual(['cube_x']);
	});
	it('runs the pages on the pre-aggregates, the indicators and the raw variants on the raw tables', async () => {
		const notes: string[] = [];
		const { queries, pairs } = await querySet(2025, notes);
		expect(notes).toEqual([]);
		const agg = new Set(names.filter((n) => n.startsWith('agg_')));
		const reads = (sql: string) => tablesOf(sql, names);
		const pages = queries.filter((q) => q.kind === 'page');
		const indicators = queries.filter((q) => q.kind === 'indicator');
		for (const page of ['overview', 'categories', 'map', 'assessment'])
			expect(pages.some((q) => q.name.startsWith(`${page}.`))).toBe(true);
		// The city overview reads only pre-aggregates and reference tables.
		const headline = pages.find((q) => q.name === 'overview.headline (city)');
		expect(headline && reads(headline.sql).some((t) => agg.has(t))).toBe(true);
		expect(headline && reads(headline.sql).includes('hours')).toBe(false);
		// The whole-year assessment reads the published indicators table; the indicator queries compute them.
		const assessment = pages.find((q) => q.name === 'assessment.indicators (city)');
		expect(assessment && reads(assessment.sql)).toContain('indicators');
		expect(indicators.map((q) => q.name)).toEqual([
			'indicators.raw (city)',
			'indicators.raw (district)',
			'indicators.raw (category)'
		]);
		for (const q of indicators) {
			expect(reads(q.sql).some((t) => agg.has(t) || t === 'indicators')).toBe(false);
			expect(reads(q.sql).length).toBeGreaterThan(0);
		}
		// Raw vs pre-aggregate: the raw side never reads a pre-aggregate, and the two sides differ.
		expect(pairs.length).toBeGreaterThan(10);
		for (const p of pairs) {
			expect(p.raw).not.toBe(p.agg);
			expect(reads(p.raw).some((t) => agg.has(t) || t === 'indicators')).toBe(false);
		}
		expect(new Set(pairs.map((p) => p.raw)).size).toBe(pairs.length);
	});
});

const browser = (p95: number): BrowserResult => ({
	chromium: '1',
	cold: {
		fcpMs: 100,
		headlineVisibleMs: 120,
		headlineInHtml: true,
		wasmBeforeHeadline: false,
		firstAnswerMs: 2000,
		firstAnswerNote: null,
		bytesBeforeFcp: { total: 200_000, exclWasm: 200_000, requests: 5 },
		bytesBeforeFirstAnswer: { total: 9_000_000, exclWasm: 2_000_000, requests: 20 },
		wasmBytes: 7_000_000,
		byKind: { arrow: 1_800_000, js: 200_000 },
		wasmLoadedMs: 1500,
		arrowFiles: [{ table: 'hours', bytes: 1_800_000 }],
		arrowLoadedMs: 1800
	},
	pages: [
		{
			page: 'overview',
			path: '/',
			n: 30,
			p50: 40,
			p95,
			max: p95,
			samples: [],
			fromCache: 0,
			timeouts: 0,
			firstMs: 1000
		},
		{ page: 'assessment', path: '/assessment/', notMeasured: 'no filter controls' }
	],
	all: { n: 30, p50: 40, p95 },
	peakJsHeapBytes: 50e6,
	consoleErrors: []
});

describe('report', () => {
	const scale: ScaleResult = {
		scale: 1,
		data: measured({
			participations: 1_000_000,
			inputReused: true,
			generateSeconds: 12,
			wallSeconds: BUILD_WALL_MAX_S + 1,
			rowsPerSecond: 8000,
			peakRssBytes: 2 * 1024 ** 3,
			peakHwmBytes: 2 * 1024 ** 3,
			peakTreeRssBytes: 2 * 1024 ** 3,
			version: 'v',
			stages: { import: 100, arrow: 10 },
			browserTables: [{ name: 'hours', rows: 1_000_000, bytes: 40e6, br: 10e6 }]
		}),
		browser: measured(browser(INTERACTION_P95_MAX_MS + 50))
	};
	it('marks each target met, MISSED or not measured with a note on misses', () => {
		const t = Object.fromEntries(evaluateTargets(scale).map((c) => [c.id, c]));
		expect(t.build_wall.status).toBe('MISSED');
		expect(t.build_wall.note).toMatch(/rows\/s/);
		expect(t.build_wall.note).toMatch(/import 100.0 s/);
		expect(t.build_rss.status).toBe('met');
		expect(t.build_rss.note).toBeUndefined();
		expect(t.interaction_p95.status).toBe('MISSED');
		expect(t.interaction_p95.note).toMatch(/overview/);
		expect(t.interaction_p95.note).toMatch(/assessment: no filter controls/);
		expect(t.headline_no_wasm_wait.status).toBe('met');
		expect(t.first_answer.status).toBe('met');
		expect(t.bytes_first_paint.status).toBe('met');
		expect(t.wasm_native_ratio.status).toBe('not measured');
		// Bytes before the first answer (2 MB here) are information, not a target.
		expect(TARGETS.map((x) => x.id)).not.toContain('bytes_first_answer');
		expect(Object.keys(t)).not.toContain('bytes_first_answer');
		expect(lines(scale).find((l) => l.metric === 'bytes before first answer')?.value).toMatch(
			/2000 KB excl\. WASM.*not a target/
		);
		const b = browser(INTERACTION_P95_MAX_MS);
		const slow = evaluateTargets({
			...scale,
			browser: measured({ ...b, cold: { ...b.cold, firstAnswerMs: FIRST_ANSWER_MAX_MS + 1 } })
		}).find((c) => c.id === 'first_answer');
		expect(slow?.status).toBe('MISSED');
		expect(slow?.note).toMatch(/hours 1,000,000 rows/);
		const ok = evaluateTargets({ ...scale, browser: measured(browser(INTERACTION_P95_MAX_MS)) });
		expect(ok.find((c) => c.id === 'interaction_p95')?.status).toBe('met');
		// Parts timed inside a stage (arrow within "write (arrow ∥ parquet + csv, …)") are not stages of their own.
		const part = scale.data!;
		const d = part.status === 'measured' ? part.value : null;
		const nested = evaluateTargets({
			...scale,
			data: measured({
				...d!,
				stages: { import: 20, 'write (arrow ∥ parquet + csv, compression)': 90, arrow: 85 }
			})
		}).find((c) => c.id === 'build_wall');
		expect(nested?.note).toMatch(
			/slowest stages: write \(arrow ∥ parquet \+ csv, compression\) 90\.0 s \(\d+%\), import 20\.0 s/
		);
		expect(nested?.note).not.toMatch(/, arrow 85/);
		// With CPU seconds: the cores in use per stage and over the build, and what the wall-time limit then allows.
		const withCpu = evaluateTargets({
			...scale,
			data: measured({
				...d!,
				wallSeconds: 200,
				stages: { import: 50, transform: 40 },
				stageCpu: { import: 90, transform: 40, total: 380 }
			})
		}).find((c) => c.id === 'build_wall');
		const cores = os.availableParallelism();
		expect(withCpu?.note).toContain(`380 CPU-s in 200 s, 1.90 of ${cores} cores busy on average`);
		expect(withCpu?.note).toMatch(
			/import 50\.0 s \(25%, 1\.8 cores\), transform 40\.0 s \(20%, 1\.0 cores\)/
		);
		const stageLine = lines({
			...scale,
			data: measured({
				...d!,
				wallSeconds: 200,
				stages: { import: 50, arrow: 9 },
				stageCpu: { import: 90, total: 380 }
			})
		}).find((l) => l.metric === 'data:build stages (wall / CPU)');
		expect(stageLine?.value).toBe('import 50.0 s / 90 CPU-s; total 380 CPU-s (1.90 cores on average)');
		expect(withCpu?.note).toContain(
			1.9 >= 0.8 * cores
				? `bound by its CPU work (${BUILD_WALL_MAX_S} s at this use of the cores needs at most ~${Math.round(BUILD_WALL_MAX_S * 1.9)} CPU-s)`
				: 'cores idle for part of the build'
		);
	});
	it('reports the raw-table page run, with "not measured" for a raw page that timed out', () => {
		const b = browser(60);
		const raw: PageInteractions[] = [
			{
				page: 'overview',
				path: '/',
				source: 'raw',
				n: 3,
				p50: 400,
				p95: 500,
				max: 500,
				samples: [300, 400, 500]
			},
			{
				page: 'assessment',
				path: '/assessment/',
				source: 'raw',
				notMeasured: 'a filter change got no answer'
			}
		];
		b.pages[0].samples = [30, 40, 50];
		const s: ScaleResult = {
			scale: 10,
			browser: measured({
				...b,
				raw: {
					interactions: 3,
					pages: raw,
					all: { n: 3, p50: 400, p95: 500 },
					speedup: pageSpeedup(b.pages, raw),
					peakJsHeapBytes: 1e8,
					peakRendererBytes: 9e8
				},
				peakRendererBytes: 3.5e8
			})
		};
		const l = Object.fromEntries(lines(s).map((x) => [x.metric, x.value]));
		expect(l['peak memory of a page with its engine']).toMatch(
			/^350\.0 MB \(peak RSS of the largest renderer/
		);
		expect(l['raw tables (?source=raw): interactions p50 / p95']).toContain(
			'peak JS heap 100.0 MB, peak memory of a page with its engine 900.0 MB)'
		);
		// Results from before the renderers were watched say so.
		expect(
			lines({ scale: 10, browser: measured(browser(60)) }).find(
				(x) => x.metric === 'peak memory of a page with its engine'
			)?.value
		).toBe('not measured: older run');
		expect(l['raw tables: interactions overview p50 / p95']).toMatch(/^400 ms \/ 500 ms .*p50 10\.0×/);
		expect(l['raw tables: interactions assessment p50 / p95']).toBe(
			'not measured: a filter change got no answer'
		);
		expect(l['page-level speed-up, raw p50 ÷ pre-aggregate p50']).toMatch(
			/^10\.0× \(pages measured both ways: overview\)$/
		);
		expect(l['overview: hydrated / engine ready']).toBe('not measured: older run');
		// Raw interactions never count towards the interaction target.
		expect(evaluateTargets(s).find((c) => c.id === 'interaction_p95')?.status).toBe('met');
		const none = lines({ scale: 10, browser: measured(browser(60)) });
		expect(none.find((x) => x.metric.startsWith('page-level speed-up'))?.value).toBe(
			'not measured: no raw run'
		);
	});
	it('checks WASM ÷ native on the indicator queries and summarises raw vs pre-aggregate', () => {
		const q = (name: string, kind: 'page' | 'indicator', nativeMs: number, wasmMs: number) => ({
			name,
			kind,
			tables: kind === 'page' ? ['agg_activity_month'] : ['hours'],
			nativeMs,
			native1Ms: nativeMs,
			wasmMs,
			ratio: wasmMs / nativeMs,
			rows: 1
		});
		const e: EnginesResult = {
			queries: [q('overview.headline (city)', 'page', 1, 5), q('indicators.raw (city)', 'indicator', 10, 15)],
			ratioGeomean: Math.sqrt(5 * 1.5),
			ratioTotal: 20 / 11,
			indicatorRatioGeomean: 1.5,
			indicatorQueries: 1,
			pageRatioGeomean: 5,
			pageQueries: 1,
			ratio1Geomean: null,
			ratio1Total: null,
			nativeThreads: 2,
			loadMs: { native: 1, wasm: 1 },
			loadedTables: [],
			notes: [],
			preaggregateTables: ['agg_activity_month'],
			preaggregate: [
				{
					name: 'a',
					rawWasmMs: 100,
					preWasmMs: 1,
					rawNativeMs: 10,
					preNativeMs: 1,
					speedup: 100,
					rawRows: 1,
					preRows: 1
				},
				{
					name: 'b',
					rawWasmMs: 4,
					preWasmMs: 1,
					rawNativeMs: 1,
					preNativeMs: 1,
					speedup: 4,
					rawRows: 1,
					preRows: 1
				}
			]
		};
		const t = evaluateTargets({ scale: 10, engines: measured(e) }).find((c) => c.id === 'wasm_native_ratio');
		expect(t?.status).toBe('met');
		expect(t?.value).toMatch(/^1\.50 .*as they run them 5\.00/);
		const p = preaggregatePart(e);
		expect(p.status === 'measured' && p.value.speedup).toBeCloseTo(20);
		expect(p.status === 'measured' && p.value.tables).toEqual(['agg_activity_month']);
		const none = preaggregatePart({ ...e, preaggregate: [], preaggregateTables: [] });
		expect(none.status === 'not measured' && none.reason).toMatch(/no pre-aggregated/);
		const bad = evaluateTargets({
			scale: 10,
			engines: measured({ ...e, indicatorRatioGeomean: 2.5 })
		}).find((c) => c.id === 'wasm_native_ratio');
		expect(bad?.status).toBe('MISSED');
		// Without the indicator queries (their SQL failed to load) the target is not measured, not met on the
		// dashboard queries alone.
		const missing = evaluateTargets({
			scale: 10,
			engines: measured({
				...e,
				indicatorQueries: 0,
				indicatorRatioGeomean: null,
				notes: ['assessment indicator SQL not available: x']
			})
		}).find((c) => c.id === 'wasm_native_ratio');
		expect(missing?.status).toBe('not measured');
		expect(missing?.note).toMatch(/no indicator query ran \(assessment indicator SQL not available/);
	});
	it('says where the first answer came from and when the engine computed its first', () => {
		const cold = { firstAnswerMs: 900, firstAnswerQueries: 0, engineAnswerMs: 3400, engineAnswerNote: null };
		expect(answerSource(cold as never)).toBe(
			' (answered from the prerendered answers, no engine query; first answer computed by the engine (a second filter at once) 3400 ms after navigation)'
		);
		expect(
			answerSource({ ...cold, firstAnswerQueries: 5, engineAnswerMs: null, engineAnswerNote: 'x' } as never)
		).toBe(' (5 engine queries; first answer computed by the engine not measured: x)');
		expect(answerSource({ firstAnswerMs: 900 } as never)).toBe('');
	});
	it("splits a page's changes into engine time and the page's own work", () => {
		const p = {
			page: 'overview',
			path: '/',
			samples: [100, 60, 80],
			engineSamples: [70, 20, 50],
			querySamples: [6, 6, 5]
		};
		// Medians: engine 50 ms (of 70, 20, 50), the rest 30 ms (of 30, 40, 30), 6 queries.
		expect(engineSplit(p)).toBe(
			"; of a change, engine queries p50 50 ms (6 queries), the page's own work p50 30 ms"
		);
		// A page that reported no query spans (an older site): nothing claimed.
		expect(engineSplit({ ...p, engineSamples: [0, 0, 0] })).toBe('');
		expect(engineSplit({ ...p, engineSamples: undefined })).toBe('');
	});
	it("compares each page's first changes with its last", () => {
		const page = (samples: number[], engineSamples?: number[]) => ({
			page: 'p',
			path: '/',
			samples,
			engineSamples
		});
		// Two pages of four changes, groups of two: first 100, 80 and 60, 40; last 50, 30 and 20, 20 (nearest-rank p50).
		const a = page([100, 80, 50, 30], [60, 40, 20, 10]);
		const b = page([60, 40, 20, 20], [30, 20, 10, 10]);
		expect(warmupNote([a, b], 2)).toBe(
			" The first 2 changes of each page p50 60 ms (engine 30 ms), the last 2 20 ms (engine 10 ms): the browser optimises DuckDB's WebAssembly and the page's JavaScript as they run, so a page's first changes are its slowest."
		);
		// Without query spans, no engine share; pages too short to split are left out.
		expect(warmupNote([page([100, 80, 50, 30]), page([1, 2, 3])], 2)).toContain(
			'p50 80 ms, the last 2 30 ms:'
		);
		expect(warmupNote([page([1, 2, 3])], 2)).toBe('');
	});
	it('says "not measured: <reason>" for every line of a part that did not run', () => {
		const l = lines({ scale: 10, browser: notMeasured('the web app is not ready') });
		expect(l.find((x) => x.metric === 'peak JS heap')?.value).toBe('not measured: the web app is not ready');
		expect(l.find((x) => x.metric === 'peak memory of a page with its engine')?.value).toBe(
			'not measured: the web app is not ready'
		);
		expect(l.find((x) => x.metric === 'data:build wall time')?.value).toBe(
			'not measured: this part was not run'
		);
	});
	it('merges a partial run into the previous results and renders the document', () => {
		const prev: BenchResults = {
			date: 'a',
			machine: { cpus: 2, cpuModel: 'cpu', memory: 'm', node: 'v20', chromium: 'c', os: 'o', loadavg: 1 },
			targetScale: 10,
			scales: [scale]
		};
		const cur: BenchResults = {
			...prev,
			date: 'b',
			scales: [
				{ scale: 1, browser: notMeasured('x') },
				{ scale: 10, data: notMeasured('y') }
			]
		};
		const m = mergeResults(prev, cur);
		expect(m.scales.map((s) => s.scale)).toEqual([1, 10]);
		expect(m.scales[0].data?.status).toBe('measured');
		expect(m.scales[0].browser?.status).toBe('not measured');
		const md = markdown(m);
		expect(md).toContain('## Scale 1');
		expect(md).toContain('## Scale 10');
		expect(md).toContain('**MISSED**');
		expect(md).toContain('not measured: y');
		expect(md).not.toContain('not measured: not measured');
	});
});
