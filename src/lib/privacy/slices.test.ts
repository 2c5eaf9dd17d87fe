/**
 * Suppression of the indicator slices (`withholdSlices`): random slices over a city, its districts and their
 * streets are withheld, and the rules are then checked from the outside on the result.
 */
import { describe, expect, it } from 'vitest';
import {
	withholdSlices,
	type IndicatorInputRow,
	type IndicatorSlice,
	type SuppressedIndicatorRow
} from './suppress';

const THRESHOLD = 5;
const DISTRICTS = ['440103', '440104', '440105'];
const STREETS: Record<string, string> = {
	'440103001': '440103',
	'440103002': '440103',
	'440103003': '440103',
	'440104001': '440104',
	'440104002': '440104',
	'440105001': '440105',
	'440105002': '440105'
};
const parentOf = (level: string, area: string) =>
	level === 'street' ? STREETS[area] : level === 'district' ? '4401' : null;

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const areas = [
	['city', '4401'],
	...DISTRICTS.map((d) => ['district', d]),
	...Object.keys(STREETS).map((s) => ['street', s])
] as const;

function rowsFor(rnd: () => number, ids: string[], small: number): IndicatorInputRow[] {
	return ids.flatMap((indicator_id) =>
		areas.map(([level, area_code]) => {
			const basis = rnd() < small ? Math.floor(rnd() * THRESHOLD) : THRESHOLD + Math.floor(rnd() * 50);
			return {
				indicator_id,
				level,
				area_code,
				year: 2024,
				numerator: basis * 2,
				denominator: 100,
				value: basis / 50,
				target: null,
				basis_count: basis
			};
		})
	);
}

const key = (r: { indicator_id: string; level: string; area_code: string }) =>
	`${r.indicator_id}|${r.level}|${r.area_code}`;

describe('withholdSlices', () => {
	for (const seed of [1, 2, 3, 4, 5, 6]) {
		it(`keeps every rule over random slices (seed ${seed})`, () => {
			const rnd = random(seed);
			const ids = ['people_a', 'people_b', 'places_c'];
			const whole: SuppressedIndicatorRow[] = rowsFor(rnd, ids, 0.1).map(({ basis_count, ...r }) => ({
				...r,
				suppressed: r.indicator_id !== 'places_c' && basis_count! < THRESHOLD && basis_count! > -1
			}));
			const base = { quarter: null, category: null, beneficiary_group: null };
			const slices: IndicatorSlice[] = [
				...[1, 2, 3, 4].map((quarter) => ({ ...base, quarter })),
				...['health', 'education', 'culture_sports'].map((category) => ({ ...base, category })),
				...['elderly_alone', 'disabled'].map((beneficiary_group) => ({ ...base, beneficiary_group }))
			];
			const parts = slices.map((slice) => ({ slice, rows: rowsFor(rnd, ids, 0.25) }));
			const out = withholdSlices(parts, whole, {
				threshold: THRESHOLD,
				isPeopleBased: (id) => id.startsWith('people'),
				parentOf
			});
			const input = parts.flatMap((p) => p.rows);
			expect(out.rows).toHaveLength(input.length);
			expect(out.primary).toBeGreaterThan(0);
			const sk = (s: IndicatorSlice) => `${s.quarter}|${s.category}|${s.beneficiary_group}`;
			const byKey = new Map(out.rows.map((r) => [`${sk(r.slice)}#${key(r)}`, r]));
			const wholeBy = new Map(whole.map((r) => [key(r), r]));
			// Primary: small people-based values are withheld, with their numbers; places never are.
			out.rows.forEach((r, i) => {
				const b = input[i].basis_count!;
				if (r.indicator_id.startsWith('people') && b < THRESHOLD) expect(r.suppressed).toBe(true);
				if (r.indicator_id === 'places_c') expect(r.suppressed).toBe(false);
				if (r.suppressed) expect([r.value, r.numerator, r.denominator]).toEqual([null, null, null]);
				else expect(r.value).toBe(input[i].value);
			});
			// Secondary: check every sibling group.
			const check = (members: SuppressedIndicatorRow[], parentHidden: boolean, what: string) => {
				const n = members.filter((m) => m.suppressed).length;
				expect(n, `${what}: not exactly one withheld`).not.toBe(1);
				if (parentHidden) expect(n, `${what}: withheld parent`).toBeGreaterThanOrEqual(2);
			};
			let groups = 0;
			for (const slice of slices)
				for (const id of ['people_a', 'people_b'])
					for (const [level, area] of areas.filter(([l]) => l !== 'street')) {
						const parent = byKey.get(`${sk(slice)}#${id}|${level}|${area}`)!;
						const children = out.rows.filter(
							(r) =>
								sk(r.slice) === sk(slice) && r.indicator_id === id && parentOf(r.level, r.area_code) === area
						);
						check(children, parent.suppressed, `${sk(slice)} ${id} under ${area}`);
						groups++;
					}
			for (const [dim, pick] of [
				['quarter', (s: IndicatorSlice) => s.quarter !== null],
				['category', (s: IndicatorSlice) => s.category !== null],
				['group', (s: IndicatorSlice) => s.beneficiary_group !== null]
			] as const)
				for (const id of ['people_a', 'people_b'])
					for (const [level, area] of areas) {
						const members = out.rows.filter((r) => pick(r.slice) && key(r) === `${id}|${level}|${area}`);
						check(members, wholeBy.get(`${id}|${level}|${area}`)!.suppressed, `${dim} ${id} ${area}`);
						groups++;
					}
			expect(groups).toBeGreaterThan(100);
			expect(out.secondary).toBeGreaterThan(0);
		});
	}
});
