/**
 * Browser part of the benchmark: Chromium (playwright-core, /usr/bin/chromium) against the site served on
 * localhost. Measures the overview's cold load (first contentful paint, headline numbers visible, hydration,
 * engine ready, first interactive answer, bytes on the wire before those points), filter interactions on the
 * dashboard pages (input event → DOM updated and painted) and the page's peak JS heap; then the same
 * interaction sequence with `?source=raw` (the pages ask the same questions of the raw tables instead of the
 * pre-aggregates) for the page-level speed-up. A raw page that times out or errors is "not measured".
 *
 * How an interaction is timed (in the page): the filter <select> gets its new value and `input` + `change`
 * events at t0; a MutationObserver watches the page; the answer is in when no panel is `aria-busy="true"` any
 * more after one was (or, for answers from the query cache, after the URL changed and the DOM mutated with no
 * panel busy); the end time is taken in a task after the next requestAnimationFrame (the frame is painted).
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { median, percentile } from './stats';
import { watchRenderers } from './proc';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--no-first-run'
];

/** Pages with filters whose interactions are measured. */
export const PAGES = [
	{ name: 'overview', path: '/' },
	{ name: 'map', path: '/map/' },
	{ name: 'categories', path: '/categories/' },
	{ name: 'assessment', path: '/assessment/' }
] as const;

/** Filter controls cycled through (the period-mode switch and the street list are left alone). */
const CONTROLS = ['district', 'category', 'year', 'group', 'q'];

export interface Bytes {
	total: number;
	exclWasm: number;
	requests: number;
}

export interface ColdLoad {
	fcpMs: number | null;
	headlineVisibleMs: number | null;
	/** The prerendered HTML already carries the headline values. */
	headlineInHtml: boolean;
	/** A .wasm file had finished loading before the headline was visible. */
	wasmBeforeHeadline: boolean;
	firstAnswerMs: number | null;
	firstAnswerNote: string | null;
	/** Engine queries that ran for the first answer (0: answered from the prerendered answers or the cache). */
	firstAnswerQueries?: number;
	/**
	 * Navigation → the first answer the engine computed: a second change made right after the first one (a
	 * category as well: two changes from the starting view, which no prerendered answer covers).
	 */
	engineAnswerMs?: number | null;
	engineAnswerNote?: string | null;
	bytesBeforeFcp: Bytes;
	bytesBeforeFirstAnswer: Bytes | null;
	wasmBytes: number;
	/** Bytes per file type up to the first answer. */
	byKind: Record<string, number>;
	/** Navigation → the last .wasm / .arrow response before the first answer ended (ms). */
	wasmLoadedMs: number | null;
	/** Arrow files downloaded before the first answer (table name from the file name, bytes on the wire). */
	arrowFiles: { table: string; bytes: number }[];
	arrowLoadedMs: number | null;
	/** Navigation → `<html data-hydrated="true">` (null: the page has no such hook or never hydrated). */
	hydratedMs?: number | null;
	/** Navigation → `<html data-engine="ready">` first seen (the idle warm-up or the first answer started it). */
	engineReadyMs?: number | null;
}

export interface PageInteractions {
	page: string;
	path: string;
	/** Where the page's answers came from: the pre-aggregates (default) or the raw tables (`?source=raw`). */
	source?: 'agg' | 'raw';
	notMeasured?: string;
	/** Navigation → the first filter answer on this page (hydration, engine start, table downloads). */
	firstMs?: number | null;
	n?: number;
	timeouts?: number;
	/** Interactions that ended with a panel showing an error (left out of the percentiles). */
	failed?: number;
	/** Changes answered by the offer to download the raw tables (the view needs them), not by numbers. */
	asked?: number;
	fromCache?: number;
	p50?: number | null;
	p95?: number | null;
	max?: number | null;
	samples?: number[];
	/** Per timed change, the engine's share of it (`engineMs`), in the order of `samples`. */
	engineSamples?: number[];
	/** Engine queries per timed change, in the order of `samples`. */
	querySamples?: number[];
}

