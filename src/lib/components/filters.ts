/**
 * Dashboard filters: period (year, quarter or month range), district, street, service category and
 * beneficiary group. They live in the URL search params so that views can be shared and the back button works.
 */

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
