/**
 * The one browser engine shared by all pages: DuckDB-WASM started lazily (after the prerendered page is on
 * screen), tables loaded on demand from the release's Arrow IPC files with download progress.
 * Browser only.
 */
import { writable, type Readable } from 'svelte/store';
import type { WasmDb, WasmRow } from './wasm';
import { PUBLIC_TABLES } from '$lib/schema/public';
import { mark } from './marks';
import { preflightWasm } from './wasm-files';

export interface TableEntry {
	file: string;
	rows: number;
	bytes: number;
	sha256?: string;
	columns?: string[];
}
export type Manifest = Record<string, TableEntry>;
type ManifestFile = Manifest | { tables: Manifest };

export interface EngineProgress {
	/** 'idle' before anything starts, 'starting' while the WebAssembly module loads. */
	phase: 'idle' | 'starting' | 'loading' | 'ready' | 'error';
	/** Bytes received / expected over the files currently loading. */
	received: number;
	total: number;
	tables: string[];
}

const progressStore = writable<EngineProgress>({ phase: 'idle', received: 0, total: 0, tables: [] });
export const engineProgress: Readable<EngineProgress> = { subscribe: progressStore.subscribe };

/** What went wrong, in categories a panel can explain in plain words. */
export type EngineErrorKind = 'network' | 'http' | 'truncated' | 'corrupt' | 'engine' | 'query' | 'needs_raw';

/** An error of the browser engine: `kind` for the plain-words message, `file` / `status` for the details. */
export class EngineError extends Error {
	readonly kind: EngineErrorKind;
	readonly file: string;
	readonly status: number;
	/** For 'needs_raw': the size of the detailed tables the view would download (Arrow bytes). */
	readonly bytes: number;
	constructor(
		kind: EngineErrorKind,
		message: string,
		o: { file?: string; status?: number; bytes?: number; cause?: unknown } = {}
	) {
		super(message, { cause: o.cause });
		this.name = 'EngineError';
		this.kind = kind;
		this.file = o.file ?? '';
		this.status = o.status ?? 0;
		this.bytes = o.bytes ?? 0;
	}
}

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

let base = '';
let dbPromise: Promise<WasmDb> | null = null;
let manifestPromise: Promise<Manifest> | null = null;
const tablePromises = new Map<string, Promise<void>>();
const inflight = new Map<string, { received: number; total: number }>();

/** The engine has started (and not failed since): only then is it "ready" once no table is loading. */
let engineUp = false;

function publish(phase?: EngineProgress['phase']) {
	let received = 0;
	let total = 0;
	for (const p of inflight.values()) {
		received += p.received;
		total += p.total;
	}
	// With no table loading: a table download that ends while the engine is still starting (or has failed) does
	// not make it ready.
	const settled = (s: EngineProgress): EngineProgress['phase'] => {
		if (s.phase === 'error') return 'error';
		if (engineUp) return 'ready';
		return dbPromise ? 'starting' : s.phase;
	};
	progressStore.update((s) => ({
		phase: phase ?? (inflight.size ? 'loading' : settled(s)),
		received,
		total,
		tables: [...inflight.keys()]
	}));
}

/** Where the release lives, e.g. "/data/2025.1" (set once by the layout). */
export function configureEngine(releaseBase: string): void {
	if (base && base !== releaseBase) {
		tablePromises.clear();
		manifestPromise = null;
	}
	base = releaseBase;
}

/** The engine has started and not failed since (nothing is started by asking). */
export const engineReady = (): boolean => engineUp;

/** Start (once) the DuckDB-WASM worker. */
export function startEngine(): Promise<WasmDb> {
	if (!dbPromise) {
		progressStore.update((s) => ({ ...s, phase: 'starting' }));
		mark('engine-start');
		// The module's download starts now, while the DuckDB-WASM code (a separate chunk) is still loading.
		const preflight = preflightWasm();
		preflight.catch(() => {}); // reported by createWasmDb
		dbPromise = import('./wasm')
			.then((m) => m.createWasmDb(preflight))
			.then((db) => {
				engineUp = true;
				publish();
				return db;
			})
			.catch((e) => {
				// Forget the failed start: the next query (a retry) starts a fresh worker.
				dbPromise = null;
				engineUp = false;
				publish('error');
				throw e instanceof EngineError
					? e
					: new EngineError('engine', `query engine failed to start: ${errText(e)}`, { cause: e });
			});
	}
	return dbPromise;
}

const fileName = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

