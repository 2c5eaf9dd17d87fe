/**
 * Privacy scanners over published data (pure functions, no I/O): personal numbers in text, equivalence
 * classes over quasi-identifiers (k-anonymity), and cells that a peeling attack recovers from totals.
 * Used by the release privacy check (tests/unit/privacy-scan.test.ts); usable on any text or rows.
 */

/** A hit in a text: the matched string and its offset. */
export interface TextHit {
	value: string;
	index: number;
}

// Letters or digits right before/after a run mean it is part of a longer token (a hash, a pseudonym).
const B = '(?<![0-9A-Za-z])';
const E = '(?![0-9A-Za-z])';

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

/**
 * Withheld cells a peeling attack recovers: any constraint with exactly one unknown cell reveals it
 * (total minus the shown parts, or the sum of the parts), which can in turn make other constraints
 * solvable; repeated until nothing changes. Returns the recovered ids (sorted). Constraints with two or
 * more unknowns only bound their sum, which primary + secondary suppression allows.
 */
export function recoverableCells(
	constraints: readonly SumConstraint[],
	hidden: ReadonlySet<string>
): string[] {
	const unknown = new Set(hidden);
	const byCell = new Map<string, number[]>();
	constraints.forEach((c, i) => {
		for (const id of c.total === null ? c.parts : [c.total, ...c.parts]) {
			if (!hidden.has(id)) continue;
			let l = byCell.get(id);
			if (!l) byCell.set(id, (l = []));
			l.push(i);
		}
	});
	const unknownsOf = (c: SumConstraint) =>
		(c.total === null ? c.parts : [c.total, ...c.parts]).filter((id) => unknown.has(id));
	const recovered: string[] = [];
	const queue = constraints.map((_, i) => i);
	while (queue.length) {
		const c = constraints[queue.pop()!];
		const u = [...new Set(unknownsOf(c))];
		if (u.length !== 1) continue;
		unknown.delete(u[0]);
		recovered.push(u[0]);
		queue.push(...(byCell.get(u[0]) ?? []));
	}
	return recovered.sort();
}
