/**
 * DuckDB table → Arrow IPC stream file, built column-wise from DuckDB result chunks (no row objects):
 * dates are read as day numbers, timestamps as epoch milliseconds, strings are UTF-8 encoded straight
 * into one buffer per batch. Types: Utf8, DateDay, TimestampMillisecond, Float64, Int32, Bool.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import {
	Bool,
	DateDay,
	Field,
	Float64,
	Int32,
	Int64,
	makeData,
	RecordBatch,
	RecordBatchStreamWriter,
	Schema,
	Struct,
	TimestampMillisecond,
	Utf8,
	type Data,
	type DataType
} from 'apache-arrow';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { PublicColumn, SqlType } from '../../src/lib/schema/public';

/** Rows per Arrow record batch. */
export const BATCH_ROWS = 128 * 1024;

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

function columnData(type: SqlType, values: unknown[]): Data {
	const length = values.length;
	const v = validity(values);
	switch (type) {
		case 'VARCHAR': {
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
		case 'INTEGER':
		case 'DATE': {
			const data = new Int32Array(length);
			for (let i = 0; i < length; i++) data[i] = (values[i] as number | null) ?? 0;
			return type === 'DATE'
				? makeData({ type: new DateDay(), length, ...v, data })
				: makeData({ type: new Int32(), length, ...v, data });
		}
		case 'DOUBLE': {
			const data = new Float64Array(length);
			for (let i = 0; i < length; i++) data[i] = (values[i] as number | null) ?? 0;
			return makeData({ type: new Float64(), length, ...v, data });
		}
		case 'BIGINT':
		case 'TIMESTAMP': {
			const data = new BigInt64Array(length);
			for (let i = 0; i < length; i++) data[i] = (values[i] as bigint | null) ?? 0n;
			return type === 'BIGINT'
				? makeData({ type: new Int64(), length, ...v, data })
				: makeData({ type: new TimestampMillisecond(), length, ...v, data });
		}
		case 'BOOLEAN': {
			const data = new Uint8Array((length + 7) >> 3);
			for (let i = 0; i < length; i++) if (values[i] === true) data[i >> 3] |= 1 << (i & 7);
			return makeData({ type: new Bool(), length, ...v, data });
		}
	}
}

export interface ArrowFileInfo {
	rows: number;
	bytes: number;
	sha256: string;
}

/** Utf8 column data from per-row byte lengths (null = null value) and the concatenated UTF-8 bytes. */
function utf8FromLengths(lengths: unknown[], bytes: Uint8Array, where: string): Data {
	const length = lengths.length;
	const v = validity(lengths);
	const offsets = new Int32Array(length + 1);
	let pos = 0;
	for (let i = 0; i < length; i++) {
		pos += (lengths[i] as number | null) ?? 0;
		offsets[i + 1] = pos;
	}
	if (pos !== bytes.length)
		throw new Error(`internal error: string bytes of ${where} do not add up (${pos} ≠ ${bytes.length})`);
	return makeData({ type: new Utf8(), length, ...v, valueOffsets: offsets, data: bytes });
}

/**
 * Write a table as an Arrow IPC stream to `path`, in record batches of `BATCH_ROWS` rows.
 *
 * Fast path (tables written once, so rowids are 0..n-1 in insertion order): the UTF-8 bytes of every
 * string column come from DuckDB in one piece per batch (`string_agg` ordered by rowid) and the
 * offsets from `strlen` (bytes), so no JS string is made per value; numbers, dates and booleans are read
 * per chunk. Other tables fall back to reading string values one by one.
 */
export async function writeArrowStream(
	conn: DuckDBConnection,
	tableName: string,
	columns: readonly PublicColumn[],
	path: string
): Promise<ArrowFileInfo> {
	const schema = new Schema(columns.map((c) => new Field(c.name, arrowTypeOf(c.type), c.nullable ?? false)));
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
	// String bytes per column and batch (fast path).
	const strings = new Map<number, Uint8Array[]>();
	const textCols = columns.map((c, i) => i).filter((i) => columns[i].type === 'VARCHAR');
	if (fast && textCols.length) {
		// One grouped query for all string columns (DuckDB sorts once); Buffers are off the JS heap.
		const aggs = textCols.map(
			(i) => `coalesce(string_agg(coalesce("${columns[i].name}", ''), '' ORDER BY rowid), '')`
		);
		const r = await conn.stream(`SELECT (rowid // ${BATCH_ROWS})::INTEGER AS __batch, ${aggs.join(', ')}
			FROM ${tableName} GROUP BY 1 ORDER BY 1`);
		for (const i of textCols) strings.set(i, []);
		for (;;) {
			const chunk = await r.fetchChunk();
			if (!chunk || chunk.rowCount === 0) break;
			const bs = chunk.getColumnValues(0) as number[];
			textCols.forEach((col, k) => {
				const ss = chunk.getColumnValues(k + 1) as string[];
				const list = strings.get(col)!;
				bs.forEach((b, j) => (list[b] = Buffer.from(ss[j], 'utf8')));
			});
		}
	}
	const expr = (c: PublicColumn) =>
		fast && c.type === 'VARCHAR' ? `strlen("${c.name}")::INTEGER` : readExpr(c);
	const result = await conn.stream(`SELECT ${columns.map(expr).join(', ')} FROM ${tableName}`);
	let buffers: unknown[][] = columns.map(() => []);
	let buffered = 0;
	let rows = 0;
	let batchNo = 0;
	const flush = () => {
		const children = columns.map((c, i) => {
			const s = strings.get(i);
			return s
				? utf8FromLengths(buffers[i], s[batchNo] ?? new Uint8Array(0), `${tableName}.${c.name}`)
				: columnData(c.type, buffers[i]);
		});
		const batch = new RecordBatch(
			schema,
			makeData({ type: new Struct(schema.fields), length: buffered, nullCount: 0, children })
		);
		writer.write(batch);
		rows += buffered;
		batchNo++;
		buffers = columns.map(() => []);
		buffered = 0;
	};
	for (;;) {
		const chunk = await result.fetchChunk();
		if (!chunk || chunk.rowCount === 0) break;
		const n = chunk.rowCount;
		const vals = columns.map((_, i) => chunk.getColumnValues(i) as unknown[]);
		let from = 0;
		while (from < n) {
			const take = Math.min(n - from, BATCH_ROWS - buffered);
			for (let i = 0; i < columns.length; i++) {
				const src = vals[i];
				const target = buffers[i];
				for (let j = from; j < from + take; j++) target.push(src[j]);
			}
			buffered += take;
			from += take;
			if (buffered === BATCH_ROWS) flush();
		}
	}
	if (buffered || rows === 0) flush();
	writer.finish();
	await pump;
	await done;
	if (rows !== ids.n)
		throw new Error(`internal error: ${tableName} has ${ids.n} rows but ${rows} were written`);
	return { rows, bytes, sha256: hash.digest('hex') };
}
