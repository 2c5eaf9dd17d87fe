/** The browser files load into DuckDB-WASM (the engine the pages use) with the same rows and aggregates. */
import { DuckDBInstance } from '@duckdb/node-api';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Manifest } from '../../src/lib/release/manifest';
import { browserColumns, PUBLIC_TABLES } from '../../src/lib/schema/public';
import { buildRelease } from './build';
import { fakeIndicators, fixtureImporter, fixtureReference, fixtureRows } from './test-helpers';

const require = createRequire(import.meta.url);
const work = mkdtempSync(join(tmpdir(), 'release-wasm-'));
let dir = '';

beforeAll(async () => {
	const r = await buildRelease({
		outDir: work,
		version: 'w1',
		importer: fixtureImporter(fixtureRows(3)),
		reference: fixtureReference(),
		indicators: fakeIndicators,
		key: Buffer.from('wasm-test-key-0123456789'),
		log: () => {}
	});
	if (!r.ok) throw new Error(r.message);
	dir = r.path;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('every Arrow file loads into DuckDB-WASM with the same row counts and aggregates as the Parquet files', async () => {
	const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
	const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
	const wasm = await duckdb.createDuckDB(
		{
			mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: '' },
			eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: '' }
		},
		new duckdb.VoidLogger(),
		duckdb.NODE_RUNTIME
	);
	await wasm.instantiate();
	const wc = wasm.connect();
	const native = await DuckDBInstance.create(':memory:');
	const nc = await native.connect();
	const manifest: Manifest = JSON.parse(readFileSync(join(dir, 'browser/manifest.json'), 'utf8'));
	for (const t of PUBLIC_TABLES) {
		const bytes = readFileSync(join(dir, 'browser', manifest.tables[t.name].file));
		wc.insertArrowFromIPCStream(new Uint8Array(bytes), { name: t.name });
		// Aggregates: row count, plus per column non-null count and a type-appropriate sum/length.
		// The browser copy has all the table's columns except the downloads-only ones (`browserColumns`).
		const columns = browserColumns(t);
		const aggs = [
			'count(*)::DOUBLE AS n',
			...columns.map((c, i) => {
				const col = `"${c.name}"`;
				const agg =
					c.type === 'VARCHAR'
						? `sum(length(${col}))`
						: c.type === 'BOOLEAN'
							? `sum(${col}::INTEGER)`
							: c.type === 'DATE' || c.type === 'TIMESTAMP'
								? `sum(epoch(${col}))`
								: `sum(${col})`;
				return `count(${col})::DOUBLE AS c${i}, coalesce(${agg}, 0)::DOUBLE AS s${i}`;
			})
		].join(', ');
		const fromWasm = wc.query(`SELECT ${aggs} FROM ${t.name}`).toArray()[0].toJSON();
		const fromParquet = (
			await nc.runAndReadAll(
				`SELECT ${aggs} FROM read_parquet('${join(dir, 'parquet', t.name + '.parquet')}')`
			)
		).getRowObjectsJS()[0];
		expect(fromWasm.n, t.name).toBe(manifest.tables[t.name].rows);
		for (const [k, v] of Object.entries(fromParquet))
			expect(fromWasm[k], `${t.name}.${k}`).toBeCloseTo(v as number, 6);
		// Column types as DuckDB sees them match the public schema (Arrow millisecond timestamps load as TIMESTAMP_MS).
		const types = wc
			.query(`DESCRIBE ${t.name}`)
			.toArray()
			.map((r: { toJSON(): Record<string, string> }) => r.toJSON().column_type);
		expect(types, t.name).toEqual(columns.map((c) => (c.type === 'TIMESTAMP' ? 'TIMESTAMP_MS' : c.type)));
	}
	expect(manifest.tables.hours.rows).toBeGreaterThan(100);
	wc.close();
	nc.closeSync();
	native.closeSync();
});
