/**
 * DuckDB-WASM running in Node (the blocking Node bundle with the same `.wasm` modules the browser uses), behind
 * the shared `Connector` interface. For tests that check the browser engine returns the same numbers as the
 * native one. Not for production use: the browser connector is `../wasm.ts`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { quoteIdent, rowsFromArrowTable, type ArrowTableLike, type Connector } from '../connector';
import { insertInParts } from '../ipc-chunks';
import { WASM_OPEN_CONFIG, WASM_STORAGE_STATEMENTS, settingStatements } from '../settings';

interface BlockingConnection {
	query(sql: string): ArrowTableLike;
	insertArrowFromIPCStream(buffer: Uint8Array, options: { name: string; create?: boolean }): void;
	close(): void;
}
interface BlockingDb {
	instantiate(progress: (p: unknown) => void): Promise<unknown>;
	open(config: unknown): void;
	connect(): BlockingConnection;
	reset(): void;
}
interface BlockingModule {
	createDuckDB(bundles: unknown, logger: unknown, runtime: unknown): Promise<BlockingDb>;
	VoidLogger: new () => unknown;
	NODE_RUNTIME: unknown;
}

export interface WasmNodeConnector extends Connector {
	/** Insert Arrow IPC stream bytes into `table` (created from the stream's schema unless `create: false`). */
	insertArrowIPC(
		table: string,
		bytes: Uint8Array,
		opts?: {
			create?: boolean;
			/** Split into parts of this many bytes of record batches (default: as the browser, see ipc-chunks.ts). */
			partBytes?: number;
		}
	): Promise<void>;
	/** Apply the WASM 'lockdown' settings (no file/URL access, configuration locked). */
	lockdown(): Promise<void>;
}

export async function createWasmNodeConnector(): Promise<WasmNodeConnector> {
	const require = createRequire(import.meta.url);
	const entry = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
	const dist = dirname(entry);
	const duckdb = require(entry) as BlockingModule;
	const bundles = {
		mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
		eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') }
	};
	const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
	await db.instantiate(() => {});
	db.open(WASM_OPEN_CONFIG);
	const conn = db.connect();
	const run = (sql: string) => conn.query(sql);
	for (const s of [...settingStatements('wasm', 'open'), ...WASM_STORAGE_STATEMENTS]) run(s);
	return {
		async query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
			return rowsFromArrowTable<T>(run(sql));
		},
		async exec(sql: string) {
			run(sql);
		},
		async close() {
			conn.close();
			db.reset();
		},
		async insertArrowIPC(table, bytes, opts) {
			// In parts, as the browser does (../ipc-chunks.ts); parts after the first append.
			const first = opts?.create ?? true;
			await insertInParts(
				bytes,
				(part, create) => conn.insertArrowFromIPCStream(part, { name: table, create: create && first }),
				() => (first ? run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`) : undefined),
				opts?.partBytes ? { partBytes: opts.partBytes, wholeUpTo: 0 } : {}
			);
		},
		async lockdown() {
			for (const s of settingStatements('wasm', 'lockdown')) run(s);
		}
	};
}
