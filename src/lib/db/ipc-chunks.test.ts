import { Dictionary, Int32, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { insertInParts, ipcStreamParts } from './ipc-chunks';

/** A stream of `batches` record batches of `rows` rows each (an integer and a text column). */
function plainStream(batches: number, rows: number): Uint8Array {
	const parts = Array.from(
		{ length: batches },
		(_, b) =>
			new Table({
				i: vectorFromArray(
					Array.from({ length: rows }, (_, k) => b * rows + k),
					new Int32()
				),
				s: vectorFromArray(
					Array.from({ length: rows }, (_, k) => (k % 9 === 0 ? '' : `值${b * rows + k}`)),
					new Utf8()
				)
			})
	);
	return tableToIPC(new Table(parts.flatMap((t) => t.batches)), 'stream');
}

const rowsOf = (bytes: Uint8Array) =>
	tableFromIPC(bytes)
		.toArray()
		.map((r) => JSON.stringify(r));

describe('ipcStreamParts', () => {
	it('splits a stream into complete streams of whole batches that add up to the same rows', () => {
		const bytes = plainStream(5, 1000);
		const whole = rowsOf(bytes);
		// About two batches a part: parts of 2, 2 and 1 batches.
		const batchBytes = bytes.length / 5;
		const parts = [...ipcStreamParts(bytes, { partBytes: batchBytes * 2.2, wholeUpTo: 0 })];
		expect(parts.map((p) => tableFromIPC(p).batches.length)).toEqual([2, 2, 1]);
		expect(parts.flatMap(rowsOf)).toEqual(whole);
		for (const p of parts) {
			// A buffer of its own (transferable to the worker without detaching the others).
			expect(p.byteOffset).toBe(0);
			expect(p.buffer.byteLength).toBe(p.length);
		}
		// At least one batch a part, however small the limit.
		expect([...ipcStreamParts(bytes, { partBytes: 1, wholeUpTo: 0 })].length).toBe(5);
		// Not split up to `wholeUpTo`.
		expect([...ipcStreamParts(bytes, { partBytes: 1, wholeUpTo: bytes.length })]).toEqual([bytes]);
		expect([...ipcStreamParts(bytes, { partBytes: 1, wholeUpTo: bytes.length - 1 })].length).toBe(5);
	});
	it('returns the stream itself when it fits in one part, or cannot be split safely', () => {
		const bytes = plainStream(3, 500);
		expect([...ipcStreamParts(bytes, { partBytes: bytes.length, wholeUpTo: 0 })]).toEqual([bytes]);
		expect([...ipcStreamParts(bytes, { partBytes: 100, wholeUpTo: bytes.length * 10 })][0]).toBe(bytes);
		// Cut off inside a batch: left whole, for the engine to report.
		const cut = bytes.subarray(0, bytes.length - 100);
		expect([...ipcStreamParts(cut, { partBytes: 1000, wholeUpTo: 0 })][0]).toBe(cut);
		const junk = new Uint8Array(5000).fill(7);
		expect([...ipcStreamParts(junk, { partBytes: 1000, wholeUpTo: 0 })][0]).toBe(junk);
		// A dictionary that changes after the first batch (each batch its own): left whole.
		const dictType = new Dictionary(new Utf8(), new Int32());
		const t1 = new Table({ c: vectorFromArray(['a', 'b', 'a'], dictType) });
		const t2 = new Table({ c: vectorFromArray(['x', 'y', 'x'], dictType) });
		const dict = tableToIPC(new Table([...t1.batches, ...t2.batches]), 'stream');
		expect([...ipcStreamParts(dict, { partBytes: 10, wholeUpTo: 0 })][0]).toBe(dict);
		expect(rowsOf(dict)).toEqual([
			'{"c":"a"}',
			'{"c":"b"}',
			'{"c":"a"}',
			'{"c":"x"}',
			'{"c":"y"}',
			'{"c":"x"}'
		]);
	});
});

describe('insertInParts', () => {
	const bytes = plainStream(4, 300);
	const limit = bytes.length / 4; // one batch a part
	it('creates the table with the first part and appends the others', async () => {
		const calls: [number, boolean][] = [];
		const n = await insertInParts(
			bytes,
			(part, create) => {
				calls.push([tableFromIPC(part).numRows, create]);
			},
			() => {
				throw new Error('no drop expected');
			},
			{ partBytes: limit, wholeUpTo: 0 }
		);
		expect(n).toBe(4);
		expect(calls).toEqual([
			[300, true],
			[300, false],
			[300, false],
			[300, false]
		]);
	});
	it('drops the half-inserted table when a later part fails, and not when the first does', async () => {
		for (const failAt of [0, 2]) {
			let k = 0;
			let dropped = 0;
			await expect(
				insertInParts(
					bytes,
					() => {
						if (k++ === failAt) throw new Error(`part ${failAt} failed`);
					},
					() => dropped++,
					{ partBytes: limit, wholeUpTo: 0 }
				)
			).rejects.toThrow(`part ${failAt} failed`);
			expect(dropped).toBe(failAt === 0 ? 0 : 1);
		}
	});
});
