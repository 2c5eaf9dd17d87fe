/**
 * DuckDB-WASM in a Web Worker, from the `eh` bundle served by our own build (Vite `?url` imports: no CDN).
 * Extension autoloading/autoinstalling is switched off; the data arrives as Arrow IPC streams fetched by us.
 * Browser only: import it dynamically.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import wasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import workerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { rowsFromArrowTable } from './connector';
import { settingStatements, WASM_OPEN_CONFIG } from './settings';

export type WasmRow = Record<string, string | number | boolean | null>;

export interface WasmDb {
	query(sql: string): Promise<WasmRow[]>;
	exec(sql: string): Promise<void>;
	/** Create table `name` from a complete Arrow IPC stream. */
	insertArrow(name: string, bytes: Uint8Array): Promise<void>;
	close(): Promise<void>;
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/** After a good pre-flight the module comes from the HTTP cache: instantiating longer than this is a fault. */
const INSTANTIATE_TIMEOUT_MS = 90_000;

/**
 * Download the WebAssembly module once on the page's thread and check it is one (HTTP status, magic number
 * and version). DuckDB-WASM's worker never answers when the module is missing or not WebAssembly (the
 * instantiation aborts inside Emscripten), so without this a panel would wait forever. The body is read to
 * the end (and dropped) so the immutable response is in the HTTP cache when the worker asks for it.
 */
async function preflightWasm(url: string): Promise<void> {
	const name = url.slice(url.lastIndexOf('/') + 1);
	const res = await fetch(url);
	if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
	if (!res.body) return;
	const reader = res.body.getReader();
	const head: number[] = [];
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		for (let i = 0; head.length < WASM_MAGIC.length && i < value.byteLength; i++) head.push(value[i]);
	}
	if (head.length < WASM_MAGIC.length || WASM_MAGIC.some((b, i) => head[i] !== b))
		throw new Error(`${name}: not a WebAssembly module`);
}

/** Start the worker, instantiate the WebAssembly module and open an in-memory database. */
export async function createWasmDb(): Promise<WasmDb> {
	await preflightWasm(wasmUrl);
	const worker = new Worker(workerUrl);
	// A worker script that fails to load or run only fires an `error` event (DuckDB's own promises would
	// then wait forever): turn it into a rejection so the panel can say so and offer a retry.
	let onError: (e: Event) => void = () => {};
	const failed = new Promise<never>((_, reject) => {
		onError = (e: Event) =>
			reject(
				new Error(
					`worker ${workerUrl.slice(workerUrl.lastIndexOf('/') + 1)}: ${(e as ErrorEvent).message || 'failed to load'}`
				)
			);
		worker.addEventListener('error', onError);
	});
	const timer = setTimeout(
		() => onError(new ErrorEvent('error', { message: `no answer after ${INSTANTIATE_TIMEOUT_MS / 1000} s` })),
		INSTANTIATE_TIMEOUT_MS
	);
	failed.catch(() => {});
	const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
	let conn: duckdb.AsyncDuckDBConnection;
	try {
		await Promise.race([
			(async () => {
				await db.instantiate(wasmUrl);
				await db.open({ ...WASM_OPEN_CONFIG, query: { ...WASM_OPEN_CONFIG.query } });
			})(),
			failed
		]);
		conn = await Promise.race([db.connect(), failed]);
		// Shared settings (no extension autoload/autoinstall, same semantics as the native engine).
		for (const s of settingStatements('wasm', 'open')) await conn.query(s);
	} catch (e) {
		worker.terminate();
		throw e;
	} finally {
		clearTimeout(timer);
		worker.removeEventListener('error', onError);
	}
	return {
		async query(sql) {
			return rowsFromArrowTable<WasmRow>(await conn.query(sql));
		},
		async exec(sql) {
			await conn.query(sql);
		},
		async insertArrow(name, bytes) {
			await conn.insertArrowFromIPCStream(bytes, { name, create: true });
		},
		async close() {
			await conn.close();
			await db.terminate();
			worker.terminate();
		}
	};
}
