/**
 * Browser tests against the built site (see global-setup.ts): every page renders without console errors and
 * without requests to another origin; headline figures are prerendered (JavaScript off); the language switch
 * works; a filter change gives the numbers native DuckDB computes for that filter; URL state round-trips.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, watchedPage, withoutAnswers } from './browser';
import { areaTableSql, headlineSql, trendSql } from '../../src/lib/charts/queries';
import { PALETTE } from '../../src/lib/map/classes';
import { defaultFilters, periodBounds } from '../../src/lib/components/filters';
import { latestRelease, serverQuery } from '../../src/lib/server/release';
import { indicatorRowsSql } from '../../src/lib/indicators/sql';
import { regionConfig } from '../../src/lib/config';

const baseUrl = inject('baseUrl') ?? process.env.E2E_BASE_URL!;
const url = (p: string) => new URL(p, baseUrl).href;
const PAGES = ['/', '/map/', '/categories/', '/assessment/', '/districts/', '/districts/440106/'];
const FIGURES = [
	'registered',
	'active',
	'teams',
	'stations',
	'activities',
	'hours',
	'person_times',
	'wishes'
];

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

/**
 * Open the overview, choose a district, wait for the headline to change and check its figures against native
 * DuckDB on the raw tables. Returns the figure shown before and the native row.
 */
async function districtFromOverview(page: Page, district: string, timeout: number) {
	await page.goto(url('/'), { waitUntil: 'networkidle' });
	const before = await page.getAttribute('[data-figure="activities"]', 'data-value');
	await page.selectOption('select[name="district"]', district);
	await page.waitForFunction(
		(b) =>
			document.querySelector('#headline')?.getAttribute('aria-busy') === 'false' &&
			document.querySelector('[data-figure="activities"]')?.getAttribute('data-value') !== b,
		before,
		{ timeout }
	);
	const f = { ...defaultFilters(latestRelease().data_as_of), district };
	const native = (await serverQuery(headlineSql(f))).find((r) => r.period === 'cur')!;
	const shown = async (k: string) => Number(await page.getAttribute(`[data-figure="${k}"]`, 'data-value'));
	for (const k of ['registered', 'active', 'activities', 'person_times', 'wishes'])
		expect(await shown(k), k).toBe(native[k]);
	expect(await shown('hours')).toBeCloseTo(Number(native.hours), 6);
	return { before, native };
}

describe('every page', () => {
	for (const p of [...PAGES, ...PAGES.map((x) => `/en${x}`)]) {
		it(`${p} renders without console errors or foreign requests`, async () => {
			const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
			const { page, errors, foreign } = await watchedPage(ctx, baseUrl);
			const res = await page.goto(url(p), { waitUntil: 'networkidle' });
			expect(res?.status()).toBe(200);
			await expect(page.locator('main h1').first().textContent()).resolves.toMatch(/\S/);
			expect(await page.getAttribute('html', 'lang')).toBe(p.startsWith('/en/') ? 'en' : 'zh-CN');
			// Data-as-of and the objection link are on every page.
			expect(await page.locator('[data-as-of]').count()).toBe(1);
			expect(await page.locator('a[data-objection]').count()).toBe(1);
			await page.waitForTimeout(300);
			expect(errors).toEqual([]);
			expect(foreign).toEqual([]);
			await ctx.close();
		});
	}
});

describe('prerendered figures', () => {
	it('shows the headline figures with JavaScript disabled', async () => {
		const ctx = await browser.newContext({ javaScriptEnabled: false });
		const page = await ctx.newPage();
		await page.goto(url('/'));
		for (const f of FIGURES) {
			const el = page.locator(`[data-figure="${f}"]`).first();
			const v = await el.getAttribute('data-value');
			expect(v, f).not.toBeNull();
			expect(Number.isFinite(Number(v)), f).toBe(true);
		}
		const expected = (await serverQuery(headlineSql(defaultFilters(latestRelease().data_as_of)))).find(
			(r) => r.period === 'cur'
		)!;
		expect(Number(await page.getAttribute('[data-figure="activities"]', 'data-value'))).toBe(
			expected.activities
		);
		expect(Number(await page.getAttribute('[data-figure="hours"]', 'data-value'))).toBeCloseTo(
			Number(expected.hours),
			6
		);
		await ctx.close();
	});
});

