import { areaTableSql } from '$lib/charts/queries';
import { runAll } from '$lib/server/release';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent }) => {
	const { site } = await parent();
	return { results: await runAll({ districts: areaTableSql(site.defaults, 'district') }) };
};
