/**
 * DuckDB table → Arrow IPC stream file, built column-wise from DuckDB result chunks (no row objects):
 * dates are read as day numbers, timestamps as epoch milliseconds, strings are UTF-8 encoded straight
 * into one buffer per batch. Types: Utf8, DateDay, TimestampMillisecond, Float64, Int32, Bool.
 */
import type { DuckDBBlobValue, DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import {
	Bool,
	DateDay,
	Dictionary,
	Field,
	Float64,
	Int32,
	Int64,
	makeData,
	makeVector,
	RecordBatch,
	RecordBatchStreamWriter,
	Schema,
	Struct,
	TimestampMillisecond,
	Utf8,
	type Data,
	type DataType,
	type Vector
} from 'apache-arrow';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rawVector } from '../../src/lib/db/server/vectors';
import type { PublicColumn, SqlType } from '../../src/lib/schema/public';

/** Rows per Arrow record batch. */
export const BATCH_ROWS = 128 * 1024;

/**
 * A text column is dictionary-encoded when it has at most this many distinct values per row (estimated):
 * codes, and in the raw tables the activity and volunteer ids that repeat on every participation. Each
 * value is then written once and the rows hold Int32 indices (the hours table at scale 10: 838 → ~500 MB,
 * and far less to compress).
 */
export const DICTIONARY_MAX_DISTINCT_SHARE = 0.5;

export const arrowTypeOf = (t: SqlType): DataType => {
	switch (t) {
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
			return new TimestampMillisecond();
	}
};

/** SELECT expression reading a column in the shape the Arrow builder wants. */
const readExpr = (c: PublicColumn): string => {
	const n = `"${c.name}"`;
	if (c.type === 'DATE') return `(${n} - DATE '1970-01-01')::INTEGER`;
	if (c.type === 'TIMESTAMP') return `epoch_ms(${n})`;
	return n;
};

function validity(values: readonly unknown[]): { nullCount: number; nullBitmap?: Uint8Array } {
	let nullCount = 0;
	for (let i = 0; i < values.length; i++) if (values[i] === null) nullCount++;
	if (!nullCount) return { nullCount };
	const nullBitmap = new Uint8Array((values.length + 7) >> 3);
	for (let i = 0; i < values.length; i++) if (values[i] !== null) nullBitmap[i >> 3] |= 1 << (i & 7);
	return { nullCount, nullBitmap };
}

/** Utf8 column data from JS string values (the per-value path). */
function utf8Data(values: unknown[]): Data {
	const length = values.length;
	const v = validity(values);
	const offsets = new Int32Array(length + 1);
	let chars = 0;
	for (let i = 0; i < length; i++) {
		const s = values[i];
		if (s !== null) chars += (s as string).length;
	}
	const buf = Buffer.allocUnsafe(chars * 3);
	let pos = 0;
	for (let i = 0; i < length; i++) {
		const s = values[i];
		if (s !== null && (s as string).length) pos += buf.write(s as string, pos, 'utf8');
		offsets[i + 1] = pos;
	}
	const data = new Uint8Array(buf.buffer, buf.byteOffset, pos).slice();
	return makeData({ type: new Utf8(), length, ...v, valueOffsets: offsets, data });
}

/**
 * One column of the record batch being filled, as typed arrays: values (numbers and day numbers in
 * `Int32Array`/`Float64Array`, epoch ms in `BigInt64Array`, booleans one byte each until `data()` packs
 * them), the validity bitmap and the null count. VARCHAR columns of the fast path hold the UTF-8 byte
 * length of each value (`strlen`); of the slow path, the JS strings.
 */
class ColumnBuilder {
	values: Int32Array | Float64Array | BigInt64Array | Uint8Array | null;
	strings: unknown[] | null = null;
	valid: Uint8Array;
	nulls = 0;
	constructor(
		readonly type: SqlType,
		readonly lengths: boolean,
		capacity: number
	) {
		this.valid = new Uint8Array((capacity + 7) >> 3);
		if (type === 'VARCHAR' && !lengths) {
			this.values = null;
			this.strings = [];
		} else
			this.values =
				type === 'DOUBLE'
					? new Float64Array(capacity)
					: type === 'BIGINT' || type === 'TIMESTAMP'
						? new BigInt64Array(capacity)
						: type === 'BOOLEAN'
							? new Uint8Array(capacity)
							: new Int32Array(capacity);
	}

