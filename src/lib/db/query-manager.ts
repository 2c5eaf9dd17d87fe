/**
 * One query module for the pages: a result cache keyed by SQL that stores the pending promise (so equal
 * queries run once), failed queries are forgotten (so a retry runs again), queries asked for in the same task
 * (the panels of one interaction) go to the engine as one batch, and `QuerySlot` delivers results in request
 * order (a late answer to an older request never overwrites a newer one).
 */
import { PUBLIC_TABLES } from '$lib/schema/public';
import { mark } from './marks';
import { tablesOf, type Row } from '$lib/charts/queries';
import type { Filters, ReachState } from '$lib/components/filters';

export type Runner = (sql: string, tables: readonly string[]) => Promise<Row[]>;
export interface BatchItem {
	sql: string;
	tables: readonly string[];
}
/** Runs a batch: one settled result per item, in order. */
export type BatchRunner = (items: readonly BatchItem[]) => Promise<PromiseSettledResult<Row[]>[]>;
/**
 * Rows answered ahead of time for some of the queries: for each, undefined (none: ask the engine) or the promise of
 * its rows (a file may have to be fetched; undefined rows then mean it could not be, ask the engine).
 */
export type Answers = (sqls: readonly string[]) => Promise<(Promise<Row[] | undefined> | undefined)[]>;

const TABLE_NAMES = PUBLIC_TABLES.map((t) => t.name);
/** Raw tables: loaded only when the visitor asks for them, never ahead of time. */
const ON_DEMAND = new Set(PUBLIC_TABLES.filter((t) => t.browser === 'on-demand').map((t) => t.name));

/**
 * The tables a page's queries (`build`: its SQL for a filter state) read in its starting state (`own`: the
 * state with no change) and the others they read in the `states` a visitor can reach (`reach`), most useful
 * first: those one change away before those two changes away, then those read by more of the nearest states.
 * Raw (on-demand) tables are left out of both, and so are the other tables of a query that reads one.
 */
export function reachableTables(
	build: (f: Filters) => readonly string[],
	states: readonly ReachState[]
): { own: string[]; reach: string[] } {
	// A query that reads a raw table waits for the visitor to agree to its download anyway: none of its tables.
	const read = (f: Filters) =>
		new Set(
			build(f).flatMap((sql) => {
				const tables = tablesOf(sql, TABLE_NAMES);
				return tables.some((t) => ON_DEMAND.has(t)) ? [] : tables;
			})
		);
	const own = new Set(states.filter((s) => s.changes === 0).flatMap((s) => [...read(s.filters)]));
	const score = new Map<string, { changes: number; states: number }>();
	for (const s of states)
		for (const t of read(s.filters)) {
			if (own.has(t)) continue;
			const c = score.get(t);
			// The states counted are those the fewest changes away.
			if (!c || s.changes < c.changes) score.set(t, { changes: s.changes, states: 1 });
			else if (s.changes === c.changes) c.states++;
		}
	const reach = [...score.keys()].sort((a, b) => {
		const x = score.get(a)!;
		const y = score.get(b)!;
		return x.changes - y.changes || y.states - x.states || a.localeCompare(b);
	});
	return { own: [...own], reach };
}

/**
 * The queries of the `states` a visitor can reach other than the starting one (`build`: a page's SQL for a
 * filter state), those one change away first, each once; none that reads a raw (on-demand) table.
 */
export function reachableQueries(
	build: (f: Filters) => readonly string[],
	states: readonly ReachState[]
): string[] {
	const out = new Set<string>();
	for (const s of [...states].filter((x) => x.changes > 0).sort((a, b) => a.changes - b.changes))
		for (const sql of build(s.filters))
			if (!tablesOf(sql, TABLE_NAMES).some((t) => ON_DEMAND.has(t))) out.add(sql);
	return [...out];
}

