/**
 * Browser security of the built site (see global-setup.ts): every response carries a Content-Security-Policy
 * that allows only our own origin (plus 'wasm-unsafe-eval' for DuckDB-WASM), every inline <script> is
 * covered by a hash in that policy, and using every page (filters, tables, the engine, the SQL console) gives
 * zero CSP violations and zero requests to another origin.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, watchedPage } from './browser';

const baseUrl = inject('baseUrl') ?? process.env.E2E_BASE_URL!;
const url = (p: string) => new URL(p, baseUrl).href;
const PAGES = [
	'/',
	'/map/',
	'/categories/',
	'/assessment/',
	'/districts/',
	'/districts/440104/',
	'/data/',
	'/sql/',
	'/about/'
];
const ALL = [...PAGES, ...PAGES.map((p) => `/en${p}`)];

/** Directives of a policy: name → source list. */
function parseCsp(header: string): Map<string, string[]> {
	const out = new Map<string, string[]>();
	for (const part of header.split(';')) {
		const [name, ...sources] = part.trim().split(/\s+/);
		if (name) out.set(name.toLowerCase(), sources);
	}
	return out;
}

/** Sources that would let content from elsewhere in: hosts, schemes other than data:/blob:, wildcards. */
const foreignSources = (sources: string[]) =>
	sources.filter((s) => !s.startsWith("'") && !['data:', 'blob:'].includes(s));

function checkPolicy(header: string | null, where: string): Map<string, string[]> {
	expect(header, `${where}: Content-Security-Policy header`).toBeTruthy();
	const csp = parseCsp(header!);
	expect(csp.get('default-src'), where).toEqual(["'self'"]);
	for (const [name, sources] of csp) {
		expect(foreignSources(sources), `${where}: ${name}`).toEqual([]);
		expect(sources, `${where}: ${name}`).not.toContain("'unsafe-eval'");
	}
	const scripts = csp.get('script-src') ?? [];
	expect(scripts, where).toContain("'self'");
	expect(scripts, where).not.toContain("'unsafe-inline'");
	// No inline styles either: Plot's <style> elements are removed and their rules ship in app.css; the one
	// style attribute allowed, by hash, is SvelteKit's route announcer.
	const styles = csp.get('style-src') ?? [];
	expect(styles, where).not.toContain("'unsafe-inline'");
	expect(
		styles.filter((s) => !/^'(self|unsafe-hashes|sha256-[A-Za-z0-9+/=]+)'$/.test(s)),
		where
	).toEqual([]);
	expect(styles.filter((s) => s.startsWith("'sha256-")).length, where).toBeLessThanOrEqual(1);
	expect(
		scripts.filter((s) => !/^'(self|wasm-unsafe-eval|sha256-[A-Za-z0-9+/=]+)'$/.test(s)),
		where
	).toEqual([]);
	expect(csp.get('object-src'), where).toEqual(["'none'"]);
	expect(csp.get('frame-ancestors'), where).toEqual(["'none'"]);
	expect(csp.get('connect-src'), where).toEqual(["'self'"]);
	return csp;
}

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

describe('Content-Security-Policy header', () => {
	it('every page has it, and every inline script is allowed by a hash in it', async () => {
		for (const p of ALL) {
			const res = await fetch(url(p));
			expect(res.status, p).toBe(200);
			const csp = checkPolicy(res.headers.get('content-security-policy'), p);
			expect(res.headers.get('x-content-type-options'), p).toBe('nosniff');
			const html = await res.text();
			const hashes = (csp.get('script-src') ?? []).filter((s) => s.startsWith("'sha256-"));
			const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter(
				([, attrs]) => !/\bsrc=/.test(attrs) && !/type="application\/(ld\+)?json"/.test(attrs)
			);
			for (const [, , body] of inline) {
				const h = `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
				expect(hashes, `${p}: inline script without a hash`).toContain(h);
			}
			// No inline event handlers (a hash does not cover them).
			expect(html, p).not.toMatch(/\son(click|load|error|mouseover)\s*=/i);
		}
	});

	it('scripts, the WebAssembly module, data files and 404s have it too', async () => {
		const html = await (await fetch(url('/'))).text();
		const script = /<link[^>]+href="([^"]+\.js)"/.exec(html)?.[1] ?? /src="([^"]+\.js)"/.exec(html)?.[1];
		expect(script).toBeTruthy();
		const releases = (await (await fetch(url('/data/releases.json'))).json()) as {
			releases: { path: string }[];
		};
		const manifest = (await (
			await fetch(url(`/data/${releases.releases[0].path}/browser/manifest.json`))
		).json()) as { tables: Record<string, { file: string }> };
		const arrow = `/data/${releases.releases[0].path}/browser/${Object.values(manifest.tables)[0].file}`;
		for (const p of [new URL(script!, url('/')).pathname, arrow, '/no-such-page/', '/prefs.js']) {
			const res = await fetch(url(p));
			checkPolicy(res.headers.get('content-security-policy'), p);
			await res.arrayBuffer();
		}
	});
});

/** Record CSP violations: the DOM event (installed before any page script runs) and console reports. */
async function cspWatch(page: Page): Promise<() => Promise<string[]>> {
	const fromConsole: string[] = [];
	page.on('console', (m) => {
		if (/Content Security Policy/i.test(m.text())) fromConsole.push(m.text());
	});
	await page.addInitScript(() => {
		const w = window as unknown as { __csp: string[] };
		w.__csp = [];
		document.addEventListener('securitypolicyviolation', (e) =>
			w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`)
		);
	});
	return async () => [
		...fromConsole,
		...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []))
	];
}

const idle = (page: Page, panel: string) =>
	page.waitForFunction((id) => document.querySelector(id)?.getAttribute('aria-busy') === 'false', panel, {
		timeout: 90_000
	});

describe('using every page', () => {
	it('the violation watcher works (control: a foreign image is blocked and reported)', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		const violations = await cspWatch(page);
		await page.goto(url('/about/'), { waitUntil: 'networkidle' });
		await page.evaluate(() => {
			const img = document.createElement('img');
			img.src = 'http://203.0.113.1/x.png';
			document.body.append(img);
		});
		await page.waitForTimeout(300);
		expect((await violations()).join('\n')).toMatch(/img-src/);
		await ctx.close();
	});

	it('gives zero CSP violations and no request to another origin', async () => {
		const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const { page, foreign, errors } = await watchedPage(ctx, baseUrl);
		const violations = await cspWatch(page);
		const seen: string[] = [];
		for (const p of ALL) {
			await page.goto(url(p), { waitUntil: 'networkidle' });
			// Open every "show table" and use the first filter where there is one (this starts the engine).
			for (const s of await page.locator('details.table-alt > summary').all()) await s.click();
			if (p === '/' || p === '/en/') {
				await page.selectOption('select[name="district"]', '440106');
				await page.waitForURL(/district=440106/);
				await idle(page, '#headline');
			}
			if (p.endsWith('/sql/')) {
				await page.goto(url(`${p}?q=${encodeURIComponent('SELECT count(*) AS n FROM activities')}`));
				await page.waitForSelector('[data-status="done"]', { timeout: 90_000 });
			}
			if (p.endsWith('/map/')) await page.waitForSelector('main svg, main canvas', { timeout: 30_000 });
			seen.push(...(await violations()).map((v) => `${p}: ${v}`));
		}
		expect(seen).toEqual([]);
		expect(foreign).toEqual([]);
		expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
		await ctx.close();
	});
});
