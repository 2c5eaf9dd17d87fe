/** Indicator helpers for the pages: the query for the filters, suppression, labels and pass/fail. */
import { indicatorRowsSql, type IndicatorRow, type Level } from '../indicators/sql';
import { indicatorDef, INDICATORS, valueUnit, type IndicatorDef } from '../indicators/registry';
import { suppressIndicators } from '../privacy/suppress';
import type { RegionConfig } from '../config';
import type { MessageKey } from '../i18n';
import type { Row } from '../charts/queries';
import { addMonths, safeCode, type Filters } from './filters';
import { cubePeriod } from '../aggregates/queries';
import type { Source } from '../charts/pages';

/**
 * Indicator SQL for the filters: city + districts, or city + the district + its streets. A calendar year with
 * no category or group filter reads the release's published `indicators` table (computed at build time, small
 * cells already withheld); a quarter, a category or a group (one of them) reads its slice of `agg_indicators` (and
 * `agg_indicators_street` for streets);
 * a combination of those, a custom month range, or `source: 'raw'` computes the indicators from the raw tables.
 */
export function assessmentSql(
	region: RegionConfig,
	f: Filters,
	levels?: Level[],
	source: Source = 'agg'
): string {
	const lv = levels ?? (f.district ? ['city', 'district', 'street'] : ['city', 'district']);
	const p = cubePeriod(f);
	const category = safeCode(f.category) ? f.category! : null;
	const group = safeCode(f.group) ? f.group! : null;
	if (source === 'agg' && p) {
		const filters = (p.quarter !== null ? 1 : 0) + (category ? 1 : 0) + (group ? 1 : 0);
		if (filters === 0) return publishedSql(p.year, lv, safeCode(f.district));
		if (filters === 1) return sliceSql(p.year, p.quarter, category, group, lv, safeCode(f.district));
	}
	const period =
		f.kind === 'year' ? { years: [Number(f.from.slice(0, 4))] } : { from: `${f.from}-01`, to: lastDay(f.to) };
	return indicatorRowsSql({
		region,
		level: lv,
		...period,
		district: f.district ?? undefined,
		category: f.category ?? undefined,
		group: f.group ?? undefined
	});
}

const COLUMNS = 'indicator_id, level, area_code, year, numerator, denominator, value, target, suppressed';

/** Row conditions shared by the published tables: the year, the levels and the district's areas. */
function publishedWhere(year: number, levels: readonly Level[], district: string | null): string {
	const place = (l: Level) =>
		!district || l === 'city'
			? `level = '${l}'`
			: l === 'district'
				? `(level = 'district' AND area_code = '${district}')`
				: `(level = 'street' AND area_code IN (SELECT street_code FROM ref_streets WHERE district_code = '${district}'))`;
	return `year = ${Math.floor(year)} AND (${levels.map(place).join(' OR ')})`;
}

/** Rows of the published `indicators` table in the order and columns of `indicatorRowsSql` (with `suppressed`). */
function publishedSql(year: number, levels: readonly Level[], district: string | null): string {
	return `SELECT ${COLUMNS} FROM indicators WHERE ${publishedWhere(year, levels, district)}
	ORDER BY indicator_id, level, area_code, year`;
}

/**
 * The same rows for one quarter, one category or one group (one filter, not combined): the slice rows of
 * `agg_indicators` for the indicators the filter changes, and the whole-period rows for the others (as the
 * indicator SQL does: a filter leaves the indicators that do not list it unchanged).
 */
function sliceSql(
	year: number,
	quarter: number | null,
	category: string | null,
	group: string | null,
	levels: readonly Level[],
	district: string | null
): string {
	const where = publishedWhere(year, levels, district);
	const slice = (q: number | null, c: string | null, g: string | null) =>
		[
			q === null ? 'quarter IS NULL' : `quarter = ${Math.floor(q)}`,
			c === null ? 'category IS NULL' : `category = '${c}'`,
			g === null ? 'beneficiary_group IS NULL' : `beneficiary_group = '${g}'`
		].join(' AND ');
	// Street rows live in their own table (most of the rows), read only when streets are shown, and each table is
	// filtered on its own (a fifth less engine time than filtering the union of the two at scale 10).
	const upper = levels.filter((l) => l !== 'street');
	const sliced = (s: string) =>
		[
			upper.length &&
				`SELECT ${COLUMNS} FROM agg_indicators WHERE ${publishedWhere(year, upper, district)} AND ${s}`,
			levels.includes('street') &&
				`SELECT ${COLUMNS} FROM agg_indicators_street WHERE ${publishedWhere(year, ['street'], district)} AND ${s}`
		]
			.filter(Boolean)
			.join('\n\tUNION ALL\n\t');
	if (quarter !== null)
		return `${sliced(slice(quarter, null, null))}
	ORDER BY indicator_id, level, area_code, year`;
	const filter = category ? 'category' : 'group';
	const changed = INDICATORS.filter((d) => d.filters.includes(filter)).map((d) => `'${d.id}'`);
	return `${sliced(slice(null, category, group))}
	UNION ALL
	SELECT ${COLUMNS} FROM indicators WHERE ${where} AND indicator_id NOT IN (${changed.join(', ')})
	ORDER BY indicator_id, level, area_code, year`;
}

const lastDay = (ym: string): string => {
	const d = new Date(`${addMonths(ym, 1)}-01T00:00:00Z`);
	d.setUTCDate(0);
	return d.toISOString().slice(0, 10);
};

export interface ShownIndicator extends Omit<IndicatorRow, 'basis_count'> {
	suppressed: boolean;
}

/**
 * Withhold small cells (primary and secondary) as the release does. Rows read from the published table carry
 * `suppressed` already and are passed through.
 */
export function suppressRows(rows: Row[], threshold: number, regionCode: string): ShownIndicator[] {
	const num = (v: Row[string]) => (v === null ? null : Number(v));
	const fields = (r: Row) => ({
		indicator_id: String(r.indicator_id) as ShownIndicator['indicator_id'],
		level: String(r.level) as Level,
		area_code: String(r.area_code),
		year: Number(r.year),
		numerator: num(r.numerator),
		denominator: num(r.denominator),
		value: num(r.value),
		target: num(r.target)
	});
	if (rows.length && 'suppressed' in rows[0])
		return rows.map((r) => ({ ...fields(r), suppressed: r.suppressed === true }));
	const input = rows.map((r) => ({ ...fields(r), basis_count: num(r.basis_count) }));
	const out = suppressIndicators(input, {
		threshold,
		parentOf: (level, code) =>
			level === 'street' ? code.slice(0, 6) : level === 'district' ? regionCode : null,
		isPeopleBased: (id) => {
			try {
				return indicatorDef(id).basis === 'people';
			} catch {
				return true;
			}
		}
	});
	return out.rows as ShownIndicator[];
}

export const UNIT_LABEL: Record<string, MessageKey> = {
	ratio: 'unit_percent',
	per_10k: 'unit_per_10k',
	per_1k: 'unit_per_1k',
	hours: 'unit_hours',
	per_month: 'unit_per_month',
	days: 'unit_days',
	score10: 'unit_score'
};

/** Met / not met / no target. */
export function status(
	def: IndicatorDef,
	value: number | null,
	target: number | null
): 'pass' | 'fail' | 'none' {
	if (value === null || target === null) return 'none';
	const ok = def.higherIsBetter ? value >= target - 1e-9 : value <= target + 1e-9;
	return ok ? 'pass' : 'fail';
}

export { INDICATORS, indicatorDef, valueUnit };
