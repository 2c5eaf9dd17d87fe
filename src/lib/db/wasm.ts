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

/** Start the worker, instantiate the WebAssembly module and open an in-memory database. */
export async function createWasmDb(): Promise<WasmDb> {
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
