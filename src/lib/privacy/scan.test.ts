import { describe, expect, it } from 'vitest';
import {
	equivalenceClasses,
	findIdCardNumbers,
	findPhoneNumbers,
	isIdCardNumber,
	minClassSize,
	recoverableCells
} from './scan';

describe('findPhoneNumbers', () => {
	it('finds mobiles in Chinese text, with +86 and separators, and landlines with an area code', () => {
		const t = '联系人电话13812345678，或 +86 139-1234-5678；办公室 020-83456789。';
		expect(findPhoneNumbers(t).map((h) => h.value)).toEqual([
			'13812345678',
			'+86 139-1234-5678',
			'020-83456789'
		]);
		expect(findPhoneNumbers('tel:19900000001')[0]).toEqual({ value: '19900000001', index: 4 });
	});

	it('ignores digit runs inside hashes, longer numbers, dates and pseudonyms', () => {
		const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
		const t = `${sha}  a13812345678b 138123456789 2024-05-01 12000000000 v_abcdefghjkmnpqrs 1.3812345678`;
		expect(findPhoneNumbers(t)).toEqual([]);
		expect(findPhoneNumbers('a12812345678')).toEqual([]);
	});

	it('ignores the digits of decimal numbers, but not a number after a full stop', () => {
		// A float in a JSON answer: its fraction digits are no phone number, nor are the digits before a decimal point.
		expect(findPhoneNumbers('{"numerator":72217.19999999992,"x":13812345678.5}')).toEqual([]);
		expect(findPhoneNumbers('Tel.13812345678. 电话：13912345678。').map((h) => h.value)).toEqual([
			'13812345678',
			'13912345678'
		]);
	});
});

describe('findIdCardNumbers', () => {
	it('validates the birth date and the MOD 11-2 check character', () => {
		expect(isIdCardNumber('11010519491231002X')).toBe(true); // GB 11643 example
		expect(isIdCardNumber('11010519491231002x')).toBe(true);
		expect(isIdCardNumber('110105194912310021')).toBe(false); // wrong check digit
		expect(isIdCardNumber('11010519491331002X')).toBe(false); // month 13
		expect(isIdCardNumber('11010519490230002X')).toBe(false); // 30 February
		expect(isIdCardNumber('01010519491231002X')).toBe(false); // region cannot start with 0
	});

	it('finds valid numbers in text only', () => {
		const t = '身份证11010519491231002X，另一个110105194912310021，编号123456789012345678901';
		expect(findIdCardNumbers(t).map((h) => h.value)).toEqual(['11010519491231002X']);
		// Every valid check character is found; a run of 18 random digits with a wrong check is not.
		const base = '44010319850615123';
		const found = '0123456789X'.split('').filter((c) => findIdCardNumbers(` ${base}${c} `).length);
		expect(found).toHaveLength(1);
	});
});

describe('equivalenceClasses', () => {
	const rows = [
		{ a: 1, b: 'x', c: 9 },
		{ a: 1, b: 'x', c: 8 },
		{ a: 1, b: null, c: 7 },
		{ a: 2, b: 'x', c: 7 },
		{ a: 1, b: undefined, c: 7 }
	];
	it('groups by the key values, null and undefined being one withheld value, smallest first', () => {
		const cls = equivalenceClasses(rows, ['a', 'b']);
		expect(cls.map((c) => [c.values, c.size, c.rows])).toEqual([
			[[2, 'x'], 1, [3]],
			[[1, 'x'], 2, [0, 1]],
			[[1, null], 2, [2, 4]]
		]);
		expect(minClassSize(rows, ['a', 'b'])).toBe(1);
		expect(minClassSize(rows, ['b'])).toBe(2);
		expect(minClassSize([], ['a'])).toBe(Infinity);
	});
	it('does not confuse the string "null" or 1 and "1" with other values', () => {
		expect(equivalenceClasses([{ a: 'null' }, { a: null }, { a: 1 }, { a: '1' }], ['a'])).toHaveLength(4);
	});
});

describe('recoverableCells', () => {
	it('a total minus the shown parts reveals a lone withheld part', () => {
		const cons = [{ total: null, parts: ['a1', 'a2', 'a3'] }];
		expect(recoverableCells(cons, new Set(['a2']))).toEqual(['a2']);
		expect(recoverableCells(cons, new Set(['a2', 'a3']))).toEqual([]);
	});

	it('peels across crossing totals (rows and columns)', () => {
		// 2 × 2 table with known row and column totals: withholding one cell per row is not enough when a
		// column then has a single unknown; withholding a full rectangle is.
		const cons = [
			{ total: null, parts: ['r1c1', 'r1c2'] },
			{ total: null, parts: ['r2c1', 'r2c2'] },
			{ total: null, parts: ['r1c1', 'r2c1'] },
			{ total: null, parts: ['r1c2', 'r2c2', 'r3c2'] },
			{ total: null, parts: ['r3c2'] }
		];
		expect(recoverableCells(cons, new Set(['r1c1', 'r2c2']))).toEqual(['r1c1', 'r2c2']);
		expect(recoverableCells(cons, new Set(['r1c1', 'r1c2', 'r2c1', 'r2c2']))).toEqual([]);
		// r3c2 is its own total; the 2 × 2 block stays unknown (four unknowns, only sums of pairs known).
		expect(recoverableCells(cons, new Set(['r3c2', 'r1c1', 'r1c2', 'r2c1', 'r2c2']))).toEqual(['r3c2']);
	});

	it('solves the system, not one total at a time: a cell joining two withheld blocks', () => {
		// Rows r1, r2 and columns c1, c2 over one 2 × 2 block, rows r3, r4 and columns c3, c4 over another,
		// and x in row r2 and column c3: every total has ≥ 2 unknowns, yet r1 + r2 − c1 − c2 = x.
		const cell = (r: number, c: number) => `r${r}c${c}`;
		const ids = [
			...[1, 2].flatMap((r) => [1, 2].map((c) => cell(r, c))),
			...[3, 4].flatMap((r) => [3, 4].map((c) => cell(r, c))),
			cell(2, 3)
		];
		const parse = (id: string) => id.slice(1).split('c').map(Number);
		const cons = [1, 2, 3, 4].flatMap((k) => [
			{ total: null, parts: ids.filter((id) => parse(id)[0] === k) },
			{ total: null, parts: ids.filter((id) => parse(id)[1] === k) }
		]);
		expect(recoverableCells(cons, new Set(ids))).toEqual(['r2c3']);
		// A fifth cell in row r1 and column c4 closes a cycle through x: nothing follows any more.
		cons[0].parts = [...cons[0].parts, 'r1c4'];
		cons[7].parts = [...cons[7].parts, 'r1c4'];
		expect(recoverableCells(cons, new Set([...ids, 'r1c4']))).toEqual([]);
	});

	it('uses published totals when shown and hierarchies street → district → city', () => {
		const cons = [
			{ total: 'city', parts: ['d1', 'd2'] },
			{ total: 'd1', parts: ['s1', 's2'] },
			{ total: 'd2', parts: ['s3', 's4'] }
		];
		// d1 withheld with both its streets: d2 and the city give d1, then s1 + s2 is known but not each.
		expect(recoverableCells(cons, new Set(['d1', 's1', 's2']))).toEqual(['d1']);
		expect(recoverableCells(cons, new Set(['s1', 's3', 's4']))).toEqual(['s1']);
		expect(recoverableCells(cons, new Set(['city', 'd1', 's1', 's2']))).toEqual([]);
	});
});
