/**
 * Dashboard filters: period (year, quarter or month range), district, street, service category and
 * beneficiary group. They live in the URL search params so that views can be shared and the back button works.
 */

import { BENEFICIARY_GROUPS, CATEGORIES } from '../schema/codes';

export type PeriodKind = 'year' | 'quarter' | 'months';

export interface Filters {
	kind: PeriodKind;
	/** First month of the period, YYYY-MM. */
	from: string;
	/** Last month of the period (inclusive), YYYY-MM. */
	to: string;
	district: string | null;
	street: string | null;
	category: string | null;
	group: string | null;
}

const CODE = /^[0-9A-Za-z_-]{1,40}$/;
const YM = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Safe for interpolation into SQL string literals (codes are ASCII identifiers). */
export const safeCode = (v: string | null | undefined): string | null => (v && CODE.test(v) ? v : null);

export const ym = (y: number, m: number): string => `${y}-${String(m).padStart(2, '0')}`;

export function addMonths(value: string, n: number): string {
	const [y, m] = value.split('-').map(Number);
	const i = y * 12 + (m - 1) + n;
	return ym(Math.floor(i / 12), (i % 12) + 1);
}

export const monthsBetween = (from: string, to: string): number => {
	const [a, b] = [from, to].map((s) => s.split('-').map(Number));
	return (b[0] - a[0]) * 12 + (b[1] - a[1]) + 1;
};

/** Default filters: the whole of the latest complete calendar year of the release. */
export function defaultFilters(dataAsOf: string): Filters {
	const y = Number(dataAsOf.slice(0, 4));
	const year = dataAsOf.slice(5) === '12-31' ? y : y - 1;
	return yearFilters(year);
}

export const yearFilters = (year: number): Filters => ({
	kind: 'year',
	from: ym(year, 1),
	to: ym(year, 12),
	district: null,
	street: null,
	category: null,
	group: null
});

/** Read filters from URL search params; anything missing or invalid falls back to `defaults`. */
export function parseFilters(params: URLSearchParams, defaults: Filters): Filters {
	const f: Filters = { ...defaults };
	const from = params.get('from');
	const to = params.get('to');
	const year = Number(params.get('year'));
	const q = Number(params.get('q'));
	if (from && to && YM.test(from) && YM.test(to) && from <= to) {
		Object.assign(f, { kind: 'months', from, to });
	} else if (Number.isInteger(year) && year >= 2000 && year <= 2100) {
		if (Number.isInteger(q) && q >= 1 && q <= 4)
			Object.assign(f, { kind: 'quarter', from: ym(year, q * 3 - 2), to: ym(year, q * 3) });
		else Object.assign(f, { kind: 'year', from: ym(year, 1), to: ym(year, 12) });
	}
	f.district = safeCode(params.get('district'));
	f.street = f.district ? safeCode(params.get('street')) : null;
	if (f.street && !f.street.startsWith(f.district ?? '')) f.street = null;
	f.category = safeCode(params.get('category'));
	f.group = safeCode(params.get('group'));
	return f;
}

/** Search params for filters, leaving out what equals the defaults (so the default view has a clean URL). */
export function filtersToParams(
	f: Filters,
	defaults: Filters,
	extra: Record<string, string | null> = {}
): URLSearchParams {
	const p = new URLSearchParams();
	if (f.from !== defaults.from || f.to !== defaults.to || f.kind !== defaults.kind) {
		const year = f.from.slice(0, 4);
		if (f.kind === 'year') p.set('year', year);
		else if (f.kind === 'quarter') {
			p.set('year', year);
			p.set('q', String(Math.ceil(Number(f.from.slice(5)) / 3)));
		} else {
			p.set('from', f.from);
			p.set('to', f.to);
		}
	}
	for (const k of ['district', 'street', 'category', 'group'] as const) if (f[k]) p.set(k, f[k]!);
	for (const [k, v] of Object.entries(extra)) if (v !== null && v !== '') p.set(k, v);
	return p;
}

export const sameFilters = (a: Filters, b: Filters): boolean =>
	a.from === b.from &&
	a.to === b.to &&
	a.district === b.district &&
	a.street === b.street &&
	a.category === b.category &&
	a.group === b.group;

/** The period of equal length just before. */
export function previousPeriod(f: Filters): Filters {
	const n = monthsBetween(f.from, f.to);
	return { ...f, from: addMonths(f.from, -n), to: addMonths(f.to, -n) };
}

/** First day of the period and first day after it (ISO dates). */
export const periodBounds = (f: Filters): { start: string; end: string } => ({
	start: `${f.from}-01`,
	end: `${addMonths(f.to, 1)}-01`
});

/** Calendar years the period touches. */
export function periodYears(f: Filters): number[] {
	const out: number[] = [];
	for (let y = Number(f.from.slice(0, 4)); y <= Number(f.to.slice(0, 4)); y++) out.push(y);
	return out;
}

/** Values a page's filter bar can set, one sample per control it shows (a control left out is not shown). */
export interface ReachSample {
	district?: string;
	/** A street of `district` (only with it). */
	street?: string;
	category?: string;
	group?: string;
}

