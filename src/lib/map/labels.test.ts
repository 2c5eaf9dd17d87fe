import { describe, expect, it } from 'vitest';
import { readDistrictsGeojson } from '../server/geo';
import { siteConfig } from '../config';
import { label } from '../i18n';
import { districtShapes } from './shapes';
import { labelBox, placeLabels, textWidth, type LabelItem } from './labels';

const FS = 11;
const opts = { width: 360, height: 300, fontSize: FS };
const disjoint = (a: ReturnType<typeof labelBox>, b: ReturnType<typeof labelBox>) =>
	a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0;
const boxes = (placed: { text: string; x: number; y: number }[]) =>
	placed.map((p) => labelBox(p.text, p.x, p.y, FS));

describe('textWidth', () => {
	it('counts a CJK character as one em and a Latin letter as less', () => {
		expect(textWidth('天河区', 10)).toBe(30);
		expect(textWidth('Tianhe', 10)).toBeCloseTo(36);
	});
});

describe('placeLabels', () => {
	it('keeps a label with room at its centroid', () => {
		expect(placeLabels([{ code: 'a', text: '天河区', x: 100, y: 100, area: 50 }], opts)).toEqual([
			{ code: 'a', text: '天河区', x: 100, y: 100 }
		]);
	});

	it('leaves the smaller district at its centroid and moves the other off it', () => {
		const items: LabelItem[] = [
			{ code: 'big', text: '白云区', x: 100, y: 100, area: 900 },
			{ code: 'small', text: '越秀区', x: 104, y: 102, area: 30 }
		];
		const placed = placeLabels(items, opts);
		expect(placed.map((p) => p.code)).toEqual(['big', 'small']);
		expect(placed[1]).toMatchObject({ x: 104, y: 102 });
		expect(placed[0]).not.toMatchObject({ x: 100, y: 100 });
		const [a, b] = boxes(placed);
		expect(disjoint(a, b)).toBe(true);
	});

	it('leaves a label out when no nearby place is free', () => {
		// A strip one line high: no room above or below, and half a label sideways still overlaps.
		const strip = { width: 360, height: 16, fontSize: FS };
		const placed = placeLabels(
			[
				{ code: 'a', text: '荔湾区', x: 100, y: 11, area: 10 },
				{ code: 'b', text: '海珠区', x: 100, y: 11, area: 20 }
			],
			strip
		);
		expect(placed.map((p) => p.code)).toEqual(['a']);
	});

	it('keeps labels inside the map', () => {
		const placed = placeLabels([{ code: 'a', text: 'Conghua', x: 355, y: 5, area: 10 }], opts);
		expect(placed).toHaveLength(1);
		const [b] = boxes(placed);
		expect(b.x1).toBeLessThanOrEqual(360);
		expect(b.y0).toBeGreaterThanOrEqual(0);
	});

	it('does not nudge a label off its own district', () => {
		const items: LabelItem[] = [
			{ code: 'big', text: '白云区', x: 100, y: 100, area: 900 },
			{ code: 'small', text: '越秀区', x: 104, y: 102, area: 30 }
		];
		// "big" has no room at its centroid and every nudged place is outside it: it is left out, not misplaced.
		const placed = placeLabels(items, { ...opts, inside: (code) => code !== 'big' });
		expect(placed.map((p) => p.code)).toEqual(['small']);
	});

	it("places the region's district names without overlaps, in both languages", () => {
		const { shapes, width, height } = districtShapes(readDistrictsGeojson(siteConfig.region), 360, 420);
		// The box is trimmed to the map: one side is the limit, the other no larger than its limit.
		expect(width <= 360 && height <= 420 && (width === 360 || height === 420)).toBe(true);
		for (const locale of ['zh-CN', 'en'] as const) {
			const items = shapes.map((s) => ({
				code: s.code,
				text: label(locale, s),
				x: s.cx,
				y: s.cy,
				area: s.area
			}));
			// At the centroids some names collide (the dense centre), so placement has work to do.
			const atCentroids = boxes(items);
			expect(
				atCentroids.some((a, i) => atCentroids.some((b, j) => j > i && !disjoint(a, b))),
				locale
			).toBe(true);
			// As the map is drawn (districtShapes places the names with its districts' outlines).
			const placed = shapes.flatMap((s) => {
				const at = s.labelAt[locale];
				return at ? [{ code: s.code, text: label(locale, s), ...at }] : [];
			});
			const bs = boxes(placed);
			for (const b of bs) expect(b.x0 >= 0 && b.y0 >= 0 && b.x1 <= width && b.y1 <= height).toBe(true);
			for (let i = 0; i < bs.length; i++)
				for (let j = i + 1; j < bs.length; j++)
					expect(disjoint(bs[i], bs[j]), `${placed[i].text} / ${placed[j].text}`).toBe(true);
			// Most districts keep their name, each near its own centroid.
			expect(placed.length, locale).toBeGreaterThanOrEqual(shapes.length - 3);
			for (const p of placed) {
				const it = items.find((x) => x.code === p.code)!;
				expect(Math.abs(p.y - it.y)).toBeLessThanOrEqual(1.4 * FS + 0.1);
				expect(Math.abs(p.x - it.x)).toBeLessThanOrEqual(textWidth(it.text, FS) / 2 + 0.1);
			}
		}
	});
});
