import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueryManager, QuerySlot, reachableQueries } from './query-manager';
import { reachableFilters, yearFilters } from '$lib/components/filters';

const deferred = <T>() => {
	let resolve!: (v: T) => void;
	let reject!: (e: unknown) => void;
	const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
	return { promise, resolve, reject };
};

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

/** A manager whose engine answers each query only when the test resolves it (`pending`, by SQL). */
function heldAnswers() {
	const pending = new Map<string, ReturnType<typeof deferred<{ v: number }[]>>>();
	const qm = new QueryManager(
		(sql) => {
			const d = deferred<{ v: number }[]>();
			pending.set(sql, d);
			return d.promise;
		},
		{ load: async () => {}, idle: tick, pauseMs: 0 }
	);
	return { qm, pending };
}

describe('QueryManager', () => {
	it('runs equal SQL once, passes the tables it reads, and forgets failures', async () => {
		const calls: { sql: string; tables: readonly string[] }[] = [];
		let fail = true;
		const qm = new QueryManager(async (sql, tables) => {
			calls.push({ sql, tables });
			if (fail) throw new Error('boom');
			return [{ n: calls.length }];
		});
		const sql = 'SELECT count(*) FROM activities a JOIN hours h USING (activity_id)';
		await expect(qm.query(sql)).rejects.toThrow('boom');
		fail = false;
		const [a, b] = await Promise.all([qm.query(sql), qm.query(sql)]);
		expect(a).toBe(b);
		expect(calls).toHaveLength(2);
		expect([...calls[1].tables].sort()).toEqual(['activities', 'hours']);
	});

	it('answers queries prepared ahead of time without the engine, and sends it only the rest', async () => {
		const ran: string[] = [];
		const asked: string[][] = [];
		const qm = new QueryManager(
			async (sql) => {
				ran.push(sql);
				return [{ from: 'engine' }];
			},
			undefined,
			async (sqls) => {
				asked.push([...sqls]);
				return sqls.map((s) =>
					s.startsWith('SELECT 1') ? Promise.resolve([{ from: 'answers', sql: s }]) : undefined
				);
			}
		);
		const [a, b, c] = await Promise.all([
			qm.query('SELECT 1 AS x'),
			qm.query('SELECT 2'),
			qm.query('SELECT 1 AS y')
		]);
		expect(a).toEqual([{ from: 'answers', sql: 'SELECT 1 AS x' }]);
		expect(c).toEqual([{ from: 'answers', sql: 'SELECT 1 AS y' }]);
		expect(b).toEqual([{ from: 'engine' }]);
		expect(asked).toEqual([['SELECT 1 AS x', 'SELECT 2', 'SELECT 1 AS y']]);
		expect(ran).toEqual(['SELECT 2']);
		expect(qm.prerendered).toBe(2);
		// All answered ahead of time: no batch reaches the engine.
		await qm.query('SELECT 1 AS z');
		expect(qm.batches).toBe(1);
		// A failing lookup is no answer: the engine runs the query.
		const qm2 = new QueryManager(
			async () => [{ from: 'engine' }],
			undefined,
			async () => {
				throw new Error('no index');
			}
		);
		expect(await qm2.query('SELECT 1')).toEqual([{ from: 'engine' }]);
	});

	it('sends the engine its queries without waiting for an answer file, and asks it when the file fails', async () => {
		const ran: string[] = [];
		const file = deferred<{ from: string }[] | undefined>();
		const broken = deferred<{ from: string }[] | undefined>();
		const qm = new QueryManager(
			async (sql) => {
				ran.push(sql);
				return [{ from: 'engine' }];
			},
			undefined,
			async (sqls) => sqls.map((s) => (s === 'A' ? file.promise : s === 'B' ? broken.promise : undefined))
		);
		const a = qm.query('A');
		const b = qm.query('B');
		const c = qm.query('C');
		expect(await c).toEqual([{ from: 'engine' }]);
		// C was answered while A's and B's files were still on their way.
		expect(ran).toEqual(['C']);
		broken.resolve(undefined);
		expect(await b).toEqual([{ from: 'engine' }]);
		expect(ran).toEqual(['C', 'B']);
		file.resolve([{ from: 'answers' }]);
		expect(await a).toEqual([{ from: 'answers' }]);
		expect(ran).toEqual(['C', 'B']);
		expect(qm.prerendered).toBe(1);
	});

	it('QuerySlot delivers only the latest answer', async () => {
		const pending = new Map<string, ReturnType<typeof deferred<{ v: string }[]>>>();
		const qm = new QueryManager((sql) => {
			const d = deferred<{ v: string }[]>();
			pending.set(sql, d);
			return d.promise;
		});
		const slot = new QuerySlot(qm);
		const got: string[] = [];
		slot.run(
			'A',
			(r) => got.push(String(r[0].v)),
			() => {}
		);
		slot.run(
			'B',
			(r) => got.push(String(r[0].v)),
			() => {}
		);
		await new Promise((r) => setTimeout(r, 0)); // the batch goes out after the current task
		pending.get('B')!.resolve([{ v: 'b' }]);
		await new Promise((r) => setTimeout(r, 0));
		pending.get('A')!.resolve([{ v: 'a' }]);
		await new Promise((r) => setTimeout(r, 0));
		expect(got).toEqual(['b']);
	});

	it('hands the queries of one task to the engine as one batch', async () => {
		const seen: string[] = [];
		const qm = new QueryManager(async (sql) => {
			seen.push(sql);
			return [{ sql }];
		});
		const first = await Promise.all(['A', 'B', 'C'].map((s) => qm.query(s)));
		expect(first.map((r) => r[0].sql)).toEqual(['A', 'B', 'C']);
		expect(qm.batches).toBe(1);
		await qm.query('D');
		expect(qm.batches).toBe(2);
		// A cached answer needs no batch.
		await qm.query('A');
		expect(qm.batches).toBe(2);
		expect(seen).toEqual(['A', 'B', 'C', 'D']);
	});

	describe('prefetch (tables loaded ahead of need)', () => {
		afterEach(() => vi.unstubAllGlobals());
		const setup = () => {
			const answers = new Map<string, ReturnType<typeof deferred<{ v: number }[]>>>();
			const loads: { tables: readonly string[]; done: ReturnType<typeof deferred<void>> }[] = [];
			let plans = 0;
			const qm = new QueryManager(
				(sql) => {
					const d = deferred<{ v: number }[]>();
					answers.set(sql, d);
					return d.promise;
				},
				{
					load: (tables) => {
						const done = deferred<void>();
						loads.push({ tables, done });
						return done.promise;
					},
					idle: tick,
					pauseMs: 0
				}
			);
			const plan = () => {
				plans++;
				return { own: ['own_a'], reach: ['own_a', 'next_1', 'next_2'] };
			};
			return { qm, answers, loads, plan, plans: () => plans };
		};

		it('starts only after the answers asked for are in, then loads one table at a time behind the queries', async () => {
			const { qm, answers, loads, plan } = setup();
			void qm.query('first');
			const run = qm.prefetch(plan);
			for (let i = 0; i < 5; i++) await tick();
			expect(loads).toEqual([]); // the first answer is still on its way
			answers.get('first')!.resolve([{ v: 1 }]);
			for (let i = 0; i < 5; i++) await tick();
			expect(loads.map((l) => l.tables)).toEqual([['own_a']]); // the page's own tables first
			loads[0].done.resolve();
			for (let i = 0; i < 5; i++) await tick();
			expect(loads.map((l) => l.tables)).toEqual([['own_a'], ['next_1']]);
			// A query of the visitor while next_1 loads: next_2 waits until it is answered.
			void qm.query('second');
			loads[1].done.resolve();
			for (let i = 0; i < 5; i++) await tick();
			expect(loads).toHaveLength(2);
			answers.get('second')!.resolve([{ v: 2 }]);
			for (let i = 0; i < 5; i++) await tick();
			expect(loads.map((l) => l.tables)).toEqual([['own_a'], ['next_1'], ['next_2']]);
			loads[2].done.resolve();
			await run;
			// Asked again (another page with the same tables): nothing more to load.
			await qm.prefetch(plan);
			expect(loads).toHaveLength(3);
		});

		it('an insert ahead of need waits until no query is waiting or running, and for a pause', async () => {
			const answers = new Map<string, ReturnType<typeof deferred<{ v: number }[]>>>();
			const befores: (() => Promise<void>)[] = [];
			const qm = new QueryManager(
				(sql) => {
					const d = deferred<{ v: number }[]>();
					answers.set(sql, d);
					return d.promise;
				},
				{
					load: async (_tables, before) => {
						if (before) befores.push(before);
					},
					idle: tick,
					pauseMs: 0
				}
			);
			await qm.prefetch(() => ({ own: [], reach: ['t1'] }));
			expect(befores).toHaveLength(1);
			let passed = false;
			void qm.query('q');
			void befores[0]().then(() => (passed = true));
			for (let i = 0; i < 5; i++) await tick();
			expect(passed).toBe(false);
			answers.get('q')!.resolve([]);
			for (let i = 0; i < 5; i++) await tick();
			expect(passed).toBe(true);
		});

		it('an insert ahead of need does not start between two quick changes', async () => {
			const befores: (() => Promise<void>)[] = [];
			const qm = new QueryManager(async () => [{ v: 1 }], {
				load: async (_tables, before) => {
					if (before) befores.push(before);
				},
				idle: tick,
				pauseMs: 80
			});
			await qm.prefetch(() => ({ own: [], reach: ['t1'] }));
			await qm.query('a'); // a change, answered at once
			let passed = false;
			void befores[0]().then(() => (passed = true));
			await new Promise((r) => setTimeout(r, 40));
			expect(passed).toBe(false); // no query open, but the visitor asked 40 ms ago
			await new Promise((r) => setTimeout(r, 80));
			expect(passed).toBe(true);
		});

		it('waits for a pause of pauseMs after the visitor last asked something', async () => {
			const loads: (readonly string[])[] = [];
			const qm = new QueryManager(async () => [{ v: 1 }], {
				load: async (tables) => void loads.push(tables),
				idle: tick,
				pauseMs: 120
			});
			await qm.query('a');
			const run = qm.prefetch(() => ({ own: [], reach: ['t1'] }));
			await new Promise((r) => setTimeout(r, 60));
			await qm.query('b'); // a change during the pause starts it again
			await new Promise((r) => setTimeout(r, 90));
			expect(loads).toEqual([]);
			await run;
			expect(loads).toEqual([[], ['t1']]);
		});

		it('answers the queries of reachable states in the pauses, into the cache, and stops at a failure', async () => {
			const ran: string[] = [];
			let fail = false;
			const qm = new QueryManager(
				async (sql) => {
					ran.push(sql);
					if (fail) throw new Error('engine down');
					return [{ sql }];
				},
				{ load: async () => {}, idle: tick, pauseMs: 60 }
			);
			await qm.query('now');
			const run = qm.prefetch(() => ({
				own: [],
				reach: [],
				queries: () => ['next1', 'now', 'next2', 'next3']
			}));
			await new Promise((r) => setTimeout(r, 30));
			expect(ran).toEqual(['now']); // not before a pause of 60 ms
			await run;
			// The one already answered is not asked again; the rest are answered in order.
			expect(ran).toEqual(['now', 'next1', 'next2', 'next3']);
			expect(qm.warmed).toBe(3);
			// The visitor's change to one of those states needs no engine.
			const batches = qm.batches;
			expect(await qm.query('next2')).toEqual([{ sql: 'next2' }]);
			expect(qm.batches).toBe(batches);
			// A failure ends the answering ahead (and is not cached).
			fail = true;
			await qm.prefetch(() => ({ own: [], reach: [], queries: () => ['x1', 'x2'] }));
			expect(ran.slice(4)).toEqual(['x1']);
			fail = false;
			expect(await qm.query('x1')).toEqual([{ sql: 'x1' }]);
		});

		it("a new view's list replaces the one being answered ahead", async () => {
			const { qm, pending } = heldAnswers();
			const run = qm.answerAhead(['a1', 'a2', 'a3']);
			for (let i = 0; i < 5; i++) await tick();
			expect([...pending.keys()]).toEqual(['a1']);
			// The visitor moved on: the states next to the new view come first, the old list is dropped.
			const again = qm.answerAhead(['b1', 'a1', 'b2']);
			pending.get('a1')!.resolve([{ v: 1 }]);
			for (let i = 0; i < 5; i++) await tick();
			expect([...pending.keys()]).toEqual(['a1', 'b1']);
			pending.get('b1')!.resolve([{ v: 2 }]);
			for (let i = 0; i < 5; i++) await tick();
			// a1 is in the cache already: b2 is next.
			expect([...pending.keys()]).toEqual(['a1', 'b1', 'b2']);
			pending.get('b2')!.resolve([{ v: 3 }]);
			await Promise.all([run, again]);
			expect(qm.warmed).toBe(3);
		});

		it('builds a list given as a function only in the next pause, once', async () => {
			const ran: string[] = [];
			let pause = deferred<void>();
			const qm = new QueryManager(
				async (sql) => {
					ran.push(sql);
					return [{ sql }];
				},
				{ load: async () => {}, idle: () => pause.promise, pauseMs: 0 }
			);
			let built = 0;
			const list = () => {
				built++;
				return ['n1', 'n2'];
			};
			const run = qm.answerAhead(list);
			for (let i = 0; i < 5; i++) await tick();
			// No pause yet: the list is not built (a change's main-thread time stays the change's own).
			expect(built).toBe(0);
			const first = pause;
			pause = deferred<void>();
			first.resolve();
			for (let i = 0; i < 5; i++) await tick();
			expect(built).toBe(1);
			expect(ran).toEqual(['n1']);
			// Every later pause comes at once.
			const second = pause;
			pause = deferred<void>();
			pause.resolve();
			second.resolve();
			await run;
			expect(ran).toEqual(['n1', 'n2']);
			expect(built).toBe(1);
		});

		it('never starts the engine to answer ahead of need', async () => {
			const ran: string[] = [];
			let up = false;
			const qm = new QueryManager(
				async (sql) => {
					ran.push(sql);
					return [];
				},
				{ load: async () => {}, idle: tick, pauseMs: 0, ready: async () => up }
			);
			await qm.prefetch(() => ({ own: [], reach: [], queries: () => ['a', 'b'] }));
			expect(ran).toEqual([]);
			up = true;
			await qm.prefetch(() => ({ own: [], reach: [], queries: () => ['a', 'b'] }));
			expect(ran).toEqual(['a', 'b']);
		});

		it('a visitor query waits behind at most the one query answered ahead', async () => {
			const { qm, pending } = heldAnswers();
			const run = qm.prefetch(() => ({ own: [], reach: [], queries: () => ['a1', 'a2'] }));
			for (let i = 0; i < 5; i++) await tick();
			expect([...pending.keys()]).toEqual(['a1']);
			const mine = qm.query('visitor');
			for (let i = 0; i < 5; i++) await tick();
			pending.get('a1')!.resolve([{ v: 1 }]);
			for (let i = 0; i < 5; i++) await tick();
			// a2 waits until the visitor's query is answered.
			expect([...pending.keys()]).toEqual(['a1', 'visitor']);
			pending.get('visitor')!.resolve([{ v: 2 }]);
			expect(await mine).toEqual([{ v: 2 }]);
			for (let i = 0; i < 5; i++) await tick();
			expect([...pending.keys()]).toEqual(['a1', 'visitor', 'a2']);
			pending.get('a2')!.resolve([{ v: 3 }]);
			await run;
		});

		it('does nothing when the visitor asked to save data', async () => {
			vi.stubGlobal('navigator', { connection: { saveData: true } });
			const { qm, loads, plan, plans } = setup();
			await qm.prefetch(plan);
			for (let i = 0; i < 5; i++) await tick();
			expect(loads).toEqual([]);
			expect(plans()).toBe(0);
		});
	});
});

