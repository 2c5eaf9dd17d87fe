/**
 * Privacy scanners over published data (pure functions, no I/O): personal numbers in text, equivalence
 * classes over quasi-identifiers (k-anonymity), and withheld cells that totals determine.
 * Used by the release privacy check (tests/unit/privacy-scan.test.ts); usable on any text or rows.
 */

/** A hit in a text: the matched string and its offset. */
export interface TextHit {
	value: string;
	index: number;
}

// Letters or digits right before/after a run mean it is part of a longer token (a hash, a pseudonym); a
// decimal point between digits, that it is part of a number (the fraction digits of 72217.19999999992).
const B = '(?<![0-9A-Za-z])(?<![0-9]\\.)';
const E = '(?![0-9A-Za-z])(?!\\.[0-9])';

const MOBILE = new RegExp(`${B}(?:\\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}${E}`, 'g');
const LANDLINE = new RegExp(`${B}\\(?0[1-9][0-9]{1,2}\\)?[ -][2-9][0-9]{6,7}${E}`, 'g');

const hits = (re: RegExp, text: string, ok: (s: string) => boolean = () => true): TextHit[] => {
	const out: TextHit[] = [];
	for (const m of text.matchAll(re)) if (ok(m[0])) out.push({ value: m[0], index: m.index ?? 0 });
	return out;
};

/**
 * Mainland phone numbers in `text`: mobiles (11 digits 1[3-9]…, optionally +86 and spaced/dashed as
 * 3-4-4) and landlines written with an area code (`020-12345678`, `(020) 1234567`). Digit runs that are
 * part of a longer letter/digit token (hex hashes, ids) are not reported.
 */
