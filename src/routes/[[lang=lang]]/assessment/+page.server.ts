import { regionConfig } from '$lib/config';
import { assessmentSql } from '$lib/components/indicators';
import { runAll } from '$lib/server/release';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent }) => {
	const { site } = await parent();
	return {
		results: await runAll({ indicators: assessmentSql(regionConfig(site.region.code), site.defaults) })
	};
};
