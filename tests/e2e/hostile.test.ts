/**
 * Hostile content against the built site (see global-setup.ts). The release's Arrow files are rewritten on the
 * way to the browser (page.route) so that street and district names, activity titles, team and station names
 * and training topics hold HTML, script, template syntax, spreadsheet formulas, a 5,000-character word,
 * right-to-left override, Arabic and Hebrew; the manifest is patched with their new sizes and SHA-256. Every
 * panel that reads those fields live (district page street table, districts table, map coverage gaps, SQL
 * console table and chart) must show them as literal text: no dialog, no element created from the payload,
 * no layout wider than a 375 px phone, and the panel's CSV download guards formula-like cells.
 *
 * Not covered here: the prerendered HTML (the names there come from the release built at site build time,
 * which would need its own hostile site build; Svelte escapes text at prerender the same way as at runtime)
 * and the release's own CSV files (pipeline side).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import { launchBrowser, watchedPage, withoutAnswers } from './browser';

const baseUrl = inject('baseUrl') ?? process.env.E2E_BASE_URL!;
const url = (p: string) => new URL(p, baseUrl).href;

const LONG = 'W'.repeat(5000);
const PAYLOADS = [
	'<img src=x onerror=alert(1)>',
	'<script>alert(1)</script>',
	'{{7*7}}',
	'=HYPERLINK("http://x")',
	LONG,
	'\u202Eabc',
	'مرحبا بالعالم',
	'שלום עולם',
	'+cmd|x!A1',
	'@SUM(1)'
];
/** Text columns rewritten per table. */
const HOSTILE: Record<string, string[]> = {
	ref_streets: ['name_zh'],
	ref_communities: ['name_zh'],
	ref_districts: ['name_zh', 'name_en'],
	activities: ['title'],
	teams: ['name'],
	stations: ['name'],
	trainings: ['topic']
};

function hostileArrow(bytes: Uint8Array, columns: string[]): Uint8Array {
	const t = tableFromIPC(bytes);
	const children: Record<string, Vector> = {};
	for (const f of t.schema.fields) {
		const v = t.getChild(f.name)!;
		children[f.name] = columns.includes(f.name)
			? vectorFromArray(
					[...v].map((x, i) => (x === null ? null : PAYLOADS[i % PAYLOADS.length])),
					new Utf8()
				)
			: v;
	}
	return tableToIPC(new Table(children), 'stream');
}

/** Route the manifest and the hostile tables' files; returns nothing, state lives in the closure. */
async function serveHostile(ctx: BrowserContext): Promise<void> {
	const files = new Map<string, Buffer>();
	await ctx.route('**/browser/manifest.json', async (route: Route) => {
		const res = await route.fetch();
		const m = (await res.json()) as {
			tables: Record<string, { file: string; bytes: number; sha256?: string }>;
		};
		for (const [name, cols] of Object.entries(HOSTILE)) {
			const e = m.tables[name];
			const original = new Uint8Array(
				await (await fetch(new URL(e.file, route.request().url()))).arrayBuffer()
			);
			const body = Buffer.from(hostileArrow(original, cols));
			files.set(e.file, body);
			e.bytes = body.length;
			e.sha256 = createHash('sha256').update(body).digest('hex');
		}
		await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(m) });
	});
	await ctx.route('**/browser/*.arrow', async (route: Route) => {
		const name = new URL(route.request().url()).pathname.split('/').pop()!;
		const body = files.get(name);
		if (body) await route.fulfill({ status: 200, contentType: 'application/vnd.apache.arrow.stream', body });
		else await route.continue();
	});
}

interface Watched {
	page: Page;
	dialogs: string[];
	errors: string[];
	foreign: string[];
}

async function hostilePage(ctx: BrowserContext): Promise<Watched> {
	await serveHostile(ctx);
	// The panels must read the patched files, not prerendered answers computed from the real release.
	await withoutAnswers(ctx);
	const w = await watchedPage(ctx, baseUrl);
	const dialogs: string[] = [];
	w.page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});
	return { ...w, dialogs };
}

/** Nothing ran or got created from the payloads, the text is literal, and nothing is wider than the phone. */
async function expectInert(w: Watched, where: string, mustShow: string[]): Promise<void> {
	const { page } = w;
	await page.waitForTimeout(300);
	expect(w.dialogs, where).toEqual([]);
	const dom = await page.evaluate(() => ({
		imgX: document.querySelectorAll('img[src="x"], img[src$="/x"]').length,
		onerror: document.querySelectorAll('[onerror]').length,
		scripts: [...document.scripts].filter((s) => /alert\(1\)/.test(s.textContent ?? '')).length,
		text: document.querySelector('main')?.textContent ?? '',
		width: document.documentElement.scrollWidth
	}));
	expect(dom.imgX, where).toBe(0);
	expect(dom.onerror, where).toBe(0);
	expect(dom.scripts, where).toBe(0);
	for (const s of mustShow) expect(dom.text, `${where}: ${s.slice(0, 30)}`).toContain(s);
	expect(dom.width, where).toBeLessThanOrEqual(375);
	expect(w.foreign, where).toEqual([]);
}

