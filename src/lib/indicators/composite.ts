/**
 * Composite assessment score (DOMAIN.md §7), pure TypeScript so the pages, the release and the tests share it.
 *
 * - An indicator with a target scores min(value ÷ target, 1). (Every targeted indicator is higher-is-better;
 *   a lower-is-better one with a target would score min(target ÷ value, 1).)
 * - Any other indicator scores its percentile among the peers of the same level and year that have a value:
 *   (peers strictly worse + ½ × other peers tied) ÷ (peers − 1), in [0, 1]; "worse" respects `higherIsBetter`.
 *   With no other peer (the city level) there is no percentile and the indicator is left out.
 * - The composite is Σ weight × score ÷ Σ weight over the indicators that have a score (missing or suppressed
 *   values are left out and the weights renormalised); `weightShare` says how much of the total weight was used.
 *
 * Default weights: 2 for the nine indicators that carry a rule target (they are the assessment rules of the
 * seeds), 1 for the ten descriptive ones. Users can change them; `serializeWeights` / `parseWeights` give a
 * compact URL form.
 */
import { INDICATORS, INDICATOR_IDS, type IndicatorId } from './registry';

export type Weights = Record<IndicatorId, number>;

export const DEFAULT_WEIGHTS: Weights = Object.fromEntries(
	INDICATORS.map((d) => [d.id, d.targetKey ? 2 : 1])
) as Weights;

export interface ScoreInput {
	indicator_id: string;
	level: string;
	area_code: string;
	year: number;
	/** null when missing or suppressed. */
	value: number | null;
	target: number | null;
}

export interface CompositeResult {
	level: string;
	area_code: string;
	year: number;
	/** 0–1, null when no indicator has a score. */
	score: number | null;
	/** Σ weights used ÷ Σ positive weights. */
	weightShare: number;
	/** Per-indicator score (0–1) or null. */
	parts: Partial<Record<IndicatorId, number | null>>;
}

const higherIsBetter = new Map(INDICATORS.map((d) => [d.id as string, d.higherIsBetter]));

/** Score of a value against a target (null when either is missing). */
export function targetScore(value: number | null, target: number | null, higher = true): number | null {
	if (value === null || target === null || !Number.isFinite(value) || !(target > 0)) return null;
	if (higher) return Math.min(value / target, 1);
	return value <= 0 ? 1 : Math.min(target / value, 1);
}

/** Percentile of `value` among `peers` (which include it), 0 = worst, 1 = best; null without other peers. */
export function percentileScore(
	value: number | null,
	peers: readonly number[],
	higher = true
): number | null {
	if (value === null || peers.length < 2) return null;
	let worse = 0;
	let ties = -1; // the value itself
	for (const p of peers) {
		if (p === value) ties++;
		else if (higher ? p < value : p > value) worse++;
	}
	return (worse + 0.5 * Math.max(ties, 0)) / (peers.length - 1);
}

/** Composite scores for every (level, area, year) present in `rows` (rows of several levels/years are fine). */
export function compositeScores(
	rows: readonly ScoreInput[],
	weights: Weights = DEFAULT_WEIGHTS
): CompositeResult[] {
	const peers = new Map<string, number[]>();
	const key = (r: ScoreInput) => `${r.indicator_id}|${r.level}|${r.year}`;
	for (const r of rows) {
		if (r.value === null || !Number.isFinite(r.value)) continue;
		const k = key(r);
		if (!peers.has(k)) peers.set(k, []);
		peers.get(k)!.push(r.value);
	}
	const areas = new Map<string, CompositeResult & { sum: number; used: number }>();
	const totalWeight = INDICATOR_IDS.reduce((s, id) => s + Math.max(weights[id] ?? 0, 0), 0);
	for (const r of rows) {
		if (!higherIsBetter.has(r.indicator_id)) continue;
		const id = r.indicator_id as IndicatorId;
		const higher = higherIsBetter.get(id) ?? true;
		const s =
			r.target !== null
				? targetScore(r.value, r.target, higher)
				: percentileScore(r.value, peers.get(key(r)) ?? [], higher);
		const ak = `${r.level}|${r.area_code}|${r.year}`;
		let a = areas.get(ak);
		if (!a) {
			a = {
				level: r.level,
				area_code: r.area_code,
				year: r.year,
				score: null,
				weightShare: 0,
				parts: {},
				sum: 0,
				used: 0
			};
			areas.set(ak, a);
		}
		a.parts[id] = s;
		const w = Math.max(weights[id] ?? 0, 0);
		if (s !== null && w > 0) {
			a.sum += w * s;
			a.used += w;
		}
	}
	return [...areas.values()].map(({ sum, used, ...a }) => ({
		...a,
		score: used > 0 ? sum / used : null,
		weightShare: totalWeight > 0 ? used / totalWeight : 0
	}));
}

const PREFIX = 'w1-';

/**
 * Compact URL form of weights: 'w1-' then the weights in registry order joined by '_' (e.g. 'w1-2_1_0.5_…'),
 * or '' for the defaults. Characters are URL-safe; 'w1' versions the order of the list.
 */
export function serializeWeights(weights: Weights): string {
	if (INDICATOR_IDS.every((id) => weights[id] === DEFAULT_WEIGHTS[id])) return '';
	return PREFIX + INDICATOR_IDS.map((id) => String(+(weights[id] ?? 0).toFixed(3))).join('_');
}

/** Parse `serializeWeights` output; '' / null give the defaults; anything malformed throws a clear error. */
export function parseWeights(text: string | null | undefined): Weights {
	if (!text) return { ...DEFAULT_WEIGHTS };
	if (!text.startsWith(PREFIX))
		throw new Error(`weights: expected a string starting with "${PREFIX}", got "${text}"`);
	const parts = text.slice(PREFIX.length).split('_');
	if (parts.length !== INDICATOR_IDS.length)
		throw new Error(`weights: expected ${INDICATOR_IDS.length} numbers, got ${parts.length}`);
	const out = {} as Weights;
	parts.forEach((p, i) => {
		const w = Number(p);
		if (p === '' || !Number.isFinite(w) || w < 0)
			throw new Error(`weights: weight ${i + 1} (${INDICATOR_IDS[i]}) must be a number ≥ 0, got "${p}"`);
		out[INDICATOR_IDS[i]] = w;
	});
	return out;
}
