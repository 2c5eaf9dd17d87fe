/**
 * DuckDB-WASM in a Web Worker, from the `eh` bundle served by our own build (Vite `?url` imports: no CDN).
 * Extension autoloading/autoinstalling is switched off; the data arrives as Arrow IPC streams fetched by us.
 * Browser only: import it dynamically.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import { mark } from './marks';
import { preflightWasm, wasmUrl, workerUrl, type WasmPreflight } from './wasm-files';
import { quoteIdent, rowsFromArrowTable } from './connector';
import { insertInParts } from './ipc-chunks';
import { settingStatements, WASM_OPEN_CONFIG, WASM_STORAGE_STATEMENTS } from './settings';

export type WasmRow = Record<string, string | number | boolean | null>;

export interface WasmDb {
	query(sql: string): Promise<WasmRow[]>;
	exec(sql: string): Promise<void>;
	/** Create table `name` from a complete Arrow IPC stream. */
	insertArrow(name: string, bytes: Uint8Array): Promise<void>;
	close(): Promise<void>;
}

/** Once the module is in the HTTP cache, instantiating longer than this is a fault. */
const INSTANTIATE_TIMEOUT_MS = 90_000;

/** User Timing name of one engine query (asked → rows ready on the main thread, waiting behind others included). */
export const QUERY_MEASURE = 'duckdb-query';

/** Record a query's span in the performance timeline (the benchmark splits a change's time with it). */
let measured = 0;
function measureQuery(start: number): void {
	if (typeof performance.measure !== 'function') return;
	// A long visit keeps only the latest spans.
	if (++measured > 500) {
		performance.clearMeasures(QUERY_MEASURE);
		measured = 1;
	}
	performance.measure(QUERY_MEASURE, { start });
}

/**
 * Start the worker, instantiate the WebAssembly module and open an in-memory database. The worker starts once
 * the pre-flight (`preflight`: started by the caller, or here) has checked the module's first bytes, so it
 * compiles the module while the rest downloads (the browser shares one download between the two requests).
 */
export async function createWasmDb(
	preflight: Promise<WasmPreflight> = preflightWasm(wasmUrl)
): Promise<WasmDb> {
	mark('engine-code');
	const { downloaded } = await preflight;
	mark('wasm-preflight');
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
	// A download that breaks off is a failure; the time limit counts from a complete download (the module is
	// then in the HTTP cache).
	let timer: ReturnType<typeof setTimeout> | undefined;
	const downloadFailed = downloaded.then<never>(() => {
		timer = setTimeout(
			() =>
				onError(new ErrorEvent('error', { message: `no answer after ${INSTANTIATE_TIMEOUT_MS / 1000} s` })),
			INSTANTIATE_TIMEOUT_MS
		);
		return new Promise<never>(() => {});
	});
	downloadFailed.catch(() => {});
	const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
	let conn: duckdb.AsyncDuckDBConnection;
	try {
		await Promise.race([
			(async () => {
				await db.instantiate(wasmUrl);
				mark('wasm-instantiated');
				await db.open({ ...WASM_OPEN_CONFIG, query: { ...WASM_OPEN_CONFIG.query } });
			})(),
			failed,
			downloadFailed
		]);
		conn = await Promise.race([db.connect(), failed, downloadFailed]);
		// Shared settings (no extension autoload/autoinstall, same semantics as the native engine) and the compressed
		// in-memory database the tables go to, in one round trip.
		await conn.query([...settingStatements('wasm', 'open'), ...WASM_STORAGE_STATEMENTS].join(';\n'));
		mark('engine-ready');
	} catch (e) {
		worker.terminate();
		throw e;
	} finally {
		clearTimeout(timer);
		worker.removeEventListener('error', onError);
	}
	return {
		async query(sql) {
			const t0 = performance.now();
			const rows = rowsFromArrowTable<WasmRow>(await conn.query(sql));
			measureQuery(t0);
			return rows;
		},
		async exec(sql) {
			await conn.query(sql);
		},
		async insertArrow(name, bytes) {
			// A part at a time: the engine's memory grows far less for a large table (measured: see ipc-chunks.ts).
			await insertInParts(
				bytes,
				(part, create) => conn.insertArrowFromIPCStream(part, { name, create }),
				() => conn.query(`DROP TABLE IF EXISTS ${quoteIdent(name)}`)
			);
		},
		async close() {
			await conn.close();
			await db.terminate();
			worker.terminate();
		}
	};
}