/** What a page may ask next: tables to load and queries to answer ahead of need (see `prefetch`). */
export interface PrefetchPlan {
	own: readonly string[];
	reach: readonly string[];
	/**
	 * Queries of the reachable filter states, most likely first (`reachableQueries`); asked for once the tables
	 * are in, so that they start from the view on screen then.
	 */
	queries?: () => readonly string[];
}

/** At most this many queries answered ahead of need for one view … */
export const WARM_QUERIES_MAX = 300;
/** … at most this much engine time (ms) on them … */
export const WARM_BUDGET_MS = 6_000;
/** … and at most this much in a whole visit (a phone on battery should not compute for minutes). */
export const WARM_VISIT_BUDGET_MS = 30_000;

/** How background loads wait and load (injected by tests). */
export interface Background {
	/**
	 * Load tables into the engine (never raw tables); resolves when they are in or have failed. `before`: each
	 * insert (which holds the engine) waits for it, unless a query asks for the table first.
	 */
	load: (tables: readonly string[], before?: () => Promise<void>) => Promise<void>;
	/** Answer a query ahead of need (default: the engine, as the visitor's queries are). */
	run?: (sql: string, tables: readonly string[]) => Promise<Row[]>;
	/** Whether the engine is up: answers ahead of need never start it (default: always, for tests). */
	ready?: () => Promise<boolean>;
	/** Resolves when the browser is idle after the next painted frame. */
	idle: () => Promise<void>;
	/**
	 * How long (ms) the visitor must have asked nothing before a load starts: loads fill the pauses between
	 * changes, not a run of changes (an insert holds the single-threaded engine for a few hundred ms, which
	 * a change made meanwhile would wait for).
	 */
	pauseMs: number;
}

/** Default `Background.pauseMs`. */
export const WARM_PAUSE_MS = 1000;

/** After the next painted frame, when the browser has nothing else to do (at most `timeout` ms later). */
export const idleAfterPaint = (timeout = 1000): Promise<void> =>
	new Promise((resolve) =>
		requestAnimationFrame(() =>
			setTimeout(() => {
				if ('requestIdleCallback' in window) window.requestIdleCallback(() => resolve(), { timeout });
				else setTimeout(resolve, 50);
			}, 0)
		)
	);

/** The visitor asked the browser to save data (no loads ahead of need). */
export const saveData = (): boolean =>
	(globalThis.navigator as (Navigator & { connection?: { saveData?: boolean } }) | undefined)?.connection
		?.saveData === true;

/** A batch runner from a one-query runner (tests, or an engine without batches). */
export const batchOf =
	(run: Runner): BatchRunner =>
	(items) =>
		Promise.allSettled(items.map((i) => run(i.sql, i.tables)));

