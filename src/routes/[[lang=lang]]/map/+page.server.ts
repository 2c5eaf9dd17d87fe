import { mapQueries } from '$lib/charts/pages';
import { runAll } from '$lib/server/release';
import { readDistrictsGeojson } from '$lib/server/geo';
import { districtShapes } from '$lib/map/shapes';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent }) => {
	const { site } = await parent();
	return {
		results: await runAll(mapQueries(site.defaults)),
		shapes: districtShapes(readDistrictsGeojson(site.region.code), 600, 480)
	};
};
