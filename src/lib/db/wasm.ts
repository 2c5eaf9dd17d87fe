/**
 * DuckDB-WASM in a Web Worker, from the `eh` bundle served by our own build (Vite `?url` imports: no CDN).
 * Extension autoloading/autoinstalling is switched off; the data arrives as Arrow IPC streams fetched by us.
 * Browser only: import it dynamically.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import wasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import workerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';

export type WasmRow = Record<string, string | number | boolean | null>;

export interface WasmDb {
	query(sql: string): Promise<WasmRow[]>;
	exec(sql: string): Promise<void>;
	/** Create table `name` from a complete Arrow IPC stream. */
	insertArrow(name: string, bytes: Uint8Array): Promise<void>;
	close(): Promise<void>;
}

/** Statements run once after opening: no extension downloads, no file or network access from SQL. */
const SETTINGS = [
	'SET autoinstall_known_extensions = false',
	'SET autoload_known_extensions = false',
	"SET TimeZone = 'Asia/Shanghai'"
];

function plain(v: unknown): string | number | boolean | null {
	if (v === null || v === undefined) return null;
	if (typeof v === 'bigint') return Number(v);
	if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
	if (v instanceof Date) return v.toISOString();
	return String(v);
}

/** Start the worker, instantiate the WebAssembly module and open an in-memory database. */
export async function createWasmDb(): Promise<WasmDb> {
	const worker = new Worker(workerUrl);
	const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
	await db.instantiate(wasmUrl);
	await db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
	const conn = await db.connect();
	for (const s of SETTINGS) await conn.query(s);
	return {
		async query(sql) {
			const table = await conn.query(sql);
			const names = table.schema.fields.map((f) => f.name);
			const out: WasmRow[] = [];
			for (let i = 0; i < table.numRows; i++) {
				const r = table.get(i);
				const o: WasmRow = {};
				for (const n of names) o[n] = plain(r?.[n]);
				out.push(o);
			}
			return out;
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
