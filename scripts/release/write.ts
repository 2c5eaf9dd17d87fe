/**
 * The release's files from the public tables: Arrow IPC for the browser (+ brotli/gzip siblings), Parquet
 * and CSV for downloads, each hashed as it is written (SHA256SUMS does not read them again).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManifestTable } from '../../src/lib/release/manifest';
import { browserColumns, PUBLIC_TABLES, type PublicColumn } from '../../src/lib/schema/public';
import { writeArrowStream } from './arrow';
import type { ResourceFile } from './datapackage';
import { compressSiblings, sha256File, type FileHash } from './files';
import { pausePoint } from './pause';

/** SELECT expression of a column in the published CSV. */
export const csvValue = (c: PublicColumn): string => {
	const n = `"${c.name}"`;
	if (c.type !== 'VARCHAR') return n;
	// Formula-injection guard for spreadsheets: text starting with = + - @ (or tab / CR) gets a leading '.
	// list_contains, not IN: DuckDB turns an IN list of 6 values into a hash join, after which COPY no
	// longer keeps the table's row order (the CSV rows came out shuffled against Arrow and Parquet).
	return `CASE WHEN ${risky(n)} THEN '''' || ${n} ELSE ${n} END`;
};

const risky = (n: string) => `list_contains(['=', '+', '-', '@', chr(9), chr(13)], left(${n}, 1))`;

/**
 * The columns of a table to write through `csvValue`: text columns with at least one value a spreadsheet
 * would run. The others (ids, pseudonyms, codes…) are written as they are, the same bytes for less work
 * (the guard's CASE doubled the time of the 10 M-row CSVs).
 */
export async function columnsToGuard(
	conn: DuckDBConnection,
	table: string,
	columns: readonly PublicColumn[]
): Promise<Set<string>> {
	const text = columns.filter((c) => c.type === 'VARCHAR');
	if (!text.length) return new Set();
	const row = (
		await conn.runAndReadAll(
			`SELECT ${text.map((c) => `coalesce(bool_or(${risky(`"${c.name}"`)}), false)`).join(', ')} FROM ${table}`
		)
	).getRows()[0];
	return new Set(text.filter((_, i) => row[i] === true).map((c) => c.name));
}

const sqlPath = (p: string) => `'${p.replace(/'/g, "''")}'`;

export interface WriteFilesOptions {
	/** The connection holding the public tables. */
	conn: DuckDBConnection;
	/** A second connection to the same database: Parquet + CSV are written on it beside the Arrow files, and it
	 * is closed when they are done (null: one after the other on `conn`). */
	second: DuckDBConnection | null;
	/** The release's temporary directory (with browser/, parquet/ and csv/ made). */
	dir: string;
	rowCounts: Record<string, number>;
	log: (msg: string) => void;
	/** Seconds of each writer ('arrow', 'parquet', 'csv') are set here. */
	timings: Record<string, number>;
	onStage?: (stage: string) => void | Promise<void>;
}

export interface WrittenFiles {
	/** The manifest's table entries (Arrow files), by table name. */
	tables: Record<string, ManifestTable>;
	/** Parquet and CSV files (datapackage resources). */
	files: ResourceFile[];
	/** Hashes of every file written, by path relative to `dir`. */
	known: Map<string, FileHash>;
}

