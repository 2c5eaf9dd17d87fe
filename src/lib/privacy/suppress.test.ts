import { describe, expect, it } from 'vitest';
import { rng } from '../../../scripts/release/test-helpers';
import {
	equivalenceClassSizes,
	isSmall,
	derivableCells,
	recoverableCells,
	suppressCells,
	suppressIndicators,
	type Cell,
	type IndicatorInputRow
} from './suppress';

/** Random activity × group tables: `small` of the cells below 5, groups by activity and by group × year. */
const table = (seed: number, small: number): Cell[] => {
	const r = rng(seed);
	const cells: Cell[] = [];
	for (let a = 0; a < 40; a++)
		for (let g = 0; g < 4; g++)
			if (r() < 0.6)
				cells.push({
					value: r() < small ? 1 + Math.floor(r() * 4) : Math.floor(r() * 50),
					groups: [`a${a}`, `g${g}|${a % 3}`]
				});
	return cells;
};

describe('suppressCells', () => {
	it('withholds small cells and enough others that nothing can be derived, except what nothing protects', () => {
		let exposed = 0;
		for (const small of [0.1, 0.3])
			for (let seed = 1; seed <= 30; seed++) {
				const cells = table(seed, small);
				const res = suppressCells(cells, 5);
				cells.forEach((c, i) => {
					if (isSmall(c.value, 5)) expect(res.suppressed[i]).toBe(true);
				});
				expect(res.primary + res.secondary).toBe(res.suppressed.filter(Boolean).length);
				// What the attack still derives is reported, small, and derivable even with every cell withheld.
				expect(derivableCells(cells, res.suppressed)).toEqual(res.exposed);
				const always = derivableCells(
					cells,
					cells.map(() => true)
				);
				for (const i of res.exposed) {
					expect(isSmall(cells[i].value, 5)).toBe(true);
					expect(always).toContain(i);
				}
				exposed += res.exposed.length;
				// …and suppression did not withhold everything to get there.
				expect(res.suppressed.filter(Boolean).length).toBeLessThan(cells.length * 0.75);
			}
		expect(exposed).toBeGreaterThan(0); // the case exists: e.g. a block's only cell alone in a group
	});

	it('the attack finds a cell that only primary suppression left exposed', () => {
		const cells: Cell[] = [
			{ value: 2, groups: ['a1'] },
			{ value: 30, groups: ['a1'] },
			{ value: 40, groups: ['a1'] }
		];
		expect(derivableCells(cells, [true, false, false])).toEqual([0]);
		expect(recoverableCells(cells, [true, false, false])).toEqual([0]);
		const res = suppressCells(cells, 5);
		expect(res.suppressed).toEqual([true, true, false]);
		expect(derivableCells(cells, res.suppressed)).toEqual([]);
	});

	it('beyond peeling: a cell bridging two withheld blocks, and the only lone cell of a block', () => {
		const c = (a: string, g: string, value = 10): Cell => ({ value, groups: [a, g] });
		// Two 2 × 2 blocks joined by one cell: every total has ≥ 2 unknowns, yet rows a1 + a2 minus
		// columns g1 + g2 give the bridge.
		const bridge = [
			...[c('a1', 'g1'), c('a1', 'g2'), c('a2', 'g1'), c('a2', 'g2')],
			...[c('a3', 'g3'), c('a3', 'g4'), c('a4', 'g3'), c('a4', 'g4')],
			c('a2', 'g3', 3)
		];
		const all = (cs: Cell[]) => cs.map(() => true);
		expect(derivableCells(bridge, all(bridge))).toEqual([8]);
		expect(recoverableCells(bridge, all(bridge))).toEqual([]); // peeling misses it
		const res = suppressCells([...bridge, c('a1', 'g5', 20), c('a5', 'g5', 30), c('a5', 'g3', 40)], 5);
		expect(res.exposed).toEqual([]);
		// a1's single cell: g1 + g2 − a2 − a3 is its value although a1's total is not known.
		const lone = [c('a1', 'g1', 3), c('a2', 'g1'), c('a2', 'g2'), c('a3', 'g2'), c('a3', 'g1')];
		expect(derivableCells(lone, all(lone))).toEqual([0]);
		// A second lone cell in the block (a4) protects it; suppression finds and withholds it.
		const withPartner = [...lone, c('a4', 'g2', 25)];
		expect(derivableCells(withPartner, all(withPartner))).toEqual([]);
		const res2 = suppressCells(withPartner, 5);
		expect(res2.exposed).toEqual([]);
		expect(res2.suppressed).toEqual(withPartner.map(() => true));
		expect(derivableCells(withPartner, res2.suppressed)).toEqual([]);
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

	it('with single-cell totals known, what they give away about other cells is reported', () => {
		// A chain of withheld cells between two lone ones (a1 served one group; g3 has one cell): unknown
		// unless those one-cell totals are known, which then give every cell in between.
		const cells: Cell[] = [
			{ value: 3, groups: ['a1', 'g1'] },
			{ value: 6, groups: ['a2', 'g1'] },
			{ value: 2, groups: ['a2', 'g2'] },
			{ value: 9, groups: ['a3', 'g2'] },
			{ value: 9, groups: ['a3', 'g3'] }
		];
		const hidden = cells.map(() => true);
		expect(derivableCells(cells, hidden)).toEqual([]);
		expect(derivableCells(cells, hidden, { exposeSingletons: true })).toEqual([1, 2, 3]);
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
