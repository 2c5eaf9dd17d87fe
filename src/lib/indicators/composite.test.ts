import { describe, expect, it } from 'vitest';
import {
	DEFAULT_WEIGHTS,
	compositeScores,
	parseWeights,
	percentileScore,
	serializeWeights,
	targetScore,
	type ScoreInput
} from './composite';
import { INDICATORS, INDICATOR_IDS, isSmallCell } from './registry';

const row = (
	indicator_id: string,
	area_code: string,
	value: number | null,
	target: number | null = null
): ScoreInput => ({
	indicator_id,
	level: 'district',
	area_code,
	year: 2024,
	value,
	target
});

describe('composite score', () => {
	it('scores targets as min(value / target, 1)', () => {
		expect(targetScore(0.5, 1)).toBe(0.5);
		expect(targetScore(150, 100)).toBe(1);
		expect(targetScore(null, 1)).toBeNull();
		expect(targetScore(1, null)).toBeNull();
		expect(targetScore(20, 10, false)).toBe(0.5);
	});

	it('scores other indicators by mid-rank percentile among peers', () => {
		expect(percentileScore(3, [1, 2, 3])).toBe(1);
		expect(percentileScore(1, [1, 2, 3])).toBe(0);
		expect(percentileScore(2, [1, 2, 2, 3])).toBeCloseTo((1 + 0.5) / 3, 12);
		expect(percentileScore(1, [1, 2, 3], false)).toBe(1);
		expect(percentileScore(5, [5])).toBeNull();
	});

	it('takes the weighted mean over the indicators that have a score', () => {
		const rows = [
			row('share_meeting_20h', 'A', 0.5, 1),
			row('share_meeting_20h', 'B', 1.2, 1),
			row('active_rate', 'A', 0.3),
			row('active_rate', 'B', 0.1),
			row('wish_days_median', 'A', 10),
			row('wish_days_median', 'B', null)
		];
		const byArea = Object.fromEntries(compositeScores(rows).map((r) => [r.area_code, r]));
		// A: target 0.5 (w 2), active_rate best of 2 → 1 (w 1), wish_days_median alone among peers → no score.
		expect(byArea.A.score).toBeCloseTo((2 * 0.5 + 1 * 1) / 3, 12);
		expect(byArea.A.parts.wish_days_median).toBeNull();
		// B: target capped at 1 (w 2), active_rate worst → 0 (w 1).
		expect(byArea.B.score).toBeCloseTo((2 * 1 + 0) / 3, 12);
		const total = INDICATOR_IDS.reduce((s, id) => s + DEFAULT_WEIGHTS[id], 0);
		expect(byArea.B.weightShare).toBeCloseTo(3 / total, 12);
		const w = { ...DEFAULT_WEIGHTS, share_meeting_20h: 0 };
		expect(Object.fromEntries(compositeScores(rows, w).map((r) => [r.area_code, r.score]))).toEqual({
			A: 1,
			B: 0
		});
	});

	it('gives targeted indicators weight 2 and the others 1 by default', () => {
		for (const d of INDICATORS) expect(DEFAULT_WEIGHTS[d.id]).toBe(d.targetKey ? 2 : 1);
	});

	it('round-trips weights through a compact URL-safe string', () => {
		expect(serializeWeights(DEFAULT_WEIGHTS)).toBe('');
		expect(parseWeights('')).toEqual(DEFAULT_WEIGHTS);
		const w = { ...DEFAULT_WEIGHTS, active_rate: 0.5, points_donated_share: 0 };
		const text = serializeWeights(w);
		expect(text).toMatch(/^w1-[0-9._]+$/);
		expect(encodeURIComponent(text)).toBe(text);
		expect(parseWeights(text)).toEqual(w);
		expect(() => parseWeights('w1-1_2')).toThrow(/19 numbers/);
		expect(() => parseWeights(text.replace('0.5', '-1'))).toThrow(/active_rate/);
		expect(() => parseWeights('x')).toThrow(/w1-/);
	});
});

describe('small-cell rule', () => {
	it('withholds people and event counts below the threshold, never place counts', () => {
		expect(isSmallCell({ indicator_id: 'active_rate', basis_count: 4 }, 5)).toBe(true);
		expect(isSmallCell({ indicator_id: 'active_rate', basis_count: 5 }, 5)).toBe(false);
		expect(isSmallCell({ indicator_id: 'active_rate', basis_count: 0 }, 5)).toBe(false);
		expect(isSmallCell({ indicator_id: 'ledger_complete', basis_count: 2 }, 5)).toBe(true);
		expect(isSmallCell({ indicator_id: 'street_station_coverage', basis_count: 1 }, 5)).toBe(false);
		expect(isSmallCell({ indicator_id: 'nope', basis_count: 100 }, 5)).toBe(true);
	});
});
