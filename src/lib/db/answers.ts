/**
 * Browser side of the prerendered answers (src/lib/answers/plan.ts): finds the rows of queries answered at build
 * time, by the SHA-256 of their SQL. Any failure (no index, a file that does not load) means "not prerendered":
 * the engine answers instead. Once the index is in, a batch with no prerendered answer is told so without leaving
 * the current task (the key is hashed synchronously and kept per SQL text), so its queries reach the engine at once.
 */
import { base } from '$app/paths';
import { answerKey, type AnswerIndex, type AnswerRows } from '$lib/answers/plan';
import type { Row } from '$lib/charts/queries';

let index: Promise<Record<string, string>> | null = null;
/** The index once loaded (empty when it could not be). */
let loaded: Record<string, string> | null = null;
const files = new Map<string, Promise<AnswerRows>>();
/** Key per SQL text: a visit asks the same few hundred queries again and again. */
const keys = new Map<string, string>();
const KEYS_KEPT = 2000;

async function getJson<T>(path: string): Promise<T> {
	const r = await fetch(`${base}/answers/${path}`);
	if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
	return (await r.json()) as T;
}

/** The index (loaded once; an empty one when it cannot be). */
export function answerIndex(): Promise<Record<string, string>> {
	index ??= getJson<AnswerIndex>('index.json')
		.then((x) => x.answers ?? {})
		.catch(() => ({}))
		.then((x) => (loaded = x));
	return index;
}

function keyOf(sql: string): string {
	let k = keys.get(sql);
	if (k === undefined) {
		if (keys.size >= KEYS_KEPT) keys.clear();
		k = answerKey(sql);
		keys.set(sql, k);
	}
	return k;
}

function file(name: string): Promise<AnswerRows> {
	let p = files.get(name);
	if (!p) {
		p = getJson<AnswerRows>(`${name}.json`);
		// A failed file is asked again next time.
		p.catch(() => files.delete(name));
		files.set(name, p);
	}
	return p;
}

/**
 * For each query, undefined when it has no prerendered answer, or the promise of its rows (undefined when its file
 * cannot be loaded). Resolves at once when the index is in.
 */
export function lookup(sqls: readonly string[]): Promise<(Promise<Row[] | undefined> | undefined)[]> {
	const idx = loaded;
	if (!idx) return answerIndex().then(() => lookup(sqls));
	return Promise.resolve(
		sqls.map((sql) => {
			const k = keyOf(sql);
			const name = idx[k];
			if (!name) return undefined;
			return file(name).then(
				(rows) => rows[k] as Row[] | undefined,
				() => undefined
			);
		})
	);
}