export interface Summary {
	n: number;
	p50: number | null;
	p95: number | null;
}

/** The same interaction sequence on each page with `?source=raw` (answers from the raw tables). */
export interface RawRun {
	/** Interactions asked for per page. */
	interactions: number;
	pages: PageInteractions[];
	all: Summary;
	/** Raw p50 ÷ pre-aggregate p50 over all measured pages (null when either is missing). */
	speedup: number | null;
	peakJsHeapBytes: number;
	/** Highest peak RSS of one renderer process during the raw run (bytes; 0: not measured). */
	peakRendererBytes?: number;
	/** Set when the raw run as a whole could not run. */
	notMeasured?: string;
}

export interface BrowserResult {
	chromium: string;
	/** The visitor's reading pause before the measured changes (ms; absent in results from before it was set). */
	readMs?: number;
	cold: ColdLoad;
	pages: PageInteractions[];
	all: Summary;
	peakJsHeapBytes: number;
	/** Highest peak RSS (VmHWM) of one renderer process over the cold load and the interactions: a page with its
	 * DuckDB worker and the engine's WebAssembly memory (bytes; 0: not measured, e.g. no /proc). */
	peakRendererBytes?: number;
	consoleErrors: string[];
	raw?: RawRun;
}

export function launch(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

interface Finished {
	url: string;
	/** Epoch ms when the response ended. */
	end: number;
	bytes: number;
}

/** Record every finished request of the page (workers included) with its encoded size and end time. */
function trackRequests(page: Page): { list: Finished[]; settle: () => Promise<void> } {
	const list: Finished[] = [];
	const pending: Promise<void>[] = [];
	page.on('requestfinished', (r) => {
		const seen = Date.now();
		pending.push(
			(async () => {
				const s = await r.sizes();
				const t = r.timing();
				const end = t.responseEnd >= 0 ? t.startTime + t.responseEnd : seen;
				list.push({ url: r.url(), end, bytes: s.responseBodySize + s.responseHeadersSize });
			})().catch(() => {})
		);
	});
	return { list, settle: async () => void (await Promise.all(pending)) };
}

const isWasm = (url: string) => /\.wasm(\?|$)/.test(url);

function kindOf(url: string): string {
	const p = new URL(url).pathname;
	if (isWasm(p)) return 'wasm';
	if (p.endsWith('.arrow')) return 'arrow';
	if (/\.(m?js)$/.test(p)) return 'js';
	if (p.endsWith('.css')) return 'css';
	if (p.endsWith('.json') || p.endsWith('.geojson')) return 'json';
	if (p.endsWith('/') || p.endsWith('.html')) return 'html';
	return 'other';
}

export function bytesBefore(list: readonly Finished[], epochMs: number): Bytes {
	let total = 0;
	let exclWasm = 0;
	let requests = 0;
	for (const r of list) {
		if (r.end > epochMs) continue;
		requests++;
		total += r.bytes;
		if (!isWasm(r.url)) exclWasm += r.bytes;
	}
	return { total, exclWasm, requests };
}

/** Installed before any page script: when the headline numbers are first in the DOM. */
/**
 * Wait until an expression is true in the page (false after `timeoutMs`). Not `page.waitForFunction`: with a
 * string predicate it evaluates it with eval inside the page, which the site's CSP (no 'unsafe-eval') refuses.
 */
async function pollPage(page: Page, expr: string, timeoutMs: number): Promise<boolean> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (await page.evaluate(expr).catch(() => false)) return true;
		await new Promise((r) => setTimeout(r, 25));
	}
	return false;
}