	/** Copy rows [from, from + n) of a DuckDB result vector to rows [at, at + n). */
	append(vector: DuckDBVector, from: number, n: number, at: number): void {
		if (this.strings) {
			for (let j = 0; j < n; j++) this.strings.push(vector.getItem(from + j));
			return;
		}
		const raw = rawVector(vector);
		const values = this.values!;
		if (!raw || raw.items.constructor !== values.constructor) {
			// Not the vector layout `rawVector` knows: read value by value.
			for (let j = 0; j < n; j++) {
				const x = vector.getItem(from + j) as number | bigint | boolean | null;
				if (x === null) {
					this.nulls++;
					continue;
				}
				this.valid[(at + j) >> 3] |= 1 << ((at + j) & 7);
				if (values instanceof BigInt64Array) values[at + j] = x as bigint;
				else values[at + j] = x === true ? 1 : x === false ? 0 : (x as number);
			}
			return;
		}
		(values as Int32Array).set((raw.items as Int32Array).subarray(from, from + n), at);
		const valid = this.valid;
		if (!raw.validity) {
			for (let j = 0; j < n; j++) valid[(at + j) >> 3] |= 1 << ((at + j) & 7);
			return;
		}
		// Null slots hold whatever DuckDB left there: zero them, so the file depends on the data only.
		const bits = raw.validity;
		const zero = values instanceof BigInt64Array ? 0n : 0;
		for (let j = 0; j < n; j++) {
			const k = raw.offset + from + j;
			if ((bits[k >> 3] >> (k & 7)) & 1) valid[(at + j) >> 3] |= 1 << ((at + j) & 7);
			else {
				this.nulls++;
				values[at + j] = zero as never;
			}
		}
	}

	/** Arrow data of the first `length` rows (`bytes`: the UTF-8 bytes of a fast-path VARCHAR column). */
	data(length: number, bytes?: Uint8Array, where = ''): Data {
		if (this.strings) return utf8Data(this.strings);
		const nullCount = this.nulls;
		const v = nullCount
			? { nullCount, nullBitmap: this.valid.subarray(0, (length + 7) >> 3) }
			: { nullCount };
		const values = this.values!;
		switch (this.type) {
			case 'VARCHAR': {
				const lengths = values as Int32Array;
				const offsets = new Int32Array(length + 1);
				let pos = 0;
				for (let i = 0; i < length; i++) {
					pos += lengths[i];
					offsets[i + 1] = pos;
				}
				const data = bytes ?? new Uint8Array(0);
				if (pos !== data.length)
					throw new Error(`internal error: string bytes of ${where} do not add up (${pos} ≠ ${data.length})`);
				return makeData({ type: new Utf8(), length, ...v, valueOffsets: offsets, data });
			}
			case 'INTEGER':
				return makeData({
					type: new Int32(),
					length,
					...v,
					data: (values as Int32Array).subarray(0, length)
				});
			case 'DATE':
				return makeData({
					type: new DateDay(),
					length,
					...v,
					data: (values as Int32Array).subarray(0, length)
				});
			case 'DOUBLE':
				return makeData({
					type: new Float64(),
					length,
					...v,
					data: (values as Float64Array).subarray(0, length)
				});
			case 'BIGINT':
				return makeData({
					type: new Int64(),
					length,
					...v,
					data: (values as BigInt64Array).subarray(0, length)
				});
			case 'TIMESTAMP':
				return makeData({
					type: new TimestampMillisecond(),
					length,
					...v,
					data: (values as BigInt64Array).subarray(0, length)
				});
			case 'BOOLEAN': {
				const bytesIn = values as Uint8Array;
				const data = new Uint8Array((length + 7) >> 3);
				for (let i = 0; i < length; i++) if (bytesIn[i]) data[i >> 3] |= 1 << (i & 7);
				return makeData({ type: new Bool(), length, ...v, data });
			}
		}
	}
}

/** A dictionary-encoded text column: its Arrow type, its values (the dictionary) and its index column. */
interface ColumnDictionary {
	type: Dictionary<Utf8, Int32>;
	values: Vector<Utf8>;
	/** The column of `Dictionaries.indexTable` holding each row's index into `values` (NULL stays NULL). */
	index: string;
}

interface Dictionaries {
	columns: Map<number, ColumnDictionary>;
	/** Temporary table of the indices, one row per table row in rowid order (null: no dictionary column). */
	indexTable: string | null;
	drop(): Promise<void>;
}

let tempSeq = 0;

