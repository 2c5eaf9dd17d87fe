/**
 * Native DuckDB (`@duckdb/node-api`) behind the shared `Connector` interface, for the release build, the
 * prerender and the tests. In-memory by default; the shared settings of `../settings.ts` are applied on open.
 */
import { readFile } from 'node:fs/promises';
import {
	DuckDBConnection,
	DuckDBInstance,
	DuckDBTypeId,
	dateValue,
	timestampValue,
	type DuckDBAppender
} from '@duckdb/node-api';
import { DataType, tableFromIPC } from 'apache-arrow';
import { decodeRows, kindFromSqlType, quoteIdent, type Connector } from '../connector';
import { nativeOpenOptions, settingStatements } from '../settings';
import { wallClockMs } from '../arrow';

export interface NodeConnectorOptions {
	/** Database file; default ':memory:'. */
	path?: string;
	/** Worker threads (default: DuckDB's choice). Tests on shared machines may want 1 or 2. */
	threads?: number;
	/** Extra open options passed to `DuckDBInstance.create` (strings), after the shared ones. */
	options?: Record<string, string>;
}

export interface LoadOptions {
	/** Create the table from the file's columns (default) or append to an existing table. */
	mode?: 'create' | 'replace' | 'append';
}

export interface NodeConnector extends Connector {
	readonly instance: DuckDBInstance;
	readonly connection: DuckDBConnection;
	/** Load a Parquet file into `table`. */
	loadParquet(table: string, file: string, opts?: LoadOptions): Promise<void>;
	/**
	 * Load a CSV file (header row, UTF-8) into `table`. With `columns` (name → SQL type) the types are not
	 * sniffed; with mode 'append' the columns are matched by name to the existing table.
	 */
	loadCsv(
		table: string,
		file: string,
		opts?: LoadOptions & { columns?: Record<string, string> }
	): Promise<void>;
	/** Load Arrow IPC (file or stream format; a path or the bytes) into `table`. */
	loadArrowIPC(table: string, source: string | Uint8Array, opts?: LoadOptions): Promise<void>;
	/** Append plain rows (decoded-row conventions: dates as ISO strings) to an existing table. */
	appendRows(table: string, rows: readonly Record<string, unknown>[]): Promise<void>;
	/** Apply the 'lockdown' settings of the given engine list (native has none by default). */
	lockdown(): Promise<void>;
}

export const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

const ARROW_TO_SQL: Record<number, string> = {
	2: 'BIGINT',
	3: 'DOUBLE',
	5: 'VARCHAR',
	6: 'BOOLEAN',
	8: 'DATE',
	10: 'TIMESTAMP'
};

