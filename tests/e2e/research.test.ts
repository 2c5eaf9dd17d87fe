/**
 * Browser tests of the research pages against the built site (see global-setup.ts): /data works with
 * JavaScript off, its JSON-LD is valid JSON naming every resource, a download's SHA-256 equals the listed
 * one; the SQL console runs a query (same numbers as native DuckDB), shows a positioned error for a bad one,
 * refuses file/URL/COPY statements, its CSV and Arrow downloads equal the query result, and it stays
 * responsive at 100,000 rows.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tableFromIPC } from 'apache-arrow';
import { launchBrowser, watchedPage } from './browser';
import { serverQuery } from '../../src/lib/server/release';

const baseUrl = inject('baseUrl') ?? process.env.E2E_BASE_URL!;
const url = (p: string) => new URL(p, baseUrl).href;
const sqlUrl = (q: string, en = false) => url(`${en ? '/en' : ''}/sql/?${new URLSearchParams({ q })}`);

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

interface Distribution {
	'@type': string;
	contentUrl: string;
	identifier?: string;
	encodingFormat: string;
}

describe('research pages', () => {
	for (const p of ['/data/', '/sql/', '/about/', '/en/data/', '/en/sql/', '/en/about/']) {
		it(`${p} renders without console errors or foreign requests`, async () => {
			const ctx = await browser.newContext({ viewport: { width: 375, height: 800 } });
			const { page, errors, foreign } = await watchedPage(ctx, baseUrl);
			const res = await page.goto(url(p), { waitUntil: 'networkidle' });
			expect(res?.status()).toBe(200);
			expect(await page.locator('main h1').first().textContent()).toMatch(/\S/);
			expect(await page.getAttribute('html', 'lang')).toBe(p.startsWith('/en/') ? 'en' : 'zh-CN');
			// Nothing wider than the phone screen (tables scroll inside their own box).
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
			await page.waitForTimeout(300);
			expect(errors).toEqual([]);
			expect(foreign).toEqual([]);
			await ctx.close();
		});
	}

	it('/about/ documents every indicator with its SQL, and the reference sources', async () => {
		const ctx = await browser.newContext({ javaScriptEnabled: false });
		const page = await ctx.newPage();
		await page.goto(url('/en/about/'));
		const ids = await page
			.locator('details[data-indicator]')
			.evaluateAll((els) => els.map((e) => e.getAttribute('data-indicator')));
		expect(ids.length).toBeGreaterThanOrEqual(19);
		expect(ids).toContain('active_rate');
		expect(await page.locator('details[data-indicator] pre.sql').count()).toBe(ids.length);
		expect(await page.locator('#sources tbody tr').count()).toBeGreaterThanOrEqual(4);
		await ctx.close();
	});
});

describe('/data', () => {
	for (const p of ['/data/', '/en/data/']) {
		it(`${p} lists every resource and valid JSON-LD with JavaScript off`, async () => {
			const ctx = await browser.newContext({ javaScriptEnabled: false });
			const page = await ctx.newPage();
			const res = await page.goto(url(p));
			expect(res?.status()).toBe(200);
			// The data package the page was built from.
			const dpHref = await page.locator('a[href$="/datapackage.json"]').first().getAttribute('href');
			const dp = (await (await fetch(url(dpHref!))).json()) as {
				resources: { name: string; path: string; hash?: string; rows?: number }[];
			};
			expect(dp.resources.length).toBeGreaterThan(10);
			for (const r of dp.resources)
				expect(await page.locator(`[data-resource="${r.name}"]`).count(), r.name).toBe(1);
			// Exact row counts for researchers (a compact "8.2万" hid the difference between two releases).
			const counted = dp.resources.filter((r) => typeof r.rows === 'number' && r.rows >= 10_000);
			expect(counted.length).toBeGreaterThan(0);
			for (const r of counted) {
				const cell = page.locator(`[data-resource="${r.name}"] td[data-label]`).nth(2);
				expect((await cell.textContent())?.trim().replace(/,/g, ''), r.name).toBe(String(r.rows));
			}
			// Data dictionary: one entry per table, generated from the package.
			const tables = new Set(
				dp.resources.filter((r) => r.name.endsWith('-parquet')).map((r) => r.name.replace(/-parquet$/, ''))
			);
			for (const t of tables) expect(await page.locator(`details[data-table="${t}"]`).count(), t).toBe(1);
			// JSON-LD: valid JSON, a Dataset naming every resource with its checksum.
			const scripts = await page.locator('script[type="application/ld+json"]').allTextContents();
			expect(scripts).toHaveLength(1);
			const ld = JSON.parse(scripts[0]) as { '@type': string; distribution: Distribution[]; version: string };
			expect(ld['@type']).toBe('Dataset');
			for (const r of dp.resources) {
				const d = ld.distribution.find((x) => x.contentUrl.endsWith(`/${r.path}`));
				expect(d, r.name).toBeDefined();
				expect(d!['@type']).toBe('DataDownload');
				if (r.hash) expect(d!.identifier).toBe(r.hash);
			}
			expect(await page.locator('[data-testid="citation"]').textContent()).toContain(ld.version);
			await ctx.close();
		});
	}

	it('lists the files and releases as cards on a phone: every value and hash on screen, each under its title', async () => {
		for (const width of [375, 1280]) {
			const ctx = await browser.newContext({ viewport: { width, height: 800 }, javaScriptEnabled: false });
			const page = await ctx.newPage();
			await page.goto(url('/en/data/'));
			const layout = await page.$$eval('#files table tbody tr, #releases table tbody tr', (rows) =>
				rows.map((tr) => ({
					display: getComputedStyle(tr).display,
					height: tr.getBoundingClientRect().height,
					right: Math.max(...[...tr.children].map((c) => c.getBoundingClientRect().right)),
					hashRight: tr.querySelector('.hash')?.getBoundingClientRect().right ?? 0,
					// Lines of the hash (the text's line boxes).
					hashLines: (() => {
						const h = tr.querySelector('.hash');
						if (!h) return 0;
						const range = document.createRange();
						range.selectNodeContents(h);
						return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
					})(),
					labels: [...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-label'))
				}))
			);
			expect(layout.length).toBeGreaterThan(10);
			expect(layout.some((r) => r.hashLines > 0)).toBe(true);
			const headers = await page.$$eval('#files thead th', (ths) =>
				ths.slice(1).map((th) => th.textContent?.trim())
			);
			for (const r of layout.filter((x) => x.hashRight > 0)) expect(r.labels).toEqual(headers);
			for (const r of layout) {
				expect(r.display, `${width} px`).toBe(width < 640 ? 'block' : 'table-row');
				if (width < 640) {
					expect(r.right).toBeLessThanOrEqual(width);
					expect(r.hashRight).toBeLessThanOrEqual(width);
					// Was ~300 px a file: a hash one to four characters a line in a squeezed column.
					if (r.hashRight > 0) expect(r.hashLines).toBeLessThanOrEqual(3);
				}
			}
			await ctx.close();
		}
	});

	it("a download's sha256 equals the listed one", async () => {
		const ctx = await browser.newContext({ javaScriptEnabled: false });
		const page = await ctx.newPage();
		await page.goto(url('/data/'));
		const links = page.locator('[data-testid="resources"] a[data-sha256]');
		const n = await links.count();
		expect(n).toBeGreaterThan(10);
		// The CSV and Parquet of a small table, plus datapackage.json.
		const hrefs: [string, string][] = [];
		for (let i = 0; i < n; i++) {
			const href = (await links.nth(i).getAttribute('href'))!;
			const sha = (await links.nth(i).getAttribute('data-sha256'))!;
			if (/ref_districts\.(csv|parquet)$|datapackage\.json$/.test(href)) hrefs.push([href, sha]);
		}
		expect(hrefs.length).toBeGreaterThanOrEqual(2);
		for (const [href, listed] of hrefs) {
			const body = Buffer.from(await (await fetch(url(href))).arrayBuffer());
			expect(createHash('sha256').update(body).digest('hex'), href).toBe(listed);
		}
		await ctx.close();
	});
});

async function runInConsole(page: Page, q: string, en = false): Promise<'done' | 'error'> {
	await page.goto(sqlUrl(q, en));
	await page.waitForSelector('[data-status="done"], [data-status="error"]', { timeout: 90_000 });
	return (await page.getAttribute('[data-testid="status"]', 'data-status')) as 'done' | 'error';
}

describe('/sql console', () => {
	it('runs a query and gives the numbers native DuckDB gives', async () => {
		const ctx = await browser.newContext();
		const { page, errors, foreign } = await watchedPage(ctx, baseUrl);
		const q = 'SELECT category, count(*)::INTEGER AS n FROM activities GROUP BY 1 ORDER BY 1';
		expect(await runInConsole(page, q)).toBe('done');
		const want = await serverQuery(q);
		const table = page.locator('[data-testid="result-table"]');
		expect(Number(await table.getAttribute('data-rows'))).toBe(want.length);
		const firstRow = await page
			.locator('[data-testid="result-table"] [role="row"][aria-rowindex="2"] [role="cell"]')
			.allTextContents();
		expect(firstRow[0]).toBe(String(want[0].category));
		expect(Number(firstRow[1].replace(/,/g, ''))).toBe(want[0].n);
		// The query is in the URL, and a chart is drawn.
		expect(new URL(page.url()).searchParams.get('q')).toBe(q);
		await page.waitForSelector('[data-testid="chart"] svg', { timeout: 30_000 });
		expect(errors).toEqual([]);
		expect(foreign).toEqual([]);
		await ctx.close();
	});

	it('shows an error with its position for a bad query', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		expect(await runInConsole(page, 'SELECT count(*)\nFROM activities\nWHERE nonexistent_column = 1')).toBe(
			'error'
		);
		const text = await page.locator('[data-testid="error"]').textContent();
		expect(text).toMatch(/nonexistent_column/);
		expect(text).toMatch(/第 3 行/);
		await ctx.close();
	});

	it('says where a column the browser leaves out is (the downloads), when a query names it', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		expect(await runInConsole(page, 'SELECT participation_id FROM hours LIMIT 1')).toBe('error');
		const hint = page.locator('[data-testid="error"] [data-testid="downloads-only"]');
		await expect.poll(() => hint.count()).toBe(1);
		expect(await hint.textContent()).toMatch(/hours\.participation_id.*Parquet/);
		// A bad query that names no such column gets no such hint.
		expect(await runInConsole(page, 'SELECT nonexistent_column FROM activities')).toBe('error');
		await expect
			.poll(() => page.locator('[data-testid="error"]').textContent())
			.toMatch(/nonexistent_column/);
		expect(await hint.count()).toBe(0);
		await ctx.close();
	});

	for (const [q, pattern] of [
		["SELECT * FROM read_csv('/etc/passwd')", /read_csv/],
		["SELECT * FROM 'http://example.com/x.parquet'", /http:\/\/example\.com/],
		["COPY hours TO 'x.csv'", /copy/i],
		["SELECT 1; ATTACH 'x.db'", /attach/i]
	] as const) {
		it(`refuses ${q}`, async () => {
			const ctx = await browser.newContext();
			const { page, foreign } = await watchedPage(ctx, baseUrl);
			expect(await runInConsole(page, q, true)).toBe('error');
			expect(await page.locator('[data-testid="error"]').textContent()).toMatch(pattern);
			expect(await page.locator('[data-testid="result-table"]').count()).toBe(0);
			expect(foreign).toEqual([]);
			await ctx.close();
		});
	}

	it('downloads a result as CSV and Arrow equal to the query result', async () => {
		const ctx = await browser.newContext({ acceptDownloads: true });
		const page = await ctx.newPage();
		const q =
			'SELECT district_code, count(*)::INTEGER AS activities, round(avg(rating), 3) AS rating, min(start_at) AS first_start, \'a,"b"\' AS quoted FROM activities GROUP BY 1 ORDER BY 1';
		expect(await runInConsole(page, q)).toBe('done');
		const want = await serverQuery(q);

		const [csvDl] = await Promise.all([
			page.waitForEvent('download'),
			page.click('[data-testid="download-csv"]')
		]);
		const csv = (await readFile((await csvDl.path())!, 'utf8')).replace(/^\ufeff/, '');
		const lines = csv.trimEnd().split('\r\n');
		expect(lines[0]).toBe('district_code,activities,rating,first_start,quoted');
		expect(lines.length - 1).toBe(want.length);
		lines.slice(1).forEach((line, i) => {
			const w = want[i];
			const [code, n, rating, first] = line.split(',');
			expect(code).toBe(String(w.district_code));
			expect(Number(n)).toBe(w.activities);
			expect(rating === '' ? null : Number(rating)).toBe(w.rating);
			expect(first).toBe(String(w.first_start).replace('T', ' ').slice(0, 19));
			expect(line.endsWith(',"a,""b"""')).toBe(true);
		});

		const [arrowDl] = await Promise.all([
			page.waitForEvent('download'),
			page.click('[data-testid="download-arrow"]')
		]);
		const t = tableFromIPC(await readFile((await arrowDl.path())!));
		expect(t.numRows).toBe(want.length);
		expect(t.schema.fields.map((f) => f.name)).toEqual([
			'district_code',
			'activities',
			'rating',
			'first_start',
			'quoted'
		]);
		for (let i = 0; i < t.numRows; i++) {
			expect(t.getChild('district_code')!.get(i)).toBe(want[i].district_code);
			expect(Number(t.getChild('activities')!.get(i))).toBe(want[i].activities);
		}
		await ctx.close();
	});

	it('cancels a long query, and the next query runs at once', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		await page.goto(sqlUrl('SELECT count(*) FROM range(5000000000) t(a) WHERE a % 7 = 3'));
		await page.waitForSelector('[data-status="running"]', { timeout: 90_000 });
		await page.waitForTimeout(500);
		const t0 = Date.now();
		await page.click('[data-testid="cancel"]');
		await page.waitForSelector('[data-status="cancelled"]', { timeout: 5_000 });
		await page.locator('.cm-content').click();
		await page.keyboard.press('ControlOrMeta+A');
		await page.keyboard.type('SELECT 41 + 1 AS answer');
		await page.keyboard.press('ControlOrMeta+Enter');
		await page.waitForSelector('[data-status="done"]', { timeout: 10_000 });
		expect(Date.now() - t0).toBeLessThan(10_000);
		expect(await page.locator('[data-testid="result-table"] [role="cell"]').allTextContents()).toEqual([
			'42'
		]);
		await ctx.close();
	});

	it('stays responsive at 100,000 rows (only visible rows are rendered)', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		expect(
			await runInConsole(page, 'SELECT i, i * 2 AS double_i, md5(i::VARCHAR) AS h FROM range(100000) t(i)')
		).toBe('done');
		const table = page.locator('[data-testid="result-table"]');
		expect(Number(await table.getAttribute('data-rows'))).toBe(100_000);
		expect(await page.locator('[data-testid="result-table"] [role="row"]').count()).toBeLessThan(200);
		// Scroll to the end: the last row appears promptly.
		const t0 = Date.now();
		await page
			.locator('[data-testid="result-table"] .scroller')
			.evaluate((el) => (el.scrollTop = el.scrollHeight));
		await page.waitForSelector('[role="row"][aria-rowindex="100001"]', { timeout: 5_000 });
		expect(Date.now() - t0).toBeLessThan(5_000);
		expect(await page.locator('[data-testid="result-table"] [role="row"]').count()).toBeLessThan(200);
		await ctx.close();
	});
});
