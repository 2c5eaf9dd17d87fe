/**
 * Small-cell suppression (statistical disclosure control), pure TypeScript so that the release build,
 * the pages and the tests share one implementation. DOMAIN.md §6 and §8: cells that count fewer than
 * `threshold` people are withheld (primary suppression), and further cells are withheld (secondary
 * suppression) so that no withheld cell can be worked out from a published total.
 *
 * Two entry points:
 * - `suppressCells`: generic cells with any number of "total groups" (sets of cells whose total is, or
 *   could be, known). Within every group of ≥ 2 cells either 0 or ≥ 2 cells end up withheld, the
 *   withheld cells of a group never add up to less than the threshold together when it can be helped,
 *   and no withheld cell follows from all the totals solved together (`derivableCells`) unless nothing
 *   can protect it (`exposed`).
 * - `suppressIndicators`: indicator rows per city / district / street. Primary where the count of people
 *   behind the value is below the threshold; secondary so that among the children of one parent
 *   (streets of a district, districts of the city) 0 or ≥ 2 are withheld, and a withheld parent always
 *   has ≥ 2 withheld children (else the parent could be rebuilt from its children).
 */

import { determinedUnknowns } from './scan';

export interface Cell {
	/** The count shown in the cell (e.g. person-times). */
	value: number;
	/** Keys of the totals this cell adds up to (e.g. `a:<activity id>`, `g:<street>|<year>|<group>`). */
	groups: readonly string[];
}

export interface CellSuppression {
	/** Withheld cells (same order as the input). */
	suppressed: boolean[];
	/** Withheld because they are small. */
	primary: number;
	/** Withheld only to protect a small cell. */
	secondary: number;
	/**
	 * Small cells that no suppression protects (indexes): withheld but still derivable by
	 * `derivableCells`. Normally empty; e.g. the only lone cell of a block that is withheld entirely.
	 */
	exposed: number[];
}

/** Is a count small enough to be withheld? Zero is not a person and is published. */
export const isSmall = (value: number, threshold: number): boolean => value > 0 && value < threshold;

const groupMembers = (cells: readonly Cell[]): Map<string, number[]> => {
	const members = new Map<string, number[]>();
	cells.forEach((c, i) => {
		for (const g of c.groups) {
			let m = members.get(g);
			if (!m) members.set(g, (m = []));
			m.push(i);
		}
	});
	return members;
};

/** Cells alone in one of their groups: that group's total is the cell itself. */
const loneCells = (cells: readonly Cell[], members: Map<string, number[]>): boolean[] =>
	cells.map((c) => c.groups.some((g) => members.get(g)!.length === 1));

/**
 * Primary + secondary suppression over cells that share totals. Greedy: for every group of ≥ 2 cells
 * with exactly one withheld cell (or withheld cells adding up to less than the threshold), withhold the
 * smallest published non-zero cell of that group, until nothing changes. Then, while the exact attack
 * (`derivableCells`) still derives a withheld cell, withhold the fewest published cells that protect
 * it and repeat: a cell bridging two parts of a block of withheld cells needs a cycle around it, and a
 * cell alone in one of its groups (its one-cell total unknown) needs a second such cell in its block,
 * else the block's grand total, known from its other totals, gives it away. Terminates: cells only ever
 * become withheld. A withheld cell of the threshold or more still derived in the end is shown (it
 * protects nothing).
 */
