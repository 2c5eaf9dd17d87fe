/**
 * Arrow helpers for the public tables: build an Arrow table (and IPC bytes) from plain rows with the column
 * types of `src/lib/schema/public.ts`. Used by the tests to feed both engines the same bytes, and available to
 * the release build for writing the browser's Arrow IPC files.
 *
 * Plain-row values accepted: DATE as 'YYYY-MM-DD' (or a Date / epoch ms), TIMESTAMP as a naive
 * 'YYYY-MM-DDTHH:mm[:ss[.sss]]' wall-clock string (or epoch ms of that wall-clock time read as UTC),
 * numbers for INTEGER / DOUBLE, number or bigint for BIGINT, booleans, strings, null.
 */
import {
	Bool,
	DateDay,
	Float64,
	Int32,
	Int64,
	Table,
	TimestampMicrosecond,
	Utf8,
	tableToIPC,
	vectorFromArray,
	type DataType,
	type Vector
} from 'apache-arrow';
import type { PublicTable, SqlType } from '../schema/public';

export function arrowTypeFor(type: SqlType): DataType {
	switch (type) {
		case 'VARCHAR':
			return new Utf8();
		case 'INTEGER':
			return new Int32();
		case 'BIGINT':
			return new Int64();
		case 'DOUBLE':
			return new Float64();
		case 'BOOLEAN':
			return new Bool();
		case 'DATE':
			return new DateDay();
		case 'TIMESTAMP':
			return new TimestampMicrosecond();
	}
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TS = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;

/** Epoch milliseconds of a DATE or naive TIMESTAMP value (wall-clock read as UTC, as both engines do). */
export function wallClockMs(value: unknown, what: string): number {
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'number') return value;
	if (typeof value === 'string') {
		const d = ISO_DATE.exec(value);
		if (d) return Date.UTC(+d[1], +d[2] - 1, +d[3]);
		const t = ISO_TS.exec(value);
		if (t)
			return Date.UTC(+t[1], +t[2] - 1, +t[3], +t[4], +t[5], +(t[6] ?? 0), +(t[7] ?? '0').padEnd(3, '0'));
	}
	throw new TypeError(`${what}: expected an ISO date/time string, got ${JSON.stringify(value)}`);
}

function convert(value: unknown, type: SqlType, what: string): unknown {
	if (value === null || value === undefined) return null;
	switch (type) {
		case 'DATE':
		case 'TIMESTAMP':
			return wallClockMs(value, what);
		case 'BIGINT':
			return typeof value === 'bigint' ? value : BigInt(value as number);
		default:
			return value;
	}
}

/** An Arrow table with exactly the columns (names, order, types) of a public table. */
export function publicArrowTable(table: PublicTable, rows: readonly Record<string, unknown>[]): Table {
	const vectors: Record<string, Vector> = {};
	for (const c of table.columns) {
		const values = rows.map((r, i) => {
			const v = r[c.name];
			if ((v === null || v === undefined) && !c.nullable)
				throw new TypeError(
					`${table.name} row ${i + 1}, column ${c.name}: value missing (${c.type} NOT NULL)`
				);
			return convert(v, c.type, `${table.name} row ${i + 1}, column ${c.name}`);
		});
		vectors[c.name] = vectorFromArray(values, arrowTypeFor(c.type));
	}
	return new Table(vectors);
}

/** Arrow IPC bytes (stream format by default, what `insertArrowFromIPCStream` takes). */
export function publicArrowIPC(
	table: PublicTable,
	rows: readonly Record<string, unknown>[],
	format: 'stream' | 'file' = 'stream'
): Uint8Array {
	return tableToIPC(publicArrowTable(table, rows), format);
}
