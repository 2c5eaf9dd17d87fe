import { describe, expect, it } from 'vitest';
import { classify, NO_DATA } from './classes';

describe('classify', () => {
	it('puts values into ordered classes with increasing colours', () => {
		const c = classify([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		expect(c.breaks.length).toBeGreaterThan(1);
		expect(c.classOf(1)).toBe(0);
		expect(c.classOf(10)).toBe(c.breaks.length);
		expect(c.classOf(5)).toBeLessThanOrEqual(c.classOf(6));
		expect(c.colorOf(null)).toBe(NO_DATA);
		expect(new Set(c.colors).size).toBe(c.colors.length);
	});
	it('copes with identical values', () => {
		const c = classify([3, 3, 3]);
		expect(c.breaks).toEqual([]);
		expect(c.classOf(3)).toBe(0);
	});
});