describe('overview map', () => {
	it('names every district, has a legend and a table of the values its colours show, without JavaScript', async () => {
		const ctx = await browser.newContext({
			javaScriptEnabled: false,
			viewport: { width: 1280, height: 900 }
		});
		const page = await ctx.newPage();
		// Independently: the raw tables (not the pre-aggregates the page reads), natively.
		const native = (
			await serverQuery(areaTableSql(defaultFilters(latestRelease().data_as_of), 'district'))
		).map((r) => ({
			code: String(r.code),
			name_zh: String(r.name_zh),
			name_en: String(r.name_en),
			per1k: (Number(r.hours) / Number(r.population)) * 1000
		}));
		expect(native.length).toBeGreaterThan(5);
		for (const [p, nameKey] of [
			['/', 'name_zh'],
			['/en/', 'name_en']
		] as const) {
			await page.goto(url(p));
			const panel = page.locator('#map-thumb');
			// Every district's name, none over another (as the browser lays them out), the smallest ones with a line.
			const names = await panel.locator('svg text.lbl').evaluateAll((ts) =>
				ts.map((t) => {
					const r = t.getBoundingClientRect();
					return { text: t.textContent, l: r.left, r: r.right, t: r.top, b: r.bottom };
				})
			);
			expect(names.map((n) => n.text).sort(), p).toEqual(native.map((r) => r[nameKey]).sort());
			for (const [i, a] of names.entries())
				for (const b of names.slice(i + 1))
					expect(a.r <= b.l || b.r <= a.l || a.b <= b.t || b.b <= a.t, `${a.text} / ${b.text}`).toBe(true);
			expect(await panel.locator('svg g.leader line:not(.halo)').count(), p).toBeGreaterThan(0);
			// The table: each district's value per 1,000 residents, from the highest down.
			const cells = await panel.locator('td[data-figure="hours_per_1k"]').evaluateAll((tds) =>
				tds.map((td) => ({
					area: td.getAttribute('data-area'),
					value: Number(td.getAttribute('data-value'))
				}))
			);
			const expected = [...native].sort((a, b) => b.per1k - a.per1k);
			expect(
				cells.map((c) => c.area),
				p
			).toEqual(expected.map((r) => r.code));
			cells.forEach((c, i) => expect(c.value, String(c.area)).toBeCloseTo(expected[i].per1k, 6));
			// The colours: from the table's order, each district's class is never darker than the one above it, and
			// every colour on the map is one of the legend's.
			const legend = await panel
				.locator('.legend svg rect')
				.evaluateAll((rs) => rs.map((r) => r.getAttribute('fill')));
			expect(legend.length, p).toBeGreaterThan(1);
			const fills: string[] = [];
			for (const c of cells) {
				const fill = await panel
					.locator(`svg.thumb a[href$="/districts/${c.area}/"] path`)
					.getAttribute('fill');
				expect(legend, `${c.area} ${fill}`).toContain(fill);
				fills.push(fill!);
			}
			const shade = fills.map((f) => PALETTE.indexOf(f));
			shade.slice(1).forEach((s, i) => expect(s, cells[i + 1].area!).toBeLessThanOrEqual(shade[i]));
			expect(shade[0]).toBeGreaterThan(shade[shade.length - 1]);
		}
		await ctx.close();
	});
});

