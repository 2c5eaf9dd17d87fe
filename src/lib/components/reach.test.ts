/**
 * The tables each dashboard page loads ahead of need, derived from the page's own query builders: these fail
 * when a builder's table choice changes (e.g. a group's rows move to another table) and the derivation misses it.
 */
import { describe, expect, it } from 'vitest';
import { regionConfig } from '$lib/config';
import { categoriesQueries, mapQueries, overviewQueries } from '$lib/charts/pages';
import { reachableTables } from '$lib/db/query-manager';
import { PUBLIC_TABLES } from '$lib/schema/public';
import { assessmentSql } from './indicators';
import {
	defaultFilters,
	neighbourFilters,
	reachableFilters,
	reachSample,
	sameFilters,
	type Filters
} from './filters';
import { BENEFICIARY_GROUPS, CATEGORIES } from '$lib/schema/codes';

const base = defaultFilters('2025-12-31');
const site = {
	districts: [{ code: '440103' }, { code: '440104' }],
	streets: [
		{ code: '440104001', district_code: '440104' },
		{ code: '440103001', district_code: '440103' }
	]
};
const all = { district: true, street: true, category: true, group: true };
const region = regionConfig('4401');
const onDemand = PUBLIC_TABLES.filter((t) => t.browser === 'on-demand').map((t) => t.name);

const reachOf = (build: (f: Filters) => readonly string[], show: typeof all, f: Filters = base) =>
	reachableTables(build, reachableFilters(f, reachSample(show, site, f.district)));

const pages = {
	overview: () => reachOf((f) => Object.values(overviewQueries(f, [10, 50])), all),
	categories: () => reachOf((f) => Object.values(categoriesQueries(f)), all),
	map: () =>
		reachOf(
			(f) => [
				...Object.values(mapQueries(f)),
				assessmentSql(region, { ...f, district: null, street: null }, ['city', 'district'])
			],
			{ district: true, street: false, category: true, group: true }
		),
	assessment: () =>
		reachOf((f) => [assessmentSql(region, f)], { district: true, street: false, category: true, group: true })
};

