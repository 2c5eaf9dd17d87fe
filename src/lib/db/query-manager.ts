/**
 * One query module for the pages: a result cache keyed by SQL that stores the pending promise (so equal
 * queries run once), failed queries are forgotten (so a retry runs again), queries asked for in the same task
 * (the panels of one interaction) go to the engine as one batch, and `QuerySlot` delivers results in request
 * order (a late answer to an older request never overwrites a newer one).
 */
import { PUBLIC_TABLES } from '$lib/schema/public';
import { tablesOf, type Row } from '$lib/charts/queries';

export type Runner = (sql: string, tables: readonly string[]) => Promise<Row[]>;
export interface BatchItem {
	sql: string;
	tables: readonly string[];
}
/** Runs a batch: one settled result per item, in order. */
export type BatchRunner = (items: readonly BatchItem[]) => Promise<PromiseSettledResult<Row[]>[]>;

const TABLE_NAMES = PUBLIC_TABLES.map((t) => t.name);

/** A batch runner from a one-query runner (tests, or an engine without batches). */
export const batchOf =
	(run: Runner): BatchRunner =>
	(items) =>
		Promise.allSettled(items.map((i) => run(i.sql, i.tables)));

interface Pending extends BatchItem {
	resolve: (rows: Row[]) => void;
	reject: (e: unknown) => void;
}

export class QueryManager {
	#cache = new Map<string, Promise<Row[]>>();
	#runner: BatchRunner | null;
	/** A runner given by the caller (tests): nothing to warm. */
	#custom: boolean;
	#pending: Pending[] = [];
	/** Batches handed to the engine so far (for tests and diagnostics). */
	batches = 0;
	constructor(runner: Runner | null = null) {
		this.#runner = runner ? batchOf(runner) : null;
		this.#custom = runner !== null;
	}

	async #flush(): Promise<void> {
		const items = this.#pending.splice(0);
		if (!items.length) return;
		this.batches++;
		try {
			if (!this.#runner) {
				const m = await import('./worker');
				this.#runner = m.runBatch;
			}
			const results = await this.#runner(items.map(({ sql, tables }) => ({ sql, tables })));
			results.forEach((r, i) =>
				r.status === 'fulfilled' ? items[i].resolve(r.value) : items[i].reject(r.reason)
			);
		} catch (e) {
			for (const i of items) i.reject(e);
		}
	}

	query(sql: string): Promise<Row[]> {
		let p = this.#cache.get(sql);
		if (!p) {
			p = new Promise<Row[]>((resolve, reject) => {
				if (!this.#pending.length) queueMicrotask(() => void this.#flush());
				this.#pending.push({ sql, tables: tablesOf(sql, TABLE_NAMES), resolve, reject });
			});
			this.#cache.set(sql, p);
			const mine = p;
			p.catch(() => {
				if (this.#cache.get(sql) === mine) this.#cache.delete(sql);
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
