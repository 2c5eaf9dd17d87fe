import { describe, expect, it } from 'vitest';
import {
	defaultFilters,
	filtersToParams,
	parseFilters,
	periodBounds,
	previousPeriod,
	sameFilters
} from './filters';

const d = defaultFilters('2025-12-31');

describe('filters in the URL', () => {
	it('defaults to the latest complete year', () => {
		expect(d).toMatchObject({ kind: 'year', from: '2025-01', to: '2025-12' });
		expect(defaultFilters('2026-06-30')).toMatchObject({ from: '2025-01', to: '2025-12' });
	});
	it('round-trips year, quarter, month range and codes', () => {
		for (const qs of [
			'',
			'year=2024',
			'year=2024&q=3',
			'from=2023-02&to=2024-05',
			'district=440106&street=440106001&category=health&group=general'
		]) {
			const f = parseFilters(new URLSearchParams(qs), d);
			const back = filtersToParams(f, d).toString();
			expect(sameFilters(parseFilters(new URLSearchParams(back), d), f)).toBe(true);
			expect(back).toBe(new URLSearchParams(qs).toString());
		}
	});
	it('rejects bad values and streets outside the district', () => {
		const f = parseFilters(new URLSearchParams("district=44'01&from=2024-13&to=2024-01&street=440103001"), d);
		expect(f).toMatchObject({ district: null, street: null, from: '2025-01', to: '2025-12' });
		expect(parseFilters(new URLSearchParams('district=440106&street=440103001'), d).street).toBeNull();
	});
	it('computes bounds and the previous period', () => {
		const q = parseFilters(new URLSearchParams('year=2024&q=1'), d);
		expect(periodBounds(q)).toEqual({ start: '2024-01-01', end: '2024-04-01' });
		expect(previousPeriod(q)).toMatchObject({ from: '2023-10', to: '2023-12' });
	});
});