/** A filter state and how many controls differ from the page's starting state. */
export interface ReachState {
	filters: Filters;
	changes: number;
}

/**
 * Filter states a visitor can reach from `base` with at most `maxChanges` changes of a page's controls
 * (`sample`: one value for each control the page shows): each control as in `base`, cleared, or set to its
 * sample value (a street only with its district), and the period as it is, a quarter or a year, or a month
 * range. Which tables answer a query depends on which filters are set, not on their values, so one sample value
 * per control is enough.
 */
export function reachableFilters(base: Filters, sample: ReachSample, maxChanges = 2): ReachState[] {
	const year = Number(base.from.slice(0, 4));
	const periods: Pick<Filters, 'kind' | 'from' | 'to'>[] = [
		{ kind: base.kind, from: base.from, to: base.to },
		base.kind === 'quarter'
			? { kind: 'year', from: ym(year, 1), to: ym(year, 12) }
			: { kind: 'quarter', from: ym(year, 1), to: ym(year, 3) },
		{ kind: 'months', from: ym(year, 2), to: ym(year, 3) }
	];
	// A control the page shows: as it is, cleared, or the sample value; one it does not show: as it is.
	const options = <T>(cur: T | null, v: T | undefined): (T | null)[] =>
		v === undefined ? [cur] : [...new Set([cur, null, v])];
	const places: Pick<Filters, 'district' | 'street'>[] = [];
	for (const district of options(base.district, sample.district)) {
		const street = district === base.district ? base.street : null;
		const streets =
			district && sample.street?.startsWith(district) ? options(street, sample.street) : [street];
		for (const s of streets) places.push({ district, street: s });
	}
	const out: ReachState[] = [];
	for (const [pi, period] of periods.entries())
		for (const place of places)
			for (const category of options(base.category, sample.category))
				for (const group of options(base.group, sample.group)) {
					const changes =
						(pi === 0 ? 0 : 1) +
						(place.district !== base.district ? 1 : 0) +
						(place.street !== base.street ? 1 : 0) +
						(category !== base.category ? 1 : 0) +
						(group !== base.group ? 1 : 0);
					if (changes <= maxChanges)
						out.push({ filters: { ...base, ...period, ...place, category, group }, changes });
				}
	return out;
}

/** What `neighbourFilters` needs of the site data (src/lib/server/layout-data.ts). */
export interface ReachSite {
	districts: readonly { code: string }[];
	streets: readonly { code: string; district_code: string }[];
	firstMonth: string;
	lastMonth: string;
}

/**
 * The filter states one change from `base` with every value of each control the page shows (those `sample` has
 * a value for): each year of the release and each quarter of the period's year, each district (or none), each
 * street of the district set, each service category and beneficiary group (or none). Unlike
 * `reachableFilters` these are the states a visitor's next change actually lands on, not a sample of the
 * tables it reads.
 */
export function neighbourFilters(base: Filters, sample: ReachSample, site: ReachSite): ReachState[] {
	const out = new Map<string, Filters>();
	const add = (patch: Partial<Filters>) => {
		const f = { ...base, ...patch };
		if (!sameFilters(f, base) || f.kind !== base.kind) out.set(JSON.stringify(f), f);
	};
	const year = Number(base.from.slice(0, 4));
	for (let q = 1; q <= 4; q++) add({ kind: 'quarter', from: ym(year, q * 3 - 2), to: ym(year, q * 3) });
	for (let y = Number(site.lastMonth.slice(0, 4)); y >= Number(site.firstMonth.slice(0, 4)); y--)
		add({ kind: 'year', from: ym(y, 1), to: ym(y, 12) });
	if (sample.district)
		for (const district of [null, ...site.districts.map((d) => d.code)]) add({ district, street: null });
	if (sample.street && base.district)
		for (const street of [
			null,
			...site.streets.filter((s) => s.district_code === base.district).map((s) => s.code)
		])
			add({ street });
	if (sample.category) for (const category of [null, ...CATEGORIES.map((c) => c.code)]) add({ category });
	if (sample.group) for (const group of [null, ...BENEFICIARY_GROUPS.map((g) => g.code)]) add({ group });
	return [...out.values()].map((filters) => ({ filters, changes: 1 }));
}

/**
 * One value for each control a filter bar shows (`show`, as given to FilterBar): the first district (or the
 * page's own `district`), a street of it, the first category and beneficiary group.
 */
export function reachSample(
	show: { district?: boolean; street?: boolean; category?: boolean; group?: boolean },
	site: {
		districts: readonly { code: string }[];
		streets: readonly { code: string; district_code: string }[];
	},
	district: string | null = null
): ReachSample {
	const d = district ?? site.districts[0]?.code;
	const out: ReachSample = {};
	if (show.district && d) out.district = d;
	const street = site.streets.find((s) => s.district_code === d)?.code;
	if (show.street && street) out.street = street;
	if (show.category) out.category = CATEGORIES[0].code;
	if (show.group) out.group = BENEFICIARY_GROUPS[0].code;
	return out;
}