export async function createNodeConnector(opts: NodeConnectorOptions = {}): Promise<NodeConnector> {
	const options: Record<string, string> = { ...nativeOpenOptions(), ...opts.options };
	if (opts.threads) options.threads = String(opts.threads);
	const instance = await DuckDBInstance.create(opts.path ?? ':memory:', options);
	const connection = await instance.connect();
	for (const s of settingStatements('native', 'open')) await connection.run(s);

	const query = async <T = Record<string, unknown>>(sql: string): Promise<T[]> => {
		const reader = await connection.runAndReadAll(sql);
		const names = reader.columnNames();
		const types = reader.columnTypes();
		const columns = names.map((name, i) => ({ name, kind: kindFromSqlType(String(types[i])) }));
		return decodeRows<T>(reader.getRowObjectsJS() as Record<string, unknown>[], columns);
	};
	const exec = async (sql: string): Promise<void> => {
		await connection.run(sql);
	};

	const fromSource = async (table: string, select: string, mode: LoadOptions['mode'] = 'create') => {
		const t = quoteIdent(table);
		if (mode === 'append') await exec(`INSERT INTO ${t} BY NAME ${select}`);
		else await exec(`CREATE ${mode === 'replace' ? 'OR REPLACE ' : ''}TABLE ${t} AS ${select}`);
	};

	const appendValues = async (
		table: string,
		rowCount: number,
		get: (row: number, column: string) => unknown
	): Promise<void> => {
		const cols = await query<{ name: string }>(
			`SELECT column_name AS name FROM information_schema.columns WHERE table_name = ${quoteLiteral(table)} ORDER BY ordinal_position`
		);
		if (!cols.length) throw new Error(`appendRows: table ${table} does not exist`);
		const appender: DuckDBAppender = await connection.createAppender(table);
		try {
			const typeIds = cols.map((_, i) => appender.columnType(i).typeId);
			for (let r = 0; r < rowCount; r++) {
				cols.forEach(({ name }, i) => {
					const v = get(r, name);
					const where = `${table} row ${r + 1}, column ${name}`;
					if (v === null || v === undefined) return appender.appendNull();
					switch (typeIds[i]) {
						case DuckDBTypeId.VARCHAR:
							return appender.appendVarchar(String(v));
						case DuckDBTypeId.INTEGER:
							return appender.appendInteger(Number(v));
						case DuckDBTypeId.BIGINT:
							return appender.appendBigInt(typeof v === 'bigint' ? v : BigInt(Number(v)));
						case DuckDBTypeId.DOUBLE:
							return appender.appendDouble(Number(v));
						case DuckDBTypeId.BOOLEAN:
							return appender.appendBoolean(Boolean(v));
						case DuckDBTypeId.DATE:
							return appender.appendDate(dateValue(Math.floor(wallClockMs(v, where) / 86_400_000)));
						case DuckDBTypeId.TIMESTAMP:
							return appender.appendTimestamp(
								timestampValue(BigInt(Math.round(wallClockMs(v, where))) * 1000n)
							);
						default:
							throw new Error(
								`${where}: column type ${String(appender.columnType(i))} not supported by appendRows`
							);
					}
				});
				appender.endRow();
			}
			appender.flushSync();
		} finally {
			appender.closeSync();
		}
	};

	return {
		instance,
		connection,
		query,
		exec,
		async close() {
			connection.closeSync();
			instance.closeSync();
		},
		loadParquet: (table, file, o) =>
			fromSource(table, `SELECT * FROM read_parquet(${quoteLiteral(file)})`, o?.mode),
		loadCsv: (table, file, o) => {
			const cols = o?.columns
				? `, columns = {${Object.entries(o.columns)
						.map(([k, v]) => `${quoteLiteral(k)}: ${quoteLiteral(v)}`)
						.join(', ')}}`
				: '';
			return fromSource(
				table,
				`SELECT * FROM read_csv(${quoteLiteral(file)}, header = true, encoding = 'utf-8'${cols})`,
				o?.mode
			);
		},
		async loadArrowIPC(table, source, o) {
			const bytes = typeof source === 'string' ? await readFile(source) : source;
			const arrow = tableFromIPC(bytes);
			const fields = arrow.schema.fields;
			const mode = o?.mode ?? 'create';
			if (mode !== 'append') {
				const defs = fields.map((f) => {
					// Dictionary-encoded text (the release's repeated codes and ids) is its value type.
					const type = DataType.isDictionary(f.type) ? f.type.dictionary : f.type;
					const sqlType = type.typeId === 2 && type.bitWidth < 64 ? 'INTEGER' : ARROW_TO_SQL[type.typeId];
					if (!sqlType)
						throw new Error(
							`loadArrowIPC ${table}: column ${f.name} has unsupported Arrow type ${String(f.type)}`
						);
					return `${quoteIdent(f.name)} ${sqlType}`;
				});
				await exec(
					`CREATE ${mode === 'replace' ? 'OR REPLACE ' : ''}TABLE ${quoteIdent(table)} (${defs.join(', ')})`
				);
			}
			const vectors = new Map(fields.map((f, i) => [f.name, arrow.getChildAt(i)]));
			await appendValues(table, arrow.numRows, (r, name) => {
				const v = vectors.get(name);
				if (v === undefined) throw new Error(`loadArrowIPC ${table}: the Arrow data has no column ${name}`);
				return v?.get(r);
			});
		},
		appendRows: (table, rows) => appendValues(table, rows.length, (r, name) => rows[r][name]),
		async lockdown() {
			for (const s of settingStatements('native', 'lockdown')) await exec(s);
		}
	};
}
