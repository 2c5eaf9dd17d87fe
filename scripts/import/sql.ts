/** SQL building blocks for the import: quoting and the parse expressions for each contract column type. */
import type { ColumnType } from '../../src/lib/schema/input';

export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
export const ident = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** Accepted date formats (all unambiguous: the year comes first). */
export const DATE_FORMATS = ['%Y-%m-%d', '%Y/%m/%d', '%Y年%m月%d日', '%Y%m%d', '%Y.%m.%d'];
const TIME_FORMATS = ['%H:%M', '%H:%M:%S'];
/** Accepted date-time formats: a date format, a space or `T` (ISO only), then 14:30 or 14:30:00. */
export const DATETIME_FORMATS = [
	...DATE_FORMATS.flatMap((d) => TIME_FORMATS.map((t) => `${d} ${t}`)),
	...TIME_FORMATS.map((t) => `%Y-%m-%dT${t}`),
	...TIME_FORMATS.map((t) => `%Y年%m月%d日${t}`)
];

/** Shapes of the accepted formats: a value with this shape that does not parse is an impossible date. */
const DATE_SHAPE = String.raw`([0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日|[0-9]{8})`;
export const DATE_SHAPE_RE = `^${DATE_SHAPE}$`;
export const DATETIME_SHAPE_RE = `^${DATE_SHAPE}( *|T)[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?$`;
/** dd/mm/yyyy or mm/dd/yyyy: refused because the order of day and month cannot be known. */
export const AMBIGUOUS_DATE_RE = String.raw`^[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}`;

export const TRUE_WORDS = ['1', 'true', 't', 'y', 'yes', '是'];
export const FALSE_WORDS = ['0', 'false', 'f', 'n', 'no', '否'];

const list = (xs: readonly string[]) => `[${xs.map(sqlString).join(', ')}]`;

/** Typed value of the (trimmed, empty → NULL) raw column `r`; NULL when it does not parse. */
export function parseExpr(type: ColumnType, r: string): string {
	switch (type) {
		case 'integer':
			return `CASE WHEN regexp_full_match(${r}, '[+-]?[0-9]+') THEN TRY_CAST(${r} AS INTEGER) END`;
		case 'decimal':
			return `CASE WHEN isfinite(TRY_CAST(${r} AS DOUBLE)) THEN TRY_CAST(${r} AS DOUBLE) END`;
		case 'boolean':
			return `CASE WHEN lower(${r}) IN (${TRUE_WORDS.map(sqlString).join(', ')}) THEN true WHEN lower(${r}) IN (${FALSE_WORDS.map(sqlString).join(', ')}) THEN false END`;
		// Fast path for zero-padded ISO values (the common case): a cast, verified by formatting it back,
		// is several times cheaper than strptime with a list of formats and accepts exactly the same.
		case 'date':
			return `CASE WHEN length(${r}) = 10 AND ${r}[5] = '-' THEN (CASE WHEN CAST(TRY_CAST(${r} AS DATE) AS VARCHAR) = ${r} THEN TRY_CAST(${r} AS DATE) END)
				ELSE CAST(try_strptime(${r}, ${list(DATE_FORMATS)}) AS DATE) END`;
		case 'datetime':
			return `CASE WHEN length(${r}) = 19 AND ${r}[5] = '-' AND ${r}[11] IN (' ', 'T') THEN (CASE WHEN strftime(TRY_CAST(${r} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S') = replace(${r}, 'T', ' ') THEN TRY_CAST(${r} AS TIMESTAMP) END)
				WHEN length(${r}) = 16 AND ${r}[5] = '-' AND ${r}[11] IN (' ', 'T') THEN (CASE WHEN strftime(TRY_CAST(${r} AS TIMESTAMP), '%Y-%m-%d %H:%M') = replace(${r}, 'T', ' ') THEN TRY_CAST(${r} AS TIMESTAMP) END)
				ELSE try_strptime(${r}, ${list(DATETIME_FORMATS)}) END`;
		default:
			return r;
	}
}

export const SQL_TYPE: Record<ColumnType, string> = {
	id: 'VARCHAR',
	text: 'VARCHAR',
	code: 'VARCHAR',
	place: 'VARCHAR',
	integer: 'INTEGER',
	decimal: 'DOUBLE',
	boolean: 'BOOLEAN',
	date: 'DATE',
	datetime: 'TIMESTAMP'
};
