/**
 * The one database interface used by the release build, the prerender, the browser and the tests, and the
 * one decoder that makes both engines (native `@duckdb/node-api`, DuckDB-WASM) return identical plain rows.
 *
 * Decoded values (see `decodeValue`):
 * - NULL → `null`
 * - BIGINT / HUGEINT / any JS `bigint` → `number` (exact below 2^53, which every count here is)
 * - DECIMAL → `number` (double)
 * - DATE → `'YYYY-MM-DD'`
 * - TIMESTAMP (naive, PRC wall-clock time) → `'YYYY-MM-DDTHH:mm:ss'`, plus `.sss` when the milliseconds are
 *   not zero; no offset, because the value has none. Sub-millisecond digits are dropped.
 * - TIMESTAMPTZ → full ISO instant in UTC, `'YYYY-MM-DDTHH:mm:ss.sssZ'`
 * - everything else (VARCHAR, BOOLEAN, INTEGER, DOUBLE) → as the engine gives it.
 * Nested types (LIST, STRUCT, …) are not normalised: keep public SQL to scalar columns.
 */

/** A SQL identifier in double quotes (quotes inside doubled). */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export interface Connector {
	/** Run one statement and return its rows as plain decoded objects. */
	query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
	/** Run one or more statements, discarding results. */
	exec(sql: string): Promise<void>;
	close(): Promise<void>;
}

export type ColumnKind = 'date' | 'timestamp' | 'timestamptz' | 'decimal' | 'other';

export interface ColumnInfo {
	name: string;
	kind: ColumnKind;
	/** DECIMAL scale, when the engine hands over unscaled integers (Arrow). */
	scale?: number;
}

const MS_PER_DAY = 86_400_000;

function toEpochMs(value: unknown): number {
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'number') return value;
	if (typeof value === 'bigint') return Number(value);
	throw new TypeError(`cannot decode ${typeof value} ${String(value)} as a date/time`);
}

/** Decode one value of a column of the given kind (the single decode function of both engines). */
export function decodeValue(value: unknown, kind: ColumnKind = 'other', scale = 0): unknown {
	if (value === null || value === undefined) return null;
	switch (kind) {
		case 'date':
			return new Date(Math.floor(toEpochMs(value) / MS_PER_DAY) * MS_PER_DAY).toISOString().slice(0, 10);
		case 'timestamp': {
			const iso = new Date(toEpochMs(value)).toISOString();
			return iso.slice(20, 23) === '000' ? iso.slice(0, 19) : iso.slice(0, 23);
		}
		case 'timestamptz':
			return new Date(toEpochMs(value)).toISOString();
		case 'decimal':
			if (typeof value === 'number') return value;
			// Arrow hands over the unscaled integer (bigint or a BigNum object with a numeric primitive).
			return Number(value) / 10 ** scale;
		default:
			return typeof value === 'bigint' ? Number(value) : value;
	}
}

/** Decode raw engine rows (objects keyed by column name). */
export function decodeRows<T = Record<string, unknown>>(
	raw: Iterable<Record<string, unknown>>,
	columns: readonly ColumnInfo[]
): T[] {
	const out: T[] = [];
	for (const r of raw) {
		const row: Record<string, unknown> = {};
		for (const c of columns) row[c.name] = decodeValue(r[c.name], c.kind, c.scale);
		out.push(row as T);
	}
	return out;
}

/** Column kind from a DuckDB type name, e.g. `DuckDBType.toString()` on native: 'DATE', 'DECIMAL(10,2)'. */
export function kindFromSqlType(typeName: string): ColumnKind {
	const t = typeName.toUpperCase();
	if (t === 'DATE') return 'date';
	if (t === 'TIMESTAMP WITH TIME ZONE' || t === 'TIMESTAMPTZ') return 'timestamptz';
	if (t.startsWith('TIMESTAMP')) return 'timestamp';
	if (t.startsWith('DECIMAL')) return 'decimal';
	return 'other';
}

/** The parts of an Arrow table the decoder needs (duck-typed: DuckDB-WASM bundles its own apache-arrow). */
export interface ArrowTableLike {
	numRows: number;
	schema: { fields: { name: string; type: { typeId: number; scale?: number; timezone?: string | null } }[] };
	getChildAt(index: number): { get(index: number): unknown } | null;
}

// apache-arrow `Type` enum values (stable across Arrow JS versions).
const ARROW_DECIMAL = 7;
const ARROW_DATE = 8;
const ARROW_TIMESTAMP = 10;

export function columnsFromArrowSchema(schema: ArrowTableLike['schema']): ColumnInfo[] {
	return schema.fields.map((f) => {
		const id = f.type.typeId;
		if (id === ARROW_DATE) return { name: f.name, kind: 'date' };
		if (id === ARROW_TIMESTAMP) return { name: f.name, kind: f.type.timezone ? 'timestamptz' : 'timestamp' };
		if (id === ARROW_DECIMAL) return { name: f.name, kind: 'decimal', scale: f.type.scale ?? 0 };
		return { name: f.name, kind: 'other' };
	});
}

/** Decoded rows of an Arrow table (for WASM connectors). */
export function rowsFromArrowTable<T = Record<string, unknown>>(table: ArrowTableLike): T[] {
	const columns = columnsFromArrowSchema(table.schema);
	const vectors = columns.map((_, i) => table.getChildAt(i));
	const out: T[] = [];
	for (let r = 0; r < table.numRows; r++) {
		const row: Record<string, unknown> = {};
		columns.forEach((c, i) => {
			row[c.name] = decodeValue(vectors[i]?.get(r), c.kind, c.scale);
		});
		out.push(row as T);
	}
	return out;
}
