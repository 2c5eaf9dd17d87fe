import { districtListQueries } from '$lib/charts/pages';
import { runAll } from '$lib/server/release';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent }) => {
	const { site } = await parent();
	return { results: await runAll(districtListQueries(site.defaults)) };
};
