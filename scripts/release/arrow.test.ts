import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { PublicColumn } from '../../src/lib/schema/public';
import { ipcStreamParts } from '../../src/lib/db/ipc-chunks';
import { createWasmNodeConnector } from '../../src/lib/db/server/wasm-node';
import { BATCH_ROWS, writeArrowStream } from './arrow';

const work = mkdtempSync(join(tmpdir(), 'arrow-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const columns: PublicColumn[] = [
	{ name: 's', type: 'VARCHAR', nullable: true, zh: '', en: '' },
	{ name: 'i', type: 'INTEGER', nullable: true, zh: '', en: '' },
	{ name: 'd', type: 'DOUBLE', zh: '', en: '' },
	{ name: 'b', type: 'BOOLEAN', nullable: true, zh: '', en: '' },
	{ name: 'day', type: 'DATE', zh: '', en: '' },
	{ name: 'ts', type: 'TIMESTAMP', nullable: true, zh: '', en: '' }
];

it('writes the same Arrow data by the fast (string_agg) and the per-value path, across batch boundaries', async () => {
	const db = await DuckDBInstance.create(':memory:');
	const c = await db.connect();
	const n = BATCH_ROWS + 1000;
	const select = `SELECT CASE WHEN i % 7 = 0 THEN NULL WHEN i % 5 = 0 THEN '' ELSE '值' || i END AS s,
		CASE WHEN i % 11 = 0 THEN NULL ELSE i END::INTEGER AS i, i / 4 AS d,
		CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END AS b, DATE '2024-01-01' + (i % 400)::INTEGER AS day,
		CASE WHEN i % 13 = 0 THEN NULL ELSE TIMESTAMP '2024-01-01 08:30:00' + to_minutes(i) END AS ts FROM range(${n + 10}) r(i)`;
	// Fast path: rowids 0..n-1. Slow path: the same rows after a delete (rowids with a gap).
	await c.run(`CREATE TABLE fast AS ${select} WHERE i >= 10`);
	await c.run(`CREATE TABLE slow AS ${select}; DELETE FROM slow WHERE d < 2.5`);
	const a = await writeArrowStream(c, 'fast', columns, join(work, 'fast.arrow'));
	const b = await writeArrowStream(c, 'slow', columns, join(work, 'slow.arrow'));
	expect(a.rows).toBe(n);
	expect(b.rows).toBe(n);
	const ta = tableFromIPC(readFileSync(join(work, 'fast.arrow')));
	const tb = tableFromIPC(readFileSync(join(work, 'slow.arrow')));
	expect(ta.batches.length).toBe(2);
	expect(ta.toArray().map((r) => JSON.stringify(r))).toEqual(tb.toArray().map((r) => JSON.stringify(r)));
	const row = ta.get(BATCH_ROWS + 1)!.toJSON();
	const i = BATCH_ROWS + 11;
	expect(row.s).toBe(i % 7 === 0 ? null : i % 5 === 0 ? '' : `值${i}`);
	expect(row.i).toBe(i % 11 === 0 ? null : i);
	expect(row.d).toBe(i / 4);
	expect(row.ts).toBe(i % 13 === 0 ? null : Date.UTC(2024, 0, 1, 8, 30) + i * 60000);
	expect(ta.get(0)!.toJSON().s).toBe(''); // i = 10: empty string, not null
	expect(ta.get(4)!.toJSON().s).toBe(null); // i = 14
	c.closeSync();
	db.closeSync();
});

it('dictionary-encodes repeated text (codes, ids) and keeps unique text plain, with the same values', async () => {
	const db = await DuckDBInstance.create(':memory:');
	const c = await db.connect();
	const n = BATCH_ROWS + 500;
	const cols: PublicColumn[] = [
		{ name: 'code', type: 'VARCHAR', nullable: true, zh: '', en: '' },
		{ name: 'id', type: 'VARCHAR', zh: '', en: '' },
		{ name: 'none', type: 'VARCHAR', nullable: true, zh: '', en: '' },
		{ name: 'n', type: 'INTEGER', zh: '', en: '' }
	];
	const code = (i: number) => (i % 9 === 0 ? null : i % 4 === 0 ? '' : `区${i % 37}`);
	await c.run(`CREATE TABLE t AS SELECT CASE WHEN i % 9 = 0 THEN NULL WHEN i % 4 = 0 THEN '' ELSE '区' || (i % 37) END AS code,
		'p' || i AS id, NULL::VARCHAR AS none, i::INTEGER AS n FROM range(${n}) r(i)`);
	// The same rows with a rowid gap take the per-value path.
	await c.run(
		`CREATE TABLE g AS SELECT * FROM t UNION ALL SELECT 'x', 'x', NULL, -1; DELETE FROM g WHERE n = 5`
	);
	for (const [table, rows] of [
		['t', n],
		['g', n]
	] as const) {
		const file = join(work, `${table}-dict.arrow`);
		expect((await writeArrowStream(c, table, cols, file)).rows).toBe(rows);
		const t = tableFromIPC(readFileSync(file));
		expect(String(t.schema.fields[0].type)).toMatch(/^Dictionary<Int32, Utf8>$/);
		expect(String(t.schema.fields[1].type)).toBe('Utf8');
		expect(String(t.schema.fields[2].type)).toBe('Utf8');
		expect(t.batches.length).toBe(2);
		const got = t.getChild('code')!.toArray() as (string | null)[];
		const ns = [...t.getChild('n')!.toArray()] as number[];
		ns.forEach((i, r) => {
			if (i >= 0 && got[r] !== code(i)) expect(got[r], `row ${r} (n = ${i})`).toBe(code(i));
		});
		expect(t.getChild('none')!.nullCount).toBe(rows);
	}
	// The temporary tables are gone.
	const types = await c.runAndReadAll(
		`SELECT count(*)::INTEGER FROM duckdb_tables() WHERE table_name LIKE 'arrow_%'`
	);
	expect(types.getRows()[0][0]).toBe(0);
	c.closeSync();
	db.closeSync();
});

it('a file of several batches with a dictionary loads into DuckDB-WASM in parts with the same rows as whole', async () => {
	const db = await DuckDBInstance.create(':memory:');
	const c = await db.connect();
	const n = BATCH_ROWS * 2 + 300;
	const cols: PublicColumn[] = [
		{ name: 'code', type: 'VARCHAR', nullable: true, zh: '', en: '' },
		{ name: 'id', type: 'VARCHAR', zh: '', en: '' },
		{ name: 'n', type: 'INTEGER', zh: '', en: '' }
	];
	await c.run(`CREATE TABLE t AS SELECT CASE WHEN i % 9 = 0 THEN NULL ELSE '区' || (i % 37) END AS code,
		'p' || i AS id, i::INTEGER AS n FROM range(${n}) r(i)`);
	const file = join(work, 'parts.arrow');
	await writeArrowStream(c, 't', cols, file);
	c.closeSync();
	db.closeSync();
	const bytes = new Uint8Array(readFileSync(file));
	expect(String(tableFromIPC(bytes).schema.fields[0].type)).toMatch(/^Dictionary/);
	// The writer puts the dictionaries before the first batch, so its files split: one part per batch here.
	expect(
		[...ipcStreamParts(bytes, { partBytes: 1, wholeUpTo: 0 })].map((p) => tableFromIPC(p).numRows)
	).toEqual([BATCH_ROWS, BATCH_ROWS, 300]);
	const wasm = await createWasmNodeConnector();
	try {
		await wasm.insertArrowIPC('whole', bytes);
		// One batch a part: three inserts, the first creating the table.
		await wasm.insertArrowIPC('parts', bytes, { partBytes: 1 });
		const summary = (t: string) =>
			wasm.query(`SELECT count(*)::INTEGER AS rows, count(code)::INTEGER AS codes, count(DISTINCT code)::INTEGER AS distinct_codes,
				sum(n)::DOUBLE AS total, min(id) AS lo, max(id) AS hi,
				sum(hash(n, code, id) % 1000003)::DOUBLE AS fingerprint FROM ${t}`);
		const whole = await summary('whole');
		expect(whole[0]).toMatchObject({ rows: n, codes: n - Math.ceil(n / 9), distinct_codes: 37 });
		expect(await summary('parts')).toEqual(whole);
		// Row by row in order (the pages never rely on it, but nothing is shuffled either).
		const diff = await wasm.query(
			`SELECT count(*)::INTEGER AS d FROM (SELECT * FROM whole EXCEPT ALL SELECT * FROM parts)`
		);
		expect(diff[0]).toEqual({ d: 0 });
	} finally {
		await wasm.close();
	}
});
