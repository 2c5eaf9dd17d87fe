import { overviewQueries } from '$lib/charts/pages';
import { runAll } from '$lib/server/release';
import { readDistrictsGeojson } from '$lib/server/geo';
import { districtShapes } from '$lib/map/shapes';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent }) => {
	const { site } = await parent();
	return {
		results: await runAll(overviewQueries(site.defaults, site.region.star_bands_hours)),
		outline: districtShapes(readDistrictsGeojson(site.region.code), 360, 420)
	};
};
