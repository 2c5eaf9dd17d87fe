/**
 * Accessibility of the built site (see global-setup.ts): axe-core finds no serious or critical violation on
 * any page in Chinese or English; every chart has a text alternative and a data table; the filters, "show
 * table", the language switch and the elder-friendly mode work with the keyboard alone; focus is visible.
 *
 * axe is injected with page.evaluate (DevTools Runtime.evaluate), which the page's CSP does not govern, so the
 * pages are tested under their real policy.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';

const baseUrl = inject('baseUrl') ?? process.env.E2E_BASE_URL!;
const url = (p: string) => new URL(p, baseUrl).href;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PAGES = [
	'/',
	'/map/',
	'/categories/',
	'/assessment/',
	'/districts/440104/',
	'/data/',
	'/sql/',
	'/about/'
];

interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	nodes: { target: string[]; failureSummary?: string }[];
}

async function axe(page: Page): Promise<AxeViolation[]> {
	await page.evaluate(AXE);
	return page.evaluate(async () => {
		const a = (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: AxeViolation[] }> } })
			.axe;
		const r = await a.run({
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
			resultTypes: ['violations']
		});
		return r.violations.map((v) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, failureSummary: n.failureSummary }))
		}));
	});
}

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

describe('axe-core', () => {
	for (const p of [...PAGES, ...PAGES.map((x) => `/en${x}`)]) {
		it(`${p}: no serious or critical violation`, async () => {
			const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
			const page = await ctx.newPage();
			await page.goto(url(p), { waitUntil: 'networkidle' });
			// Open the tables so their markup is checked too.
			for (const s of await page.locator('details > summary').all()) await s.click();
			const bad = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
			expect(bad.map((v) => `${v.impact} ${v.id}: ${v.help} ${JSON.stringify(v.nodes)}`)).toEqual([]);
			await ctx.close();
		});
	}
});

describe('charts', () => {
	it('every chart has a text alternative and a data table, in both languages', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		let charts = 0;
		for (const p of ['/', '/categories/', '/districts/440104/', '/en/', '/en/categories/']) {
			await page.goto(url(p), { waitUntil: 'networkidle' });
			const found = await page.locator('figure.chart').evaluateAll((figs) =>
				figs.map((f) => {
					const panel = f.closest('section.panel');
					const table = panel?.querySelector('details.table-alt table');
					return {
						caption: f.querySelector('figcaption')?.textContent?.trim() ?? '',
						plotHidden: f.querySelector('.plot')?.getAttribute('aria-hidden') === 'true',
						tableCaption: table?.querySelector('caption')?.textContent?.trim() ?? '',
						headers: table?.querySelectorAll('th').length ?? 0
					};
				})
			);
			for (const c of found) {
				expect(c.caption, p).toMatch(/\S/);
				expect(c.plotHidden, p).toBe(true);
				expect(c.tableCaption, p).toMatch(/\S/);
				expect(c.headers, p).toBeGreaterThan(0);
			}
			charts += found.length;
		}
		expect(charts).toBeGreaterThan(4);
		await ctx.close();
	});
});

/** Press Tab until the focused element matches `selector` (at most `max` times). */
async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
	for (let i = 0; i < max; i++) {
		await page.keyboard.press('Tab');
		if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
	}
	throw new Error(`${selector} not reached with Tab`);
}

/** The focused element shows a visible focus indicator (outline or box-shadow). */
const focusVisible = (page: Page) =>
	page.evaluate(() => {
		const el = document.activeElement as HTMLElement;
		const cs = getComputedStyle(el);
		const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
		return { matches: el.matches(':focus-visible'), visible: outline || cs.boxShadow !== 'none' };
	});

describe('keyboard only', () => {
	it('skip link, filters, show table, language switch and elder mode work with the keyboard', async () => {
		const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const page = await ctx.newPage();
		await page.goto(url('/categories/'), { waitUntil: 'networkidle' });

		// The first Tab reaches the skip link, which moves focus to <main>.
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#main');
		expect(await focusVisible(page)).toEqual({ matches: true, visible: true });
		await page.keyboard.press('Enter');
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

		// A filter: reach it with Tab, change it with the arrow keys.
		await tabTo(page, 'select[name="district"]');
		expect(await focusVisible(page)).toEqual({ matches: true, visible: true });
		await page.keyboard.press('ArrowDown');
		await page.waitForURL(/district=\d{6}/);

		// "Show table": Tab to the first summary, open it with Enter.
		await tabTo(page, 'details.table-alt > summary');
		expect(await focusVisible(page)).toEqual({ matches: true, visible: true });
		await page.keyboard.press('Enter');
		expect(
			await page.evaluate(() => (document.activeElement?.parentElement as HTMLDetailsElement).open)
		).toBe(true);

		// Elder mode: a toggle button pressed with Space.
		await page.evaluate(() => (document.activeElement as HTMLElement).blur());
		await page.keyboard.press('Tab'); // from the top again
		await tabTo(page, 'button.elder-btn');
		expect(await focusVisible(page)).toEqual({ matches: true, visible: true });
		await page.keyboard.press('Space');
		expect(await page.getAttribute('button.elder-btn', 'aria-pressed')).toBe('true');
		expect(await page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true);
		// Larger text in elder mode.
		expect(
			await page.evaluate(() =>
				parseFloat(getComputedStyle(document.querySelector('main p, main h1')!).fontSize)
			)
		).toBeGreaterThan(16);

		// Language switch: Tab to it, Enter; the filter stays in the URL.
		await page.keyboard.press('Shift+Tab');
		expect(await page.evaluate(() => document.activeElement?.matches('a.lang'))).toBe(true);
		await page.keyboard.press('Enter');
		await page.waitForURL(/\/en\/categories\/\?.*district=\d{6}/);
		expect(await page.getAttribute('html', 'lang')).toBe('en');
		await ctx.close();
	});

	it('every focusable control shows a visible focus indicator', async () => {
		const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const page = await ctx.newPage();
		const missing: string[] = [];
		for (const p of ['/', '/en/sql/', '/data/']) {
			await page.goto(url(p), { waitUntil: 'networkidle' });
			const seen = new Set<string>();
			for (let i = 0; i < 60; i++) {
				await page.keyboard.press('Tab');
				const f = await page.evaluate(async () => {
					// Let focus handlers run (the code editor marks its frame focused on the next frame).
					await new Promise((r) => requestAnimationFrame(() => r(null)));
					const el = document.activeElement as HTMLElement | null;
					if (!el || el === document.body) return null;
					// A code editor draws the focus on its frame.
					const cs = getComputedStyle(el.closest('.cm-editor') ?? el);
					const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
					return {
						key: `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''} ${(el.textContent ?? '').trim().slice(0, 20)}`,
						visible: outline || cs.boxShadow !== 'none'
					};
				});
				if (!f || seen.has(f.key)) continue;
				seen.add(f.key);
				if (!f.visible) missing.push(`${p}: ${f.key}`);
			}
			expect(seen.size, p).toBeGreaterThan(5);
		}
		expect(missing).toEqual([]);
		await ctx.close();
	});
});
