import { describe, expect, it } from 'vitest';
import { rng } from '../../../scripts/release/test-helpers';
import {
	equivalenceClassSizes,
	recoverableCells,
	suppressCells,
	suppressIndicators,
	type Cell,
	type IndicatorInputRow
} from './suppress';

describe('suppressCells', () => {
	it('withholds small cells and enough others that nothing can be derived from any total', () => {
		for (let seed = 1; seed <= 30; seed++) {
			const r = rng(seed);
			const cells: Cell[] = [];
			for (let a = 0; a < 40; a++)
				for (let g = 0; g < 4; g++)
					if (r() < 0.6)
						cells.push({
							value: r() < 0.3 ? 1 + Math.floor(r() * 4) : Math.floor(r() * 50),
							groups: [`a${a}`, `g${g}|${a % 3}`]
						});
			const res = suppressCells(cells, 5);
			cells.forEach((c, i) => {
				if (c.value > 0 && c.value < 5) expect(res.suppressed[i]).toBe(true);
			});
			expect(recoverableCells(cells, res.suppressed)).toEqual([]);
			expect(res.primary + res.secondary).toBe(res.suppressed.filter(Boolean).length);
		}
	});

	it('the peeling attack finds a cell that only primary suppression left exposed', () => {
		const cells: Cell[] = [
			{ value: 2, groups: ['a1'] },
			{ value: 30, groups: ['a1'] },
			{ value: 40, groups: ['a1'] }
		];
		expect(recoverableCells(cells, [true, false, false])).toEqual([0]);
		const res = suppressCells(cells, 5);
		expect(res.suppressed).toEqual([true, true, false]);
		expect(recoverableCells(cells, res.suppressed)).toEqual([]);
	});

	it('keeps zero cells published and leaves a lone cell of its own total alone', () => {
		const res = suppressCells(
			[
				{ value: 0, groups: ['a'] },
				{ value: 10, groups: ['a'] },
				{ value: 3, groups: ['b'] }
			],
			5
		);
		expect(res.suppressed).toEqual([false, false, true]);
	});
});

const row = (level: string, area: string, basis: number | null, id = 'active_rate'): IndicatorInputRow => ({
	indicator_id: id,
	level,
	area_code: area,
	year: 2024,
	numerator: basis,
	denominator: 100,
	value: basis === null ? 0.5 : basis / 100,
	target: null,
	basis_count: basis
});
const parentOf = (level: string, area: string) =>
	level === 'street' ? area.slice(0, 6) : level === 'district' ? '4401' : null;

describe('suppressIndicators', () => {
	it('primary below the threshold, secondary so siblings are never withheld alone', () => {
		const rows = [
			row('city', '4401', 200),
			row('district', '440103', 100),
			row('district', '440104', 100),
			row('street', '440103001', 3),
			row('street', '440103002', 50),
			row('street', '440103003', 47),
			row('street', '440104001', 60),
			row('street', '440104002', 40)
		];
		const res = suppressIndicators(rows, { threshold: 5, parentOf });
		const hidden = res.rows.filter((r) => r.suppressed).map((r) => r.area_code);
		expect(hidden).toEqual(['440103001', '440103003']);
		expect(res.primary).toBe(1);
		expect(res.secondary).toBe(1);
		for (const r of res.rows.filter((x) => x.suppressed))
			expect([r.value, r.numerator, r.denominator]).toEqual([null, null, null]);
		expect(res.rows[0]).not.toHaveProperty('basis_count');
	});

	it('a withheld district gets two withheld streets and a partner district', () => {
		const rows = [
			row('city', '4401', 120),
			row('district', '440103', 4),
			row('district', '440104', 60),
			row('district', '440105', 56),
			row('street', '440104001', 30),
			row('street', '440104002', 30),
			row('street', '440103001', 2),
			row('street', '440103002', 2)
		];
		const res = suppressIndicators(rows, { threshold: 5, parentOf });
		const hidden = new Set(res.rows.filter((r) => r.suppressed).map((r) => r.area_code));
		expect(hidden.has('440103')).toBe(true);
		expect(hidden.has('440105')).toBe(true); // smallest sibling district
		expect(hidden.has('440104')).toBe(false);
		expect(hidden.has('440103001') && hidden.has('440103002')).toBe(true);
	});

	it('leaves indicators that are not people-based alone', () => {
		const res = suppressIndicators(
			[row('street', '440103001', 1, 'activity_rating'), row('street', '440103002', 50, 'activity_rating')],
			{
				threshold: 5,
				parentOf,
				isPeopleBased: (id) => id !== 'activity_rating'
			}
		);
		expect(res.rows.every((r) => !r.suppressed)).toBe(true);
	});
});

describe('equivalenceClassSizes', () => {
	it('counts rows sharing the quasi-identifiers, null as its own value', () => {
		const rows = [
			{ a: 1, b: null },
			{ a: 1, b: null },
			{ a: 1, b: 'x' }
		];
		expect(equivalenceClassSizes(rows, ['a', 'b'])).toEqual([2, 2, 1]);
	});
});