/**
 * The text columns of a table to dictionary-encode (see `DICTIONARY_MAX_DISTINCT_SHARE`), by position.
 * Each one's distinct values, sorted, are numbered in a temporary table; one hash join per table then gives
 * every row its indices, stored in rowid order so that batches read them by POSITIONAL JOIN. (An ENUM cast
 * does the same in one projection but rebuilds its lookup for every statement: 0.5 s per batch at 600 k
 * values.)
 */
async function readDictionaries(
	conn: DuckDBConnection,
	table: string,
	columns: readonly PublicColumn[],
	rows: number
): Promise<Dictionaries> {
	const temp: string[] = [];
	const drop = async () => {
		for (const t of temp) await conn.run(`DROP TABLE IF EXISTS ${t}`);
	};
	const out: Dictionaries = { columns: new Map(), indexTable: null, drop };
	const text = columns.map((c, i) => i).filter((i) => columns[i].type === 'VARCHAR');
	if (!text.length || rows < 2) return out;
	const estimates = (
		await conn.runAndReadAll(
			`SELECT ${text.map((i) => `approx_count_distinct("${columns[i].name}")::DOUBLE`).join(', ')} FROM ${table}`
		)
	).getRows()[0] as number[];
	const chosen = text.filter(
		(i, k) => estimates[k] > 0 && estimates[k] <= rows * DICTIONARY_MAX_DISTINCT_SHARE
	);
	if (!chosen.length) return out;
	const seq = ++tempSeq;
	try {
		const joins: string[] = [];
		const keys: string[] = [];
		for (const i of chosen) {
			const col = `"${columns[i].name}"`;
			const dict = `arrow_dictionary_${seq}_${i}`;
			temp.push(dict);
			await conn.run(`CREATE TEMP TABLE ${dict} AS SELECT v, (row_number() OVER (ORDER BY v) - 1)::INTEGER AS k
				FROM (SELECT DISTINCT ${col} AS v FROM ${table} WHERE ${col} IS NOT NULL)`);
			const values = (await conn.runAndReadAll(`SELECT v FROM ${dict} ORDER BY k`)).getColumnsJS()[0];
			const index = `arrow_index_${i}`;
			out.columns.set(i, {
				type: new Dictionary(new Utf8(), new Int32(), i),
				values: makeVector(utf8Data(values)) as Vector<Utf8>,
				index
			});
			joins.push(`LEFT JOIN ${dict} d${i} ON d${i}.v = t.${col}`);
			keys.push(`d${i}.k AS ${index}`);
		}
		out.indexTable = `arrow_indices_${seq}`;
		temp.push(out.indexTable);
		await conn.run(
			`CREATE TEMP TABLE ${out.indexTable} AS SELECT ${keys.join(', ')} FROM ${table} t ${joins.join(' ')} ORDER BY t.rowid`
		);
	} catch (e) {
		await drop();
		throw e;
	}
	return out;
}

export interface ArrowFileInfo {
	rows: number;
	bytes: number;
	sha256: string;
}

/**
 * Write a table as an Arrow IPC stream to `path`, in record batches of `BATCH_ROWS` rows.
 *
 * Fast path (tables written once, so rowids are 0..n-1 in insertion order): batch by batch (rowid
 * ranges), the UTF-8 bytes of every string column come from DuckDB in one piece (`string_agg` ordered by
 * rowid) and the offsets from `strlen` (bytes), so no JS string is made per value; numbers, dates,
 * booleans and lengths are copied from DuckDB's vectors into typed arrays (no JS value per row either).
 * Other tables fall back to reading string values one by one. Memory: one batch at a time.
 */
