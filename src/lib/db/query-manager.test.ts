import { describe, expect, it } from 'vitest';
import { QueryManager, QuerySlot } from './query-manager';

const deferred = <T>() => {
	let resolve!: (v: T) => void;
	let reject!: (e: unknown) => void;
	const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
	return { promise, resolve, reject };
};

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
});