describe('reachableQueries', () => {
	it('lists the queries of the states one change away before those two away, once each, without raw tables', () => {
		const base = yearFilters(2025);
		const build = (f: ReturnType<typeof yearFilters>) => [
			`SELECT * FROM agg_activity_month WHERE d = '${f.district}' AND c = '${f.category}' AND m = '${f.from}/${f.to}'`,
			'SELECT count(*) FROM agg_stars',
			...(f.group ? [`SELECT * FROM hours WHERE g = '${f.group}'`] : [])
		];
		const states = reachableFilters(base, { district: '440106', category: 'elderly', group: 'elderly' });
		const out = reachableQueries(build, states);
		expect(new Set(out).size).toBe(out.length);
		// Queries reading a raw table (hours) are left out.
		expect(out.some((q) => q.includes('FROM hours'))).toBe(false);
		const expected = new Set(states.filter((x) => x.changes > 0).flatMap((x) => build(x.filters)));
		expect(new Set(out)).toEqual(new Set([...expected].filter((q) => !q.includes('FROM hours'))));
		const one = out.indexOf(
			`SELECT * FROM agg_activity_month WHERE d = '440106' AND c = 'null' AND m = '2025-01/2025-12'`
		);
		const two = out.indexOf(
			`SELECT * FROM agg_activity_month WHERE d = '440106' AND c = 'elderly' AND m = '2025-01/2025-12'`
		);
		expect(one).toBeGreaterThanOrEqual(0);
		expect(two).toBeGreaterThan(one);
		expect(out).toContain('SELECT count(*) FROM agg_stars');
	});
});