const idle = (page: Page, panel: string) =>
	page.waitForFunction(
		(id) =>
			document.querySelector(id)?.getAttribute('aria-busy') === 'false' &&
			!document.querySelector(`${id} [role="alert"]`),
		panel,
		{ timeout: 90_000 }
	);

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

const PHONE = { viewport: { width: 375, height: 800 }, acceptDownloads: true };

describe('hostile text in live panels', () => {
	it('district page: street names in the table are literal text, and its CSV guards formulas', async () => {
		const ctx = await browser.newContext(PHONE);
		const w = await hostilePage(ctx);
		await w.page.goto(url('/districts/440104/'), { waitUntil: 'networkidle' });
		await w.page.selectOption('select[name="category"]', 'health');
		await w.page.waitForURL(/category=health/);
		await idle(w.page, '#streets');
		const cells = await w.page.locator('#streets tbody th, #streets tbody td').allTextContents();
		const shown = PAYLOADS.filter((p) => cells.some((c) => c.includes(p)));
		expect(shown.length).toBeGreaterThanOrEqual(5);
		await expectInert(w, '/districts/440104/', shown);

		const [dl] = await Promise.all([
			w.page.waitForEvent('download'),
			w.page.click('#streets .actions button')
		]);
		const csv = await readFile((await dl.path())!, 'utf8');
		expect(csv).not.toMatch(/(^|,)"?[=+@]/m);
		if (shown.includes('=HYPERLINK("http://x")')) expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
		expect(csv).toContain('<img src=x onerror=alert(1)>');
		expect(w.errors).toEqual([]);
		await ctx.close();
	});

	it('districts table (en) and map coverage gaps (zh): names are literal text', async () => {
		const ctx = await browser.newContext(PHONE);
		const w = await hostilePage(ctx);
		await w.page.goto(url('/en/districts/'), { waitUntil: 'networkidle' });
		await w.page.selectOption('select[name="category"]', 'health');
		await w.page.waitForURL(/category=health/);
		await idle(w.page, '#districts');
		await expectInert(w, '/en/districts/', ['<img src=x onerror=alert(1)>', '<script>alert(1)</script>']);

		await w.page.goto(url('/map/'), { waitUntil: 'networkidle' });
		// Another year: the gaps panel asks the engine (the gaps ignore the category filter).
		const current = await w.page.inputValue('select[name="year"]');
		const years = await w.page
			.locator('select[name="year"] option')
			.evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
		await w.page.selectOption(
			'select[name="year"]',
			years.find((y) => y !== current)!
		);
		await w.page.waitForURL(/year=/);
		await idle(w.page, '#gaps');
		const gaps = (await w.page.locator('#gaps').textContent())!;
		expect(PAYLOADS.filter((p) => gaps.includes(p)).length).toBeGreaterThanOrEqual(3);
		await expectInert(w, '/map/', []);
		expect(w.errors).toEqual([]);
		await ctx.close();
	});

	it('SQL console: titles, team and station names, topics in the table and chart are literal text', async () => {
		const ctx = await browser.newContext(PHONE);
		const w = await hostilePage(ctx);
		const q =
			'SELECT a.title, t.name AS team, s.name AS station FROM activities a LEFT JOIN teams t USING (team_id) LEFT JOIN stations s USING (station_id) ORDER BY a.activity_id LIMIT 30';
		await w.page.goto(url(`/sql/?${new URLSearchParams({ q })}`));
		await w.page.waitForSelector('[data-status="done"]', { timeout: 90_000 });
		await expectInert(w, '/sql/ table', [
			'<img src=x onerror=alert(1)>',
			'{{7*7}}',
			'\u202Eabc',
			'שלום עולם'
		]);

		const q2 = 'SELECT topic, count(*)::INTEGER AS n FROM trainings GROUP BY 1 ORDER BY 1';
		await w.page.goto(url(`/en/sql/?${new URLSearchParams({ q: q2 })}`));
		await w.page.waitForSelector('[data-status="done"]', { timeout: 90_000 });
		await w.page.waitForTimeout(500);
		await expectInert(w, '/en/sql/ chart', ['<script>alert(1)</script>', 'مرحبا بالعالم']);
		// Chart labels and tooltips are SVG text nodes, not markup.
		const svgText = await w.page.evaluate(() =>
			[...document.querySelectorAll('main svg text, main svg title')].map((e) => e.textContent).join('\n')
		);
		if (svgText.includes('<')) expect(svgText).toMatch(/<(img|script)/);
		expect(
			await w.page.evaluate(
				() => document.querySelectorAll('main svg img, main svg script, main svg foreignObject').length
			)
		).toBe(0);
		expect(w.errors).toEqual([]);
		await ctx.close();
	});
});
