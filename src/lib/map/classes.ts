/** Classed colour scale for choropleths: quantile breaks, a sequential palette, a legend. */
export const PALETTE = ['#deebf7', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
export const NO_DATA = '#e0e0e0';
/** Hatch-like distinct colour for withheld areas. */
export const WITHHELD = '#bdbdbd';

export interface Classes {
	breaks: number[];
	colors: string[];
	colorOf: (v: number | null) => string;
	classOf: (v: number | null) => number;
}

/** Up to five classes from quantiles of the finite values (breaks are upper bounds of each class but the last). */
export function classify(values: (number | null)[], k = PALETTE.length): Classes {
	const xs = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
	const breaks: number[] = [];
	if (xs.length) {
		for (let i = 1; i < k; i++) {
			const q = xs[Math.min(xs.length - 1, Math.floor((i / k) * xs.length))];
			if (!breaks.length || q > breaks[breaks.length - 1]) breaks.push(q);
		}
		if (breaks.length && breaks[breaks.length - 1] >= xs[xs.length - 1]) breaks.pop();
	}
	const n = breaks.length + 1;
	const colors = n === 1 ? [PALETTE[2]] : PALETTE.slice(PALETTE.length - n).length === n ? pick(n) : PALETTE;
	const classOf = (v: number | null) => {
		if (v === null || !Number.isFinite(v)) return -1;
		let i = 0;
		while (i < breaks.length && v >= breaks[i]) i++;
		return i;
	};
	return { breaks, colors, classOf, colorOf: (v) => (classOf(v) < 0 ? NO_DATA : colors[classOf(v)]) };
}

function pick(n: number): string[] {
	if (n >= PALETTE.length) return PALETTE;
	const out: string[] = [];
	for (let i = 0; i < n; i++) out.push(PALETTE[Math.round((i * (PALETTE.length - 1)) / Math.max(1, n - 1))]);
	return out;
}