export async function writeArrowStream(
	conn: DuckDBConnection,
	tableName: string,
	columns: readonly PublicColumn[],
	path: string
): Promise<ArrowFileInfo> {
	const writer = new RecordBatchStreamWriter();
	const out = createWriteStream(path);
	const hash = createHash('sha256');
	let bytes = 0;
	const done = new Promise<void>((resolve, reject) => {
		out.on('finish', resolve);
		out.on('error', reject);
	});
	const pump = (async () => {
		for await (const chunk of writer) {
			hash.update(chunk);
			bytes += chunk.byteLength;
			if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
		}
		out.end();
	})();

	const ids = (
		await conn.runAndReadAll(
			`SELECT count(*)::DOUBLE AS n, coalesce(min(rowid), 0)::DOUBLE AS lo, coalesce(max(rowid), -1)::DOUBLE AS hi FROM ${tableName}`
		)
	).getRowObjectsJS()[0] as { n: number; lo: number; hi: number };
	const fast = ids.lo === 0 && ids.hi === ids.n - 1;
	const dict = await readDictionaries(conn, tableName, columns, ids.n);
	const dictionaries = dict.columns;
	/** FROM clause: the table's rows (optionally a rowid range), with their dictionary indices beside them. */
	const source = (where = '') =>
		dict.indexTable
			? `(SELECT * FROM ${tableName} ${where}) POSITIONAL JOIN (SELECT * FROM ${dict.indexTable} ${where})`
			: `${tableName} ${where}`;
	try {
		const textCols = columns
			.map((c, i) => i)
			.filter((i) => columns[i].type === 'VARCHAR' && !dictionaries.has(i));
		const builders = () =>
			columns.map((c, i) => new ColumnBuilder(dictionaries.has(i) ? 'INTEGER' : c.type, fast, BATCH_ROWS));
		const schema = new Schema(
			columns.map(
				(c, i) => new Field(c.name, dictionaries.get(i)?.type ?? arrowTypeOf(c.type), c.nullable ?? false)
			)
		);
		let cols = builders();
		let buffered = 0;
		let rows = 0;
		/** UTF-8 bytes of each string column of the batch being filled (fast path). */
		let strings = new Map<number, Uint8Array>();
		const flush = () => {
			const children = columns.map((c, i) => {
				const data = cols[i].data(buffered, strings.get(i) ?? new Uint8Array(0), `${tableName}.${c.name}`);
				const dict = dictionaries.get(i);
				return dict
					? makeData({
							type: dict.type,
							length: data.length,
							nullCount: data.nullCount,
							nullBitmap: data.nullBitmap,
							data: data.values as Int32Array,
							dictionary: dict.values
						})
					: data;
			});
			const batch = new RecordBatch(
				schema,
				makeData({ type: new Struct(schema.fields), length: buffered, nullCount: 0, children })
			);
			writer.write(batch);
			rows += buffered;
			cols = builders();
			strings = new Map();
			buffered = 0;
		};
		/** Append every row of a streamed result to the batch being filled (flushing full batches). */
		const drain = async (sql: string) => {
			const result = await conn.stream(sql);
			for (;;) {
				const chunk = await result.fetchChunk();
				if (!chunk || chunk.rowCount === 0) break;
				const n = chunk.rowCount;
				const vectors = columns.map((_, i) => chunk.getColumnVector(i));
				let from = 0;
				while (from < n) {
					const take = Math.min(n - from, BATCH_ROWS - buffered);
					for (let i = 0; i < columns.length; i++) cols[i].append(vectors[i], from, take, buffered);
					buffered += take;
					from += take;
					if (buffered === BATCH_ROWS) flush();
				}
			}
		};
		if (fast) {
			// One batch at a time, by rowid range (the range filter reaches the table scan): the string bytes of
			// the batch as one BLOB per column (`string_agg` ordered by rowid), then its lengths and other values.
			const aggs = textCols.map(
				(i) => `encode(coalesce(string_agg(coalesce("${columns[i].name}", ''), '' ORDER BY rowid), ''))`
			);
			const exprs = columns.map((c, i) =>
				dictionaries.has(i)
					? dictionaries.get(i)!.index
					: c.type === 'VARCHAR'
						? `strlen("${c.name}")::INTEGER`
						: readExpr(c)
			);
			for (let lo = 0; lo < ids.n; lo += BATCH_ROWS) {
				const where = `WHERE rowid >= ${lo} AND rowid < ${lo + BATCH_ROWS}`;
				if (textCols.length) {
					const blobs = (
						await conn.runAndReadAll(`SELECT ${aggs.join(', ')} FROM ${tableName} ${where}`)
					).getRows()[0] as DuckDBBlobValue[];
					// Copied: the bytes are a view on memory DuckDB frees with the result.
					textCols.forEach((col, k) => strings.set(col, new Uint8Array(blobs[k].bytes)));
				}
				await drain(`SELECT ${exprs.join(', ')} FROM ${source(where)}`);
				if (buffered) flush(); // the last, partial batch
			}
		} else
			await drain(
				`SELECT ${columns.map((c, i) => dictionaries.get(i)?.index ?? readExpr(c)).join(', ')} FROM ${source()}`
			);
		if (buffered || rows === 0) flush();
		writer.finish();
		await pump;
		await done;
		if (rows !== ids.n)
			throw new Error(`internal error: ${tableName} has ${ids.n} rows but ${rows} were written`);
		return { rows, bytes, sha256: hash.digest('hex') };
	} finally {
		await dict.drop();
	}
}
