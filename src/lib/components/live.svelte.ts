/* eslint-disable svelte/prefer-svelte-reactivity -- URLSearchParams here are short-lived copies, never state */
/**
 * Reactive glue for pages: the locale of the current URL, the filters read from the URL (after hydration, so
 * the first client render matches the prerendered HTML), and `Live`, a panel's query that shows the
 * prerendered rows until the filters change and then asks the browser engine.
 */
import { onMount, untrack } from 'svelte';
import { pushState } from '$app/navigation';
import { page } from '$app/state';
import { queryManager, QuerySlot, reachableQueries, reachableTables, saveData } from '$lib/db/query-manager';
import { approveRaw, startEngine } from '$lib/db/worker';
import type { Row } from '$lib/charts/queries';
import type { Source } from '$lib/charts/pages';
import {
	filtersToParams,
	neighbourFilters,
	parseFilters,
	reachableFilters,
	type Filters,
	type ReachSample,
	type ReachState
} from './filters';
import { sameRows } from './table';
import type { Locale } from '$lib/i18n';

export const currentLocale = (): Locale => (page.params.lang === 'en' ? 'en' : 'zh-CN');

/**
 * The search string of the view on screen: a filter change is a shallow navigation (`pushState`, the page's own
 * state `search`) that leaves SvelteKit's `page.url` as it was; otherwise the page URL's. Back and forward restore
 * each entry's state.
 */
export const currentSearch = (): string => page.state.search ?? page.url.search;

export interface Prepared {
	sql: string;
	rows: Row[];
}