const INIT_SCRIPT = `(() => {
	const b = (window.__bench = { headline: null, hydrated: null, engineReady: null });
	const check = () => {
		if (b.headline === null && document.querySelector('[data-figure][data-value]')) b.headline = performance.now();
		const d = document.documentElement.dataset;
		if (b.hydrated === null && d.hydrated === 'true') b.hydrated = performance.now();
		if (b.engineReady === null && d.engine === 'ready') b.engineReady = performance.now();
	};
	new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-hydrated', 'data-engine'] });
	document.addEventListener('DOMContentLoaded', check);
})();`;

interface InteractArgs {
	name: string;
	value: string;
	timeout: number;
	retryMs: number;
	/**
	 * Make the change the moment `<html data-hydrated="true">` appears (at most 15 s, for a page without that
	 * hook, then it is re-sent every `retryMs` until the page reacts).
	 */
	waitHydrated?: boolean;
}
interface InteractResult {
	error?: string;
	t0: number;
	tPaint: number;
	sawBusy: boolean;
	urlChanged: boolean;
	timedOut: boolean;
	dispatches: number;
	/** Panels showing an error when the interaction ended. */
	failed?: number;
	/** Panels offering to download the raw tables when the interaction ended. */
	asked?: number;
	/** Time within the change during which an engine query was running or waiting (union of the spans). */
	engineMs?: number;
	/** Engine queries that ran within the change. */
	queries?: number;
}

/**
 * Runs in the page: one filter change, timed to the painted answer. Kept as source text (tsx would add helper
 * calls to a serialised function that do not exist in the page).
 */
const INTERACT_SRC = `async (a) => {
	const el = document.querySelector('form.filters select[name="' + a.name + '"]');
	if (!el) return { error: 'no control ' + a.name, t0: 0, tPaint: 0, sawBusy: false, urlChanged: false, timedOut: false, dispatches: 0 };
	const href0 = location.href;
	const busy = () => document.querySelector('[aria-busy="true"]') !== null;
	return await new Promise((resolve) => {
		let sawBusy = false;
		let urlChanged = false;
		let mutAfterUrl = 0;
		let done = false;
		let dispatches = 0;
		let retry = 0;
		let limit = 0;
		let obs = null;
		const t0 = performance.now();
		const finish = (timedOut) => {
			if (done) return;
			done = true;
			obs.disconnect();
			clearInterval(retry);
			clearTimeout(limit);
			requestAnimationFrame(() =>
				setTimeout(() => {
					const tPaint = performance.now();
					// Engine time: the union of the page's query spans (User Timing 'duckdb-query') inside the change.
					const spans = performance.getEntriesByName('duckdb-query', 'measure')
						.map((m) => [Math.max(m.startTime, t0), Math.min(m.startTime + m.duration, tPaint)])
						.filter(([s, e]) => e > s)
						.sort((x, y) => x[0] - y[0]);
					let engineMs = 0;
					let end = -Infinity;
					for (const [s, e] of spans) {
						if (e <= end) continue;
						engineMs += e - Math.max(s, end);
						end = e;
					}
					resolve({ t0, tPaint, sawBusy, urlChanged, timedOut, dispatches, failed: document.querySelectorAll('.panel .state.error').length, asked: document.querySelectorAll('.panel [data-needs-raw]').length, engineMs, queries: spans.length });
				}, 0)
			);
		};
		let started = false;
		const check = () => {
			if (done || !started) return;
			if (busy()) {
				sawBusy = true;
				return;
			}
			if (sawBusy) finish(false);
			else if (urlChanged && mutAfterUrl > 0)
				// An answer from the cache: make sure no query starts in the next task before calling it done.
				setTimeout(() => {
					if (busy()) sawBusy = true;
					else finish(false);
				}, 0);
		};
		obs = new MutationObserver(() => {
			if (location.href !== href0) {
				urlChanged = true;
				mutAfterUrl++;
			}
			check();
		});
		obs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
		const fire = () => {
			dispatches++;
			// As a user does: the control gets focus (the filter bar warms the engine on focusin), then changes.
			el.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
			el.value = a.value;
			el.dispatchEvent(new Event('input', { bubbles: true }));
			el.dispatchEvent(new Event('change', { bubbles: true }));
		};
		const start = () => {
			if (started) return;
			started = true;
			fire();
			// Before hydration nothing listens: fire again until the page reacts.
			retry = setInterval(() => {
				if (urlChanged || sawBusy || location.href !== href0) clearInterval(retry);
				else fire();
			}, a.retryMs);
		};
		limit = setTimeout(() => finish(true), a.timeout);
		const root = document.documentElement;
		if (!a.waitHydrated || root.dataset.hydrated === 'true') start();
		else {
			// The change is made the moment the page says it is hydrated (its handlers are attached by then).
			const h = new MutationObserver(() => {
				if (root.dataset.hydrated === 'true') {
					h.disconnect();
					start();
				}
			});
			h.observe(root, { attributes: true, attributeFilter: ['data-hydrated'] });
			setTimeout(() => {
				h.disconnect();
				start();
			}, 15000);
		}
	});
}`;