export function suppressCells(cells: readonly Cell[], threshold: number): CellSuppression {
	const members = groupMembers(cells);
	const suppressed = cells.map((c) => isSmall(c.value, threshold));
	const primary = suppressed.filter(Boolean).length;
	let secondary = 0;
	const queue = new Set(cells.flatMap((c, i) => (suppressed[i] ? c.groups : [])));
	const withhold = (i: number) => {
		suppressed[i] = true;
		secondary++;
		for (const g of cells[i].groups) queue.add(g);
	};
	/** The smallest published cell of `m` allowed by `ok`, preferring non-zero ones (a hidden zero protects less); -1 if none. */
	const smallest = (m: readonly number[], ok: (i: number) => boolean = () => true): number => {
		let best = -1;
		for (const i of m) {
			if (suppressed[i] || !ok(i)) continue;
			const [v, w] = [cells[i].value, best < 0 ? 0 : cells[best].value];
			if (best < 0 || (v > 0 && w === 0) || (v > 0 === w > 0 && v < w)) best = i;
		}
		return best;
	};
	const settle = () => {
		while (queue.size) {
			const g = queue.values().next().value as string;
			queue.delete(g);
			const m = members.get(g)!;
			if (m.length < 2) continue;
			const hidden = m.filter((i) => suppressed[i]);
			const sum = hidden.reduce((s, i) => s + cells[i].value, 0);
			if (hidden.length === 0 || (hidden.length >= 2 && sum >= threshold)) continue;
			const best = smallest(m);
			if (best < 0) continue;
			withhold(best);
			queue.add(g);
		}
	};
	/**
	 * Published cells to withhold so that withheld cells link group `from` to a group accepted by `goal`,
	 * without using cell `skip`: the path through the fewest published cells (0-1 breadth-first search over
	 * groups, a cell joining its groups); null if there is none.
	 */
	const route = (from: string, goal: (g: string) => boolean, skip: number): number[] | null => {
		const dist = new Map([[from, 0]]);
		const via = new Map<string, [number, string]>();
		const done = new Set<string>();
		const front = [from];
		const back: string[] = [];
		while (front.length || back.length) {
			if (!front.length) front.push(...back.splice(0).reverse());
			const g = front.pop()!;
			if (done.has(g)) continue;
			done.add(g);
			if (g !== from && goal(g)) {
				const path: number[] = [];
				for (let h = g; h !== from; h = via.get(h)![1]) path.push(via.get(h)![0]);
				return path.filter((j) => !suppressed[j]);
			}
			for (const j of members.get(g)!) {
				if (j === skip) continue;
				const d = dist.get(g)! + (suppressed[j] ? 0 : 1);
				for (const h of cells[j].groups)
					if (d < (dist.get(h) ?? Infinity)) {
						dist.set(h, d);
						via.set(h, [j, g]);
						(suppressed[j] ? front : back).push(h);
					}
			}
		}
		return null;
	};
	for (;;) {
		settle();
		const leaks = derivableCells(cells, suppressed, { members });
		const touched = new Set<string>();
		let progress = false;
		for (const i of leaks) {
			const own = cells[i].groups;
			if (own.some((g) => touched.has(g))) continue; // perhaps protected already: check again first
			// A derived cell is a bridge in the graph of withheld cells (groups joined by cells) whose sides
			// do not both hold a group of its own total unknown (a one-cell group: the side's grand total then
			// follows from its other totals). Close a cycle around it, or else link such a group into each
			// side that lacks one.
			const lonely = (h: string) => members.get(h)!.length === 1 && !own.includes(h);
			const cycle = own.length > 1 ? route(own[0], (h) => own.slice(1).includes(h), i) : null;
			const sides = own.filter((g) => members.get(g)!.length > 1).map((g) => route(g, lonely, i));
			const path = cycle ?? (sides.every((p) => p !== null) ? sides.flat() : null);
			if (!path?.length) continue;
			for (const j of new Set(path)) {
				withhold(j);
				for (const g of cells[j].groups) touched.add(g);
			}
			progress = true;
		}
		if (progress) continue;
		// A cell the attack derives anyway protects nothing: show it unless it is small (then it is exposed).
		const exposed = leaks.filter((i) => isSmall(cells[i].value, threshold));
		for (const i of leaks) if (!isSmall(cells[i].value, threshold)) suppressed[i] = false;
		return { suppressed, primary, secondary: secondary - leaks.length + exposed.length, exposed };
	}
}

/**
 * The attack that secondary suppression must defeat: knowing every published cell and every group total
 * over two or more cells, solve the equations — all of them together (`determinedUnknowns`), which finds
 * what peeling one total at a time (`recoverableCells`) finds and more. Returns the indexes of withheld
 * cells so determined (should be empty). A one-cell total is the cell itself, published by whoever
 * publishes that total; with `exposeSingletons` the attacker knows those too: such lone cells count as
 * known from the start (and are not reported), so what they give away about other cells is.
 */
export function derivableCells(
	cells: readonly Cell[],
	suppressed: readonly boolean[],
	opts: {
		exposeSingletons?: boolean;
		/** `groupMembers(cells)`, when the caller has it (it does not depend on what is withheld). */
		members?: Map<string, number[]>;
	} = {}
): number[] {
	const members = opts.members ?? groupMembers(cells);
	const known = opts.exposeSingletons ? loneCells(cells, members) : null;
	const unknowns = cells.flatMap((_, i) => (suppressed[i] && !known?.[i] ? [i] : []));
	const col = new Int32Array(cells.length).fill(-1);
	unknowns.forEach((i, j) => (col[i] = j));
	// One equation per total over two or more cells; a total with no withheld cell in it says nothing (left out).
	const rows: [number, number][][] = [];
	for (const m of members.values()) {
		if (m.length < 2) continue;
		let row: [number, number][] | null = null;
		for (const i of m) if (col[i] >= 0) (row ??= []).push([col[i], 1]);
		if (row) rows.push(row);
	}
	return determinedUnknowns(rows, unknowns.length).map((j) => unknowns[j]);
}

/**
 * The simple attack: repeatedly solve groups (of ≥ 2 cells) with exactly one withheld cell left unknown.
 * Returns the indexes of withheld cells it works out; `derivableCells` is the exact attack.
 */
