/**
 * Fault injection against the built site (see global-setup.ts). For each fault — a data file that is missing
 * (404), cut off, corrupted or whose connection drops, a missing manifest, a WebAssembly module or engine
 * worker that is missing or not valid, and a slow connection — the page keeps its prerendered figures, the
 * failing panel says which panel failed and why in plain words (Chinese and English), offers a retry, and once
 * the fault is gone the retry gives the numbers native DuckDB computes.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { launchBrowser, watchedPage, withoutAnswers } from './browser';
import { headlineSql } from '../../src/lib/charts/queries';
import { defaultFilters } from '../../src/lib/components/filters';
import { latestRelease, serverQuery } from '../../src/lib/server/release';

const baseUrl = inject('baseUrl') ?? process.env.E2E_BASE_URL!;
const url = (p: string) => new URL(p, baseUrl).href;

const ARROW = '**/browser/*.arrow';
const MANIFEST = '**/browser/manifest.json';
const WASM = '**/duckdb-eh*.wasm';
const WORKER = '**/duckdb-browser-eh.worker*.js';

/** Serve the real response with its body changed (Playwright hands us the decoded body). */
const mangle = (f: (b: Buffer) => Buffer) => async (route: Route) => {
	try {
		const res = await route.fetch();
		const body = await res.body();
		await route.fulfill({ status: 200, contentType: res.headers()['content-type'], body: f(body) });
	} catch {
		// The page went away (or the fault was removed) while the request was in flight: fail the request rather
		// than leave it unanswered (a load that never ends would hold up the retry until the test times out).
		await route.abort().catch(() => {});
	}
};

interface Fault {
	name: string;
	pattern: string;
	handler: (route: Route) => Promise<void>;
	kind: string;
	/** The plain-words reason, in Chinese and English. */
	zh: RegExp;
	en: RegExp;
}

const FAULTS: Fault[] = [
	{
		name: 'a data file answers 404',
		pattern: ARROW,
		handler: (r) => r.fulfill({ status: 404, body: 'not found' }),
		kind: 'http',
		zh: /服务器上找不到数据文件 \S+\.arrow（HTTP 404）/,
		en: /server does not have the data file \S+\.arrow \(HTTP 404\)/
	},
	{
		name: 'the connection drops while downloading a data file',
		pattern: ARROW,
		handler: (r) => r.abort('connectionreset'),
		kind: 'network',
		zh: /网络连接中断/,
		en: /connection was lost/
	},
	{
		name: 'a data file is cut off',
		pattern: ARROW,
		handler: mangle((b) => b.subarray(0, Math.floor(b.length / 2))),
		kind: 'truncated',
		zh: /数据文件 \S+\.arrow 下载不完整/,
		en: /data file \S+\.arrow arrived incomplete/
	},
	{
		name: 'a data file is corrupted (same length)',
		pattern: ARROW,
		handler: mangle((b) => {
			const c = Buffer.from(b);
			for (let i = Math.floor(c.length / 3); i < c.length; i += 7) c[i] ^= 0xff;
			return c;
		}),
		kind: 'corrupt',
		zh: /数据文件 \S+\.arrow 已损坏/,
		en: /data file \S+\.arrow is damaged/
	},
	{
		name: 'the release manifest is missing',
		pattern: MANIFEST,
		handler: (r) => r.fulfill({ status: 404, body: 'not found' }),
		kind: 'http',
		zh: /找不到数据文件 manifest\.json/,
		en: /does not have the data file manifest\.json/
	},
	{
		name: 'the WebAssembly module is missing',
		pattern: WASM,
		handler: (r) => r.fulfill({ status: 404, body: 'not found' }),
		kind: 'engine',
		zh: /查询引擎没有启动成功/,
		en: /query engine in your browser did not start/
	},
	{
		name: 'the WebAssembly module is garbage',
		pattern: WASM,
		handler: (r) =>
			r.fulfill({
				status: 200,
				contentType: 'application/wasm',
				body: Buffer.from('\0asm garbage'.repeat(99))
			}),
		kind: 'engine',
		zh: /查询引擎没有启动成功/,
		en: /query engine in your browser did not start/
	},
	{
		name: 'the engine worker script is not JavaScript',
		pattern: WORKER,
		handler: (r) =>
			r.fulfill({ status: 200, contentType: 'text/javascript', body: 'this is {not javascript' }),
		kind: 'engine',
		zh: /查询引擎没有启动成功/,
		en: /query engine in your browser did not start/
	}
];

let browser: Browser;
let native: Record<string, unknown>;
beforeAll(async () => {
	browser = await launchBrowser();
	const f = { ...defaultFilters(latestRelease().data_as_of), category: 'health' };
	native = (await serverQuery(headlineSql(f))).find((r) => r.period === 'cur')!;
});
afterAll(async () => {
	await browser?.close();
});