/** Write every public table as Arrow (+ .br/.gz), Parquet and CSV under `dir`. */
export async function writeFiles(opts: WriteFilesOptions): Promise<WrittenFiles> {
	const { conn, second, dir, rowCounts, log, timings } = opts;
	// Arrow (JS-bound) and Parquet + CSV (DuckDB-bound, on a second connection) run side by side;
	// brotli/gzip run on the libuv thread pool as each Arrow file is done.
	const tables: Record<string, ManifestTable> = {};
	const compressions: Promise<void>[] = [];
	const files: ResourceFile[] = [];
	const timed = async (name: string, f: () => Promise<void>) => {
		const t = performance.now();
		await f();
		timings[name] = Math.round(performance.now() - t) / 1000;
		log(`  ${name}: ${timings[name].toFixed(2)} s`);
	};
	// Hashes computed while writing (SHA256SUMS does not read these files again).
	const known = new Map<string, FileHash>();
	// The largest tables first, so their brotli/gzip (the longest) overlap the rest of the writing.
	const bySize = [...PUBLIC_TABLES].sort((a, b) => rowCounts[b.name] - rowCounts[a.name]);
	const arrowTask = () =>
		timed('arrow', async () => {
			await opts.onStage?.('arrow');
			for (const t of bySize) {
				const tmp = join(dir, 'browser', `${t.name}.partial`);
				// The browser copy leaves out the downloads-only columns (per-row pseudonyms, see `browserColumns`).
				const columns = browserColumns(t);
				const info = await writeArrowStream(conn, t.name, columns, tmp);
				const file = `${t.name}.${info.sha256.slice(0, 8)}.arrow`;
				await rename(tmp, join(dir, 'browser', file));
				known.set(`browser/${file}`, info);
				pausePoint('arrow');
				const c = compressSiblings(join(dir, 'browser', file)).then((z) => {
					known.set(`browser/${file}.br`, z.br);
					known.set(`browser/${file}.gz`, z.gz);
				});
				c.catch(() => {}); // awaited below; avoid an unhandled rejection meanwhile
				compressions.push(c);
				if (compressions.length === 3) setTimeout(() => pausePoint('compression'), 5);
				tables[t.name] = {
					file,
					rows: info.rows,
					bytes: info.bytes,
					sha256: info.sha256,
					br: `${file}.br`,
					gz: `${file}.gz`,
					browser: t.browser,
					columns: columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable ?? false }))
				};
			}
		});
	const tabularTask = async (c: DuckDBConnection) => {
		const parquet: ResourceFile[] = [];
		const csv: ResourceFile[] = [];
		await timed('parquet', async () => {
			await opts.onStage?.('parquet');
			for (const t of PUBLIC_TABLES) {
				const path = `parquet/${t.name}.parquet`;
				await c.run(
					`COPY (SELECT ${t.columns.map((c) => `"${c.name}"`).join(', ')} FROM ${t.name}) TO ${sqlPath(join(dir, path))} (FORMAT parquet, COMPRESSION zstd)`
				);
				pausePoint('parquet');
				parquet.push({
					table: t,
					format: 'parquet',
					path,
					rows: rowCounts[t.name],
					...(await sha256File(join(dir, path)))
				});
			}
		});
		await timed('csv', async () => {
			await opts.onStage?.('csv');
			for (const t of PUBLIC_TABLES) {
				const path = `csv/${t.name}.csv`;
				// The UTF-8 BOM (for Excel) rides on the first header name, so DuckDB writes the file in one pass.
				const guard = await columnsToGuard(c, t.name, t.columns);
				const exprs = t.columns.map(
					(col, i) =>
						`${guard.has(col.name) ? csvValue(col) : `"${col.name}"`} AS "${i === 0 ? '\uFEFF' : ''}${col.name}"`
				);
				await c.run(
					`COPY (SELECT ${exprs.join(', ')} FROM ${t.name}) TO ${sqlPath(join(dir, path))} (FORMAT csv, HEADER true, DATEFORMAT '%Y-%m-%d', TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S')`
				);
				csv.push({
					table: t,
					format: 'csv',
					path,
					rows: rowCounts[t.name],
					...(await sha256File(join(dir, path)))
				});
			}
		});
		files.push(...parquet, ...csv);
	};
	try {
		const settled = second
			? await Promise.allSettled([arrowTask(), tabularTask(second)])
			: [await Promise.allSettled([arrowTask().then(() => tabularTask(conn))])][0];
		settled.push(...(await Promise.allSettled(compressions)));
		const failed = settled.find((r) => r.status === 'rejected');
		if (failed) throw (failed as PromiseRejectedResult).reason;
	} finally {
		second?.closeSync();
	}
	for (const f of files) known.set(f.path, { sha256: f.sha256, bytes: f.bytes });
	return { tables, files, known };
}
