/**
 * A query result as the console shows it (pure; apache-arrow only): column kinds, display text of a cell,
 * CSV of the whole result, and which columns the quick chart uses.
 */
import { DataType, tableFromIPC, type Table } from 'apache-arrow';

export type ColumnKind = 'number' | 'date' | 'timestamp' | 'boolean' | 'string';

export interface ResultColumn {
	name: string;
	kind: ColumnKind;
}

export interface Result {
	columns: ResultColumn[];
	numRows: number;
	/** Plain value of a cell: number, boolean, ISO date/timestamp text, string or null. */
	value(row: number, col: number): string | number | boolean | null;
	/** The Arrow IPC stream the engine returned. */
	ipc: Uint8Array;
}

function kindOf(t: DataType): ColumnKind {
	if (DataType.isInt(t) || DataType.isFloat(t) || DataType.isDecimal(t)) return 'number';
	if (DataType.isDate(t)) return 'date';
	if (DataType.isTimestamp(t)) return 'timestamp';
	if (DataType.isBool(t)) return 'boolean';
	return 'string';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Dates/timestamps as shown in the release CSVs: "YYYY-MM-DD" and "YYYY-MM-DD HH:MM:SS" (UTC fields). */
function dateText(v: unknown, kind: 'date' | 'timestamp'): string {
	const d = v instanceof Date ? v : new Date(Number(v));
	const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
	return kind === 'date'
		? day
		: `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Wrap an Arrow IPC stream (from the engine) as a `Result`. */
export function resultFromIpc(ipc: Uint8Array): Result {
	const table: Table = tableFromIPC(ipc);
	const columns = table.schema.fields.map((f) => ({ name: f.name, kind: kindOf(f.type) }));
	const vectors = columns.map((_c, i) => table.getChildAt(i));
	return {
		columns,
		numRows: table.numRows,
		ipc,
		value(row, col) {
			const v: unknown = vectors[col]?.get(row);
			if (v === null || v === undefined) return null;
			const kind = columns[col].kind;
			if (kind === 'number') return typeof v === 'bigint' ? Number(v) : Number(v);
			if (kind === 'boolean') return Boolean(v);
			if (kind === 'date' || kind === 'timestamp') return dateText(v, kind);
			if (typeof v === 'string') return v;
			if (v instanceof Uint8Array) return `\\x${[...v].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
			if (typeof v === 'object' && v !== null && 'toJSON' in v) return JSON.stringify(v);
			return String(v);
		}
	};
}

const csvCell = (v: string | number | boolean | null): string => {
	if (v === null) return '';
	const s = String(v);
	return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** RFC 4180 CSV of the whole result (header row, CRLF line ends, empty cell = NULL). */
export function resultToCsv(r: Result): string {
	const lines = [r.columns.map((c) => csvCell(c.name)).join(',')];
	for (let i = 0; i < r.numRows; i++) {
		const cells: string[] = [];
		for (let j = 0; j < r.columns.length; j++) cells.push(csvCell(r.value(i, j)));
		lines.push(cells.join(','));
	}
	return lines.join('\r\n') + '\r\n';
}

/** The quick chart: first numeric column against the first date/timestamp or text column. */
export function chartColumns(columns: ResultColumn[]): { x: number; y: number; xKind: ColumnKind } | null {
	const y = columns.findIndex((c) => c.kind === 'number');
	if (y < 0) return null;
	let x = columns.findIndex((c) => c.kind === 'date' || c.kind === 'timestamp');
	if (x < 0) x = columns.findIndex((c) => c.kind === 'string' || c.kind === 'boolean');
	if (x < 0) x = columns.findIndex((c, i) => c.kind === 'number' && i !== y);
	return x < 0 ? null : { x, y, xKind: columns[x].kind };
}

/** Rows [start, end) visible in a scroller of `height` px with rows of `rowHeight` px, plus an overscan. */
export function visibleRange(
	scrollTop: number,
	height: number,
	rowHeight: number,
	total: number,
	overscan = 10
): [number, number] {
	const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
	const last = Math.min(total, Math.ceil((scrollTop + height) / rowHeight) + overscan);
	return [first, Math.max(first, last)];
}
