/** Table column model shared by DataTable, Chart ("show table") and CSV export. */
import type { Row } from '../charts/queries';
import { label, localizePath, t, type Locale } from '../i18n';
import { formatValue, type Unit } from '../i18n/format';

export interface Column {
	key: string;
	label: string;
	/** Numbers are right-aligned and formatted in their unit. */
	unit?: Unit;
	/** Custom text for a cell (labels of codes, names …). */
	text?: (row: Row) => string;
	/** Link for the cell. */
	href?: (row: Row) => string | null;
	/** Cell withheld (shown as [c]). */
	suppressed?: (row: Row) => boolean;
	/** Put data-indicator on the cell (a §7 indicator id), or data-figure for a headline count. */
	indicator?: string | ((row: Row) => string);
	figure?: string;
	/** Short text kept on one line (a verdict such as "✗ 未达标", which CJK line breaking would split). */
	nowrap?: boolean;
}

/** The district column of a table: the district's name in the locale, linked to its page. */
export const districtColumn = (locale: Locale): Column => ({
	key: 'name',
	label: t(locale, 'district'),
	text: (r) => label(locale, r as { name_zh: string; name_en: string }),
	href: (r) => localizePath(`/districts/${r.code}/`, locale)
});

export const indicatorOf = (c: Column, r: Row): string | undefined =>
	typeof c.indicator === 'function' ? c.indicator(r) : c.indicator;

export const isNumeric = (c: Column): boolean => c.unit !== undefined;

export function cellText(c: Column, r: Row, locale: Locale): string {
	if (c.suppressed?.(r)) return '[c]';
	if (c.text) return c.text(r);
	const v = r[c.key];
	if (c.unit) return formatValue(v === null ? null : Number(v), c.unit, locale);
	return v === null || v === undefined ? '' : String(v);
}

/**
 * One CSV cell. Text starting with = + - @ (or a tab / carriage return) gets a leading apostrophe so a
 * spreadsheet shows it as text instead of running it as a formula; numbers are written as they are.
 */
const csvCell = (v: unknown): string => {
	let s = v === null || v === undefined ? '' : String(v);
	if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV with unrounded numbers; withheld cells are "[c]". */
export function toCsv(columns: Column[], rows: Row[]): string {
	const lines = [columns.map((c) => csvCell(c.label)).join(',')];
	for (const r of rows)
		lines.push(
			columns
				.map((c) => csvCell(c.suppressed?.(r) ? '[c]' : c.text && !c.unit ? c.text(r) : r[c.key]))
				.join(',')
		);
	return `\ufeff${lines.join('\r\n')}\r\n`;
}

export function downloadBlob(blob: Blob, filename: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Two answers hold the same rows (same columns in the same order, equal values): a panel whose new answer is
 * the same as the one on screen keeps it, so nothing is redrawn.
 */
export function sameRows(a: readonly Row[], b: readonly Row[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) {
		const x = a[i];
		const y = b[i];
		const kx = Object.keys(x);
		const ky = Object.keys(y);
		if (kx.length !== ky.length) return false;
		for (let k = 0; k < kx.length; k++) if (kx[k] !== ky[k] || !Object.is(x[kx[k]], y[kx[k]])) return false;
	}
	return true;
}
