import { describe, expect, it } from 'vitest';
import { readDistrictsGeojson } from '../server/geo';
import { siteConfig } from '../config';
import { label } from '../i18n';
import { districtShapes } from './shapes';
import { labelBox, placeLabels, segmentHitsBox, textWidth, type LabelItem } from './labels';

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

	it('puts a name with no room on its district farther off, with a line to its centroid', () => {
		const items: LabelItem[] = [
			{ code: 'big', text: '白云区', x: 100, y: 100, area: 900 },
			{ code: 'small', text: '越秀区', x: 104, y: 112, area: 30 }
		];
		// The names overlap at their centroids, and "big" cannot be nudged (every nudged place is off its district): it goes away with a leader line.
		const placed = placeLabels(items, { ...opts, inside: (code) => code !== 'big' });
		expect(placed.map((p) => p.code)).toEqual(['big', 'small']);
		const [big, small] = placed;
		expect(small).toEqual({ code: 'small', text: '越秀区', x: 104, y: 112 });
		expect(big.leader).toMatchObject({ x1: 100, y1: 100 });
		const [bigBox, smallBox] = boxes(placed);
		expect(disjoint(bigBox, smallBox)).toBe(true);
		const line = big.leader!;
		// The line ends on the label's box and passes through no other name.
		expect(line.x2).toBeGreaterThanOrEqual(bigBox.x0 - 0.05);
		expect(line.x2).toBeLessThanOrEqual(bigBox.x1 + 0.05);
		expect(line.y2).toBeGreaterThanOrEqual(bigBox.y0 - 0.05);
		expect(line.y2).toBeLessThanOrEqual(bigBox.y1 + 0.05);
		expect(segmentHitsBox(line, smallBox)).toBe(false);
		// Two to six lines from the centroid.
		const d = Math.hypot(big.x - 100, big.y - 0.3 * FS - 100);
		expect(d).toBeGreaterThanOrEqual(2 * 1.4 * FS - 0.01);
		expect(d).toBeLessThanOrEqual(6 * 1.4 * FS + 0.01);
	});

	it('puts a leader-lined name off the land when such a place is near', () => {
		const items: LabelItem[] = [
			{ code: 'a', text: '荔湾区', x: 100, y: 100, area: 10 },
			{ code: 'b', text: '海珠区', x: 104, y: 112, area: 20 }
		];
		// Land everywhere left of x = 130: "b" goes to the right of it, though places on the left are as near.
		const placed = placeLabels(items, { ...opts, inside: () => false, onLand: (x) => x < 130 });
		const b = placed.find((p) => p.code === 'b')!;
		expect(b.leader).toBeDefined();
		expect(labelBox(b.text, b.x, b.y, FS).x0).toBeGreaterThanOrEqual(130);
	});

	it('segmentHitsBox', () => {
		const box = { x0: 10, y0: 10, x1: 20, y1: 20 };
		expect(segmentHitsBox({ x1: 0, y1: 15, x2: 30, y2: 15 }, box)).toBe(true);
		expect(segmentHitsBox({ x1: 0, y1: 0, x2: 9, y2: 9 }, box)).toBe(false);
		expect(segmentHitsBox({ x1: 0, y1: 12, x2: 12, y2: 0 }, box)).toBe(false);
		expect(segmentHitsBox({ x1: 0, y1: 25, x2: 25, y2: 0 }, box)).toBe(true);
		expect(segmentHitsBox({ x1: 15, y1: 15, x2: 16, y2: 16 }, box)).toBe(true);
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

	it('does not nudge a label off its own district without a line to it', () => {
		const items: LabelItem[] = [
			{ code: 'big', text: '白云区', x: 100, y: 100, area: 900 },
			{ code: 'small', text: '越秀区', x: 104, y: 112, area: 30 }
		];
		// "big" has no room at its centroid and every nudged place is outside it: away from it only with a leader.
		const placed = placeLabels(items, { ...opts, inside: (code) => code !== 'big' });
		const big = placed.find((p) => p.code === 'big')!;
		expect(Math.abs(big.x - 100) > textWidth(big.text, FS) / 2 || Math.abs(big.y - 100) > 1.4 * FS).toBe(
			true
		);
		expect(big.leader).toBeDefined();
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
			// Every district has its name: near its own centroid, or joined to it by a line.
			expect(placed.length, locale).toBe(shapes.length);
			const lines = shapes.flatMap((s) => (s.labelAt[locale]?.leader ? [s.labelAt[locale]!.leader!] : []));
			// The two smallest districts of the dense centre (Yuexiu, Liwan) have no room on themselves.
			expect(lines.length, locale).toBeGreaterThan(0);
			expect(lines.length, locale).toBeLessThanOrEqual(3);
			for (const [i, p] of placed.entries()) {
				const it = items.find((x) => x.code === p.code)!;
				const line = shapes.find((s) => s.code === p.code)!.labelAt[locale]!.leader;
				if (!line) {
					expect(Math.abs(p.y - it.y)).toBeLessThanOrEqual(1.4 * FS + 0.1);
					expect(Math.abs(p.x - it.x)).toBeLessThanOrEqual(textWidth(it.text, FS) / 2 + 0.1);
					continue;
				}
				// From its own centroid, through no other name.
				expect([line.x1, line.y1]).toEqual([it.x, it.y]);
				bs.forEach((b, j) => {
					if (j !== i) expect(segmentHitsBox(line, b), `${p.text} → ${placed[j].text}`).toBe(false);
				});
			}
		}
	});
});