function interact(page: Page, a: InteractArgs): Promise<InteractResult> {
	return page.evaluate(`(${INTERACT_SRC})(${JSON.stringify(a)})`) as Promise<InteractResult>;
}

/** The filter controls of the page and their option values. */
async function controlsOf(page: Page): Promise<Controls> {
	return page.evaluate(`(() => {
		const out = {};
		for (const n of ${JSON.stringify(CONTROLS)}) {
			const el = document.querySelector('form.filters select[name="' + n + '"]');
			if (el) out[n] = { values: [...el.options].map((o) => o.value), current: el.value };
		}
		return out;
	})()`) as Promise<Controls>;
}

/** Poll the page's JS heap (CDP Performance.getMetrics JSHeapUsedSize) every 250 ms; keep the peak. */
async function watchHeap(
	page: Page,
	context: BrowserContext,
	peak: { value: number }
): Promise<() => Promise<void>> {
	try {
		const cdp = await context.newCDPSession(page);
		await cdp.send('Performance.enable');
		const sample = async () => {
			try {
				const m = (await cdp.send('Performance.getMetrics')) as {
					metrics: { name: string; value: number }[];
				};
				peak.value = Math.max(peak.value, m.metrics.find((x) => x.name === 'JSHeapUsedSize')?.value ?? 0);
			} catch {
				/* page closing */
			}
		};
		const timer = setInterval(() => void sample(), 250);
		return async () => {
			clearInterval(timer);
			await sample();
			await cdp.detach().catch(() => {});
		};
	} catch {
		return async () => {};
	}
}

export interface BrowserOptions {
	baseUrl: string;
	interactions: number;
	/** Per-interaction limit (ms). */
	timeoutMs?: number;
	/** Interactions per page with `?source=raw` (0: no raw run; default 10). */
	rawInteractions?: number;
	/** Per-interaction limit of the raw run (ms; default `timeoutMs`). */
	rawTimeoutMs?: number;
	/**
	 * How long the visitor reads a page after its first change before changing filters in quick succession (ms;
	 * default `READ_MS`): the page uses such pauses to load tables and answer nearby filter states ahead of need.
	 */
	readMs?: number;
	log?: (s: string) => void;
}

/** Default `BrowserOptions.readMs`. */
export const READ_MS = 10_000;

/** Filters that each have their own pre-computed indicator slices; combined, the assessment needs raw tables. */
export const SLICE_CONTROLS: readonly string[] = ['category', 'group', 'q'];

type Controls = Record<string, { values: string[]; current: string }>;

/**
 * Change i of a page's interaction sequence: cycles through the controls `names`, one question at a time, as a
 * reviewer compares categories, groups or quarters one by one: before a category, group or quarter is chosen,
 * another of those still set is cleared first (that clearing is itself the change, and is measured).
 */
