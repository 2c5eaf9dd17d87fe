import { error } from '@sveltejs/kit';
import { districtQueries } from '$lib/charts/pages';
import { regionConfig } from '$lib/config';
import { assessmentSql } from '$lib/components/indicators';
import { latestRelease, runAll, serverQuery } from '$lib/server/release';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = async () => {
	latestRelease();
	const rows = await serverQuery('SELECT district_code AS code FROM ref_districts ORDER BY 1');
	return rows.flatMap((r) => [{ code: String(r.code) }, { lang: 'en', code: String(r.code) }]);
};

export const load: PageServerLoad = async ({ parent, params }) => {
	const { site } = await parent();
	const district = site.districts.find((d) => d.code === params.code);
	if (!district) error(404, `unknown district ${params.code}`);
	const f = { ...site.defaults, district: district.code };
	const queries = {
		...districtQueries(f, site.region.star_bands_hours),
		indicators: assessmentSql(regionConfig(site.region.code), f, ['city', 'district'])
	};
	return { district, results: await runAll(queries) };
};
