import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReference, referenceDir, workdayIndexer } from '../../src/lib/reference/load';
import { extractReference, type ExtractSummary } from './extract';
import { removeSpikes, signedArea, simplifyShapes, type Position } from './simplify';

const committed = referenceDir('4401');
let tmpA: string;
let tmpB: string;
let summary: ExtractSummary;

beforeAll(() => {
	tmpA = mkdtempSync(path.join(tmpdir(), 'ref-a-'));
	tmpB = mkdtempSync(path.join(tmpdir(), 'ref-b-'));
	summary = extractReference({ region: '4401', out: tmpA });
	extractReference({ region: '4401', out: tmpB });
});
afterAll(() => {
	rmSync(tmpA, { recursive: true, force: true });
	rmSync(tmpB, { recursive: true, force: true });
});

interface Feature {
	type: string;
	id: number;
	properties: { district_code: string; name_zh: string; name_en: string };
	geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: Position[][] | Position[][][] };
}
const polygonsOf = (f: Feature): Position[][][] =>
	f.geometry.type === 'Polygon'
		? [f.geometry.coordinates as Position[][]]
		: (f.geometry.coordinates as Position[][][]);

function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
	const same = (p: Position, q: Position): boolean => p[0] === q[0] && p[1] === q[1];
	if (same(a, c) || same(a, d) || same(b, c) || same(b, d)) return false;
	const o = (p: Position, q: Position, r: Position): number =>
		Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
	return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
}