const figure = (page: Page, k: string) => page.getAttribute(`#headline [data-figure="${k}"]`, 'data-value');

/** Wait until the headline shows the native numbers for the "health" filter. */
async function expectNative(page: Page): Promise<void> {
	await page.waitForFunction(
		(want) =>
			document.querySelector('#headline')?.getAttribute('aria-busy') === 'false' &&
			!document.querySelector('#headline [role="alert"]') &&
			document.querySelector('#headline [data-figure="activities"]')?.getAttribute('data-value') === want,
		String(native.activities),
		{ timeout: 90_000 }
	);
	for (const k of ['registered', 'active', 'activities', 'person_times'])
		expect(Number(await figure(page, k)), k).toBe(native[k]);
	expect(Number(await figure(page, 'hours'))).toBeCloseTo(Number(native.hours), 6);
}

async function open(ctx: BrowserContext, en: boolean) {
	// The faults are in the engine's path: no prerendered answer may stand in for it.
	await withoutAnswers(ctx);
	const w = await watchedPage(ctx, baseUrl);
	await w.page.goto(url(en ? '/en/' : '/'), { waitUntil: 'networkidle' });
	return w;
}

describe('faults', () => {
	FAULTS.forEach((fault, i) => {
		const en = i % 2 === 1;
		it(`${fault.name} (${en ? 'en' : 'zh'}): message, figures kept, retry recovers`, async () => {
			const ctx = await browser.newContext();
			await ctx.route(fault.pattern, fault.handler);
			const { page, foreign } = await open(ctx, en);
			const prerendered = await figure(page, 'activities');
			expect(prerendered).not.toBeNull();
			const title = (await page.locator('#headline-title').textContent())!.trim();

			await page.selectOption('select[name="category"]', 'health');
			const alert = page.locator('#headline [role="alert"]');
			await alert.waitFor({ timeout: 60_000 });
			expect(await alert.getAttribute('data-error-kind')).toBe(fault.kind);
			const text = (await alert.textContent())!;
			// Which panel, why (plain words, in the page's language), and a retry button.
			expect(text).toContain(title);
			expect(text).toMatch(en ? fault.en : fault.zh);
			expect(text).not.toMatch(en ? /[\u4e00-\u9fff]{4}/ : /could not|Try again/);
			const retry = alert.getByRole('button', { name: en ? 'Try again' : '重试' });
			expect(await retry.count()).toBe(1);
			// The prerendered figures are still on the page, and so is the rest of it.
			expect(await figure(page, 'activities')).toBe(prerendered);
			expect(await page.locator('main h1').count()).toBe(1);
			expect(await page.locator('#headline [data-figure]').count()).toBe(8);

			// The fault goes away; the retry re-initialises what failed and gives the right numbers.
			await ctx.unroute(fault.pattern);
			await retry.click();
			await expectNative(page);
			expect(foreign).toEqual([]);
			await ctx.close();
		});
	});

	it('a slow connection shows progress, then the right numbers, without an error', async () => {
		const ctx = await browser.newContext();
		// Throttled from the start: the page warms its engine and tables at idle, so a connection slowed only
		// after loading could find everything in place already.
		const { page, errors } = await watchedPage(ctx, baseUrl);
		const cdp = await ctx.newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.emulateNetworkConditions', {
			offline: false,
			latency: 400,
			downloadThroughput: 1_500_000,
			uploadThroughput: 200_000
		});
		await withoutAnswers(ctx);
		// On top of the throttling, every data file waits 2 s before it starts.
		await ctx.route(ARROW, async (r) => {
			await new Promise((res) => setTimeout(res, 2000));
			await r.continue().catch(() => {});
		});
		await page.goto(url('/'), { waitUntil: 'domcontentloaded' });
		await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 60_000 });
		await page.selectOption('select[name="category"]', 'health');
		// The progress message and the busy state, read together the moment the message shows.
		const shown = await (
			await page.waitForFunction(
				() => {
					const st = document.querySelector('#headline [role="status"]');
					return st
						? {
								text: st.textContent ?? '',
								busy: document.querySelector('#headline')?.getAttribute('aria-busy')
							}
						: null;
				},
				null,
				{ timeout: 30_000 }
			)
		).jsonValue();
		expect(shown!.text).toMatch(/正在/);
		expect(shown!.busy).toBe('true');
		await expectNative(page);
		expect(await page.locator('#headline [role="alert"]').count()).toBe(0);
		expect(errors).toEqual([]);
		await ctx.close();
	});
});
