/**
 * One query module for the pages: a result cache keyed by SQL that stores the pending promise (so equal
 * queries run once), failed queries are forgotten (so a retry runs again), and `QuerySlot` delivers results
 * in request order (a late answer to an older request never overwrites a newer one).
 */
import { PUBLIC_TABLES } from '$lib/schema/public';
import { tablesOf, type Row } from '$lib/charts/queries';

export type Runner = (sql: string, tables: readonly string[]) => Promise<Row[]>;

const TABLE_NAMES = PUBLIC_TABLES.map((t) => t.name);

export class QueryManager {
	#cache = new Map<string, Promise<Row[]>>();
	#runner: Runner | null;
	/** A runner given by the caller (tests): nothing to warm. */
	#custom: boolean;
	constructor(runner: Runner | null = null) {
		this.#runner = runner;
		this.#custom = runner !== null;
	}

	async #run(sql: string, tables: readonly string[]): Promise<Row[]> {
		if (!this.#runner) {
			const m = await import('./worker');
			this.#runner = m.runQuery;
		}
		return this.#runner(sql, tables);
	}

	query(sql: string): Promise<Row[]> {
		let p = this.#cache.get(sql);
		if (!p) {
			p = this.#run(sql, tablesOf(sql, TABLE_NAMES));
			this.#cache.set(sql, p);
			p.catch(() => {
				if (this.#cache.get(sql) === p) this.#cache.delete(sql);
			});
		}
		return p;
	}

	/** Load the tables a query reads, without running it (see `warm` in worker.ts). */
	warm(sql: string): void {
		if (!sql || this.#custom) return;
		void import('./worker').then((m) => m.warm(tablesOf(sql, TABLE_NAMES)));
	}

	/** Seed the cache with a result computed elsewhere (the prerendered rows for the same SQL). */
	seed(sql: string, rows: Row[]): void {
		if (!this.#cache.has(sql)) this.#cache.set(sql, Promise.resolve(rows));
	}

	get size(): number {
		return this.#cache.size;
	}
}

export const queryManager = new QueryManager();

/** A panel's query line: only the answer to the latest request is delivered. */
export class QuerySlot {
	#seq = 0;
	#manager: QueryManager;
	constructor(manager: QueryManager = queryManager) {
		this.#manager = manager;
	}
	run(sql: string, onRows: (rows: Row[]) => void, onError: (e: unknown) => void): void {
		const my = ++this.#seq;
		this.#manager.query(sql).then(
			(rows) => {
				if (my === this.#seq) onRows(rows);
			},
			(e) => {
				if (my === this.#seq) onError(e);
			}
		);
	}
	/** Forget pending requests (their answers will be dropped). */
	cancel(): void {
		this.#seq++;
	}
}
