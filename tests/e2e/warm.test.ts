/**
 * Tables loaded ahead of need: once the overview's first answer is on screen, it loads at idle the
 * beneficiary-group tables (which only a group change reads), so that the first group change downloads nothing;
 * it loads none of them before that answer, and none at all when the visitor asked to save data. Answers ahead of
 * need: in the visitor's pause the page answers the states one change from the view, so the next change asks the
 * engine nothing (and shows what a fresh load of that view shows); none with save-data.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { engineSettled, launchBrowser, watchedPage, withoutAnswers } from './browser';

const baseUrl = inject('baseUrl') ?? process.env.E2E_BASE_URL!;
const url = (p: string) => new URL(p, baseUrl).href;
const GROUP_TABLES = /agg_activity_month_group|agg_active_group/;

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

/** Arrow files the page asks for, with the time each request started. */
function arrowRequests(page: Page): { url: string; at: number }[] {
	const list: { url: string; at: number }[] = [];
	page.on('request', (r) => {
		if (/\.arrow(\?|$)/.test(r.url())) list.push({ url: r.url(), at: Date.now() });
	});
	return list;
}

/** Choose the first value of a filter control and wait until no panel is busy (the answer on screen). */
async function chooseFirst(page: Page, control: 'district' | 'group', timeout: number): Promise<void> {
	const value = await page
		.locator(`select[name="${control}"] option:not([value=""])`)
		.first()
		.getAttribute('value');
	await page.selectOption(`select[name="${control}"]`, value!);
	await page.waitForURL(new RegExp(`${control}=`));
	await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, {
		timeout,
		polling: 20
	});
}

/** Choose the first district and wait for its answer on screen and the engine; returns when the answer was there. */
async function firstAnswer(page: Page): Promise<number> {
	await page.goto(url('/'), { waitUntil: 'domcontentloaded' });
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 60_000 });
	// The answer on screen (from the prerendered answers, or from the engine when there are none) …
	await chooseFirst(page, 'district', 60_000);
	const at = Date.now();
	// … then the engine, which the page starts after its first paint either way.
	await engineSettled(page);
	return at;
}

/** Choose the first beneficiary group and wait until no panel is busy. */
const chooseFirstGroup = (page: Page) => chooseFirst(page, 'group', 30_000);

describe('tables loaded ahead of need', () => {
	it('loads the group tables after the first answer, and the first group change downloads nothing', async () => {
		const ctx = await browser.newContext();
		const { page, errors } = await watchedPage(ctx, baseUrl);
		const arrows = arrowRequests(page);
		const answeredAt = await firstAnswer(page);
		await expect
			.poll(() => arrows.filter((a) => GROUP_TABLES.test(a.url)).length, { timeout: 30_000 })
			.toBe(2);
		for (const a of arrows.filter((x) => GROUP_TABLES.test(x.url)))
			expect(a.at).toBeGreaterThanOrEqual(answeredAt);
		// Both in the engine (the download, then the insert): wait until the page is quiet.
		await page.waitForLoadState('networkidle');
		await page.waitForTimeout(500);
		const before = arrows.length;
		await chooseFirstGroup(page);
		expect(await page.locator('[role="alert"]').count()).toBe(0);
		expect(arrows.slice(before).map((a) => a.url)).toEqual([]);
		expect(errors).toEqual([]);
		await ctx.close();
	});

	it("answers the states next to the view in the visitor's pause: the next change asks the engine nothing", async () => {
		const ctx = await browser.newContext();
		const { page, errors } = await watchedPage(ctx, baseUrl);
		await firstAnswer(page);
		const queries = () => page.evaluate(() => performance.getEntriesByName('duckdb-query', 'measure').length);
		// Two changes from the starting view (no prerendered answer): the engine answers it.
		await page.selectOption('select[name="category"]', { index: 2 });
		await page.waitForURL(/category=/);
		await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, {
			timeout: 60_000
		});
		const afterChange = await queries();
		const done = () =>
			page.evaluate(() => performance.getEntriesByName('timebank:answer-ahead-done', 'mark').length);
		const doneBefore = await done();
		// The pause: the page answers the states next to this view (it starts once the visitor has asked nothing
		// for a second and the browser is idle) …
		await expect.poll(queries, { timeout: 30_000 }).toBeGreaterThan(afterChange + 10);
		// … then stops (nothing left, or its budget spent).
		await expect.poll(done, { timeout: 90_000 }).toBeGreaterThan(doneBefore);
		const last = await queries();
		// The first quarter: the first state answered (quarters, then years, districts, categories, groups), so
		// within the budget of engine time also on a machine slowed by other work (the previous year, fifth in
		// the list, was once left with one query unanswered when the whole suite ran at once).
		const before = page.url();
		await page.locator('select[name="q"]').selectOption('1');
		await page.waitForURL((u) => u.href !== before);
		await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, {
			timeout: 30_000,
			polling: 20
		});
		expect(await queries()).toBe(last);
		const shown = await page.locator('[data-figure="activities"]').getAttribute('data-value');
		// The same view loaded afresh (its own engine) shows the same figure.
		const fresh = await ctx.newPage();
		await fresh.goto(page.url(), { waitUntil: 'domcontentloaded' });
		await fresh.waitForFunction(
			() =>
				document.documentElement.dataset.engine === 'ready' &&
				document.querySelector('#headline')?.getAttribute('aria-busy') === 'false',
			null,
			{ timeout: 60_000 }
		);
		expect(await fresh.locator('[data-figure="activities"]').getAttribute('data-value')).toBe(shown);
		expect(errors).toEqual([]);
		await ctx.close();
	});

	it('loads nothing ahead of need when the visitor asked to save data', async () => {
		const ctx = await browser.newContext();
		await ctx.addInitScript(() => {
			Object.defineProperty(Navigator.prototype, 'connection', {
				configurable: true,
				get: () => ({ saveData: true })
			});
		});
		// The engine answers the first change (a prerendered answer would need no engine and no table at all).
		await withoutAnswers(ctx);
		const { page, errors } = await watchedPage(ctx, baseUrl);
		const arrows = arrowRequests(page);
		await firstAnswer(page);
		expect(arrows.length).toBeGreaterThan(0); // the answer's own tables
		const queries = () => page.evaluate(() => performance.getEntriesByName('duckdb-query', 'measure').length);
		const asked = await queries();
		await page.waitForTimeout(3000);
		expect(arrows.filter((a) => GROUP_TABLES.test(a.url))).toEqual([]);
		// Nor answers ahead of need.
		expect(await queries()).toBe(asked);
		expect(errors).toEqual([]);
		await ctx.close();
	});
});
