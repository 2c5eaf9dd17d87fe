/** Our class for Observable Plot's figures: its default styles live in app.css (see `withoutStyleElements`). */
export const PLOT_CLASS = 'tb-plot';

/**
 * Plot puts a <style> element in each chart and legend; the Content-Security-Policy allows no inline styles, so
 * they are removed before the chart is put into the page, and the same rules live in app.css (for PLOT_CLASS).
 */
export function withoutStyleElements<T extends Element>(el: T): T {
	for (const s of el.querySelectorAll('style')) s.remove();
	return el;
}