describe('tables loaded ahead of need', () => {
	it('overview: the beneficiary-group tables, first', () => {
		const { own, reach } = pages.overview();
		expect(own).toContain('agg_activity_month');
		expect(own).not.toContain('agg_activity_month_group');
		expect(reach.slice(0, 2).sort()).toEqual(['agg_active_group', 'agg_activity_month_group']);
	});

	it('categories: the group table is its own already (the groups panel reads it), nothing to warm for it', () => {
		const { own, reach } = pages.categories();
		expect(own).toContain('agg_activity_month_group');
		expect(reach).not.toContain('agg_activity_month_group');
	});

	it('assessment: the indicator slices first, the street slices (district + slice) after', () => {
		const { own, reach } = pages.assessment();
		expect(own).toEqual(['indicators']);
		expect(reach).toContain('agg_indicators');
		expect(reach).toContain('agg_indicators_street');
		expect(reach[0]).toBe('agg_indicators');
		expect(reach.indexOf('agg_indicators')).toBeLessThan(reach.indexOf('agg_indicators_street'));
		// Streets are shown only with a district: without the district control, no street slices.
		const noDistrict = reachOf((f) => [assessmentSql(region, f)], {
			district: false,
			street: false,
			category: true,
			group: true
		});
		expect(noDistrict.reach).toContain('agg_indicators');
		expect(noDistrict.reach).not.toContain('agg_indicators_street');
	});

	it('assessment with a district chosen: the street slices are one change away, right after the city ones', () => {
		const show = { district: true, street: false, category: true, group: true };
		const { own, reach } = reachOf((f) => [assessmentSql(region, f)], show, { ...base, district: '440104' });
		expect(own.sort()).toEqual(['indicators', 'ref_streets']);
		expect(reach.slice(0, 2)).toEqual(['agg_indicators', 'agg_indicators_street']);
	});

	it('map: the indicator slices first (a quarter, category or group needs them), no street slices', () => {
		const { reach } = pages.map();
		expect(reach[0]).toBe('agg_indicators');
		expect(reach).toContain('agg_activity_month_group');
		expect(reach).not.toContain('agg_indicators_street');
	});

	it('never a raw (on-demand) table, and never one the page loads anyway', () => {
		expect(onDemand.length).toBeGreaterThan(0);
		for (const [name, p] of Object.entries(pages)) {
			const { own, reach } = p();
			expect(
				reach.filter((t) => onDemand.includes(t)),
				name
			).toEqual([]);
			expect(
				own.filter((t) => onDemand.includes(t)),
				name
			).toEqual([]);
			expect(
				reach.filter((t) => own.includes(t)),
				name
			).toEqual([]);
		}
	});

	it('reachable filter states: one sample per shown control, streets only with their district', () => {
		const states = reachableFilters(base, reachSample({ district: true, category: true }, site));
		expect(states.filter((s) => s.changes === 0)).toEqual([{ filters: base, changes: 0 }]);
		expect(states.every((s) => s.filters.group === null && s.filters.street === null)).toBe(true);
		expect(states.some((s) => s.filters.district === '440103' && s.filters.category === 'care_support')).toBe(
			true
		);
		const withStreets = reachableFilters(base, reachSample(all, site));
		for (const s of withStreets) if (s.filters.street) expect(s.filters.district).toBe('440103');
		expect(withStreets.some((s) => s.filters.kind === 'quarter' && s.changes === 1)).toBe(true);
	});

	it('neighbour states: every value of each shown control, one change away', () => {
		const range = { ...site, firstMonth: '2023-03', lastMonth: '2025-12' };
		const states = neighbourFilters(base, reachSample({ district: true, category: true }, site), range);
		const fs = states.map((s) => s.filters);
		expect(states.every((s) => s.changes === 1)).toBe(true);
		// None is the starting state, none appears twice.
		expect(fs.some((f) => sameFilters(f, base) && f.kind === base.kind)).toBe(false);
		expect(new Set(fs.map((f) => JSON.stringify(f))).size).toBe(fs.length);
		// Each district and each category, no group or street (not shown), each year and quarter of 2025.
		for (const d of site.districts) expect(fs).toContainEqual({ ...base, district: d.code });
		for (const c of CATEGORIES) expect(fs).toContainEqual({ ...base, category: c.code });
		expect(fs.some((f) => f.group !== null || f.street !== null)).toBe(false);
		for (const y of [2023, 2024]) expect(fs).toContainEqual({ ...base, from: `${y}-01`, to: `${y}-12` });
		expect(fs.filter((f) => f.kind === 'quarter').map((f) => f.from)).toEqual([
			'2025-01',
			'2025-04',
			'2025-07',
			'2025-10'
		]);
		// Every state differs from the start in exactly one control (the period counts as one).
		const diff = (f: Filters) =>
			(f.from !== base.from || f.to !== base.to || f.kind !== base.kind ? 1 : 0) +
			(['district', 'street', 'category', 'group'] as const).filter((k) => f[k] !== base[k]).length;
		expect(fs.every((f) => diff(f) === 1)).toBe(true);
		expect(fs).toHaveLength(2 + 2 + 4 + CATEGORIES.length);
		// With a district set: its streets, and clearing it; each group when groups are shown.
		const inDistrict = { ...base, district: '440104' };
		const more = neighbourFilters(inDistrict, reachSample(all, site, '440104'), range).map((s) => s.filters);
		expect(more).toContainEqual({ ...inDistrict, street: '440104001' });
		expect(more.some((f) => f.street === '440103001')).toBe(false);
		expect(more).toContainEqual({ ...inDistrict, district: null });
		for (const g of BENEFICIARY_GROUPS) expect(more).toContainEqual({ ...inDistrict, group: g.code });
	});
});
