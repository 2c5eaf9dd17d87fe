/**
 * The named queries of each page, shared by the prerender load functions and the browser. They read the
 * pre-aggregated tables (`src/lib/aggregates/queries.ts`) by default; `source: 'raw'` (the `?source=raw` URL
 * switch, for the benchmark and for checking) asks the same questions of the raw tables instead.
 */
import type { Filters } from '../components/filters';
import * as aggregated from '../aggregates/queries';
import * as rawQueries from './queries';

export type Source = 'agg' | 'raw';

const q = (source: Source) => (source === 'raw' ? rawQueries : aggregated);

export const overviewQueries = (f: Filters, bands: readonly number[], source: Source = 'agg') => ({
	headline: q(source).headlineSql(f),
	/** The trend, categories and verification panels' answers (`splitFlows` of `./flows`). */
	flows: q(source).flowsSql(f),
	stars: q(source).starsSql(f, bands),
	districts: q(source).areaTableSql(f, 'district')
});

/** District page: the filters with the district fixed. */
export const districtQueries = (f: Filters, bands: readonly number[], source: Source = 'agg') => ({
	headline: q(source).headlineSql(f),
	city: q(source).headlineSql({ ...f, district: null, street: null }),
	flows: q(source).flowsSql(f),
	stars: q(source).starsSql(f, bands),
	streets: q(source).areaTableSql(f, 'street')
});

export const categoriesQueries = (f: Filters, source: Source = 'agg') => ({
	/** The categories and the categories per month (`splitFlows` of `./flows`). */
	flows: q(source).flowsSql(f, { byMonth: true }),
	groups: q(source).groupsSql(f),
	byDistrict: q(source).categoriesByDistrictSql(f)
});

export const mapQueries = (f: Filters, source: Source = 'agg') => ({
	districts: q(source).areaTableSql({ ...f, district: null, street: null }, 'district'),
	gaps: q(source).gapsSql(f),
	gapSummary: q(source).gapSummarySql(f)
});

/** The district list page. */
export const districtListQueries = (f: Filters, source: Source = 'agg') => ({
	districts: q(source).areaTableSql(f, 'district')
});