describe('map page', () => {
	it('counts the coverage gaps of each district as the raw tables give them, without JavaScript', async () => {
		const ctx = await browser.newContext({
			javaScriptEnabled: false,
			viewport: { width: 1280, height: 900 }
		});
		const page = await ctx.newPage();
		const { start, end } = periodBounds(defaultFilters(latestRelease().data_as_of));
		// Independently of the page's SQL: DOMAIN.md's gaps, a team of the community held an activity in the period,
		// a station of the street open at its end.
		const held =
			await serverQuery(`SELECT DISTINCT t.community_code FROM teams t JOIN activities a USING (team_id)
			WHERE a.start_at >= TIMESTAMP '${start}' AND a.start_at < TIMESTAMP '${end}' AND t.community_code IS NOT NULL`);
		const open = await serverQuery(`SELECT DISTINCT street_code FROM stations
			WHERE opened_on < DATE '${end}' AND (closed_on IS NULL OR closed_on >= DATE '${end}')`);
		const heldSet = new Set(held.map((r) => String(r.community_code)));
		const openSet = new Set(open.map((r) => String(r.street_code)));
		const communities = await serverQuery('SELECT community_code, district_code FROM ref_communities');
		const streets = await serverQuery('SELECT street_code, district_code FROM ref_streets');
		const count = (rows: typeof communities, key: string, covered: Set<string>) => {
			const out = new Map<string, { all: number; gaps: number }>();
			for (const r of rows) {
				const d = out.get(String(r.district_code)) ?? { all: 0, gaps: 0 };
				d.all++;
				if (!covered.has(String(r[key]))) d.gaps++;
				out.set(String(r.district_code), d);
			}
			return out;
		};
		const byCommunity = count(communities, 'community_code', heldSet);
		const byStreet = count(streets, 'street_code', openSet);
		const totalGaps = [...byCommunity.values()].reduce((n, d) => n + d.gaps, 0);
		expect(totalGaps).toBeGreaterThan(0);
		for (const [p, locale] of [
			['/map/', 'zh-CN'],
			['/en/map/', 'en']
		] as const) {
			await page.goto(url(p));
			const rows = await page.locator('#gap-summary tbody tr').evaluateAll((trs) =>
				trs.map((tr) => {
					const href = tr.querySelector('a')?.getAttribute('href') ?? '';
					return {
						code: /districts\/(\d+)\//.exec(href)?.[1] ?? '',
						cells: [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')
					};
				})
			);
			expect(rows.length, p).toBe(byCommunity.size);
			const nf = new Intl.NumberFormat(locale);
			let lastShare = Infinity;
			for (const r of rows) {
				const c = byCommunity.get(r.code)!;
				const st = byStreet.get(r.code) ?? { all: 0, gaps: 0 };
				expect(r.cells[0], `${p} ${r.code} streets`).toBe(`${nf.format(st.gaps)} / ${nf.format(st.all)}`);
				expect(r.cells[1], `${p} ${r.code} communities`).toBe(`${nf.format(c.gaps)} / ${nf.format(c.all)}`);
				// From the largest share of communities with no active team down.
				const share = c.gaps / c.all;
				expect(share, `${p} ${r.code} order`).toBeLessThanOrEqual(lastShare);
				lastShare = share;
			}
			// The lists' totals agree with the counts.
			expect(Number(await page.getAttribute('[data-figure="gaps_community"]', 'data-value'))).toBe(totalGaps);
		}
		await ctx.close();
	});
});

describe('language switch', () => {
	it('goes from Chinese to English and back, keeping the page', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		await page.goto(url('/map/'), { waitUntil: 'networkidle' });
		await page.click('a.lang');
		await page.waitForURL(/\/en\/map\/$/);
		expect(await page.getAttribute('html', 'lang')).toBe('en');
		await expect(page.locator('main h1').first().textContent()).resolves.toMatch(/map/i);
		await page.click('a.lang');
		await page.waitForURL((u) => u.pathname === '/map/');
		expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
		await ctx.close();
	});
});

describe('filters', () => {
	it('a district filter gives the numbers native DuckDB computes, and the URL round-trips', async () => {
		const ctx = await browser.newContext();
		const { page, errors } = await watchedPage(ctx, baseUrl);
		const { before, native } = await districtFromOverview(page, '440106', 90_000);
		await page.waitForURL(/district=440106/);

		// Back goes to the unfiltered view, forward to the filtered one.
		const filtered = page.url();
		const activitiesIs = (v: string) =>
			page.waitForFunction(
				(x) =>
					document.querySelector('#headline')?.getAttribute('aria-busy') === 'false' &&
					document.querySelector('[data-figure="activities"]')?.getAttribute('data-value') === x,
				v,
				{ timeout: 60_000 }
			);
		await page.goBack();
		await activitiesIs(before!);
		expect(new URL(page.url()).search).toBe('');
		await page.goForward();
		await activitiesIs(String(native.activities));

		// The URL holds the state: loading it afresh shows the same numbers and the same filter.
		await page.goto(filtered, { waitUntil: 'networkidle' });
		await activitiesIs(String(native.activities));
		expect(await page.inputValue('select[name="district"]')).toBe('440106');
		expect(errors).toEqual([]);
		await ctx.close();
	});
});