async function fetchChecked(url: string): Promise<Response> {
	let res: Response;
	try {
		res = await fetch(url);
	} catch (e) {
		throw new EngineError('network', `${fileName(url)}: ${errText(e)}`, { file: fileName(url), cause: e });
	}
	if (!res.ok)
		throw new EngineError('http', `${fileName(url)}: HTTP ${res.status}`, {
			file: fileName(url),
			status: res.status
		});
	return res;
}

function manifest(): Promise<Manifest> {
	if (!base) return Promise.reject(new Error('engine not configured'));
	manifestPromise ??= fetchChecked(`${base}/browser/manifest.json`)
		.then((r) => r.json() as Promise<ManifestFile>)
		.then((m) => ('tables' in m && typeof m.tables === 'object' ? (m.tables as Manifest) : (m as Manifest)))
		.catch((e) => {
			manifestPromise = null;
			throw e;
		});
	return manifestPromise;
}

/** Fetch a file reading its body in chunks, reporting bytes received against `expected`. */
async function download(
	url: string,
	expected: number,
	onProgress: (received: number, total: number) => void
): Promise<Uint8Array> {
	const res = await fetchChecked(url);
	const total = expected || Number(res.headers.get('content-length')) || 0;
	if (!res.body) return new Uint8Array(await res.arrayBuffer());
	const reader = res.body.getReader();
	const chunks: Uint8Array[] = [];
	let received = 0;
	for (;;) {
		let chunk: ReadableStreamReadResult<Uint8Array>;
		try {
			chunk = await reader.read();
		} catch (e) {
			throw new EngineError('network', `${fileName(url)}: ${errText(e)}`, { file: fileName(url), cause: e });
		}
		const { done, value } = chunk;
		if (done) break;
		chunks.push(value);
		received += value.byteLength;
		onProgress(received, Math.max(total, received));
	}
	const out = new Uint8Array(received);
	let o = 0;
	for (const c of chunks) {
		out.set(c, o);
		o += c.byteLength;
	}
	return out;
}