export function nextChange(
	cur: Controls,
	names: readonly string[],
	i: number
): { name: string; value: string } {
	const name = names[i % names.length];
	if (SLICE_CONTROLS.includes(name)) {
		const other = SLICE_CONTROLS.find((c) => c !== name && cur[c] && cur[c].current !== cur[c].values[0]);
		if (other) return { name: other, value: cur[other].values[0] };
	}
	return { name, value: nextValue(cur[name].values, cur[name].current, Math.floor(i / names.length) + 1) };
}

/** A value for interaction i on a control: cycles through the options, never the current one. */
export function nextValue(values: readonly string[], current: string, i: number): string {
	if (values.length < 2) return current;
	const others = values.filter((v) => v !== current);
	return others[i % others.length];
}

async function coldLoad(
	browser: Browser,
	baseUrl: string,
	timeoutMs: number,
	heapPeak: { value: number }
): Promise<ColdLoad> {
	const context = await browser.newContext({ serviceWorkers: 'block' });
	try {
		const page = await context.newPage();
		const stopHeap = await watchHeap(page, context, heapPeak);
		await page.addInitScript(INIT_SCRIPT);
		const reqs = trackRequests(page);
		const html = await (await fetch(baseUrl)).text();
		const headlineInHtml =
			/data-figure="[^"]+"[^>]*data-value="[^"]+"/.test(html) ||
			/data-value="[^"]+"[^>]*data-figure=/.test(html);
		await page.goto(baseUrl, { waitUntil: 'commit' });
		await pollPage(
			page,
			`performance.getEntriesByName('first-contentful-paint').length > 0 && window.__bench && window.__bench.headline !== null`,
			timeoutMs
		);
		const paint = (await page.evaluate(`({
			origin: performance.timeOrigin,
			fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
			headline: window.__bench ? window.__bench.headline : null
		})`)) as { origin: number; fcp: number | null; headline: number | null };
		const headlineVisibleMs =
			paint.fcp !== null && paint.headline !== null ? Math.max(paint.fcp, paint.headline) : null;
		// The first interactive answer: choose the first district the moment the page is hydrated.
		let firstAnswerMs: number | null = null;
		let firstAnswerNote: string | null = null;
		let firstAnswerQueries: number | undefined;
		let engineAnswerMs: number | null = null;
		let engineAnswerNote: string | null = null;
		const controls = await controlsOf(page);
		const name = controls.district ? 'district' : Object.keys(controls)[0];
		if (!name) firstAnswerNote = 'the overview has no filter controls';
		else {
			const c = controls[name];
			const r = await interact(page, {
				name,
				value: nextValue(c.values, c.current, 0),
				timeout: timeoutMs,
				retryMs: 20,
				waitHydrated: true
			});
			if (r.error) firstAnswerNote = r.error;
			else if (r.timedOut) firstAnswerNote = `no answer within ${timeoutMs} ms`;
			else if (r.failed) firstAnswerNote = `${r.failed} panel(s) showed an error instead of an answer`;
			else {
				firstAnswerMs = r.tPaint;
				firstAnswerQueries = r.queries ?? 0;
			}
		}
		// Then at once a change only the engine can answer.
		const after = firstAnswerMs === null ? null : await controlsOf(page);
		const second = after
			? Object.keys(after).find((k) => k !== name && after[k].values.length > 1)
			: undefined;
		if (!after) engineAnswerNote = 'the first change got no answer';
		else if (!second) engineAnswerNote = 'the overview has no second filter control';
		else {
			const r = await interact(page, {
				name: second,
				value: nextValue(after[second].values, after[second].current, 0),
				timeout: timeoutMs,
				retryMs: 1000
			});
			if (r.error || r.timedOut || r.failed)
				engineAnswerNote =
					r.error ?? (r.timedOut ? `no answer within ${timeoutMs} ms` : 'a panel showed an error');
			else if (!r.queries) engineAnswerNote = 'the second change was answered without the engine';
			else engineAnswerMs = r.tPaint;
		}
		await page.waitForTimeout(300);
		// The engine's ready time (the idle warm-up starts it even without a change); a few seconds at most.
		await pollPage(
			page,
			`window.__bench && window.__bench.engineReady !== null`,
			Math.min(timeoutMs, 10_000)
		);
		const hooks = (await page.evaluate(
			`({ hydrated: window.__bench ? window.__bench.hydrated : null, engineReady: window.__bench ? window.__bench.engineReady : null })`
		)) as { hydrated: number | null; engineReady: number | null };
		await stopHeap();
		await reqs.settle();
		const fcpEpoch = paint.fcp === null ? 0 : paint.origin + paint.fcp;
		const wasm = reqs.list.filter((r) => isWasm(r.url));
		const headlineEpoch = headlineVisibleMs === null ? Infinity : paint.origin + headlineVisibleMs;
		const answerEpoch = firstAnswerMs === null ? null : paint.origin + firstAnswerMs;
		const byKind: Record<string, number> = {};
		for (const r of reqs.list)
			if (answerEpoch !== null && r.end <= answerEpoch)
				byKind[kindOf(r.url)] = (byKind[kindOf(r.url)] ?? 0) + r.bytes;
		const lastEnd = (kind: string) => {
			const ends = reqs.list
				.filter((r) => kindOf(r.url) === kind && (answerEpoch === null || r.end <= answerEpoch))
				.map((r) => r.end - paint.origin);
			return ends.length ? Math.max(...ends) : null;
		};
		const arrowFiles = reqs.list
			.filter((r) => kindOf(r.url) === 'arrow' && (answerEpoch === null || r.end <= answerEpoch))
			.map((r) => ({ table: (new URL(r.url).pathname.split('/').pop() ?? '').split('.')[0], bytes: r.bytes }))
			.sort((x, y) => y.bytes - x.bytes);
		return {
			arrowFiles,
			wasmLoadedMs: lastEnd('wasm'),
			arrowLoadedMs: lastEnd('arrow'),
			hydratedMs: hooks.hydrated,
			engineReadyMs: hooks.engineReady,
			fcpMs: paint.fcp,
			headlineVisibleMs,
			headlineInHtml,
			wasmBeforeHeadline: wasm.some((r) => r.end <= headlineEpoch),
			firstAnswerMs,
			firstAnswerNote,
			firstAnswerQueries,
			engineAnswerMs,
			engineAnswerNote,
			bytesBeforeFcp: bytesBefore(reqs.list, fcpEpoch),
			bytesBeforeFirstAnswer: answerEpoch === null ? null : bytesBefore(reqs.list, answerEpoch),
			wasmBytes: wasm.reduce((s, r) => s + r.bytes, 0),
			byKind
		};
	} finally {
		await context.close();
	}
}

