import { describe, expect, it } from 'vitest';
import { formatChange, formatCount, formatDate, formatPercent, formatValue } from './format';
import { localeOfPath, localizePath, stripLocale, t } from './index';
import { zhCN } from './messages/zh-CN';
import { INDICATORS, valueUnit } from '../indicators/registry';
import { en } from './messages/en';

describe('format', () => {
	it('gives an average of hours one decimal, also when it is zero; a total of hours drops it', () => {
		const perActive = INDICATORS.find((d) => d.id === 'hours_per_active')!;
		for (const locale of ['zh-CN', 'en'] as const) {
			expect(formatValue(20, valueUnit(perActive.unit), locale)).toBe('20.0');
			expect(formatValue(20.46, valueUnit(perActive.unit), locale)).toBe('20.5');
			expect(formatValue(20, 'hours', locale)).toBe('20');
		}
		// The other indicator units format as they are.
		for (const d of INDICATORS.filter((x) => x.unit !== 'hours')) expect(valueUnit(d.unit)).toBe(d.unit);
	});
	it('uses 万 and 亿 in Chinese', () => {
		expect(formatCount(123_456, 'zh-CN')).toBe('12.3万');
		expect(formatCount(9_999, 'zh-CN')).toBe('9,999');
		expect(formatCount(345_000_000, 'zh-CN')).toBe('3.45亿');
		expect(formatCount(2_500_000, 'zh-CN')).toBe('250万');
	});
	it('groups digits in English and compacts millions', () => {
		expect(formatCount(123_456, 'en')).toBe('123,456');
		expect(formatCount(2_345_678, 'en')).toBe('2.35 M');
	});
	it('formats ratios, changes and dates', () => {
		expect(formatPercent(0.4567, 'en')).toBe('45.7%');
		expect(formatValue(0.5, 'ratio', 'zh-CN')).toBe('50.0%');
		expect(formatValue(null, 'ratio', 'en')).toBe('–');
		expect(formatChange(110, 100, 'en')).toBe('+10.0%');
		expect(formatChange(90, 100, 'en')).toBe('−10.0%');
		expect(formatChange(90, 0, 'en')).toBeNull();
		expect(formatDate('2025-03-01', 'zh-CN')).toBe('2025年3月1日');
		expect(formatDate('2025-03-01', 'en')).toBe('1 Mar 2025');
	});
});

describe('i18n', () => {
	it('has the same keys in both languages, none empty', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
		for (const v of [...Object.values(en), ...Object.values(zhCN)]) expect(v.length).toBeGreaterThan(0);
	});
	it('fills placeholders and maps paths', () => {
		expect(t('en', 'data_as_of', { date: 'X' })).toBe('Data as of X');
		expect(localeOfPath('/en/map/')).toBe('en');
		expect(localeOfPath('/map/')).toBe('zh-CN');
		expect(stripLocale('/en/map/')).toBe('/map/');
		expect(localizePath('/map/', 'en')).toBe('/en/map/');
	});
});
