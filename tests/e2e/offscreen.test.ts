/**
 * Charts out of view after a filter change: the charts on screen are redrawn with the answer, the ones far below
 * wait for the browser's next idle moment, and are drawn at once when scrolled near the screen or before
 * printing; what they then show is what a fresh load of that view shows.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { engineSettled, launchBrowser, watchedPage } from './browser';

const baseUrl = inject('baseUrl') ?? process.env.E2E_BASE_URL!;
const url = (p: string) => new URL(p, baseUrl).href;

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

const VIEWPORT = { width: 1280, height: 800 };

/** Each chart's title, its box's top, and its drawing (Plot's generated class names left out). */
const charts = (page: Page) =>
	page.evaluate(() =>
		[...document.querySelectorAll('.plot')].map((e) => ({
			title: e.closest('section')?.querySelector('h2')?.textContent ?? '',
			top: e.getBoundingClientRect().top + scrollY,
			old: e.querySelector('svg[data-old]') !== null,
			drawing: e.innerHTML.replace(/plot-[0-9a-z-]+/g, 'plot')
		}))
	);

const frames = (page: Page) =>
	page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

describe('charts out of view', () => {
	it('are redrawn in the next pause, when scrolled near, or before printing, with the current answer', async () => {
		const ctx = await browser.newContext({ viewport: VIEWPORT });
		// Idle callbacks are held while `__holdIdle` is set (so the test sees the state before the pause).
		await ctx.addInitScript(() => {
			const w = window as unknown as { __holdIdle?: boolean; __held: (() => void)[] };
			w.__held = [];
			const request = window.requestIdleCallback.bind(window);
			window.requestIdleCallback = (cb, opts) =>
				request((deadline) => (w.__holdIdle ? w.__held.push(() => cb(deadline)) : cb(deadline)), opts);
		});
		const { page, errors } = await watchedPage(ctx, baseUrl);
		await page.goto(url('/'));
		await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 60_000 });
		const districts = await page
			.locator('select[name="district"] option:not([value=""])')
			.evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
		// A first change starts the engine; a category as well, so the next change is answered by the engine.
		await page.selectOption('select[name="category"]', { index: 1 });
		await engineSettled(page);

		const before = await charts(page);
		const near = before.filter((c) => c.top < VIEWPORT.height);
		const far = before.filter((c) => c.top > VIEWPORT.height * 1.5);
		expect(near.length, 'a chart in view').toBeGreaterThan(0);
		expect(far.length, 'two charts far below').toBeGreaterThanOrEqual(2);
		const markOld = () =>
			page.evaluate(() => {
				for (const svg of document.querySelectorAll('.plot svg')) svg.setAttribute('data-old', '');
				(window as unknown as { __holdIdle: boolean }).__holdIdle = true;
			});
		let after = before;
		const state = (title: string) => after.find((c) => c.title === title)!;

		// A change: the charts in view are redrawn with the answer, those far below wait for a pause …
		await markOld();
		await page.selectOption('select[name="district"]', districts[1]);
		await page.waitForURL(/district=/);
		await engineSettled(page);
		await frames(page);
		after = await charts(page);
		for (const c of near) expect(state(c.title).old, `${c.title} redrawn with the answer`).toBe(false);
		for (const c of far) expect(state(c.title).old, `${c.title} waits for a pause`).toBe(true);
		// … and are drawn before printing.
		await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
		after = await charts(page);
		for (const c of far) expect(state(c.title).old, `${c.title} drawn before printing`).toBe(false);

		// Another district (every chart's answer changes), then the visitor scrolls down: drawn as they come near
		// (no idle moment needed). A chart whose answer stays the same is not redrawn at all.
		await markOld();
		await page.selectOption('select[name="district"]', districts[2]);
		await engineSettled(page);
		await frames(page);
		after = await charts(page);
		for (const c of far) expect(state(c.title).old, `${c.title} waits again`).toBe(true);
		await page.evaluate((top) => scrollTo(0, top - 200), far[0].top);
		await frames(page);
		await frames(page);
		after = await charts(page);
		for (const c of far) expect(state(c.title).old, `${c.title} drawn when scrolled into view`).toBe(false);

		// What they show is the current view's answer: the same drawing as a fresh load of this URL.
		const final = after;
		await page.evaluate(() => ((window as unknown as { __holdIdle: boolean }).__holdIdle = false));
		const fresh = await watchedPage(ctx, baseUrl);
		await fresh.page.goto(page.url());
		await fresh.page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 60_000 });
		await engineSettled(fresh.page);
		// Its own charts far below are redrawn in a pause too.
		await fresh.page.evaluate(() => new Promise((r) => requestIdleCallback(r, { timeout: 5000 })));
		await frames(fresh.page);
		const reference = await charts(fresh.page);
		for (const c of far)
			expect(final.find((x) => x.title === c.title)!.drawing, c.title).toBe(
				reference.find((x) => x.title === c.title)!.drawing
			);
		// Idle callbacks held meanwhile change nothing once they run.
		await page.evaluate(() => {
			for (const f of (window as unknown as { __held: (() => void)[] }).__held.splice(0)) f();
		});
		expect((await charts(page)).map((c) => c.drawing)).toEqual(final.map((c) => c.drawing));
		expect(errors).toEqual([]);
		expect(fresh.errors).toEqual([]);
		await ctx.close();
	});
});