export function recoverableCells(cells: readonly Cell[], suppressed: readonly boolean[]): number[] {
	const members = [...groupMembers(cells).values()].filter((m) => m.length >= 2);
	const known = suppressed.map((s) => !s);
	const recovered: number[] = [];
	let changed = true;
	while (changed) {
		changed = false;
		for (const m of members) {
			const unknown = m.filter((i) => !known[i]);
			if (unknown.length === 1) {
				known[unknown[0]] = true;
				recovered.push(unknown[0]);
				changed = true;
			}
		}
	}
	return recovered;
}

export type AreaLevel = 'city' | 'district' | 'street';

export interface IndicatorInputRow {
	indicator_id: string;
	level: AreaLevel | string;
	area_code: string;
	year: number;
	numerator: number | null;
	denominator: number | null;
	value: number | null;
	target: number | null;
	/** Number of people (or person-based units) the value rests on; null when not people-based. */
	basis_count: number | null;
}

export interface SuppressedIndicatorRow extends Omit<IndicatorInputRow, 'basis_count'> {
	suppressed: boolean;
}

export interface IndicatorSuppressionOptions {
	threshold: number;
	/** Parent area of a row's area (street → its district, district → the city); null for the top. */
	parentOf: (level: string, areaCode: string) => string | null;
	/** Whether an indicator counts people (default: any row with a basis count). */
	isPeopleBased?: (indicatorId: string) => boolean;
}

/**
 * Suppress indicator rows: value, numerator and denominator become null and `suppressed` true.
 * Primary: basis_count < threshold (people-based indicators only). Secondary, per indicator and year,
 * iterated to a fixed point: (a) among the children of one parent either none or ≥ 2 are withheld;
 * (b) a withheld parent has ≥ 2 withheld children; the smallest (by basis count) are chosen.
 */
export function suppressIndicators(
	rows: readonly IndicatorInputRow[],
	opts: IndicatorSuppressionOptions
): { rows: SuppressedIndicatorRow[]; primary: number; secondary: number } {
	const people = opts.isPeopleBased ?? (() => true);
	const hidden = rows.map(
		(r) => people(r.indicator_id) && r.basis_count !== null && r.basis_count < opts.threshold
	);
	const primary = hidden.filter(Boolean).length;
	// Index rows: key (indicator, year, area) → row index; children per (indicator, year, parent).
	const key = (r: IndicatorInputRow, area: string) => `${r.indicator_id}\u0000${r.year}\u0000${area}`;
	const byArea = new Map<string, number>();
	const children = new Map<string, { members: number[]; parentHidden: () => boolean }>();
	rows.forEach((r, i) => {
		byArea.set(key(r, r.area_code), i);
		if (!people(r.indicator_id) || r.basis_count === null) return;
		const parent = opts.parentOf(r.level, r.area_code);
		if (parent === null) return;
		const k = key(r, parent);
		let c = children.get(k);
		if (!c)
			children.set(
				k,
				(c = {
					members: [],
					parentHidden: () => {
						const p = byArea.get(k);
						return p !== undefined && hidden[p];
					}
				})
			);
		c.members.push(i);
	});
	const secondary = suppressSiblings(
		hidden,
		rows.map((r) => r.basis_count),
		[...children.values()]
	);
	return { rows: rows.map((r, i) => withholdRow(r, hidden[i])), primary, secondary };
}

/** A row as published: its basis count dropped, and its numbers emptied when withheld. */
export function withholdRow<R extends IndicatorInputRow>(
	r: R,
	hide: boolean
): Omit<R, 'basis_count'> & SuppressedIndicatorRow {
	const { basis_count: _b, ...rest } = r;
	return hide
		? { ...rest, numerator: null, denominator: null, value: null, suppressed: true }
		: { ...rest, suppressed: false };
}

/**
 * Sizes of the equivalence classes of `rows` over the quasi-identifier columns (null is a value of its
 * own: a withheld field). Returns the smallest class size per row.
 */
export function equivalenceClassSizes<T extends Record<string, unknown>>(
	rows: readonly T[],
	quasiIdentifiers: readonly (keyof T)[]
): number[] {
	const keyOf = (r: T) =>
		quasiIdentifiers
			.map((q) => (r[q] === null || r[q] === undefined ? '\u0000' : String(r[q])))
			.join('\u0001');
	const counts = new Map<string, number>();
	for (const r of rows) {
		const k = keyOf(r);
		counts.set(k, (counts.get(k) ?? 0) + 1);
	}
	return rows.map((r) => counts.get(keyOf(r))!);
}

/** A set of indicator rows whose numerators add up (or could) to a known parent row. */
export interface SiblingGroup {
	/** Row indexes of the members. */
	members: readonly number[];
	/** Whether the parent (the total the members add up to) is withheld; a getter, as it may change. */
	parentHidden: () => boolean;
}

