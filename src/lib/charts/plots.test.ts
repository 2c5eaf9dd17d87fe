import { describe, expect, it } from 'vitest';
import { valueTicks } from './plots';

describe('value axis ticks', () => {
	it('are whole numbers for counts, so small counts do not repeat labels', () => {
		expect(valueTicks('activities', 2, 5)).toEqual([0, 1, 2]);
		expect(valueTicks('person_times', 0, 5)).toEqual([0, 1]);
		const big = valueTicks('persons', 12_345, 5) as number[];
		expect(big.every(Number.isInteger)).toBe(true);
		expect(big.length).toBeGreaterThanOrEqual(3);
		expect(big.at(-1)).toBeLessThanOrEqual(12_345);
		// Labels as the axis shows them: no two alike.
		for (const max of [1, 2, 3, 4, 7, 9, 13]) {
			const t = valueTicks('activities', max, 5) as number[];
			expect(new Set(t.map((v) => v.toFixed(0))).size, `max ${max}`).toBe(t.length);
		}
	});

	it('are left to Plot (a count) for units with decimals', () => {
		expect(valueTicks('hours', 2, 5)).toBe(5);
		expect(valueTicks('ratio', 0.4, 6)).toBe(6);
	});
});