/** Raw p50 ÷ pre-aggregate p50 over the samples of the pages measured both ways (null when none is). */
export function pageSpeedup(
	agg: readonly PageInteractions[],
	raw: readonly PageInteractions[]
): number | null {
	const both = raw.filter(
		(r) => r.samples?.length && agg.find((a) => a.page === r.page && a.samples?.length)
	);
	const a = median(both.flatMap((r) => agg.find((x) => x.page === r.page)?.samples ?? []));
	const b = median(both.flatMap((r) => r.samples ?? []));
	return a === null || b === null || !(a > 0) ? null : b / a;
}

/** The page URL for a source: the pre-aggregates are the default, the raw tables need `?source=raw`. */
export const pageUrl = (baseUrl: string, path: string, source: 'agg' | 'raw'): string =>
	new URL(source === 'raw' ? `${path}?source=raw` : path, baseUrl).href;

async function pageInteractions(
	context: BrowserContext,
	baseUrl: string,
	p: (typeof PAGES)[number],
	n: number,
	timeoutMs: number,
	heapPeak: { value: number },
	source: 'agg' | 'raw' = 'agg',
	readMs = READ_MS
): Promise<PageInteractions> {
	const page = await context.newPage();
	const stopHeap = await watchHeap(page, context, heapPeak);
	const id = { page: p.name, path: p.path, source };
	try {
		const res = await page.goto(pageUrl(baseUrl, p.path, source), { waitUntil: 'load' });
		if (!res || !res.ok())
			return { ...id, notMeasured: `HTTP ${res?.status() ?? 'no response'} for ${p.path}` };
		const controls = await controlsOf(page);
		const names = CONTROLS.filter((c) => controls[c] && controls[c].values.length > 1);
		if (names.length === 0)
			return { ...id, notMeasured: `no filter controls (form.filters select) on ${p.path}` };
		// Warm-up: the first change waits for hydration, the engine and the page's tables (with ?source=raw the
		// panels also re-ask their questions of the raw tables right after hydration).
		const w = await interact(page, {
			name: names[0],
			value: nextValue(controls[names[0]].values, controls[names[0]].current, 0),
			timeout: timeoutMs,
			retryMs: 20,
			waitHydrated: true
		});
		if (w.error || w.timedOut)
			return {
				...id,
				notMeasured: w.error ?? `the first filter change got no answer within ${timeoutMs} ms`
			};
		if (source === 'raw' && w.failed)
			return { ...id, notMeasured: `${w.failed} panel(s) showed an error after the first filter change` };
		const firstMs = w.tPaint;
		// Let whatever the warm-up left running finish, so the first measured change starts from a quiet page:
		// the engine started and the page's tables loaded at idle.
		await pollPage(
			page,
			`document.documentElement.dataset.engine === 'ready' || document.documentElement.dataset.engine === undefined`,
			timeoutMs
		);
		// The warm-up is the engine's first work on the page (its first queries are slower: code paths compiled on
		// first use, first reads of each table). A prerendered answer needs no engine: warm up with a second
		// control, two changes from the starting view, which only the engine answers.
		if (!w.queries && names.length > 1) {
			await pollPage(page, `document.querySelector('[aria-busy="true"]') === null`, timeoutMs);
			const cur = await controlsOf(page);
			if (cur[names[1]])
				await interact(page, {
					name: names[1],
					value: nextValue(cur[names[1]].values, cur[names[1]].current, 0),
					timeout: timeoutMs,
					retryMs: 1000
				});
		}
		await pollPage(page, `document.querySelector('[aria-busy="true"]') === null`, timeoutMs);
		await page.waitForTimeout(source === 'raw' ? 200 : readMs);
		const samples: number[] = [];
		const engineSamples: number[] = [];
		const querySamples: number[] = [];
		let timeouts = 0;
		let fromCache = 0;
		let failed = 0;
		let asked = 0;
		for (let i = 0; i < n; i++) {
			const cur = await controlsOf(page);
			const usable = names.filter((c) => cur[c]);
			const { name, value } = nextChange(cur, usable, i);
			const r = await interact(page, { name, value, timeout: timeoutMs, retryMs: 1000 });
			if (r.error) continue;
			if (r.timedOut) {
				timeouts++;
				// Raw tables at scale: one timeout says enough; the engine is still busy with that query.
				if (source === 'raw') break;
				continue;
			}
			if (r.failed) {
				failed++;
				continue;
			}
			// The view needs the raw tables: the page offers the download instead of answering (not a latency).
			if (r.asked) {
				asked++;
				continue;
			}
			if (!r.sawBusy) fromCache++;
			samples.push(r.tPaint - r.t0);
			engineSamples.push(r.engineMs ?? 0);
			querySamples.push(r.queries ?? 0);
		}
		if (source === 'raw' && samples.length === 0)
			return {
				...id,
				notMeasured: timeouts
					? `a filter change got no answer within ${timeoutMs} ms`
					: `no change answered (${failed} with a panel error)`
			};
		return {
			...id,
			firstMs,
			n: samples.length,
			timeouts,
			failed,
			asked,
			fromCache,
			p50: median(samples),
			p95: percentile(samples, 95),
			max: samples.length ? Math.max(...samples) : null,
			samples,
			engineSamples,
			querySamples
		};
	} finally {
		await stopHeap();
		await page.close().catch(() => {});
	}
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

const summary = (pages: readonly PageInteractions[]): Summary => {
	const all = pages.flatMap((p) => p.samples ?? []);
	return { n: all.length, p50: median(all), p95: percentile(all, 95) };
};

export async function runBrowser(o: BrowserOptions): Promise<BrowserResult> {
	const log = o.log ?? (() => {});
	const timeoutMs = o.timeoutMs ?? 60_000;
	const readMs = o.readMs ?? READ_MS;
	const browser = await launch();
	const version = browser.version();
	try {
		log('browser: cold load of the overview …');
		const heapPeak = { value: 0 };
		const renderers = watchRenderers(process.pid);
		const cold = await coldLoad(browser, o.baseUrl, timeoutMs, heapPeak);
		const context = await browser.newContext({ serviceWorkers: 'block' });
		const consoleErrors: string[] = [];
		context.on('page', (pg) => {
			pg.on('pageerror', (e) => consoleErrors.push(String(e)));
			pg.on('console', (m) => {
				if (m.type() === 'error') consoleErrors.push(m.text());
			});
		});
		const pages: PageInteractions[] = [];
		for (const p of PAGES) {
			log(`browser: ${o.interactions} interactions on ${p.path} …`);
			try {
				pages.push(
					await pageInteractions(context, o.baseUrl, p, o.interactions, timeoutMs, heapPeak, 'agg', readMs)
				);
			} catch (e) {
				pages.push({ page: p.name, path: p.path, source: 'agg', notMeasured: firstLine(e) });
			}
		}
		await context.close();
		const peakRendererBytes = renderers.stop();
		let raw: RawRun | undefined;
		const nRaw = o.rawInteractions ?? 10;
		if (nRaw > 0) {
			const rawHeap = { value: 0 };
			const rawPages: PageInteractions[] = [];
			const rawRenderers = watchRenderers(process.pid);
			const rawTimeout = o.rawTimeoutMs ?? timeoutMs;
			try {
				// A fresh context: the raw tables are not in the pre-aggregate pages' HTTP cache.
				const rc = await browser.newContext({ serviceWorkers: 'block' });
				try {
					for (const p of PAGES) {
						log(`browser: ${nRaw} interactions on ${p.path}?source=raw …`);
						try {
							rawPages.push(await pageInteractions(rc, o.baseUrl, p, nRaw, rawTimeout, rawHeap, 'raw'));
						} catch (e) {
							rawPages.push({ page: p.name, path: p.path, source: 'raw', notMeasured: firstLine(e) });
						}
					}
				} finally {
					await rc.close().catch(() => {});
				}
				raw = {
					interactions: nRaw,
					pages: rawPages,
					all: summary(rawPages),
					speedup: pageSpeedup(pages, rawPages),
					peakJsHeapBytes: rawHeap.value,
					peakRendererBytes: rawRenderers.stop()
				};
			} catch (e) {
				raw = {
					interactions: nRaw,
					pages: rawPages,
					all: summary(rawPages),
					speedup: null,
					peakJsHeapBytes: rawHeap.value,
					peakRendererBytes: rawRenderers.stop(),
					notMeasured: firstLine(e)
				};
			}
		}
		return {
			chromium: version,
			readMs,
			cold,
			pages,
			all: summary(pages),
			peakJsHeapBytes: heapPeak.value,
			peakRendererBytes,
			consoleErrors: consoleErrors.slice(0, 20),
			raw
		};
	} finally {
		await browser.close();
	}
}