describe('extractor output', () => {
	it('is deterministic: two runs give byte-identical files', () => {
		const names = readdirSync(path.join(tmpA, '4401')).sort();
		expect(names).toEqual(
			[
				'SOURCES.md',
				'calendar.csv',
				'communities.csv',
				'districts.csv',
				'districts.geojson',
				'sources.json',
				'streets.csv'
			].sort()
		);
		for (const n of names)
			expect(readFileSync(path.join(tmpB, '4401', n)), n).toEqual(readFileSync(path.join(tmpA, '4401', n)));
		expect(readdirSync(tmpA)).toEqual(['4401']); // no temp directories left behind
	});

	it('matches the committed data/reference/4401 (re-run npm run data:reference if this fails)', () => {
		for (const n of readdirSync(path.join(tmpA, '4401')))
			expect(readFileSync(path.join(committed, n), 'utf8'), n).toBe(
				readFileSync(path.join(tmpA, '4401', n), 'utf8')
			);
	});

	it('has the expected counts and referential integrity', () => {
		const ref = loadReference('4401', tmpA);
		expect(ref.districts).toHaveLength(11);
		expect(ref.streets).toHaveLength(178);
		expect(ref.communities).toHaveLength(2851);
		const d = new Set(ref.districts.map((x) => x.district_code));
		const s = new Map(ref.streets.map((x) => [x.street_code, x]));
		expect(d.size).toBe(11);
		expect(s.size).toBe(178);
		expect(new Set(ref.communities.map((c) => c.community_code)).size).toBe(2851);
		for (const st of ref.streets) {
			expect(d.has(st.district_code), st.street_code).toBe(true);
			expect(st.street_code.startsWith(st.district_code)).toBe(true);
		}
		for (const c of ref.communities) {
			expect(s.get(c.street_code)?.district_code, c.community_code).toBe(c.district_code);
			expect(c.community_code.startsWith(c.street_code)).toBe(true);
		}
		// every district has streets, every street has communities
		for (const code of d)
			expect(
				ref.streets.some((x) => x.district_code === code),
				code
			).toBe(true);
		const withCommunities = new Set(ref.communities.map((c) => c.street_code));
		expect(withCommunities.size).toBe(178);
		expect(summary.files['communities.csv'].rows).toBe(2851);
	});

	it('has English names and 2020 census population summing to the published city total', () => {
		const ref = loadReference('4401', tmpA);
		const inputs = JSON.parse(readFileSync(path.resolve(committed, '../inputs/4401.json'), 'utf8')) as {
			population_total_10k: number;
		};
		const names = Object.fromEntries(ref.districts.map((x) => [x.name_zh, x.name_en]));
		expect(names['越秀区']).toBe('Yuexiu');
		expect(names['白云区']).toBe('Baiyun');
		expect(names['增城区']).toBe('Zengcheng');
		for (const x of ref.districts) {
			expect(x.name_en).toMatch(/^[A-Z][a-z]+$/);
			expect(x.population_year).toBe(2020);
			expect(x.population).toBeGreaterThan(500_000);
		}
		const total = ref.districts.reduce((a, x) => a + x.population, 0);
		// 11 figures each rounded to 0.01 万 (100 persons): at most 11 × 50 persons of rounding.
		expect(Math.abs(total - inputs.population_total_10k * 10_000)).toBeLessThanOrEqual(11 * 50);
		expect(ref.districts.find((x) => x.name_zh === '白云区')!.population).toBe(3_743_000);
	});

	it('writes a plain, valid, small district GeoJSON', () => {
		const text = readFileSync(path.join(tmpA, '4401', 'districts.geojson'), 'utf8');
		expect(Buffer.byteLength(text)).toBeLessThan(150_000);
		const gj = JSON.parse(text) as { type: string; features: Feature[] };
		expect(gj.type).toBe('FeatureCollection');
		expect(gj.features).toHaveLength(11);
		const ref = loadReference('4401', tmpA);
		expect(gj.features.map((f) => f.properties.district_code).sort()).toEqual(
			ref.districts.map((x) => x.district_code).sort()
		);
		const segs: { code: string; a: Position; b: Position }[] = [];
		const edgeUse = new Map<string, number>();
		for (const f of gj.features) {
			const d = ref.districts.find((x) => x.district_code === f.properties.district_code)!;
			expect(f.properties).toEqual({
				district_code: d.district_code,
				name_zh: d.name_zh,
				name_en: d.name_en
			});
			for (const poly of polygonsOf(f))
				poly.forEach((ring, ri) => {
					expect(ring.length).toBeGreaterThanOrEqual(4);
					expect(ring[0]).toEqual(ring[ring.length - 1]);
					expect(Math.sign(signedArea(ring.slice(0, -1)))).toBe(ri === 0 ? 1 : -1);
					for (let i = 0; i < ring.length - 1; i++) {
						const [lon, lat] = ring[i];
						expect(lon).toBeGreaterThan(112.9);
						expect(lon).toBeLessThan(114.1);
						expect(lat).toBeGreaterThan(22.5);
						expect(lat).toBeLessThan(23.95);
						expect(Math.round(lon * 1e4) / 1e4).toBe(lon);
						segs.push({ code: d.district_code, a: ring[i], b: ring[i + 1] });
						const k = [ring[i].join(), ring[i + 1].join()].sort().join('|');
						edgeUse.set(k, (edgeUse.get(k) ?? 0) + 1);
					}
				});
		}
		// No ring crosses itself or a neighbour (simplification kept the topology).
		let crossings = 0;
		for (let i = 0; i < segs.length; i++)
			for (let j = i + 1; j < segs.length; j++)
				if (segmentsCross(segs[i].a, segs[i].b, segs[j].a, segs[j].b)) crossings++;
		expect(crossings).toBe(0);
		// Shared borders are identical on both sides (no slivers): many edges are used exactly twice.
		const shared = [...edgeUse.values()].filter((n) => n === 2).length;
		expect(shared).toBeGreaterThan(segs.length * 0.2);
		expect([...edgeUse.values()].every((n) => n <= 2)).toBe(true);
	});

	it('writes a working-day calendar with 调休 from data_start to 2027-12-31', () => {
		const ref = loadReference('4401', tmpA);
		const cal = ref.calendar;
		expect(cal[0].date).toBe('2019-08-01');
		expect(cal[cal.length - 1].date).toBe('2027-12-31');
		const days = (Date.parse('2027-12-31') - Date.parse('2019-08-01')) / 86_400_000 + 1;
		expect(cal).toHaveLength(days);
		const by = new Map(cal.map((d) => [d.date, d]));
		expect(by.get('2024-02-04')!.is_workday).toBe(true); // Sunday, adjusted working day
		expect(by.get('2024-10-01')!.is_workday).toBe(false); // National Day
		expect(by.get('2020-01-27')!.is_workday).toBe(false); // Spring Festival Monday
		expect(by.get('2025-01-26')!.is_workday).toBe(true); // Sunday, adjusted working day
		expect(by.get('2024-02-05')!.is_workday).toBe(true); // ordinary Monday
		expect(by.get('2026-12-31')!.official).toBe(true);
		expect(by.get('2027-01-04')!.official).toBe(false);
		let prev = 0;
		for (const d of cal) {
			expect(d.workday_index).toBe(prev + (d.is_workday ? 1 : 0));
			prev = d.workday_index;
		}
		// roughly 250 working days a year
		const y2024 = cal.filter((d) => d.date.startsWith('2024') && d.is_workday).length;
		expect(y2024).toBeGreaterThan(240);
		expect(y2024).toBeLessThan(256);
		const wd = workdayIndexer(cal);
		expect(wd.workdaysBetween('2024-09-30', '2024-10-08')).toBe(1); // holiday week: only 10-08
		expect(() => wd.index('2018-01-01')).toThrow(/outside the reference calendar/);
	});

	it('records sources, versions and licences', () => {
		const src = JSON.parse(readFileSync(path.join(tmpA, '4401', 'sources.json'), 'utf8')) as {
			files: Record<string, { package: string; version: string; licence: string; notes: string }>;
		};
		expect(Object.keys(src.files).sort()).toEqual(
			['calendar.csv', 'communities.csv', 'districts.csv', 'districts.geojson', 'streets.csv'].sort()
		);
		expect(src.files['streets.csv'].licence).toBe('WTFPL');
		expect(src.files['districts.geojson'].licence).toMatch(/AMap/);
		expect(src.files['districts.geojson'].notes).toMatch(/GCJ-02/);
		for (const f of Object.values(src.files)) expect(f.version).toMatch(/^\d+\.\d+\.\d+/);
	});

	it('refuses an unknown region with a clear message', () => {
		expect(() => extractReference({ region: '9999', out: tmpA })).toThrow(/data\/regions\/9999\.json/);
		expect(() => extractReference({ region: 'abc', out: tmpA })).toThrow(/4 digits/);
	});
});

