/**
 * The DuckDB-WASM files served by our own build (Vite `?url` imports: no CDN) and the pre-flight check of the
 * WebAssembly module. Kept apart from `./wasm` (which carries the DuckDB-WASM JavaScript) so the page can start
 * downloading the module while that code is still on its way. Browser only.
 */
import wasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import workerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';

export { wasmUrl, workerUrl };

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** The module answered and starts like WebAssembly; `downloaded` settles when its whole body has arrived. */
export interface WasmPreflight {
	downloaded: Promise<void>;
}

/**
 * Check the WebAssembly module on the page's thread before DuckDB-WASM's worker asks for it (HTTP status, magic
 * number and version): that worker never answers when the module is missing or not WebAssembly (the
 * instantiation aborts inside Emscripten), so without this a panel would wait forever. Resolves as soon as the
 * first bytes are checked, so the worker can start compiling while the rest arrives; the body is still read to
 * the end (and dropped) so the immutable response lands in the HTTP cache, where the worker's request for the
 * same file finds it (the browser shares one download between the two).
 */
export async function preflightWasm(url: string = wasmUrl): Promise<WasmPreflight> {
	const name = url.slice(url.lastIndexOf('/') + 1);
	const res = await fetch(url);
	if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
	if (!res.body) return { downloaded: Promise.resolve() };
	const reader = res.body.getReader();
	const head: number[] = [];
	let done = false;
	while (!done && head.length < WASM_MAGIC.length) {
		const r = await reader.read();
		done = r.done;
		const value = r.value ?? new Uint8Array();
		for (let i = 0; head.length < WASM_MAGIC.length && i < value.byteLength; i++) head.push(value[i]);
	}
	if (head.length < WASM_MAGIC.length || WASM_MAGIC.some((b, i) => head[i] !== b)) {
		if (!done) void reader.cancel().catch(() => {});
		throw new Error(`${name}: not a WebAssembly module`);
	}
	const downloaded = (async () => {
		while (!done) done = (await reader.read()).done;
	})().catch((e: unknown) => {
		throw new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
	});
	downloaded.catch(() => {}); // the caller decides whether to wait for it
	return { downloaded };
}
