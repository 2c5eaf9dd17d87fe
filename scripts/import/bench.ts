/**
 * Import benchmark: writes a synthetic valid export with N participations (default 1,000,000) to a
 * temporary directory with DuckDB, then imports it and prints rows per second.
 *   npx tsx scripts/import/bench.ts [participations]
 */
import { appendFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { INPUT_TABLES } from '../../src/lib/schema/input';
import { importExports } from './import';
import { validExport, writeExport } from './test-helpers';

const n = Number(process.argv[2] ?? 1_000_000);
const dir = writeExport(validExport());
const gen = await (await DuckDBInstance.create(':memory:')).connect();
const nVol = Math.max(10, Math.round(n / 20));
const nAct = Math.max(10, Math.round(n / 20));
const copy = async (sql: string, file: string) =>
	gen.run(`COPY (${sql}) TO '${join(dir, file)}' (HEADER, DELIMITER ',')`);
const t0 = Date.now();
await copy(
	`SELECT 'V' || i AS volunteer_id, '2023-01-10' AS registered_at, '1980-05-06' AS birth_date,
		CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END AS gender, 'masses' AS political_status, '0' AS party_reporting,
		'440104001007' AS community_code FROM range(${nVol}) t(i)`,
	'volunteers.csv'
);
await copy(
	`SELECT 'A' || i AS activity_id, '活动' || i AS title, 'T1' AS team_id, '' AS station_id, 'care_support' AS category,
		'' AS programme, '440104001101' AS community_code,
		strftime(TIMESTAMP '2024-01-01 09:00' + INTERVAL (i % 300) DAY, '%Y-%m-%d %H:%M') AS start_at,
		strftime(TIMESTAMP '2024-01-01 12:00' + INTERVAL (i % 300) DAY, '%Y-%m-%d %H:%M') AS end_at,
		'1' AS ledger_time, '1' AS ledger_content, '1' AS ledger_participation, '1' AS ledger_outcome,
		CASE WHEN i % 7 = 0 THEN '0' ELSE '1' END AS ledger_photos, '1' AS ledger_evaluation, '9' AS rating
	FROM range(${nAct}) t(i)`,
	'activities.csv'
);
await copy(
	`SELECT 'P' || i AS participation_id, 'A' || (i % ${nAct}) AS activity_id, 'V' || (i % ${nVol}) AS volunteer_id,
		CAST(1 + (i % 6) * 0.5 AS VARCHAR) AS hours,
		CASE WHEN i % 3 = 0 THEN '' ELSE strftime(TIMESTAMP '2024-01-01 08:55' + INTERVAL ((i % ${nAct}) % 300) DAY, '%Y-%m-%d %H:%M') END AS signed_in_at,
		CASE WHEN i % 5 = 0 THEN 'backfill' ELSE 'scan' END AS verification, 'none' AS approval,
		CASE WHEN i % 10 = 0 THEN '' ELSE strftime(TIMESTAMP '2024-01-02 18:00' + INTERVAL ((i % ${nAct}) % 300) DAY + INTERVAL (i % 9) DAY, '%Y-%m-%d %H:%M:%S') END AS confirmed_at
	FROM range(${n}) t(i)`,
	'participations.csv'
);
const size = statSync(join(dir, 'participations.csv')).size;
console.log(
	`generated ${n} participations (${(size / 1e6).toFixed(0)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`
);

// Placeholder rows of the small tables point at the generated ids V1/A1, which exist.
const conn = await (await DuckDBInstance.create(':memory:')).connect();
const t1 = Date.now();
const cpu0 = process.cpuUsage();
const r = await importExports(conn, dir, { region: '4401', onProgress: (m) => console.log(`  ${m}`) });
const secs = (Date.now() - t1) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSecs = (cpu.user + cpu.system) / 1e6;
const total = INPUT_TABLES.reduce((a, t) => a + r.rowCounts[t.name], 0);
console.log(
	`import ${r.ok ? 'ok' : 'FAILED'}: ${total} rows in ${secs.toFixed(1)} s = ${Math.round(total / secs)} rows/s, ` +
		`${(size / 1e6 / secs).toFixed(0)} MB/s of participations; ${cpuSecs.toFixed(1)} CPU s ` +
		`(wall time depends on other load; CPU s / 2 cores ≈ wall time on an idle 2-core machine)`
);
if (!r.ok)
	console.log(
		r.errors
			.slice(0, 10)
			.map((e) => e.message_en)
			.join('\n')
	);
console.log(JSON.stringify(r.report.suspect.map((s) => [s.id, s.count, s.out_of])));

// Line numbers stay exact on a large, multi-threaded read: break a record near the end and find it.
const k = n - 3;
appendFileSync(join(dir, 'participations.csv'), `P${k}dup,A1,V1,xx,,scan,none,\n`);
const conn2 = await (await DuckDBInstance.create(':memory:')).connect();
const t2 = Date.now();
const bad = await importExports(conn2, dir, { region: '4401' });
const e = bad.errors.find((x) => x.code === 'bad_number');
console.log(
	`failing import: ${bad.errors.length} errors in ${((Date.now() - t2) / 1000).toFixed(1)} s; ` +
		`bad hours reported on line ${e?.row} (expected ${n + 2}): ${e?.row === n + 2 ? 'ok' : 'WRONG'}`
);
rmSync(dir, { recursive: true, force: true });
