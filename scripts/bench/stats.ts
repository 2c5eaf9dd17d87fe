/** Small statistics helpers for the benchmark. */

/** Nearest-rank percentile (p in 0..100) of the values; null for an empty list. */
export function percentile(values: readonly number[], p: number): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const median = (values: readonly number[]): number | null => percentile(values, 50);

/** Geometric mean of positive values; null when empty or any value is not positive. */
export function geomean(values: readonly number[]): number | null {
	if (values.length === 0 || values.some((v) => !(v > 0))) return null;
	return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}

export const round = (v: number, digits = 1): number => {
	const f = 10 ** digits;
	return Math.round(v * f) / f;
};
