/** Debian's Chromium driven by playwright-core (no browser download). */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--no-first-run'
		]
	});
}

export interface PageWatch {
	page: Page;
	/** Console errors and uncaught page errors. */
	errors: string[];
	/** Requests to any origin other than the site's. */
	foreign: string[];
}

/** A page that records console errors, page errors and requests leaving the site's origin. */
export async function watchedPage(context: BrowserContext, baseUrl: string): Promise<PageWatch> {
	const origin = new URL(baseUrl).origin;
	const page = await context.newPage();
	const errors: string[] = [];
	const foreign: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('request', (r) => {
		const u = r.url();
		if (u.startsWith('data:') || u.startsWith('blob:')) return;
		if (new URL(u).origin !== origin) foreign.push(u);
	});
	return { page, errors, foreign };
}

/**
 * Serve an empty index of prerendered answers, so every panel asks the engine (for tests of the engine's own
 * path: faults in its files, patched files). A normal response, so the page logs no failed request.
 */
export async function withoutAnswers(ctx: BrowserContext): Promise<void> {
	await ctx.route('**/answers/index.json', (r) =>
		r.fulfill({ contentType: 'application/json', body: JSON.stringify({ version: 'none', answers: {} }) })
	);
}

/** Wait until the page's engine is up and no panel is busy. */
export function engineSettled(page: Page, timeout = 60_000): Promise<unknown> {
	return page.waitForFunction(
		() =>
			document.documentElement.dataset.engine === 'ready' && !document.querySelector('[aria-busy="true"]'),
		null,
		{ timeout, polling: 20 }
	);
}
