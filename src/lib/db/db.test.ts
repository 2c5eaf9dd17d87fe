import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicArrowIPC } from './arrow';
import { decodeValue, kindFromSqlType } from './connector';
import { createNodeConnector, type NodeConnector } from './server/node';
import { createWasmNodeConnector } from './server/wasm-node';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { DB_SETTINGS, nativeOpenOptions, settingStatements, WASM_STORAGE_STATEMENTS } from './settings';
import { createTableSql, publicTable } from '../schema/public';

describe('decodeValue', () => {
	it('normalises engine values to plain JS', () => {
		expect(decodeValue(5n)).toBe(5);
		expect(decodeValue(null, 'date')).toBeNull();
		expect(decodeValue(new Date(Date.UTC(2024, 1, 29)), 'date')).toBe('2024-02-29');
		expect(decodeValue(Date.UTC(2024, 1, 29), 'date')).toBe('2024-02-29');
		expect(decodeValue(Date.UTC(2024, 1, 29, 8, 5), 'timestamp')).toBe('2024-02-29T08:05:00');
		expect(decodeValue(Date.UTC(2024, 1, 29, 8, 5, 1, 250), 'timestamp')).toBe('2024-02-29T08:05:01.250');
		expect(decodeValue(Date.UTC(2024, 1, 29), 'timestamptz')).toBe('2024-02-29T00:00:00.000Z');
		expect(decodeValue(150n, 'decimal', 2)).toBe(1.5);
		expect(decodeValue(true)).toBe(true);
		expect(() => decodeValue('x', 'date')).toThrow(/date/);
	});

	it('maps DuckDB type names to kinds', () => {
		expect(kindFromSqlType('DATE')).toBe('date');
		expect(kindFromSqlType('TIMESTAMP')).toBe('timestamp');
		expect(kindFromSqlType('TIMESTAMP_MS')).toBe('timestamp');
		expect(kindFromSqlType('TIMESTAMP WITH TIME ZONE')).toBe('timestamptz');
		expect(kindFromSqlType('DECIMAL(10,2)')).toBe('decimal');
		expect(kindFromSqlType('BIGINT')).toBe('other');
	});
});

describe('settings', () => {
	it('give every setting a reason and turn extension autoloading off on both engines', () => {
		for (const s of DB_SETTINGS) expect(s.reason.length, s.name).toBeGreaterThan(20);
		for (const e of ['native', 'wasm'] as const) {
			expect(settingStatements(e)).toContain('SET autoinstall_known_extensions = false');
			expect(settingStatements(e)).toContain('SET autoload_known_extensions = false');
		}
		expect(settingStatements('wasm', 'lockdown')).toEqual([
			'SET enable_external_access = false',
			'SET lock_configuration = true'
		]);
		expect(nativeOpenOptions()).toMatchObject({ autoload_known_extensions: 'false' });
	});
});

describe('DuckDB-WASM storage', () => {
	it('keeps loaded tables compressed in its own in-memory database (plain in-memory tables stay uncompressed)', async () => {
		expect(WASM_STORAGE_STATEMENTS.join(';')).toMatch(/COMPRESS/);
		const wasm = await createWasmNodeConnector();
		try {
			// Large enough (16 MB of Arrow) for DuckDB to write the table out compressed once it is loaded.
			const n = 2_000_000;
			const ipc = tableToIPC(
				tableFromArrays({
					code: Array.from({ length: n }, (_, i) => `c${i % 1000}`),
					v: Int32Array.from({ length: n }, (_, i) => i % 7)
				}),
				'stream'
			);
			const compression = async (table: string) =>
				(
					await wasm.query<{ c: string }>(
						`SELECT DISTINCT compression AS c FROM pragma_storage_info('${table}') ORDER BY 1`
					)
				).map((r) => r.c);
			await wasm.insertArrowIPC('loaded', ipc);
			const [where] = await wasm.query<{ db: string; tdb: string }>(
				`SELECT current_database() AS db, (SELECT database_name FROM duckdb_tables() WHERE table_name = 'loaded') AS tdb`
			);
			expect(where).toEqual({ db: 'timebank', tdb: 'timebank' });
			expect(await compression('loaded')).toEqual(expect.arrayContaining(['BitPacking']));
			expect(await compression('loaded')).not.toContain('Uncompressed');
			// The same table in the engine's default in-memory database, for contrast.
			await wasm.exec('USE memory');
			await wasm.insertArrowIPC('plain', ipc);
			expect(await compression('plain')).toEqual(['Uncompressed']);
			const [sums] = await wasm.query<{ a: number; b: number }>(
				'SELECT (SELECT sum(v) FROM timebank.loaded) AS a, (SELECT sum(v) FROM memory.plain) AS b'
			);
			expect(sums.a).toBe(sums.b);
		} finally {
			await wasm.close();
		}
	}, 60_000);
});

