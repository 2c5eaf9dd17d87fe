/**
 * Browser side of the prerendered answers (src/lib/answers/plan.ts): finds the rows of queries answered at build
 * time, by the SHA-256 of their SQL. Any failure (no index, no Web Crypto on a plain-HTTP origin, a file that
 * does not load) means "not prerendered": the engine answers instead.
 */
import { base } from '$app/paths';
import { ANSWER_KEY_LENGTH, type AnswerIndex, type AnswerRows } from '$lib/answers/plan';
import type { Row } from '$lib/charts/queries';

let index: Promise<Record<string, string>> | null = null;
const files = new Map<string, Promise<AnswerRows>>();

async function getJson<T>(path: string): Promise<T> {
	const r = await fetch(`${base}/answers/${path}`);
	if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
	return (await r.json()) as T;
}

/** The index (loaded once; an empty one when it cannot be). */
export function answerIndex(): Promise<Record<string, string>> {
	index ??= getJson<AnswerIndex>('index.json')
		.then((x) => x.answers ?? {})
		.catch(() => ({}));
	return index;
}

async function keyOf(sql: string): Promise<string> {
	const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(sql));
	let hex = '';
	for (const b of new Uint8Array(d, 0, ANSWER_KEY_LENGTH / 2)) hex += b.toString(16).padStart(2, '0');
	return hex;
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

/** The prerendered rows of each query, or undefined where there are none. */
export async function lookup(sqls: readonly string[]): Promise<(Row[] | undefined)[]> {
	const idx = await answerIndex();
	if (!Object.keys(idx).length || !globalThis.crypto?.subtle) return sqls.map(() => undefined);
	const keys = await Promise.all(sqls.map(keyOf));
	return Promise.all(
		keys.map(async (k) => {
			const name = idx[k];
			if (!name) return undefined;
			try {
				return (await file(name))[k] as Row[] | undefined;
			} catch {
				return undefined;
			}
		})
	);
}