/**
 * Secondary suppression over any sibling groups (e.g. the four quarters of a year, the categories of a whole
 * year, the streets of a district within one slice), iterated to a fixed point with the same rules as
 * `suppressIndicators`: within a group of ≥ 2 members, either none or ≥ 2 are withheld, and a withheld parent
 * has ≥ 2 withheld members; the member with the smallest basis is chosen. `hidden` is updated in place;
 * returns the number of rows it withheld.
 */
export function suppressSiblings(
	hidden: boolean[],
	basis: readonly (number | null)[],
	groups: readonly SiblingGroup[]
): number {
	let added = 0;
	let changed = true;
	while (changed) {
		changed = false;
		for (const g of groups) {
			if (g.members.length < 2) continue;
			const n = g.members.filter((i) => hidden[i]).length;
			if (!(n === 1 || (g.parentHidden() && n < 2))) continue;
			let best = -1;
			for (const i of g.members)
				if (!hidden[i] && (best < 0 || (basis[i] ?? Infinity) < (basis[best] ?? Infinity))) best = i;
			if (best < 0) continue;
			hidden[best] = true;
			added++;
			changed = true;
		}
	}
	return added;
}

/** Where a slice row of `agg_indicators` belongs: a quarter, a category or a beneficiary group (null = all). */
export interface IndicatorSlice {
	quarter: number | null;
	category: string | null;
	beneficiary_group: string | null;
}

/**
 * Small-cell suppression of the indicator slices. Primary: a people-based value resting on fewer than
 * `threshold` people. Secondary (`suppressSiblings`): within each slice, the streets of a district and the
 * districts of the city, as for the whole year; and across slices, the quarters of a year, the categories and
 * the beneficiary groups of one indicator, area and year, whose numerators add up (or nearly) to the published
 * whole-year row: 0 or ≥ 2 of them withheld, and ≥ 2 when the whole-year row is withheld.
 */
export function withholdSlices(
	parts: readonly { slice: IndicatorSlice; rows: readonly IndicatorInputRow[] }[],
	whole: readonly SuppressedIndicatorRow[],
	opts: {
		threshold: number;
		isPeopleBased: (id: string) => boolean;
		parentOf: (level: string, area: string) => string | null;
	}
): { rows: (SuppressedIndicatorRow & { slice: IndicatorSlice })[]; primary: number; secondary: number } {
	const rows = parts.flatMap(({ slice, rows: r }) => r.map((row) => ({ row, slice })));
	const basis = rows.map(({ row }) => row.basis_count);
	const people = rows.map(({ row }) => opts.isPeopleBased(row.indicator_id) && row.basis_count !== null);
	const hidden = rows.map(({ row }, i) => people[i] && row.basis_count! < opts.threshold);
	const primary = hidden.filter(Boolean).length;
	const sliceKey = (s: IndicatorSlice) =>
		`${s.quarter ?? ''}|${s.category ?? ''}|${s.beneficiary_group ?? ''}`;
	const cell = (id: string, level: string, area: string, year: number) => `${id}|${level}|${area}|${year}`;
	const wholeHidden = new Map(
		whole.map((r) => [cell(r.indicator_id, r.level, r.area_code, r.year), r.suppressed])
	);
	const index = new Map<string, number>();
	rows.forEach(({ row, slice }, i) =>
		index.set(`${sliceKey(slice)}#${cell(row.indicator_id, row.level, row.area_code, row.year)}`, i)
	);
	const members = new Map<string, { members: number[]; parentHidden: () => boolean }>();
	const join = (key: string, i: number, parentHidden: () => boolean) => {
		let g = members.get(key);
		if (!g) members.set(key, (g = { members: [], parentHidden }));
		g.members.push(i);
	};
	rows.forEach(({ row, slice }, i) => {
		if (!people[i]) return;
		const id = row.indicator_id;
		const parent = opts.parentOf(row.level, row.area_code);
		if (parent !== null) {
			const parentLevel = row.level === 'street' ? 'district' : 'city';
			const p = index.get(`${sliceKey(slice)}#${cell(id, parentLevel, parent, row.year)}`);
			join(`a#${sliceKey(slice)}#${id}|${parentLevel}|${parent}|${row.year}`, i, () =>
				p === undefined ? false : hidden[p]
			);
		}
		const dim = slice.quarter !== null ? 'q' : slice.category !== null ? 'c' : 'g';
		const whole = cell(id, row.level, row.area_code, row.year);
		join(`${dim}#${whole}`, i, () => wholeHidden.get(whole) ?? false);
	});
	const secondary = suppressSiblings(hidden, basis, [...members.values()]);
	return {
		rows: rows.map(({ row, slice }, i) => ({ ...withholdRow(row, hidden[i]), slice })),
		primary,
		secondary
	};
}
