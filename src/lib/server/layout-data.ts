/** Data every page needs: the release, the reference lists for the filters, the site configuration. */
import { latestRelease, serverQuery } from './release';
import { siteConfig, regionConfig } from '../config';
import { defaultFilters, type Filters } from '../components/filters';
import { dataRangeSql } from '../charts/queries';

export interface DistrictRef {
	code: string;
	name_zh: string;
	name_en: string;
	population: number;
}
export interface StreetRef {
	code: string;
	district_code: string;
	name_zh: string;
}

export interface SiteData {
	release: { version: string; created: string; data_as_of: string; base: string };
	defaults: Filters;
	firstMonth: string;
	lastMonth: string;
	districts: DistrictRef[];
	streets: StreetRef[];
	site: {
		contact_url: string;
		objection_url: string;
		publisher_zh: string;
		publisher_en: string;
		basemap_style_url: string | null;
	};
	region: {
		code: string;
		name_zh: string;
		name_en: string;
		time_bank_zh: string;
		time_bank_en: string;
		suppression_threshold: number;
		star_bands_hours: number[];
		map_center: number[];
		map_zoom: number;
	};
}

let cached: Promise<SiteData> | null = null;

export function siteData(): Promise<SiteData> {
	cached ??= (async () => {
		const rel = latestRelease();
		const region = regionConfig();
		const [range] = await serverQuery(dataRangeSql());
		const districts = (await serverQuery(
			'SELECT district_code AS code, name_zh, name_en, population::DOUBLE AS population FROM ref_districts ORDER BY 1'
		)) as unknown as DistrictRef[];
		const streets = (await serverQuery(
			'SELECT street_code AS code, district_code, name_zh FROM ref_streets ORDER BY 1'
		)) as unknown as StreetRef[];
		return {
			release: {
				version: rel.version,
				created: rel.created,
				data_as_of: rel.data_as_of,
				base: `/data/${rel.path}`
			},
			defaults: defaultFilters(rel.data_as_of),
			firstMonth: String(range?.first_month ?? rel.data_as_of.slice(0, 7)),
			lastMonth: String(range?.last_month ?? rel.data_as_of.slice(0, 7)),
			districts,
			streets,
			site: {
				contact_url: siteConfig.contact_url,
				objection_url: siteConfig.objection_url,
				publisher_zh: siteConfig.publisher_zh,
				publisher_en: siteConfig.publisher_en,
				basemap_style_url: (siteConfig.basemap_style_url as string | null) ?? null
			},
			region: {
				code: region.code,
				name_zh: region.name_zh,
				name_en: region.name_en,
				time_bank_zh: region.time_bank_zh,
				time_bank_en: region.time_bank_en,
				suppression_threshold: region.suppression_threshold,
				star_bands_hours: region.star_bands_hours,
				map_center: region.map_center,
				map_zoom: region.map_zoom
			}
		};
	})();
	return cached;
}
