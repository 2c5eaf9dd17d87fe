import { describe, expect, it } from 'vitest';
import { researchCatalogs, rt } from './i18n';

describe('research messages', () => {
	it('exist in Chinese and English with the same keys and placeholders', () => {
		const { zh, en } = researchCatalogs;
		expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
		const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const k of Object.keys(zh)) {
			expect(zh[k].trim(), k).not.toBe('');
			expect(en[k].trim(), k).not.toBe('');
			expect(holes(en[k]), k).toEqual(holes(zh[k]));
		}
	});

	it('fills placeholders', () => {
		expect(rt('en', 'sql_error_at', { line: 2, col: 7 })).toBe('Error at line 2, column 7');
		expect(rt('zh-CN', 'sql_error_at', { line: 2, col: 7 })).toBe('错误位置：第 2 行，第 7 列');
	});
});
