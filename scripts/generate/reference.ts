/**
 * Reference geography for the generator: districts (with population), streets and communities of a
 * region. Read from the project's reference extract (`src/lib/reference/load.ts`, data/reference/<code>/).
 */
import { loadReference } from '../../src/lib/reference/load';

export interface GenDistrict {
	code: string;
	name: string;
	population: number;
}
export interface GenStreet {
	code: string;
	district: number;
	name: string;
}
export interface GenCommunity {
	code: string;
	street: number;
	district: number;
	name: string;
	/** Short display name: 「XX社区」 / 「XX村」. */
	short: string;
}
export interface GenReference {
	districts: GenDistrict[];
	streets: GenStreet[];
	communities: GenCommunity[];
	/** Working-day flags of the reference calendar (PRC official calendar with 调休), by ISO date. */
	workdays: Map<string, boolean>;
}

/** 「XX社区居委会」 → 「XX社区」, 「XX村委会」 → 「XX村」. */
export function shortCommunityName(name: string): string {
	const s = name
		.replace(/(村民委员会|村委会)$/, '村')
		.replace(/(社区居民委员会|社区居委会)$/, '社区')
		.replace(/(居民委员会|居委会|委员会|委会会)$/, '社区');
	return s || name;
}

export async function genReference(region: string): Promise<GenReference> {
	const ref = await loadReference(region);
	const byCode = <T>(a: T[], key: (x: T) => string) =>
		[...a].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
	const districts = byCode(ref.districts, (d) => d.district_code).map((d) => ({
		code: String(d.district_code),
		name: d.name_zh,
		population: Number(d.population)
	}));
	const dIndex = new Map(districts.map((d, i) => [d.code, i]));
	const streets: GenStreet[] = [];
	for (const s of byCode(ref.streets, (x) => x.street_code)) {
		const district = dIndex.get(String(s.district_code));
		if (district === undefined) continue;
		streets.push({ code: String(s.street_code), district, name: s.name_zh });
	}
	const sIndex = new Map(streets.map((s, i) => [s.code, i]));
	const communities: GenCommunity[] = [];
	for (const c of byCode(ref.communities, (x) => x.community_code)) {
		const street = sIndex.get(String(c.street_code));
		if (street === undefined) continue;
		communities.push({
			code: String(c.community_code),
			street,
			district: streets[street].district,
			name: c.name_zh,
			short: shortCommunityName(c.name_zh)
		});
	}
	if (!districts.length || !streets.length || !communities.length)
		throw new Error(`reference data for region ${region} is empty (districts/streets/communities)`);
	for (const d of districts)
		if (!(d.population > 0))
			throw new Error(`reference district ${d.code} ${d.name}: population missing or not positive`);
	const workdays = new Map(ref.calendar.map((d) => [d.date, d.is_workday]));
	return { districts, streets, communities, workdays };
}
