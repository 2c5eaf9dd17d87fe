/** The named queries of each page, shared by the prerender load functions and the browser. */
import type { Filters } from '../components/filters';
import {
	areaTableSql,
	categoriesByDistrictSql,
	categoriesByMonthSql,
	categoriesSql,
	gapsSql,
	groupsSql,
	headlineSql,
	starsSql,
	trendSql,
	verificationSql
} from './queries';

export const overviewQueries = (f: Filters, bands: readonly number[]) => ({
	headline: headlineSql(f),
	trend: trendSql(f),
	categories: categoriesSql(f),
	stars: starsSql(f, bands),
	verification: verificationSql(f),
	districts: areaTableSql(f, 'district')
});

/** District page: the filters with the district fixed. */
export const districtQueries = (f: Filters, bands: readonly number[]) => ({
	headline: headlineSql(f),
	city: headlineSql({ ...f, district: null, street: null }),
	trend: trendSql(f),
	categories: categoriesSql(f),
	stars: starsSql(f, bands),
	verification: verificationSql(f),
	streets: areaTableSql(f, 'street')
});

export const categoriesQueries = (f: Filters) => ({
	categories: categoriesSql(f),
	groups: groupsSql(f),
	byMonth: categoriesByMonthSql(f),
	byDistrict: categoriesByDistrictSql(f)
});

export const mapQueries = (f: Filters) => ({
	districts: areaTableSql({ ...f, district: null, street: null }, 'district'),
	gaps: gapsSql(f)
});
