import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bytesBefore, nextValue } from './browser';
import { countCsvRows, parseStages } from './data';
import { runMeasured, processTree } from './proc';
import {
	evaluateTargets,
	lines,
	markdown,
	measured,
	mergeResults,
	notMeasured,
	type BenchResults,
	type ScaleResult
} from './report';
import { geomean, percentile } from './stats';
import { BUILD_WALL_MAX_S, INTERACTION_P95_MAX_MS } from './targets';
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
	it('cycles through option values other than the current one', () => {
		expect(nextValue(['', 'a', 'b'], '', 0)).toBe('a');
		expect(nextValue(['', 'a', 'b'], '', 1)).toBe('b');
		expect(nextValue(['', 'a', 'b'], 'a', 1)).toBe('b');
		expect(nextValue(['x'], 'x', 3)).toBe('x');
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
		expect(t.bytes_first_answer.status).toBe('MISSED');
		expect(t.bytes_first_answer.note).toMatch(/hours 1,000,000 rows/);
		expect(t.wasm_native_ratio.status).toBe('not measured');
		const ok = evaluateTargets({ ...scale, browser: measured(browser(INTERACTION_P95_MAX_MS)) });
		expect(ok.find((c) => c.id === 'interaction_p95')?.status).toBe('met');
	});
	it('says "not measured: <reason>" for every line of a part that did not run', () => {
		const l = lines({ scale: 10, browser: notMeasured('the web app is not ready') });
		expect(l.find((x) => x.metric === 'peak JS heap')?.value).toBe('not measured: the web app is not ready');
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
