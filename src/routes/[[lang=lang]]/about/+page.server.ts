import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { regionConfig } from '$lib/config';
import { INDICATORS, cityTarget } from '$lib/indicators/registry';
import { indicatorSql } from '$lib/indicators/sql';
import { indicatorDocs, sourceDocs } from '$lib/research/methodology';
import { latestRelease } from '$lib/server/release';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () => [{}, { lang: 'en' }];

export const load: PageServerLoad = () => {
	const region = regionConfig();
	const year = Number(latestRelease().data_as_of.slice(0, 4));
	const registry = INDICATORS.map((d) => {
		const t = cityTarget(d, region);
		const shown = t === null ? null : d.unit === 'ratio' ? `${Math.round(t * 1000) / 10}%` : String(t);
		const op = d.higherIsBetter ? '≥' : '≤';
		return {
			id: d.id,
			name: d.name,
			definition: d.definition,
			formula: d.formula,
			unit: d.unit,
			seed: d.source,
			sql: indicatorSql(d.id, { region, level: 'district', years: [year] }),
			target_text:
				shown === null
					? undefined
					: d.targetScope === 'pro_rata'
						? {
								zh: `市级 ${op} ${shown}；各区按常住人口比例分摊`,
								en: `city ${op} ${shown}; districts pro rata by population`
							}
						: { zh: `${op} ${shown}`, en: `${op} ${shown}` }
		};
	});
	const file = path.resolve('data/reference', region.code, 'sources.json');
	const sources = existsSync(file) ? sourceDocs(JSON.parse(readFileSync(file, 'utf8'))) : [];
	return { indicators: indicatorDocs(registry), sources, threshold: region.suppression_threshold, year };
};