const hex = (b: ArrayBuffer): string =>
	[...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

/**
 * Check a downloaded file against the manifest before DuckDB sees it: a short file is "truncated" (DuckDB
 * could otherwise read the complete record batches and silently drop the rest), a wrong SHA-256 (when the
 * browser offers WebCrypto, i.e. on https or localhost) is "corrupt".
 */
async function verify(entry: TableEntry, bytes: Uint8Array): Promise<void> {
	if (entry.bytes && bytes.byteLength !== entry.bytes)
		throw new EngineError(
			bytes.byteLength < entry.bytes ? 'truncated' : 'corrupt',
			`${entry.file}: ${bytes.byteLength} bytes received, ${entry.bytes} expected`,
			{ file: entry.file }
		);
	if (entry.sha256 && globalThis.crypto?.subtle) {
		const got = hex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
		if (got !== entry.sha256)
			throw new EngineError(
				'corrupt',
				`${entry.file}: SHA-256 ${got.slice(0, 12)}… ≠ ${entry.sha256.slice(0, 12)}…`,
				{
					file: entry.file
				}
			);
	}
}

/** Loads started ahead of need that no query has asked for yet: calling one makes it a query's load. */
const ahead = new Map<string, () => void>();

/**
 * Download, check and insert a table, once per visit (a second call gets the same load). `before` (loads ahead
 * of need): the insert, which holds the engine, waits for it, and the download shows no progress, until a query
 * asks for the table (then the query waits for this same load, no longer behind anything).
 */
function loadTable(name: string, before?: () => Promise<void>): Promise<void> {
	let p = tablePromises.get(name);
	if (p) {
		if (!before) ahead.get(name)?.();
		return p;
	}
	let shown = !before;
	let asked = Promise.resolve();
	if (before)
		asked = new Promise<void>((resolve) =>
			ahead.set(name, () => {
				ahead.delete(name);
				shown = true;
				resolve();
			})
		);
	p = (async () => {
		// Download while the engine starts (both take seconds on a first visit), insert when both are done.
		const engine = startEngine();
		engine.catch(() => {}); // reported by the await below
		const m = await manifest();
		const entry = m[name];
		if (!entry) throw new Error(`table ${name} is not in the release manifest`);
		const progress = (received: number, total: number) => {
			if (!shown) return;
			inflight.set(name, { received, total });
			publish('loading');
		};
		progress(0, entry.bytes);
		try {
			const bytes = await download(`${base}/browser/${entry.file}`, entry.bytes, progress);
			mark(`downloaded:${name}`);
			await verify(entry, bytes);
			mark(`verified:${name}`);
			if (before) await Promise.race([before(), asked]);
			ahead.delete(name);
			const db = await engine;
			try {
				await db.insertArrow(name, bytes);
				mark(`inserted:${name}`);
			} catch (e) {
				throw new EngineError('corrupt', `${entry.file}: ${errText(e)}`, { file: entry.file, cause: e });
			}
		} finally {
			ahead.delete(name);
			if (inflight.delete(name) || shown) publish();
		}
	})().catch((e) => {
		tablePromises.delete(name);
		throw e;
	});
	tablePromises.set(name, p);
	return p;
}

/**
 * Start the engine and load tables in the background (after the prerendered page is on screen), so that the
 * first filter change is answered without waiting for them. Failures are left for the query to report.
 */
export function warm(tables: readonly string[]): void {
	startEngine().catch(() => {});
	for (const t of tables) if (rawApproved || !ON_DEMAND.has(t)) loadTable(t).catch(() => {});
}

/**
 * Load tables ahead of need (see `QueryManager.prefetch`): resolves when they are in, or have failed (the query
 * that needs a failed table reports it). `before`: each insert waits for it (e.g. until no query is running)
 * unless a query asks for the table first. Never raw (on-demand) tables, even after the visitor approved them.
 */
export async function preload(tables: readonly string[], before?: () => Promise<void>): Promise<void> {
	await Promise.allSettled([
		startEngine(),
		...tables.filter((t) => !ON_DEMAND.has(t)).map((t) => loadTable(t, before))
	]);
}

/**
 * The queries of one interaction: every table any of them reads starts loading at once, then each query runs
 * (in order, on the one engine connection) as soon as its own tables are in. One result per query.
 */
export async function runBatch(
	items: readonly { sql: string; tables: readonly string[] }[]
): Promise<PromiseSettledResult<WasmRow[]>[]> {
	const wanted = [...new Set(items.flatMap((i) => i.tables))];
	// Large raw tables are left to the per-query check, which asks first (a manifest failure: the queries report it).
	const ask = await rawToAsk(wanted).catch(() => null);
	for (const t of wanted) if (!ask?.tables.includes(t)) loadTable(t).catch(() => {});
	return Promise.allSettled(items.map((i) => runQuery(i.sql, i.tables)));
}

/**
 * Raw (on-demand) tables load only when the visitor asks for them: a view that would download more than this
 * of them first says so and offers the download (the SQL console and `?source=raw` count as asking).
 */
export const RAW_PROMPT_BYTES = 8 * 1024 * 1024;
const ON_DEMAND = new Set(PUBLIC_TABLES.filter((t) => t.browser === 'on-demand').map((t) => t.name));
let rawApproved = false;
/** The limit, or a lower one set by the browser tests (`__timebankRawPromptBytes`, the sample is small). */
const promptBytes = (): number => {
	const v = (globalThis as Record<string, unknown>).__timebankRawPromptBytes;
	return typeof v === 'number' ? v : RAW_PROMPT_BYTES;
};

/** The visitor agreed to download the detailed tables (for the rest of the visit). */
export function approveRaw(): void {
	rawApproved = true;
}

/** The raw tables among `tables` that would be downloaded without asking first (over the limit), or null. */
async function rawToAsk(tables: readonly string[]): Promise<{ tables: string[]; bytes: number } | null> {
	if (rawApproved) return null;
	const pending = tables.filter((t) => ON_DEMAND.has(t) && !tablePromises.has(t));
	if (!pending.length) return null;
	const m = await manifest();
	const bytes = pending.reduce((s, t) => s + (m[t]?.bytes ?? 0), 0);
	return bytes > promptBytes() ? { tables: pending, bytes } : null;
}

async function checkRawSize(tables: readonly string[]): Promise<void> {
	const ask = await rawToAsk(tables);
	if (ask)
		throw new EngineError('needs_raw', `this view needs the detailed tables ${ask.tables.join(', ')}`, {
			bytes: ask.bytes
		});
}

/** Make sure the tables are loaded, then run the query. */
export async function runQuery(sql: string, tables: readonly string[]): Promise<WasmRow[]> {
	await checkRawSize(tables);
	const db = await startEngine();
	await Promise.all(tables.map((t) => loadTable(t)));
	try {
		return await db.query(sql);
	} catch (e) {
		throw new EngineError('query', errText(e), { cause: e });
	}
}
