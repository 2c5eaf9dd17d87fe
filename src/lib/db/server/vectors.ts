/**
 * Reading DuckDB result vectors of @duckdb/node-api without a JavaScript value per row (the release build reads
 * tens of millions of numbers: `getItem` per value is 4–5× slower than copying the vector's typed array).
 */
import { DuckDBBooleanVector, type DuckDBVector } from '@duckdb/node-api';

/**
 * The values and validity bits of a flat DuckDB result vector of a fixed-width type, as views on
 * DuckDB's memory (valid until the next chunk is fetched): @duckdb/node-api keeps them in fields it
 * does not publish, so their shape is checked and null is returned when it differs (the caller then
 * reads value by value).
 */
export function rawVector(vector: DuckDBVector): {
	items: Int32Array | Float64Array | BigInt64Array | Uint8Array;
	validity: Uint8Array | null;
	offset: number;
} | null {
	const v = vector as unknown as {
		items?: unknown;
		dataView?: unknown;
		validity?: { data?: unknown; offset?: unknown };
	};
	const val = v.validity;
	if (!val || typeof val.offset !== 'number' || !(val.data === null || val.data instanceof BigUint64Array))
		return null;
	const bits = val.data ? new Uint8Array(val.data.buffer, val.data.byteOffset, val.data.byteLength) : null;
	let items: Int32Array | Float64Array | BigInt64Array | Uint8Array;
	if (v.items instanceof Int32Array || v.items instanceof Float64Array || v.items instanceof BigInt64Array)
		items = v.items;
	else if (vector instanceof DuckDBBooleanVector && v.dataView instanceof DataView)
		// DuckDB booleans are one byte each (0 or 1).
		items = new Uint8Array(v.dataView.buffer, v.dataView.byteOffset, v.dataView.byteLength);
	else return null;
	return { items, validity: bits, offset: val.offset };
}

/**
 * Rows [0, n) of an INTEGER result vector as a new Int32Array (a NULL reads as 0), copied from DuckDB's memory
 * when `rawVector` knows its layout, else value by value.
 */
export function int32Column(vector: DuckDBVector, n: number): Int32Array {
	const out = new Int32Array(n);
	const raw = rawVector(vector);
	if (!raw || !(raw.items instanceof Int32Array)) {
		for (let i = 0; i < n; i++) out[i] = (vector.getItem(i) as number | null) ?? 0;
		return out;
	}
	out.set(raw.items.subarray(0, n));
	const bits = raw.validity;
	if (bits)
		for (let i = 0; i < n; i++) {
			const k = raw.offset + i;
			if (!((bits[k >> 3] >> (k & 7)) & 1)) out[i] = 0;
		}
	return out;
}