describe('prerendered answers', () => {
	it('answer the first district change without the WebAssembly engine, with the numbers native DuckDB computes', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		const wasm: string[] = [];
		const answers: string[] = [];
		// No engine at all: its module never arrives.
		await ctx.route('**/*.wasm', (r) => {
			wasm.push(r.request().url());
			return r.abort();
		});
		page.on('request', (r) => {
			if (r.url().includes('/answers/')) answers.push(new URL(r.url()).pathname);
		});
		await districtFromOverview(page, '440106', 30_000);
		expect(answers).toContain('/answers/index.json');
		expect(answers).toContain('/answers/overview.district-440106.json');
		// The engine was tried (it starts after the first paint) and could not start: the answer did not need it.
		expect(wasm.length).toBeGreaterThan(0);
		expect(await page.getAttribute('html', 'data-engine')).not.toBe('ready');
		// A change no answer was prepared for (two changes away) needs the engine, and says it failed.
		await page.selectOption('select[name="category"]', { index: 1 });
		await page.waitForSelector('#headline .state.error', { timeout: 60_000 });
		await ctx.close();
	});
});

describe('tables behind the charts', () => {
	it('a closed table leaves the page once its rows change and shows the current rows when opened', async () => {
		const ctx = await browser.newContext();
		const { page, errors } = await watchedPage(ctx, baseUrl);
		const table = '#trend details.table-alt table';
		const bodyText = () => page.locator(`${table} tbody`).innerText();
		await page.goto(url('/'), { waitUntil: 'networkidle' });
		// Prerendered (readers without JavaScript get it): there before any change, closed.
		expect(await page.locator('#trend details.table-alt').getAttribute('open')).toBeNull();
		const prerendered = await bodyText();
		await page.selectOption('select[name="district"]', '440106');
		await page.waitForURL(/district=440106/);
		await page.waitForFunction(
			() =>
				document.querySelector('#trend')?.getAttribute('aria-busy') === 'false' &&
				document.querySelector('#trend details.table-alt table') === null,
			undefined,
			{ timeout: 90_000 }
		);
		await page.click('#trend details.table-alt > summary');
		const changed = await bodyText();
		expect(changed).not.toBe(prerendered);
		// One row per month of the period, as native DuckDB counts them for the district.
		const f = { ...defaultFilters(latestRelease().data_as_of), district: '440106' };
		const months = await serverQuery(trendSql(f));
		expect(await page.locator(`${table} tbody tr`).count()).toBe(months.length);
		// The same rows as the page opened afresh at that state.
		await page.goto(url('/?district=440106'), { waitUntil: 'networkidle' });
		await page.waitForFunction(
			() => document.querySelector('#trend details.table-alt table') === null,
			undefined,
			{
				timeout: 90_000
			}
		);
		await page.click('#trend details.table-alt > summary');
		expect(await bodyText()).toBe(changed);
		expect(errors).toEqual([]);
		await ctx.close();
	});
});

describe('navigation on a phone', () => {
	it('shows every link of the site navigation on screen, in both languages', async () => {
		const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
		const page = await ctx.newPage();
		for (const p of ['/data/', '/en/data/']) {
			await page.goto(url(p));
			const links = await page.$$eval('nav ul a', (as) =>
				as.map((a) => {
					const r = a.getBoundingClientRect();
					return {
						text: a.textContent?.trim(),
						left: r.left,
						right: r.right,
						current: a.getAttribute('aria-current')
					};
				})
			);
			expect(links.length, p).toBeGreaterThanOrEqual(8);
			for (const l of links) {
				expect(l.left, `${p} ${l.text}`).toBeGreaterThanOrEqual(0);
				expect(l.right, `${p} ${l.text}`).toBeLessThanOrEqual(360);
			}
			// The page's own link (the last ones were off screen before) is among them.
			expect(links.filter((l) => l.current === 'page').length).toBe(1);
		}
		await ctx.close();
	});
});

