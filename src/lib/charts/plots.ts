/**
 * Charts as pure functions `(rows, options) → SVG/HTML element` with Observable Plot. Browser only (Plot
 * needs a document); the prerendered page shows the same data as a table.
 */
import * as Plot from '@observablehq/plot';
import { ticks as niceTicks } from 'd3';
import type { Locale } from '$lib/i18n';
import { formatValue, type Unit } from '$lib/i18n/format';
import type { Row } from './queries';

/** Units counted in whole numbers (formatted without decimals). */
const WHOLE_UNITS: ReadonlySet<string> = new Set<Unit>([
	'persons',
	'teams',
	'stations',
	'activities',
	'person_times',
	'wishes',
	'count',
	'points'
]);

/**
 * Ticks of a value axis from 0 to `max`: about `n` of them; for units counted in whole numbers, whole numbers only
 * (a district's few activities would otherwise put ticks at 0.5, 1.5 … labelled "1", "2": 0 1 1 2 2).
 */
export function valueTicks(unit: Unit, max: number, n: number): number | number[] {
	if (!WHOLE_UNITS.has(unit)) return n;
	return niceTicks(0, Math.max(1, Number.isFinite(max) ? max : 1), n).filter(Number.isInteger);
}

const maxOf = (values: number[]): number => values.reduce((m, v) => (v > m ? v : m), 0);

export interface PlotOptions {
	width: number;
	locale: Locale;
}

export type PlotFn = (rows: Row[], o: PlotOptions) => SVGElement | HTMLElement;

const fontFamily = 'system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';

import { PLOT_CLASS } from './plot-style';

const fontPx = (o: PlotOptions) => (o.width < 500 ? 11 : 12);

const base = (o: PlotOptions, height: number) => ({
	className: PLOT_CLASS,
	width: Math.max(280, o.width),
	height,
	style: {
		fontFamily,
		fontSize: `${fontPx(o)}px`,
		background: 'transparent',
		overflow: 'visible'
	},
	marginLeft: 56
});

/** Monthly line with dots: x month (YYYY-MM), y `key`. */
export function linePlot(key: string, yLabel: string, unit: Unit): PlotFn {
	return (rows, o) => {
		const data = rows.map((r) => ({
			date: new Date(`${r.month}-01T00:00:00`),
			v: Number(r[key]),
			month: String(r.month)
		}));
		return Plot.plot({
			...base(o, 260),
			x: { type: 'utc', label: null, ticks: o.width < 500 ? 4 : 8 },
			y: {
				label: yLabel,
				grid: true,
				zero: true,
				ticks: valueTicks(unit, maxOf(data.map((d) => d.v)), 5),
				tickFormat: (v: number) => formatValue(v, unit, o.locale)
			},
			marks: [
				Plot.lineY(data, { x: 'date', y: 'v', stroke: 'var(--accent, #1f6feb)', strokeWidth: 2 }),
				Plot.dot(data, { x: 'date', y: 'v', fill: 'var(--accent, #1f6feb)', r: 3 }),
				Plot.tip(
					data,
					Plot.pointerX({
						x: 'date',
						y: 'v',
						title: (d: { month: string; v: number }) =>
							`${d.month}\n${yLabel}: ${formatValue(d.v, unit, o.locale)}`
					})
				)
			]
		});
	};
}

/** Horizontal bars: label column `labelKey`, value `key`. */
export function barPlot(
	labelKey: string,
	key: string,
	xLabel: string,
	unit: Unit,
	labelOf: (r: Row) => string
): PlotFn {
	return (rows, o) => {
		const data = rows.map((r) => ({ label: labelOf(r), v: Number(r[key] ?? 0), raw: r[labelKey] }));
		const marginLeft = Math.min(o.width * 0.45, o.locale === 'en' ? 230 : 150);
		return Plot.plot({
			...base(o, Math.max(120, data.length * 28 + 40)),
			marginLeft,
			x: {
				label: xLabel,
				grid: true,
				tickFormat: (v: number) => formatValue(v, unit, o.locale),
				ticks: valueTicks(unit, maxOf(data.map((d) => d.v)), o.width < 500 ? 3 : 6)
			},
			y: { label: null, domain: data.map((d) => d.label) },
			marks: [
				// A label longer than the margin (a phone's) ends in "…" instead of being cut at the edge; the tip
				// and the table give it in full. Plot's estimate of text width runs ~10% short of the fonts drawn.
				Plot.axisY({
					label: null,
					lineWidth: ((marginLeft - 10) / fontPx(o)) * 0.85,
					textOverflow: 'ellipsis'
				}),
				Plot.barX(data, { y: 'label', x: 'v', fill: 'var(--accent, #1f6feb)' }),
				Plot.ruleX([0]),
				Plot.tip(
					data,
					Plot.pointerY({
						y: 'label',
						x: 'v',
						title: (d: { label: string; v: number }) => `${d.label}\n${formatValue(d.v, unit, o.locale)}`
					})
				)
			]
		});
	};
}

