/**
 * Small-cell suppression (statistical disclosure control), pure TypeScript so that the release build,
 * the pages and the tests share one implementation. DOMAIN.md §6 and §8: cells that count fewer than
 * `threshold` people are withheld (primary suppression), and further cells are withheld (secondary
 * suppression) so that no withheld cell can be worked out from a published total.
 *
 * Two entry points:
 * - `suppressCells`: generic cells with any number of "total groups" (sets of cells whose total is, or
 *   could be, known). Within every group of ≥ 2 cells either 0 or ≥ 2 cells end up withheld, and the
 *   withheld cells of a group never add up to less than the threshold together when it can be helped.
 * - `suppressIndicators`: indicator rows per city / district / street. Primary where the count of people
 *   behind the value is below the threshold; secondary so that among the children of one parent
 *   (streets of a district, districts of the city) 0 or ≥ 2 are withheld, and a withheld parent always
 *   has ≥ 2 withheld children (else the parent could be rebuilt from its children).
 */

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
}

/** Is a count small enough to be withheld? Zero is not a person and is published. */
export const isSmall = (value: number, threshold: number): boolean => value > 0 && value < threshold;

/**
 * Primary + secondary suppression over cells that share totals. Greedy and iterative: for every group
 * with exactly one withheld cell (or withheld cells adding up to less than the threshold), withhold the
 * smallest published non-zero cell of that group, until nothing changes. Always terminates (cells only
 * ever become withheld).
 */
export function suppressCells(cells: readonly Cell[], threshold: number): CellSuppression {
	const n = cells.length;
	const suppressed = new Array<boolean>(n).fill(false);
	const members = new Map<string, number[]>();
	cells.forEach((c, i) => {
		for (const g of c.groups) {
			let m = members.get(g);
			if (!m) members.set(g, (m = []));
			m.push(i);
		}
	});
	let primary = 0;
	const queue = new Set<string>();
	cells.forEach((c, i) => {
		if (isSmall(c.value, threshold)) {
			suppressed[i] = true;
			primary++;
			for (const g of c.groups) queue.add(g);
		}
	});
	let secondary = 0;
	while (queue.size) {
		const g = queue.values().next().value as string;
		queue.delete(g);
		const m = members.get(g)!;
		if (m.length < 2) continue;
		let count = 0;
		let sum = 0;
		for (const i of m) {
			if (suppressed[i]) {
				count++;
				sum += cells[i].value;
			}
		}
		if (count === 0 || (count >= 2 && sum >= threshold) || count === m.length) continue;
		// Withhold the smallest published cell, preferring non-zero ones (a hidden zero protects less).
		let best = -1;
		for (const i of m) {
			if (suppressed[i]) continue;
			if (
				best < 0 ||
				(cells[i].value > 0 && cells[best].value === 0) ||
				(cells[i].value > 0 === cells[best].value > 0 && cells[i].value < cells[best].value)
			)
				best = i;
		}
		if (best < 0) continue;
		suppressed[best] = true;
		secondary++;
		for (const h of cells[best].groups) queue.add(h);
		queue.add(g);
	}
	return { suppressed, primary, secondary };
}

/**
 * The attack that secondary suppression must defeat: knowing every published cell and every group total,
 * repeatedly solve groups with exactly one unknown cell. Returns the indexes of withheld cells that can be
 * worked out this way (should be empty). Groups with a single cell are skipped: a one-cell total is the
 * cell itself, published by whoever publishes that total; with `exposeSingletons` such cells count as
 * known from the start (and are not reported), so what they give away about other cells is.
 */
export function recoverableCells(
	cells: readonly Cell[],
	suppressed: readonly boolean[],
	opts: { exposeSingletons?: boolean } = {}
): number[] {
	const members = new Map<string, number[]>();
	cells.forEach((c, i) => {
		for (const g of c.groups) {
			let m = members.get(g);
			if (!m) members.set(g, (m = []));
			m.push(i);
		}
	});
	const exposed = cells.map(
		(c) => (opts.exposeSingletons ?? false) && c.groups.some((g) => members.get(g)!.length === 1)
	);
	const known = suppressed.map((s, i) => !s || exposed[i]);
	const recovered: number[] = [];
	let changed = true;
	while (changed) {
		changed = false;
		for (const m of members.values()) {
			if (m.length < 2) continue;
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
	const children = new Map<string, number[]>();
	rows.forEach((r, i) => {
		byArea.set(key(r, r.area_code), i);
		if (!people(r.indicator_id) || r.basis_count === null) return;
		const parent = opts.parentOf(r.level, r.area_code);
		if (parent === null) return;
		const k = key(r, parent);
		let c = children.get(k);
		if (!c) children.set(k, (c = []));
		c.push(i);
	});
	let secondary = 0;
	const hideSmallest = (idx: number[]): boolean => {
		let best = -1;
		for (const i of idx) {
			if (hidden[i]) continue;
			if (best < 0 || (rows[i].basis_count ?? Infinity) < (rows[best].basis_count ?? Infinity)) best = i;
		}
		if (best < 0) return false;
		hidden[best] = true;
		secondary++;
		return true;
	};
	let changed = true;
	while (changed) {
		changed = false;
		for (const [k, idx] of children) {
			if (idx.length < 2) continue;
			const n = idx.filter((i) => hidden[i]).length;
			const parentIdx = byArea.get(k);
			const parentHidden = parentIdx !== undefined && hidden[parentIdx];
			if (n === 1 || (parentHidden && n < 2)) {
				if (hideSmallest(idx)) changed = true;
			}
		}
	}
	return {
		rows: rows.map((r, i) => {
			const { basis_count: _b, ...rest } = r;
			return hidden[i]
				? { ...rest, numerator: null, denominator: null, value: null, suppressed: true }
				: { ...rest, suppressed: false };
		}),
		primary,
		secondary
	};
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