describe('measures', () => {
	it("the overview's measure buttons sit in the trend panel they switch, and the choice round-trips in the URL", async () => {
		const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
		const { page, errors } = await watchedPage(ctx, baseUrl);
		await page.goto(url('/en/'), { waitUntil: 'load' });
		await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
		const group = page.getByRole('group', { name: 'Measure' });
		expect(await group.count()).toBe(1);
		// On a phone the panels are one column: the buttons are inside the trend panel, above its chart.
		const [inTrend, above] = await group.evaluate((g) => {
			const trend = document.getElementById('trend')!;
			const plot = trend.querySelector('.plot')!.getBoundingClientRect();
			return [trend.contains(g), g.getBoundingClientRect().bottom <= plot.top];
		});
		expect(inTrend).toBe(true);
		expect(above).toBe(true);
		const pressed = () =>
			group.locator('button[aria-pressed="true"]').evaluateAll((b) => b.map((x) => x.textContent?.trim()));
		expect(await pressed()).toEqual(['Activities']);
		const yLabel = () => page.locator('#trend .plot svg').first().textContent();
		await expect.poll(yLabel).toContain('Activities');
		await group.getByRole('button', { name: 'Service hours' }).click();
		await page.waitForURL(/[?&]m=hours/);
		expect(await pressed()).toEqual(['Service hours']);
		await expect.poll(yLabel).toContain('Service hours');
		// Opened afresh with the choice in the URL.
		await page.goto(url('/en/?m=person_times'), { waitUntil: 'load' });
		await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
		expect(await pressed()).toEqual(['Person-times']);
		await expect.poll(yLabel).toContain('Person-times');
		expect(errors).toEqual([]);
		await ctx.close();
	});
});

describe('failures', () => {
	it('a file that fails to load shows an error with a retry in its panel, and the retry recovers', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		await ctx.route('**/browser/*.arrow', (r) => r.abort());
		// Two changes from the starting view (a district, then a category): no prerendered answer, the engine
		// must load its files.
		await page.goto(url('/?district=440106'), { waitUntil: 'networkidle' });
		await page.selectOption('select[name="category"]', 'health');
		const alert = page.locator('#headline [role="alert"]');
		await alert.waitFor({ timeout: 60_000 });
		expect(await alert.textContent()).toMatch(/\S/);
		// The rest of the page is still there (never a blank page).
		expect(await page.locator('main h1').count()).toBe(1);
		await ctx.unroute('**/browser/*.arrow');
		await alert.locator('button').click();
		await page.waitForFunction(
			() =>
				document.querySelector('#headline')?.getAttribute('aria-busy') === 'false' &&
				document.querySelector('[data-figure="activities"]') !== null,
			null,
			{ timeout: 60_000 }
		);
		await ctx.close();
	});
});

