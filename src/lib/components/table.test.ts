import { describe, expect, it } from 'vitest';
import { toCsv, type Column } from './table';

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
