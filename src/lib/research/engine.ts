/**
 * The SQL console's engine: an interface (so the console can be wired to any engine and tested) and a
 * DuckDB-WASM implementation, locked down as a second wall behind `sql-guard.ts`: no extension install or
 * autoload, no external (file/network) access, configuration locked; tables arrive as Arrow IPC streams
 * fetched by us from the release. Queries run as pending queries so they can be cancelled; results come
 * back as raw Arrow IPC bytes (what the "Arrow" download saves). Browser only: import it dynamically.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import wasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import workerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { settingStatements, WASM_OPEN_CONFIG } from '$lib/db/settings';

export interface LoadProgress {
	table: string;
	received: number;
	total: number;
}

export interface ConsoleEngine {
	/** Load the named release tables (once each). */
	ensureTables(names: readonly string[], onProgress?: (p: LoadProgress) => void): Promise<void>;
	/** Run one statement; resolves with an Arrow IPC stream of the result. */
	run(sql: string): Promise<Uint8Array>;
	/** Cancel the running statement (its `run` rejects with `CancelledError`). */
	cancel(): Promise<void>;
	close(): Promise<void>;
}

export class CancelledError extends Error {
	constructor() {
		super('cancelled');
		this.name = 'CancelledError';
	}
}

interface ManifestEntry {
	file: string;
	bytes: number;
}

/** Shared engine settings, the scratch schema, then the lockdown (external access off, configuration locked). */
const SETTINGS = [
	...settingStatements('wasm', 'open'),
	'CREATE SCHEMA IF NOT EXISTS scratch',
	...settingStatements('wasm', 'lockdown')
];

const EOS = new Uint8Array([255, 255, 255, 255, 0, 0, 0, 0]);

function concat(chunks: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
	let o = 0;
	for (const c of chunks) {
		out.set(c, o);
		o += c.byteLength;
	}
	return out;
}

async function download(
	url: string,
	expected: number,
	onProgress: (received: number, total: number) => void
): Promise<Uint8Array> {
	const res = await fetch(url);
	if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
	if (!res.body) return new Uint8Array(await res.arrayBuffer());
	const reader = res.body.getReader();
	const chunks: Uint8Array[] = [];
	let received = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		chunks.push(value);
		received += value.byteLength;
		onProgress(received, Math.max(expected, received));
	}
	return concat(chunks);
}

/** Open a locked-down DuckDB-WASM over the release at `releaseBase` (e.g. "/data/2025.1"). */
export async function createConsoleEngine(releaseBase: string): Promise<ConsoleEngine> {
	const worker = new Worker(workerUrl);
	const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
	await db.instantiate(wasmUrl);
	await db.open({ ...WASM_OPEN_CONFIG, query: { ...WASM_OPEN_CONFIG.query } });
	const conn = await db.connect();
	const id = conn.useUnsafe((_b, c) => c);
	for (const s of SETTINGS) await conn.query(s);

	let manifest: Promise<Record<string, ManifestEntry>> | null = null;
	const getManifest = () =>
		(manifest ??= fetch(`${releaseBase}/browser/manifest.json`).then(async (r) => {
			if (!r.ok) throw new Error(`${releaseBase}/browser/manifest.json: HTTP ${r.status}`);
			const m = (await r.json()) as Record<string, unknown> & { tables?: Record<string, ManifestEntry> };
			return (m.tables ?? m) as Record<string, ManifestEntry>;
		}));
	const loaded = new Map<string, Promise<void>>();
	let cancelled = false;
	let busy: Promise<unknown> = Promise.resolve();

	const engine: ConsoleEngine = {
		async ensureTables(names, onProgress) {
			const m = await getManifest();
			await Promise.all(
				names.map((name) => {
					let p = loaded.get(name);
					if (!p) {
						const entry = m[name];
						if (!entry) return Promise.reject(new Error(`table ${name} is not in the release manifest`));
						p = (async () => {
							const bytes = await download(
								`${releaseBase}/browser/${entry.file}`,
								entry.bytes,
								(received, total) => onProgress?.({ table: name, received, total })
							);
							await conn.insertArrowFromIPCStream(bytes, { name, create: true });
						})().catch((e) => {
							loaded.delete(name);
							throw e;
						});
						loaded.set(name, p);
					}
					return p;
				})
			);
		},
		run(sql) {
			const job = busy.then(async () => {
				cancelled = false;
				let header = await db.startPendingQuery(id, sql, false);
				while (header === null) {
					if (cancelled) {
						await db.cancelPendingQuery(id);
						throw new CancelledError();
					}
					header = await db.pollPendingQuery(id);
				}
				const chunks = [header];
				for (;;) {
					const c = await db.fetchQueryResults(id);
					if (c === null) continue;
					if (c.byteLength === 0) break;
					chunks.push(c);
				}
				if (cancelled) throw new CancelledError();
				chunks.push(EOS);
				return concat(chunks);
			});
			busy = job.catch(() => undefined);
			return job;
		},
		async cancel() {
			cancelled = true;
		},
		async close() {
			await conn.close();
			await db.terminate();
			worker.terminate();
		}
	};
	return engine;
}