describe('assessment', () => {
	it('indicator values for another year match native DuckDB on the same indicator SQL', async () => {
		const ctx = await browser.newContext();
		const { page, errors } = await watchedPage(ctx, baseUrl);
		const year = Number(latestRelease().data_as_of.slice(0, 4)) - 2;
		await page.goto(url(`/assessment/?year=${year}`), { waitUntil: 'networkidle' });
		await page.waitForFunction(
			() => document.querySelector('#assessment')?.getAttribute('aria-busy') === 'false',
			null,
			{
				timeout: 90_000
			}
		);
		const native = await serverQuery(
			indicatorRowsSql({ region: regionConfig(), level: ['city', 'district'], years: [year] })
		);
		let compared = 0;
		// Not people-based ones: the published table counts volunteers whose place the release later withheld.
		for (const id of ['person_times_per_1k', 'hours_per_1k', 'ledger_complete', 'street_station_coverage']) {
			for (const code of ['440106', '440111']) {
				const cell = page.locator(`#assessment [data-indicator="${id}"][data-area="${code}"]`);
				const n = native.find((r) => r.indicator_id === id && r.area_code === code);
				if ((await cell.getAttribute('data-suppressed')) === 'true' || !n || n.value === null) continue;
				expect(Number(await cell.getAttribute('data-value')), `${id} ${code}`).toBeCloseTo(
					Number(n.value),
					9
				);
				compared++;
			}
		}
		expect(compared).toBeGreaterThan(3);
		expect(errors).toEqual([]);
		await ctx.close();
	});

	it('keeps the areas and title of the table with its figures until the answer for a new district comes', async () => {
		const ctx = await browser.newContext();
		// No prerendered answer: the district's street table comes from the engine, held back here until released.
		await withoutAnswers(ctx);
		const { page, errors } = await watchedPage(ctx, baseUrl);
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		await page.route('**/browser/agg_indicators_street.*.arrow', async (r) => {
			await held;
			await r.continue().catch(() => {});
		});
		await page.goto(url('/assessment/'), { waitUntil: 'load' });
		await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
		const title = page.locator('#assessment-title');
		const areas = () =>
			page.$$eval('#assessment td[data-composite]', (els) =>
				els.map((e) => e.getAttribute('data-composite')!)
			);
		const districtTitle = await title.textContent();
		const districts = await areas();
		expect(districts.length).toBeGreaterThan(1);
		const code = districts[0];
		const name = (await page
			.locator(`select[name="district"] option[value="${code}"]`)
			.textContent())!.trim();
		await page.selectOption('select[name="district"]', code);
		await page.waitForURL(new RegExp(`district=${code}`));
		await page.waitForFunction(
			() => document.querySelector('#assessment')?.getAttribute('aria-busy') === 'true'
		);
		// While the answer is on its way the table still lists the districts, under its district-level title.
		expect(await title.textContent()).toBe(districtTitle);
		expect(await areas()).toEqual(districts);
		release();
		await page.waitForFunction(
			() => document.querySelector('#assessment')?.getAttribute('aria-busy') === 'false',
			null,
			{ timeout: 60_000 }
		);
		// Then the district's streets, under a title that names the district, with their figures.
		const streets = await areas();
		expect(streets.length).toBeGreaterThan(0);
		for (const s of streets) expect(s.startsWith(code)).toBe(true);
		expect(await title.textContent()).toContain(name);
		expect(await page.locator(`#assessment td[data-area^="${code}"][data-value]`).count()).toBeGreaterThan(0);
		expect(errors).toEqual([]);
		await ctx.close();
	});

	it('tells a phone visitor that the table scrolls sideways, and only then', async () => {
		for (const [width, shown] of [
			[390, true],
			[1280, false]
		] as const) {
			const ctx = await browser.newContext({ viewport: { width, height: 844 } });
			const { page, errors } = await watchedPage(ctx, baseUrl);
			await page.goto(url('/en/assessment/'), { waitUntil: 'load' });
			const hint = page.locator('#assessment .scroll-hint');
			expect(await hint.isVisible(), `${width} px`).toBe(shown);
			if (shown) {
				expect(await hint.textContent()).toMatch(/sideways/);
				// The hint is true: the indicator columns are off screen until the table is scrolled.
				const wrap = page.locator('#assessment .table-wrap');
				expect(await wrap.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
				// Scrolled to the last indicator, each row still shows its area's name at the left edge.
				const edges = await wrap.evaluate((e) => {
					e.scrollLeft = e.scrollWidth;
					const left = e.getBoundingClientRect().left;
					return [...e.querySelectorAll('tbody th')].map((th) => th.getBoundingClientRect().left - left);
				});
				expect(edges.length).toBeGreaterThan(1);
				for (const x of edges) expect(Math.abs(x)).toBeLessThan(1);
			}
			expect(errors).toEqual([]);
			await ctx.close();
		}
	});

	it("keeps a phone's chart labels inside their chart and a table's figures on screen", async () => {
		const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
		const { page, errors } = await watchedPage(ctx, baseUrl);
		// English has the longest category names ("Large public-welfare events").
		await page.goto(url('/en/districts/440106/'), { waitUntil: 'load' });
		await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
		// Charts off screen are drawn as they come near it.
		await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
		await page.waitForFunction(() =>
			[...document.querySelectorAll('svg [aria-label="y-axis tick label"] text')].some((t) =>
				t.textContent?.startsWith('Large public')
			)
		);
		const labels = await page.$$eval('svg [aria-label="y-axis tick label"] text', (texts) =>
			texts.map((t) => {
				const svg = t.closest('svg')!.getBoundingClientRect();
				const r = t.getBoundingClientRect();
				// The label as drawn (a clipped label carries its full text in a <title>).
				const drawn = [...t.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE);
				return { text: drawn.map((n) => n.textContent).join(''), left: r.left - svg.left };
			})
		);
		expect(labels.some((l) => l.text.endsWith('…'))).toBe(true);
		for (const l of labels) expect(l.left, l.text).toBeGreaterThanOrEqual(-0.5);
		// The indicator table: each indicator's verdict (pass / fail / none) is on screen beside the district's value.
		const verdicts = await page.$$eval('#indicators td[data-indicator] + td', (cells) =>
			cells.map((c) => {
				const range = document.createRange();
				range.selectNodeContents(c);
				// One line each (line boxes of the text: CJK would otherwise break "✗ 未达标" anywhere).
				const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
				return { text: c.textContent?.trim() ?? '', right: c.getBoundingClientRect().right, lines };
			})
		);
		expect(verdicts.length).toBe(19);
		expect(verdicts.some((v) => v.text.startsWith('✓') || v.text.startsWith('✗'))).toBe(true);
		for (const v of verdicts) {
			expect(v.text).toMatch(/^(✓ Met|✗ Not met|–)$/);
			expect(v.right).toBeLessThanOrEqual(390);
			expect(v.lines, v.text).toBe(1);
		}
		// The map's district table with a long indicator name: the figures are on screen without scrolling.
		await page.goto(url('/en/map/?ind=hours_per_active'), { waitUntil: 'load' });
		const cell = page.locator('td[data-indicator="hours_per_active"]').first();
		await cell.scrollIntoViewIfNeeded();
		const box = (await cell.boundingBox())!;
		expect(box.x + box.width).toBeLessThanOrEqual(390);
		expect(await cell.textContent()).toMatch(/^\d+\.\d$/);
		expect(errors).toEqual([]);
		await ctx.close();
	});

	it("shows a district's indicators as cards on a phone, and a wide table as a labelled scrolling box", async () => {
		for (const width of [390, 1280]) {
			const ctx = await browser.newContext({ viewport: { width, height: 844 } });
			const { page, errors } = await watchedPage(ctx, baseUrl);
			await page.goto(url('/en/districts/440106/'), { waitUntil: 'load' });
			await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
			const ind = page.locator('#indicators .table-wrap');
			await ind.scrollIntoViewIfNeeded();
			const cards = await ind.evaluate((wrap) => ({
				overflow: wrap.scrollWidth - wrap.clientWidth,
				rowDisplay: getComputedStyle(wrap.querySelector('tbody tr')!).display,
				headVisible: wrap.querySelector('thead')!.getBoundingClientRect().height > 2,
				cells: [...wrap.querySelectorAll('tbody td')].map((td) => {
					const r = td.getBoundingClientRect();
					return { left: r.left, right: r.right, label: td.getAttribute('data-label') };
				}),
				headers: [...wrap.querySelectorAll('thead th')].map((th) => th.textContent?.trim())
			}));
			// 19 indicators × district, verdict, city, target.
			expect(cards.cells.length).toBe(19 * 4);
			expect(cards.overflow, `${width} px`).toBeLessThanOrEqual(0);
			for (const c of cards.cells) {
				expect(c.left).toBeGreaterThanOrEqual(0);
				expect(c.right).toBeLessThanOrEqual(width);
			}
			if (width === 390) {
				// Cards: each figure under its column's title, the table's header row kept for screen readers only.
				expect(cards.rowDisplay).toBe('grid');
				expect(cards.headVisible).toBe(false);
				expect(cards.cells.slice(0, 4).map((c) => c.label)).toEqual(cards.headers.slice(1));
				expect(await page.getByRole('rowheader').first().isVisible()).toBe(true);
			} else {
				expect(cards.rowDisplay).toBe('table-row');
				expect(cards.headVisible).toBe(true);
			}
			// The streets table has more columns than a phone's width: its box says it scrolls, takes the keyboard,
			// and keeps the street names in view while the figures scroll.
			const streets = page.locator('#streets .table-wrap');
			await streets.scrollIntoViewIfNeeded();
			const hint = page.locator('#streets .scroll-hint');
			if (width === 390) {
				await expect.poll(() => streets.getAttribute('tabindex')).toBe('0');
				expect(await streets.getAttribute('role')).toBe('region');
				expect(await streets.getAttribute('aria-label')).toBe('Streets and towns (scrolls sideways)');
				expect(await hint.textContent()).toMatch(/sideways/);
				await streets.focus();
				await page.keyboard.press('ArrowRight');
				await expect.poll(() => streets.evaluate((e) => e.scrollLeft)).toBeGreaterThan(0);
				await streets.evaluate((e) => (e.scrollLeft = e.scrollWidth));
				const [wrapLeft, nameLeft, nextLeft] = await streets.evaluate((e) => [
					e.getBoundingClientRect().left,
					e.querySelector('tbody th')!.getBoundingClientRect().left,
					e.querySelector('tbody td')!.getBoundingClientRect().left
				]);
				expect(Math.abs(nameLeft - wrapLeft)).toBeLessThan(1);
				// The first figure column has scrolled under the name.
				expect(nextLeft).toBeLessThan(wrapLeft);
			} else {
				expect(await streets.getAttribute('tabindex')).toBeNull();
				expect(await streets.getAttribute('role')).toBeNull();
				expect(await hint.count()).toBe(0);
			}
			expect(errors).toEqual([]);
			await ctx.close();
		}
	});

	it('asks before downloading large raw tables, then computes from them', async () => {
		const ctx = await browser.newContext();
		// The engine answers (a prerendered answer for the category state would otherwise race it, and need no table).
		await withoutAnswers(ctx);
		const { page, errors } = await watchedPage(ctx, baseUrl);
		// The sample is small: lower the size above which the page asks (a test hook read by worker.ts).
		await page.addInitScript(() => ((globalThis as Record<string, unknown>).__timebankRawPromptBytes = 1));
		const arrows: string[] = [];
		page.on('request', (r) => {
			if (r.url().endsWith('.arrow')) arrows.push(r.url().split('/').pop()!.split('.')[0]);
		});
		await page.goto(url('/assessment/'), { waitUntil: 'networkidle' });
		// One category is answered from the published slices (agg_indicators), without asking.
		await page.selectOption('select[name="category"]', { index: 1 });
		await page.waitForURL(/category=/);
		await page.waitForFunction(
			() =>
				document.querySelector('#assessment')?.getAttribute('aria-busy') === 'false' &&
				document.querySelector('#assessment [data-indicator][data-value]') !== null,
			null,
			{ timeout: 60_000 }
		);
		expect(arrows).toContain('agg_indicators');
		expect(await page.locator('#assessment [data-needs-raw]').count()).toBe(0);
		// A category and a group together need the indicators computed from the raw tables.
		await page.selectOption('select[name="group"]', { index: 1 });
		const ask = page.locator('#assessment [data-needs-raw]');
		await ask.waitFor({ timeout: 60_000 });
		expect(Number(await ask.getAttribute('data-needs-raw'))).toBeGreaterThan(0);
		expect(arrows).not.toContain('hours');
		// The published figures stay on screen meanwhile.
		expect(await page.locator('#assessment [data-indicator][data-value]').count()).toBeGreaterThan(0);
		await ask.locator('button').click();
		await page.waitForFunction(
			() =>
				document.querySelector('#assessment')?.getAttribute('aria-busy') === 'false' &&
				!document.querySelector('#assessment [data-needs-raw]'),
			null,
			{ timeout: 90_000 }
		);
		expect(arrows).toContain('hours');
		expect(await page.locator('#assessment .state.error').count()).toBe(0);
		expect(errors).toEqual([]);
		await ctx.close();
	});
});