describe('simplifyShapes', () => {
	it('removes zero-width spikes, also across the ring start', () => {
		const sq: Position[] = [
			[0, 0],
			[1, 0],
			[1, 1],
			[0, 1]
		];
		expect(
			removeSpikes([
				[0, 0],
				[1, 0],
				[2, 0],
				[1, 0],
				[1, 1],
				[0, 1],
				[0, 0]
			])
		).toEqual(sq);
		expect(
			removeSpikes([
				[0, 0],
				[1, 0],
				[1, 1],
				[0, 1],
				[-1, 1],
				[0, 1],
				[0, 0]
			])
		).toEqual(sq);
		expect(
			removeSpikes([
				[5, 5],
				[0, 0],
				[1, 0],
				[1, 1],
				[0, 1],
				[0, 0],
				[5, 5]
			])
		).toEqual([
			[0, 0],
			[1, 0],
			[1, 1],
			[0, 1]
		]);
	});

	it('keeps a shared border identical on both sides', () => {
		// Two squares sharing a wiggly border x≈1.
		const border: Position[] = [];
		for (let i = 0; i <= 20; i++) border.push([1 + (i % 2) * 0.0001, i / 20]);
		const left: Position[] = [[0, 0], ...border, [0, 1], [0, 0]];
		const right: Position[] = [[2, 0], [2, 1], ...border.slice().reverse(), [2, 0]];
		const out = simplifyShapes(
			[
				{ id: 'L', polygons: [[left]] },
				{ id: 'R', polygons: [[right]] }
			],
			{ tolerance: 0.001, decimals: 4 }
		);
		const l = out.get('L')![0][0];
		const r = out.get('R')![0][0];
		const onBorder = (ring: Position[]): string[] =>
			ring
				.slice(0, -1)
				.filter((p) => p[0] >= 1 && p[0] < 1.001)
				.map((p) => p.join())
				.sort();
		expect(onBorder(l)).toEqual(onBorder(r));
		expect(l.length).toBeLessThan(left.length);
		expect(signedArea(l.slice(0, -1))).toBeGreaterThan(0);
		expect(signedArea(r.slice(0, -1))).toBeGreaterThan(0);
	});
});
