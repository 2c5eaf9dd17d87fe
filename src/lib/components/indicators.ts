/** Indicator helpers for the pages: the query for the filters, suppression, labels and pass/fail. */
import { indicatorRowsSql, type IndicatorRow, type Level } from '$lib/indicators/sql';
import { indicatorDef, INDICATORS, type IndicatorDef } from '$lib/indicators/registry';
import { suppressIndicators } from '$lib/privacy/suppress';
import type { RegionConfig } from '$lib/config';
import type { MessageKey } from '$lib/i18n';
import type { Row } from '$lib/charts/queries';
import { addMonths, type Filters } from './filters';

/** Indicator SQL for the filters: city + districts, or city + the district + its streets. */
export function assessmentSql(region: RegionConfig, f: Filters, levels?: Level[]): string {
	const period =
		f.kind === 'year' ? { years: [Number(f.from.slice(0, 4))] } : { from: `${f.from}-01`, to: lastDay(f.to) };
	return indicatorRowsSql({
		region,
		level: levels ?? (f.district ? ['city', 'district', 'street'] : ['city', 'district']),
		...period,
		district: f.district ?? undefined,
		category: f.category ?? undefined,
		group: f.group ?? undefined
	});
}

const lastDay = (ym: string): string => {
	const d = new Date(`${addMonths(ym, 1)}-01T00:00:00Z`);
	d.setUTCDate(0);
	return d.toISOString().slice(0, 10);
};

export interface ShownIndicator extends Omit<IndicatorRow, 'basis_count'> {
	suppressed: boolean;
}

/** Withhold small cells (primary and secondary) as the release does. */
export function suppressRows(rows: Row[], threshold: number, regionCode: string): ShownIndicator[] {
	const input = rows.map((r) => ({
		indicator_id: String(r.indicator_id),
		level: String(r.level),
		area_code: String(r.area_code),
		year: Number(r.year),
		numerator: r.numerator === null ? null : Number(r.numerator),
		denominator: r.denominator === null ? null : Number(r.denominator),
		value: r.value === null ? null : Number(r.value),
		target: r.target === null ? null : Number(r.target),
		basis_count: r.basis_count === null ? null : Number(r.basis_count)
	}));
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

export { INDICATORS, indicatorDef };