/** URL-backed page state. Call during component initialisation. */
export class UrlState {
	mounted = $state(false);
	#defaults: () => Filters;
	#district: () => string | null;
	/** `district`: a district fixed by the route (district pages), not by a search param. */
	constructor(defaults: () => Filters, district: () => string | null = () => null) {
		this.#defaults = defaults;
		this.#district = district;
		onMount(() => {
			this.mounted = true;
		});
	}
	/** Search params after hydration; empty while prerendering/hydrating. */
	get params(): URLSearchParams {
		return this.mounted ? new URLSearchParams(currentSearch()) : new URLSearchParams();
	}
	/**
	 * The filters of the view on screen: one (frozen) object per search string, so the many readers of one change
	 * share one parse and a value that did not change stays the same object.
	 */
	get filters(): Filters {
		const search = this.mounted ? currentSearch() : '';
		const district = this.#district();
		const defaults = this.#defaults();
		const m = this.#filters;
		if (m && m.search === search && m.district === district && m.defaults === defaults) return m.value;
		const p = new URLSearchParams(search);
		if (district) p.set('district', district);
		const value = Object.freeze(parseFilters(p, defaults));
		this.#filters = { search, district, defaults, value };
		return value;
	}
	#filters: { search: string; district: string | null; defaults: Filters; value: Filters } | null = null;
	/** Where the answers come from: the pre-aggregated tables, or the raw tables with `?source=raw`. */
	get source(): Source {
		return this.params.get('source') === 'raw' ? 'raw' : 'agg';
	}
	get defaults(): Filters {
		return { ...this.#defaults(), district: this.#district() };
	}
	/**
	 * Show new filters: a history entry (so the back button works) made by a shallow navigation, the same page
	 * with other search params and nothing to load. Not `goto`: its navigation (load checks, scroll and focus
	 * handling, callbacks) took 10–25 ms of each change before the page even asked its queries.
	 */
	setFilters(f: Filters, extra: Record<string, string | null> = {}): Promise<void> {
		const p = filtersToParams(f, this.#defaults(), { ...this.extras(), ...extra });
		if (this.#district()) p.delete('district');
		const qs = p.toString();
		const search = qs ? `?${qs}` : '';
		// eslint-disable-next-line svelte/no-navigation-without-resolve -- the same path, new search params
		if (search !== currentSearch()) pushState(`${page.url.pathname}${search}`, { search });
		return Promise.resolve();
	}
	/** Set non-filter params (weights, chosen indicator …), keeping the filters. */
	setExtra(extra: Record<string, string | null>): Promise<void> {
		return this.setFilters(this.filters, extra);
	}
	/** Params that are not filters. */
	extras(): Record<string, string> {
		const out: Record<string, string> = {};
		for (const [k, v] of this.params)
			if (!['year', 'q', 'from', 'to', 'district', 'street', 'category', 'group'].includes(k)) out[k] = v;
		return out;
	}
}

/**
 * Right after the first paint that follows hydration, start the engine (its WebAssembly module takes the longest
 * to arrive and compile) and, once the page is idle, load the tables of a panel's query (unless the visitor asked
 * to save data), so that the first filter change does not wait for them.
 */
function scheduleWarm(sql: () => string): void {
	// The prerendered answers' index (a few KB) first: it answers the first change of most visits without the
	// engine, so it is worth having even when the visitor asked to save data.
	void import('$lib/db/answers').then((m) => m.answerIndex());
	if (saveData()) return;
	// After the next frame is painted (the prerendered page first: starting during hydration delayed the first
	// paint by ~250 ms at scale 10), start the engine; a failure is reported by the first query.
	requestAnimationFrame(() => setTimeout(() => startEngine().catch(() => {}), 0));
	const go = () => queryManager.warm(sql());
	if ('requestIdleCallback' in window) window.requestIdleCallback(go, { timeout: 1500 });
	else setTimeout(go, 200);
}

/**
 * A page's tables and answers for its other filter states: once the page's own tables are in and its answers
 * painted, load at idle, one at a time, the tables that its filter controls can reach (`queries`: the page's SQL
 * for a filter state; `sample`: a value for each control the page shows), so that e.g. the first
 * beneficiary-group change does not wait for the group tables, then answer those states' queries in the pauses
 * (which also gets the engine's code optimised, see `QueryManager.answerAhead`), and after each change of the
 * visitor those of the states one change from the new view. Not when the visitor asked to save data; never the
 * raw tables. Call during component initialisation, after the `UrlState`.
 */
export function warmReachable(
	url: UrlState,
	queries: (f: Filters, source: Source) => readonly string[],
	sample: () => ReachSample
): void {
	// Queries of the states one change from `f` (every value of each control), then of `also`.
	const nearQueries = (f: Filters, source: Source, also: readonly ReachState[] = []) =>
		reachableQueries((x) => queries(x, source), [...neighbourFilters(f, sample(), page.data.site), ...also]);
	// The plan starts from the filters on screen when the loads begin (after the visitor's first change, if any).
	onMount(() => {
		void queryManager.prefetch(() => {
			const source = url.source;
			const build = (f: Filters) => queries(f, source);
			const states = reachableFilters(url.filters, sample());
			return {
				...reachableTables(build, states),
				// The answers ahead of need: every state one change away first, then a sample two changes away.
				queries: () => nearQueries(url.filters, url.source, reachableFilters(url.filters, sample()))
			};
		});
	});
	// After each change of the visitor, the states one change from the new view (in their next pause).
	let seen = '';
	$effect(() => {
		const f = url.filters;
		const source = url.source;
		const key = JSON.stringify([f, source]);
		untrack(() => {
			if (!url.mounted || key === seen) return;
			const first = seen === '';
			seen = key;
			if (first) return; // the page's first plan comes from `prefetch` above
			void queryManager.answerAhead(() => nearQueries(f, source));
		});
	});
}

export type LiveStatus = 'ready' | 'loading' | 'error';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * One panel's data. Construct during component initialisation. `context` (optional): what the page draws around
 * the rows depends on besides them (e.g. which areas a table lists); `shown` is its value for the rows on screen,
 * so a page can keep the figures and their frame together until the new answer comes.
 */
export class Live<C = unknown> {
	/** Replaced whole by each answer, never changed in place (so not deeply reactive). */
	rows = $state.raw<Row[]>([]);
	status = $state<LiveStatus>('ready');
	error = $state('');
	/** The failure itself (an EngineError carries the kind, file and HTTP status for the plain message). */
	failure = $state.raw<unknown>(null);
	/** True once loading has lasted longer than the grace period (avoids flashing spinners). */
	slow = $state(false);
	/** `context()` as it was when the rows on screen were asked for (undefined: not known, e.g. no context). */
	shown = $state.raw<C | undefined>(undefined);
	#sql = '';
	#asked: C | undefined;
	#slot = new QuerySlot();
	#timer: ReturnType<typeof setTimeout> | undefined;

	/** `initial`: the prerendered rows and the SQL they answer (used while the SQL is the same). */
	constructor(getSql: () => string | null, initial?: () => Prepared | undefined, context?: () => C) {
		const first = initial?.();
		if (first) {
			this.rows = first.rows;
			this.#sql = first.sql;
			queryManager.seed(first.sql, first.rows);
			if (context && first.sql === getSql()) this.shown = context();
		}
		onMount(() => scheduleWarm(() => this.#sql));
		$effect(() => {
			const sql = getSql();
			const init = initial?.();
			const asked = context?.();
			untrack(() => {
				this.#asked = asked;
				if (init && init.sql === sql) queryManager.seed(init.sql, init.rows);
				// The same SQL as the rows on screen (or on their way): `load` keeps them and labels them `asked`.
				this.load(sql);
			});
		});
	}

	load(sql: string | null, force = false): void {
		if (sql === null) return;
		// `?source=raw` asks for the raw tables: no need to ask again before downloading them.
		if (new URLSearchParams(currentSearch()).get('source') === 'raw') approveRaw();
		const asked = this.#asked;
		if (!force && sql === this.#sql && this.status !== 'error') {
			// The same question: the rows on screen (or on their way) answer this context as well.
			if (this.status === 'ready') this.shown = asked;
			return;
		}
		this.#sql = sql;
		this.status = 'loading';
		this.slow = false;
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => (this.slow = true), 250);
		this.#slot.run(
			sql,
			(rows) => {
				clearTimeout(this.#timer);
				// The same answer as the one on screen (another question, the same numbers): nothing to redraw.
				if (!sameRows(this.rows, rows)) this.rows = rows;
				this.shown = asked;
				this.status = 'ready';
				this.slow = false;
			},
			(e) => {
				clearTimeout(this.#timer);
				this.error = message(e);
				this.failure = e;
				this.status = 'error';
				this.slow = false;
			}
		);
	}

	retry = (): void => this.load(this.#sql, true);

	/** The visitor agreed to download the detailed tables this view needs: load them and answer. */
	loadRaw = (): void => {
		approveRaw();
		this.retry();
	};

	get sql(): string {
		return this.#sql;
	}
}
