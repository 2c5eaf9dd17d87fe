import { mapQueries } from '$lib/charts/pages';
import { regionConfig } from '$lib/config';
import { assessmentSql } from '$lib/components/indicators';
import { runAll } from '$lib/server/release';
import { readDistrictsGeojson } from '$lib/server/geo';
import { districtShapes } from '$lib/map/shapes';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent }) => {
	const { site } = await parent();
	return {
		results: await runAll({
			...mapQueries(site.defaults),
			indicators: assessmentSql(
				regionConfig(site.region.code),
				{ ...site.defaults, district: null, street: null },
				['city', 'district']
			)
		}),
		outline: districtShapes(readDistrictsGeojson(site.region.code), 600, 480)
	};
};