export function findPhoneNumbers(text: string): TextHit[] {
	return [...hits(MOBILE, text), ...hits(LANDLINE, text)].sort((a, b) => a.index - b.index);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** Whether an 18-character resident ID number is well formed: region, real birth date, ISO 7064 MOD 11-2. */
export function isIdCardNumber(s: string): boolean {
	if (!/^[1-9][0-9]{5}(?:18|19|20)[0-9]{2}[0-9]{2}[0-9]{2}[0-9]{3}[0-9Xx]$/.test(s)) return false;
	const y = Number(s.slice(6, 10));
	const m = Number(s.slice(10, 12));
	const d = Number(s.slice(12, 14));
	const date = new Date(Date.UTC(y, m - 1, d));
	if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(s[i]) * ID_WEIGHTS[i];
	return ID_CHECK[sum % 11] === s[17].toUpperCase();
}

const ID_RUN = new RegExp(`${B}[0-9]{17}[0-9Xx]${E}`, 'g');

/** 18-character ID-card numbers in `text` whose birth date and check digit are valid. */
export function findIdCardNumbers(text: string): TextHit[] {
	return hits(ID_RUN, text, isIdCardNumber);
}

/** One equivalence class: the quasi-identifier values, how many rows share them, and which rows. */
export interface EquivalenceClass {
	values: unknown[];
	size: number;
	rows: number[];
}

const keyPart = (v: unknown): string =>
	v === null || v === undefined
		? '\u0000null'
		: v instanceof Date
			? v.toISOString()
			: typeof v === 'bigint'
				? v.toString()
				: JSON.stringify(v);

/**
 * Group `rows` by the values of `keys` (null is a value of its own: a withheld field puts the row in the
 * class of the others withheld the same way). Sorted by size, smallest first.
 */
export function equivalenceClasses(
	rows: readonly Record<string, unknown>[],
	keys: readonly string[]
): EquivalenceClass[] {
	const classes = new Map<string, EquivalenceClass>();
	rows.forEach((r, i) => {
		const values = keys.map((k) => r[k] ?? null);
		const id = values.map(keyPart).join('\u0001');
		let c = classes.get(id);
		if (!c) classes.set(id, (c = { values, size: 0, rows: [] }));
		c.size++;
		c.rows.push(i);
	});
	return [...classes.values()].sort((a, b) => a.size - b.size);
}

/** Smallest class size (Infinity for no rows): the table is k-anonymous over `keys` for every k ≤ this. */
export const minClassSize = (rows: readonly Record<string, unknown>[], keys: readonly string[]): number =>
	rows.length ? equivalenceClasses(rows, keys)[0].size : Infinity;

/**
 * `total = Σ parts`, over cell ids. `total: null` means the total is known to the attacker from
 * elsewhere (e.g. an activity's person-times on its own record form); a total that is itself a cell is
 * known unless withheld.
 */
export interface SumConstraint {
	total: string | null;
	parts: readonly string[];
}

/** A prime above any count: arithmetic modulo it is exact for the small integer systems of sums here. */
const P = 1_000_003;
const inv = (a: number): number => {
	let [r0, r1, s0, s1] = [P, a, 0, 1];
	while (r1) {
		const q = Math.floor(r0 / r1);
		[r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
	}
	return ((s0 % P) + P) % P;
};

/**
 * Unknowns that a linear system fixes. `rows` are equations over unknowns 0 … n-1 (`[unknown,
 * coefficient]`, right-hand sides known); x_j is fixed exactly when the unit vector e_j is in the row
 * space, i.e. when a row of the reduced row echelon form is e_j. Solved per connected component, modulo a
 * large prime (exact for sums of cells: two-way tables of sums are totally unimodular).
 */
export function determinedUnknowns(rows: readonly (readonly [number, number][])[], n: number): number[] {
	const parent = Array.from({ length: n }, (_, i) => i);
	const find = (x: number): number => {
		while (parent[x] !== x) x = parent[x] = parent[parent[x]];
		return x;
	};
	for (const r of rows) for (const [j] of r) parent[find(j)] = find(r[0][0]);
	const comps = new Map<number, { vars: number[]; rows: (readonly [number, number][])[] }>();
	const comp = (root: number) => {
		let c = comps.get(root);
		if (!c) comps.set(root, (c = { vars: [], rows: [] }));
		return c;
	};
	for (let j = 0; j < n; j++) comp(find(j)).vars.push(j);
	for (const r of rows) if (r.length) comp(find(r[0][0])).rows.push(r);
	const out: number[] = [];
	for (const { vars, rows: eqs } of comps.values()) {
		const col = new Map(vars.map((v, i) => [v, i]));
		const m = eqs.map((r) => {
			const a = new Array<number>(vars.length).fill(0);
			for (const [j, c] of r) a[col.get(j)!] = (a[col.get(j)!] + c + P) % P;
			return a;
		});
		let rank = 0;
		for (let c = 0; c < vars.length && rank < m.length; c++) {
			const p = m.findIndex((r, i) => i >= rank && r[c] !== 0);
			if (p < 0) continue;
			[m[rank], m[p]] = [m[p], m[rank]];
			const f = inv(m[rank][c]);
			for (let k = c; k < vars.length; k++) m[rank][k] = (m[rank][k] * f) % P;
			for (let i = 0; i < m.length; i++) {
				const g = m[i][c];
				if (i === rank || !g) continue;
				for (let k = c; k < vars.length; k++) m[i][k] = (((m[i][k] - g * m[rank][k]) % P) + P) % P;
			}
			rank++;
		}
		for (let i = 0; i < rank; i++) {
			const nz = m[i].flatMap((x, k) => (x ? [k] : []));
			if (nz.length === 1) out.push(vars[nz[0]]);
		}
	}
	return out.sort((a, b) => a - b);
}

/**
 * Withheld cells that the published cells and the given totals determine: any combination of the
 * equations counts (total minus the shown parts, and beyond what peeling one equation at a time finds,
 * e.g. a cell bridging two otherwise protected blocks). Returns the ids (sorted). A constraint whose
 * unknowns cannot be told apart only bounds their sum, which primary + secondary suppression allows.
 */
export function recoverableCells(
	constraints: readonly SumConstraint[],
	hidden: ReadonlySet<string>
): string[] {
	const ids = [...hidden];
	const index = new Map(ids.map((id, i) => [id, i]));
	const rows = constraints.map((c) => {
		const terms = new Map<number, number>();
		const add = (id: string, coef: number) => {
			const j = index.get(id);
			if (j !== undefined) terms.set(j, (terms.get(j) ?? 0) + coef);
		};
		if (c.total !== null) add(c.total, -1);
		for (const id of c.parts) add(id, 1);
		return [...terms].filter(([, coef]) => coef % P !== 0);
	});
	return determinedUnknowns(rows, ids.length)
		.map((j) => ids[j])
		.sort();
}
