/**
 * Splits an Arrow IPC stream into several complete streams, each with the schema, the dictionaries and about
 * `partBytes` of the record batches, so that DuckDB-WASM can insert a large table a part at a time.
 *
 * Why: during one `insertArrowFromIPCStream` of a whole raw table the engine's memory grows to several times the
 * file, and WebAssembly memory never shrinks. Measured with the Node build of the same module on the scale-10
 * hours table (302 MB of Arrow): the engine's memory grew 1224 MB in one insert, 380 MB in parts of ~16 MB, in
 * about the same time (13.0–14.6 s either way); after loading every raw table 1842 → 825 MB, and the raw
 * assessment query as fast (6.0–8.0 s either way). In Chromium (the benchmark's raw run at scale 10) the peak
 * memory of a page went 2.86 → 2.22 GB. Between parts, other queries can run.
 *
 * Only the framing is read (message lengths; the batches are copied, not decoded). A stream this cannot split
 * safely (a dictionary after the first batch, or bytes it cannot frame) comes back whole, so the engine
 * reports any error in it as before.
 */
import { Message, MessageHeader } from 'apache-arrow';

/** The end-of-stream marker: continuation token and a zero metadata length. */
const EOS = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
/** Bytes of record batches per part. */
export const IPC_CHUNK_BYTES = 16 * 1024 * 1024;
/** Streams up to this size go in whole: parts made the 44–51 MB tables (activities, volunteers) load 30–45 %
 * slower at scale 10, and only the two 250–300 MB ones (hours, points) made the memory grow much. */
export const IPC_WHOLE_BYTES = 64 * 1024 * 1024;

export interface PartOptions {
	/** Bytes of record batches per part (at least one batch a part). */
	partBytes?: number;
	/** A stream up to this size is not split. */
	wholeUpTo?: number;
}

type Range = readonly [start: number, end: number];

/** The byte ranges of the stream's messages (prefix: schema and dictionaries; batches), or null. */
function frame(bytes: Uint8Array): { prefix: Range[]; batches: Range[] } | null {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const prefix: Range[] = [];
	const batches: Range[] = [];
	let o = 0;
	while (o + 4 <= bytes.length) {
		let metaLength = view.getInt32(o, true);
		let metaStart = o + 4;
		// Since format 0.15 each message starts with the continuation token 0xFFFFFFFF, then the length.
		if (metaLength === -1) {
			if (o + 8 > bytes.length) return null;
			metaLength = view.getInt32(o + 4, true);
			metaStart = o + 8;
		}
		if (metaLength === 0) return { prefix, batches }; // end of stream
		if (metaLength < 0 || metaStart + metaLength > bytes.length) return null;
		let message: Message;
		try {
			message = Message.decode(bytes.subarray(metaStart, metaStart + metaLength));
		} catch {
			return null;
		}
		const end = metaStart + metaLength + Number(message.bodyLength);
		if (!Number.isFinite(end) || end > bytes.length) return null;
		if (message.headerType === MessageHeader.RecordBatch) batches.push([o, end]);
		else if (batches.length)
			return null; // a dictionary after a batch (a delta or replacement)
		else prefix.push([o, end]);
		o = end;
	}
	// A stream may also end without the marker.
	return o === bytes.length ? { prefix, batches } : null;
}

/** Concatenate byte ranges of `bytes` and the end-of-stream marker into a new buffer of its own. */
function assemble(bytes: Uint8Array, ranges: readonly Range[]): Uint8Array {
	const size = ranges.reduce((s, [a, b]) => s + b - a, 0) + EOS.length;
	const out = new Uint8Array(size);
	let o = 0;
	for (const [a, b] of ranges) {
		out.set(bytes.subarray(a, b), o);
		o += b - a;
	}
	out.set(EOS, o);
	return out;
}

/**
 * The stream as complete streams of about `partBytes` of record batches each (at least one batch per part), or
 * `bytes` itself when it is no larger than `wholeUpTo` (or one part) or cannot be split safely. Each part is
 * copied when it is asked for (not all at once: no long task for a large table) into a buffer of its own (so it
 * can be transferred to a worker).
 */
export function* ipcStreamParts(bytes: Uint8Array, o: PartOptions = {}): Generator<Uint8Array> {
	const maxBytes = o.partBytes ?? IPC_CHUNK_BYTES;
	const framed = bytes.length > Math.max(maxBytes, o.wholeUpTo ?? IPC_WHOLE_BYTES) ? frame(bytes) : null;
	if (!framed || framed.batches.length < 2) {
		yield bytes;
		return;
	}
	const groups: Range[][] = [];
	let group: Range[] = [];
	let size = 0;
	for (const r of framed.batches) {
		if (group.length && size + (r[1] - r[0]) > maxBytes) {
			groups.push(group);
			group = [];
			size = 0;
		}
		group.push(r);
		size += r[1] - r[0];
	}
	groups.push(group);
	if (groups.length < 2) {
		yield bytes;
		return;
	}
	for (const g of groups) yield assemble(bytes, [...framed.prefix, ...g]);
}

/**
 * Insert an Arrow IPC stream as table `name` a part at a time (`insert(part, create)`: the engine's own insert,
 * `create` for the first part). When a later part fails, the table the first part created is dropped (`drop`)
 * so that a retry starts afresh; the error is passed on.
 */
export async function insertInParts(
	bytes: Uint8Array,
	insert: (part: Uint8Array, create: boolean) => Promise<void> | void,
	drop: () => Promise<unknown> | unknown,
	o: PartOptions = {}
): Promise<number> {
	let n = 0;
	try {
		for (const part of ipcStreamParts(bytes, o)) {
			await insert(part, n === 0);
			n++;
		}
	} catch (e) {
		if (n > 0) {
			try {
				await drop();
			} catch {
				/* the insert's error is the one to report */
			}
		}
		throw e;
	}
	return n;
}
