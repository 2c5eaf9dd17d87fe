import { afterEach, describe, expect, it, vi } from 'vitest';
import { preflightWasm } from './wasm-files';

/** A response whose body arrives in the given chunks (as a slow network delivers it). */
const chunked = (chunks: number[][], status = 200) =>
	new Response(
		new ReadableStream<Uint8Array>({
			start(c) {
				for (const x of chunks) c.enqueue(new Uint8Array(x));
				c.close();
			}
		}),
		{ status }
	);

const MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

describe('preflightWasm', () => {
	afterEach(() => vi.unstubAllGlobals());

	it('accepts a WebAssembly module, even when its header is split across chunks', async () => {
		const fetch = vi.fn(async () => chunked([MAGIC.slice(0, 3), [...MAGIC.slice(3), 1, 2, 3], [4, 5]]));
		vi.stubGlobal('fetch', fetch);
		const p = await preflightWasm('/x/duckdb-eh.abc.wasm');
		await expect(p.downloaded).resolves.toBeUndefined();
		expect(fetch).toHaveBeenCalledWith('/x/duckdb-eh.abc.wasm');
	});

	it('answers once the header is checked, and reads the rest of the body in the background', async () => {
		let ctl!: ReadableStreamDefaultController<Uint8Array>;
		const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctl = c) });
		ctl.enqueue(new Uint8Array(MAGIC));
		vi.stubGlobal('fetch', async () => new Response(body));
		const p = await preflightWasm('/x/m.wasm');
		let finished = false;
		void p.downloaded.then(() => (finished = true));
		await new Promise((r) => setTimeout(r, 10));
		expect(finished).toBe(false);
		ctl.enqueue(new Uint8Array([1, 2, 3]));
		ctl.close();
		await p.downloaded;
		expect(finished).toBe(true);
	});

	it('reports a download that breaks off after the header', async () => {
		let ctl!: ReadableStreamDefaultController<Uint8Array>;
		const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctl = c) });
		ctl.enqueue(new Uint8Array(MAGIC));
		vi.stubGlobal('fetch', async () => new Response(body));
		const p = await preflightWasm('/x/m.wasm');
		ctl.error(new Error('connection reset'));
		await expect(p.downloaded).rejects.toThrow('m.wasm: connection reset');
	});

	it('names the file and the HTTP status of a failed download', async () => {
		vi.stubGlobal('fetch', async () => chunked([[1, 2]], 404));
		await expect(preflightWasm('/x/duckdb-eh.abc.wasm')).rejects.toThrow('duckdb-eh.abc.wasm: HTTP 404');
	});

	it('refuses a body that is not WebAssembly (an HTML error page, a short file)', async () => {
		vi.stubGlobal('fetch', async () => chunked([[...new TextEncoder().encode('<!doctype html>')]]));
		await expect(preflightWasm('/x/m.wasm')).rejects.toThrow('m.wasm: not a WebAssembly module');
		vi.stubGlobal('fetch', async () => chunked([MAGIC.slice(0, 5)]));
		await expect(preflightWasm('/x/m.wasm')).rejects.toThrow('not a WebAssembly module');
	});
});