/** The site's prerendered answers (its module loaded on first use, then called directly: no task in between). */
let lookupAnswers: Answers | null = null;
const prerenderedAnswers: Answers = (sqls) =>
	lookupAnswers ? lookupAnswers(sqls) : import('./answers').then((m) => (lookupAnswers = m.lookup)(sqls));

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
	#background: Background;
	/** The visitor's queries asked for and not yet answered. */
	#open = 0;
	#onQuiet: (() => void)[] = [];
	#prefetched = new Set<string>();
	#prefetching = Promise.resolve();
	/** When the visitor last asked a query that was not in the cache (`performance.now()`). */
	#lastAsk = -Infinity;
	/** Batches handed to the engine so far (for tests and diagnostics). */
	batches = 0;
	/** Queries answered ahead of need so far (for tests and diagnostics). */
	warmed = 0;
	#answers: Answers | null;
	/** Queries answered by the prerendered answers so far (for tests and diagnostics). */
	prerendered = 0;
	/**
	 * `answers`: rows prepared ahead of time (by default, with the engine's own runner, the site's prerendered
	 * answers, src/lib/db/answers.ts); none with a runner given by the caller unless given too.
	 */
	constructor(runner: Runner | null = null, background?: Partial<Background>, answers?: Answers | null) {
		this.#runner = runner ? batchOf(runner) : null;
		this.#custom = runner !== null;
		this.#answers = answers !== undefined ? answers : runner ? null : prerenderedAnswers;
		this.#background = {
			load: (tables, before) => import('./worker').then((m) => m.preload(tables, before)),
			...(runner ? {} : { ready: () => import('./worker').then((m) => m.engineReady()) }),
			idle: () => idleAfterPaint(),
			pauseMs: WARM_PAUSE_MS,
			...background
		};
	}

	async #flush(): Promise<void> {
		let items = this.#pending.splice(0);
		if (!items.length) return;
		if (this.#answers) {
			// Queries answered ahead of time need no engine (nor its start, on a first visit). The others go to the
			// engine at once, not after the answer files download (a page's queries that do not depend on the filter
			// just changed often have a prerendered answer while the rest do not).
			const found = await this.#answers(items.map((i) => i.sql)).catch(() => null);
			if (found) {
				const rest: Pending[] = [];
				items.forEach((it, k) => {
					const answer = found[k];
					if (!answer) return rest.push(it);
					void answer.then(
						(rows) => {
							if (rows) {
								this.prerendered++;
								it.resolve(rows);
							} else this.#engine([it]);
						},
						() => this.#engine([it])
					);
				});
				items = rest;
			}
			if (!items.length) return;
		}
		await this.#engine(items);
	}

	async #batchRunner(): Promise<BatchRunner> {
		if (!this.#runner) {
			const m = await import('./worker');
			this.#runner = m.runBatch;
		}
		return this.#runner;
	}

	/** Run queries on the engine, as one batch. */
	async #engine(items: Pending[]): Promise<void> {
		this.batches++;
		try {
			const runner = await this.#batchRunner();
			const results = await runner(items.map(({ sql, tables }) => ({ sql, tables })));
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
			this.#open++;
			this.#lastAsk = performance.now();
			const done = () => {
				if (--this.#open === 0) for (const f of this.#onQuiet.splice(0)) f();
			};
			p.then(done, () => {
				done();
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

	/** Resolves once no query of the visitor is waiting or running. */
	async #settled(): Promise<void> {
		while (this.#open) await new Promise<void>((r) => this.#onQuiet.push(r));
	}

	/**
	 * Resolves once no query of the visitor is waiting or running, none was asked for `pauseMs`, and the
	 * browser is idle after a paint.
	 */
	async #quiet(): Promise<void> {
		for (;;) {
			await this.#settled();
			const wait = this.#lastAsk + this.#background.pauseMs - performance.now();
			if (wait > 0) {
				await new Promise((r) => setTimeout(r, wait));
				continue;
			}
			await this.#background.idle();
			if (!this.#open && performance.now() - this.#lastAsk >= this.#background.pauseMs) return;
		}
	}

	/**
	 * Load ahead of need the tables later filter changes may read (`plan`, computed when the browser is idle:
	 * the page's own tables and the reachable ones most useful first, see `reachableTables`), one at a time,
	 * each only when no query of the visitor is waiting or running and the browser is idle after painting, and
	 * only once the page's own tables are in and its answers painted. A query that needs a table being loaded
	 * waits for that same load (the engine loads each table once). Nothing when the visitor asked to save data;
	 * never raw tables (`reachableTables` leaves them out). Resolves when done (for tests).
	 */
	prefetch(plan: () => PrefetchPlan): Promise<void> {
		// One page's loads after another's (a page visited next waits for the tables the last one started).
		this.#prefetching = this.#prefetching.then(() => this.#prefetch(plan)).catch(() => {});
		return this.#prefetching;
	}

	async #prefetch(plan: () => PrefetchPlan): Promise<void> {
		if (saveData()) return;
		await this.#quiet();
		const { own, reach, queries = () => [] } = plan();
		const next = reach.filter((t) => !own.includes(t) && !this.#prefetched.has(t));
		for (const t of next) this.#prefetched.add(t);
		if (next.length) await this.#background.load(own);
		for (const t of next) {
			await this.#quiet();
			// The download may overlap a query; the insert (which holds the engine for up to a few hundred ms) waits
			// for the next pause as well, unless a query needs this table: waiting only until no query was open let
			// an insert start between two quick changes and hold up the second (the slowest changes measured).
			await this.#background.load([t], () => this.#quiet());
		}
		await this.answerAhead(queries);
	}

	/**
	 * Answer, one at a time and each in a pause of the visitor, the queries of the filter states a change or two
	 * away, into the cache: such a change is then answered without the engine. It also makes the engine itself
	 * faster: the browser first runs DuckDB's WebAssembly with its quick baseline compiler and optimises only the
	 * code that has run a while (measured on this project's dashboard queries: ~2.5× slower before that).
	 * `queries` replaces the list being answered (the latest view's neighbours matter most), with a budget of its
	 * own (`WARM_QUERIES_MAX` queries, `WARM_BUDGET_MS` of engine time) within the visit's (`WARM_VISIT_BUDGET_MS`).
	 * Never starts the engine; stops at the first failure; nothing when the visitor asked to save data. Resolves
	 * when the list is done or a budget spent. A function for `queries` is called only in the visitor's next
	 * pause (building the list costs main-thread time a change should not wait for).
	 */
	answerAhead(queries: readonly string[] | (() => readonly string[])): Promise<void> {
		if (saveData()) return Promise.resolve();
		this.#ahead = typeof queries === 'function' ? [] : queries;
		this.#aheadLater = typeof queries === 'function' ? queries : null;
		this.#aheadNext = 0;
		this.#aheadCount = 0;
		this.#aheadSpent = 0;
		this.#aheadRun ??= this.#runAhead().finally(() => {
			this.#aheadRun = null;
			// For the browser's performance panel and the tests: the answers ahead of need have stopped.
			mark('answer-ahead-done');
		});
		return this.#aheadRun;
	}

	#ahead: readonly string[] = [];
	/** The list to build at the next pause (see `answerAhead`). */
	#aheadLater: (() => readonly string[]) | null = null;
	#aheadNext = 0;
	#aheadCount = 0;
	#aheadSpent = 0;
	#visitSpent = 0;
	#aheadRun: Promise<void> | null = null;

	async #runAhead(): Promise<void> {
		const run =
			this.#background.run ??
			(async (sql: string, tables: readonly string[]) => {
				const [r] = await (await this.#batchRunner())([{ sql, tables }]);
				if (r.status === 'rejected') throw r.reason;
				return r.value;
			});
		const usable = (sql: string) =>
			!this.#cache.has(sql) && !tablesOf(sql, TABLE_NAMES).some((t) => ON_DEMAND.has(t));
		/** Move past queries already answered (or raw); false when the list is done. */
		const more = () => {
			if (this.#aheadLater) {
				this.#ahead = this.#aheadLater();
				this.#aheadLater = null;
			}
			while (this.#aheadNext < this.#ahead.length && !usable(this.#ahead[this.#aheadNext])) this.#aheadNext++;
			return this.#aheadNext < this.#ahead.length;
		};
		for (;;) {
			if (
				this.#aheadCount >= WARM_QUERIES_MAX ||
				this.#aheadSpent >= WARM_BUDGET_MS ||
				this.#visitSpent >= WARM_VISIT_BUDGET_MS
			)
				return;
			if (!this.#aheadLater && !more()) return;
			await this.#quiet();
			// The list may have been replaced meanwhile (the visitor changed the view): take its next query.
			if (!more()) return;
			const sql = this.#ahead[this.#aheadNext++];
			// An engine that is not up (still starting, failed, or never started) is left alone.
			if (this.#background.ready && !(await this.#background.ready())) return;
			this.#aheadCount++;
			const t0 = performance.now();
			const p = run(sql, tablesOf(sql, TABLE_NAMES));
			this.#cache.set(sql, p);
			try {
				await p;
				const ms = performance.now() - t0;
				this.#aheadSpent += ms;
				this.#visitSpent += ms;
				this.warmed++;
			} catch {
				if (this.#cache.get(sql) === p) this.#cache.delete(sql);
				return;
			}
		}
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