/** Vertical bars for ordered categories (e.g. star levels). */
export function columnPlot(key: string, yLabel: string, unit: Unit, labelOf: (r: Row) => string): PlotFn {
	return (rows, o) => {
		const data = rows.map((r) => ({ label: labelOf(r), v: Number(r[key] ?? 0) }));
		return Plot.plot({
			...base(o, 240),
			x: { label: null, domain: data.map((d) => d.label) },
			y: {
				label: yLabel,
				grid: true,
				ticks: valueTicks(unit, maxOf(data.map((d) => d.v)), 5),
				tickFormat: (v: number) => formatValue(v, unit, o.locale)
			},
			marks: [
				Plot.barY(data, { x: 'label', y: 'v', fill: 'var(--accent, #1f6feb)' }),
				Plot.ruleY([0]),
				Plot.tip(
					data,
					Plot.pointerX({
						x: 'label',
						y: 'v',
						title: (d: { label: string; v: number }) => `${d.label}\n${formatValue(d.v, unit, o.locale)}`
					})
				)
			]
		});
	};
}

function monthTotals(data: { month: string; v: number }[]): Map<string, number> {
	const m = new Map<string, number>();
	for (const d of data) m.set(d.month, (m.get(d.month) ?? 0) + d.v);
	return m;
}

/** Stacked monthly bars by a series column (e.g. category). */
export function stackedPlot(
	seriesKey: string,
	key: string,
	yLabel: string,
	unit: Unit,
	seriesLabel: (code: string) => string
): PlotFn {
	return (rows, o) => {
		const data = rows.map((r) => ({
			month: String(r.month),
			s: seriesLabel(String(r[seriesKey])),
			v: Number(r[key] ?? 0)
		}));
		return Plot.plot({
			...base(o, 300),
			x: {
				// Months as 'YYYY-MM' labels, one band each (said explicitly: Plot otherwise warns on every draw).
				type: 'band',
				label: null,
				tickRotate: o.width < 600 ? -45 : 0,
				tickFormat: (m: string) => (['01', '04', '07', '10'].includes(m.slice(5)) ? m : '')
			},
			y: {
				label: yLabel,
				grid: true,
				// The axis reaches the tallest month's stack.
				ticks: valueTicks(unit, maxOf([...monthTotals(data).values()]), 5),
				tickFormat: (v: number) => formatValue(v, unit, o.locale)
			},
			color: { legend: true, scheme: 'tableau10' },
			marks: [
				Plot.barY(data, {
					x: 'month',
					y: 'v',
					fill: 's',
					tip: true,
					title: (d: { month: string; s: string; v: number }) =>
						`${d.month}\n${d.s}: ${formatValue(d.v, unit, o.locale)}`
				}),
				Plot.ruleY([0])
			]
		});
	};
}

/** Share heat-map: rows × columns coloured by share (0..1). */
export function sharePlot(
	rowKey: string,
	colKey: string,
	rowLabel: (r: Row) => string,
	colLabel: (code: string) => string
): PlotFn {
	return (rows, o) => {
		const data = rows.map((r) => ({
			r: rowLabel(r),
			c: colLabel(String(r[colKey])),
			v: Number(r.share ?? 0),
			key: r[rowKey]
		}));
		return Plot.plot({
			...base(o, Math.max(200, new Set(data.map((d) => d.r)).size * 26 + 120)),
			marginLeft: 90,
			marginBottom: 110,
			x: { label: null, tickRotate: -40 },
			y: { label: null },
			color: {
				scheme: 'blues',
				legend: true,
				label: null,
				tickFormat: (v: number) => formatValue(v, 'ratio', o.locale)
			},
			marks: [
				Plot.cell(data, {
					x: 'c',
					y: 'r',
					fill: 'v',
					tip: true,
					title: (d: { r: string; c: string; v: number }) =>
						`${d.r} · ${d.c}\n${formatValue(d.v, 'ratio', o.locale)}`
				})
			]
		});
	};
}
