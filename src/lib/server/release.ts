/**
 * Build-time (prerender) data access: the latest release under static/data, read with native DuckDB over
 * its Parquet files. Node only. The SQL is the same the browser runs over the Arrow files.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createNodeConnector, type NodeConnector } from '../db/server/node';
import { PUBLIC_TABLES } from '../schema/public';
import type { Row } from '../charts/queries';

export interface ReleaseInfo {
	version: string;
	created: string;
	data_as_of: string;
	path: string;
}

export const DATA_DIR = path.resolve(process.env.TIMEBANK_DATA_DIR ?? 'static/data');

/** The newest release listed in static/data/releases.json. */
export function latestRelease(dataDir = DATA_DIR): ReleaseInfo {
	const file = path.join(dataDir, 'releases.json');
	if (!existsSync(file))
		throw new Error(
			`No release found: ${file} is missing. Build one first: npm run data:generate -- --out .tmp/sample-input && npm run data:build -- --input .tmp/sample-input --out static/data`
		);
	const json = JSON.parse(readFileSync(file, 'utf8')) as ReleaseInfo[] | { releases: ReleaseInfo[] };
	const list = Array.isArray(json) ? json : json.releases;
	if (!Array.isArray(list) || list.length === 0) throw new Error(`${file} lists no releases`);
	return list[0];
}

let conn: Promise<NodeConnector> | null = null;

/** Native connector with every public table of the latest release loaded from its Parquet file. */
async function open(): Promise<NodeConnector> {
	const rel = latestRelease();
	const dir = path.join(DATA_DIR, rel.path, 'parquet');
	const c = await createNodeConnector({ threads: 2 });
	for (const t of PUBLIC_TABLES) {
		const file = path.join(dir, `${t.name}.parquet`);
		if (!existsSync(file)) throw new Error(`Release ${rel.version} lacks ${file}`);
		await c.loadParquet(t.name, file);
	}
	return c;
}

/** Run one query on the latest release (native DuckDB, shared connection, shared decoder). */
export async function serverQuery(sql: string): Promise<Row[]> {
	conn ??= open();
	return (await conn).query<Row>(sql);
}

export interface Prepared {
	sql: string;
	rows: Row[];
}

/** Run a set of named queries; results keep their SQL so the browser can tell when it must recompute. */
export async function runAll<K extends string>(queries: Record<K, string>): Promise<Record<K, Prepared>> {
	const out = {} as Record<K, Prepared>;
	for (const k of Object.keys(queries) as K[])
		out[k] = { sql: queries[k], rows: await serverQuery(queries[k]) };
	return out;
}
