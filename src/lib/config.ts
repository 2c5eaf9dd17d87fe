/** Region and site configuration. The region is a city code; a second city is a new `data/regions/<code>.json`
 * plus its reference extract under `data/reference/<code>/`. */
import site from '../../data/config.json';
import guangzhou from '../../data/regions/4401.json';

export type RegionConfig = typeof guangzhou;
export type SiteConfig = typeof site;

const regions: Record<string, RegionConfig> = { '4401': guangzhou };

export const siteConfig: SiteConfig = site;

export function regionConfig(code: string = site.region): RegionConfig {
	const r = regions[code];
	if (!r)
		throw new Error(
			`No configuration for region ${code}: add data/regions/${code}.json and register it in src/lib/config.ts`
		);
	return r;
}
