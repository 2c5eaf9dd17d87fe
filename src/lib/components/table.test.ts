import { describe, expect, it } from 'vitest';
import { sameRows, toCsv, type Column } from './table';

const columns: Column[] = [
	{ key: 'name', label: 'name' },
	{ key: 'n', label: 'n', unit: 'persons' }
];

describe('toCsv', () => {
	it('guards text that a spreadsheet would run as a formula, but not numbers', () => {
		const csv = toCsv(columns, [
			{ name: '=HYPERLINK("http://x")', n: -3 },
			{ name: '+1', n: 2 },
			{ name: '-x', n: 0 },
			{ name: '@SUM(1)', n: 1 },
			{ name: '<img src=x onerror=alert(1)>', n: 5 }
		]);
		expect(csv.replace(/^\ufeff/, '').split('\r\n')).toEqual([
			'name,n',
			`"'=HYPERLINK(""http://x"")",-3`,
			"'+1,2",
			"'-x,0",
			"'@SUM(1),1",
			'<img src=x onerror=alert(1)>,5',
			''
		]);
	});
});

describe('sameRows', () => {
	it('is true only for the same columns, order and values', () => {
		const a = [
			{ month: '2024-01', n: 3, x: null },
			{ month: '2024-02', n: 0.1 + 0.2, x: 'a' }
		];
		expect(
			sameRows(
				a,
				a.map((r) => ({ ...r }))
			)
		).toBe(true);
		expect(sameRows([], [])).toBe(true);
		expect(sameRows(a, a.slice(0, 1))).toBe(false);
		expect(sameRows(a, [a[1], a[0]])).toBe(false);
		expect(sameRows(a, [a[0], { ...a[1], n: 0.3 }])).toBe(false);
		expect(sameRows(a, [a[0], { ...a[1], x: null }])).toBe(false);
		expect(sameRows(a, [a[0], { n: a[1].n, month: a[1].month, x: a[1].x }])).toBe(false);
		expect(sameRows([{ n: 1 }], [{ n: 1, m: 2 }])).toBe(false);
	});
});