describe('native connector', () => {
	let db: NodeConnector;
	let dir: string;
	beforeAll(async () => {
		db = await createNodeConnector({ threads: 1 });
		dir = await mkdtemp(join(tmpdir(), 'tb-db-test-'));
	});
	afterAll(async () => {
		await db?.close();
		if (dir) await rm(dir, { recursive: true, force: true });
	});

	it('applies the shared settings', async () => {
		const [r] = await db.query<{ a: boolean; tz: string; div: boolean }>(
			"SELECT current_setting('autoload_known_extensions') AS a, current_setting('TimeZone') AS tz, current_setting('integer_division') AS div"
		);
		expect(r).toEqual({ a: false, tz: 'Asia/Shanghai', div: false });
	});

	it('returns plain rows: BIGINT → number, DATE/TIMESTAMP → ISO strings', async () => {
		const rows = await db.query(
			"SELECT 2::BIGINT + 3 AS n, SUM(x) AS s, DATE '2024-10-01' AS d, TIMESTAMP '2024-10-01 08:30:00' AS ts, NULL::DATE AS z FROM range(3) t(x)"
		);
		expect(rows).toEqual([{ n: 5, s: 3, d: '2024-10-01', ts: '2024-10-01T08:30:00', z: null }]);
	});

	it('loads Arrow IPC, Parquet and CSV', async () => {
		const t = publicTable('trainings');
		const rows = [
			{
				training_id: 'TR1',
				district_code: '440101',
				street_code: '440101001',
				held_on: '2024-03-05',
				trainees: 20,
				topic: '急救'
			},
			{
				training_id: 'TR2',
				district_code: '440102',
				street_code: '440102001',
				held_on: '2023-11-11',
				trainees: 15,
				topic: 'a,\'b"'
			}
		];
		await db.exec(createTableSql(t));
		await db.loadArrowIPC('trainings', publicArrowIPC(t, rows), { mode: 'append' });
		expect(await db.query('SELECT * FROM trainings ORDER BY training_id')).toEqual(rows);

		await db.loadArrowIPC('t_ipc', publicArrowIPC(t, rows, 'file'));
		expect(await db.query('SELECT * FROM t_ipc ORDER BY training_id')).toEqual(rows);

		const pq = join(dir, "t'.parquet");
		await db.exec(`COPY trainings TO '${pq.replaceAll("'", "''")}' (FORMAT parquet)`);
		await db.loadParquet('t_pq', pq);
		expect(await db.query('SELECT * FROM t_pq ORDER BY training_id')).toEqual(rows);

		const csv = join(dir, 't.csv');
		await writeFile(
			csv,
			'training_id,district_code,street_code,held_on,trainees,topic\nTR1,440101,440101001,2024-03-05,20,急救\nTR2,440102,440102001,2023-11-11,15,"a,\'b"""\n'
		);
		const columns = Object.fromEntries(t.columns.map((c) => [c.name, c.type]));
		await db.loadCsv('t_csv', csv, { columns });
		expect(await db.query('SELECT * FROM t_csv ORDER BY training_id')).toEqual(rows);
		await db.loadCsv('trainings', csv, { mode: 'append', columns });
		expect(await db.query('SELECT COUNT(*) AS n FROM trainings')).toEqual([{ n: 4 }]);
	});

	it('reports rows that do not fit the table', () => {
		expect(() => publicArrowIPC(publicTable('trainings'), [{ training_id: 'X' }])).toThrow(
			/trainings row 1, column district_code/
		);
	});
});
