/**
 * DuckDB settings shared by both engines: native `@duckdb/node-api` (release build, prerender, tests) and
 * DuckDB-WASM (browser, tests). Applying the same list keeps the two engines returning the same numbers
 * for the same SQL. Each entry says why it is there.
 *
 * Phases:
 * - `open`: applied right after the database is opened (native: also passed as open options where DuckDB
 *   accepts them, so nothing can happen before they are in force).
 * - `lockdown`: applied once all tables are loaded (browser: before the SQL console is shown). These cannot
 *   be undone in the same session, so the release build (which must read and write files) does not use them.
 *
 * Not a setting but a rule for SQL written for both engines: DuckDB-WASM has no ICU extension, so there is
 * no `TimeZone` setting there and `TIMESTAMPTZ` arithmetic would differ between the engines. The public
 * tables use only `DATE` and naive `TIMESTAMP` (PRC wall-clock time) and the indicator SQL never converts
 * between time zones, so results do not depend on any time-zone setting.
 */

export type Engine = 'native' | 'wasm';
export type SettingPhase = 'open' | 'lockdown';

export interface DbSetting {
	name: string;
	/** SQL literal, already quoted where needed. */
	value: string;
	engines: readonly Engine[];
	phase: SettingPhase;
	/** Also pass as a native open option (`DuckDBInstance.create(path, options)`). */
	openOption?: boolean;
	reason: string;
}

export const DB_SETTINGS: readonly DbSetting[] = [
	{
		name: 'autoinstall_known_extensions',
		value: 'false',
		engines: ['native', 'wasm'],
		phase: 'open',
		openOption: true,
		reason:
			'never download extension code at run time: builds are offline and reproducible, the browser fetches nothing unexpected'
	},
	{
		name: 'autoload_known_extensions',
		value: 'false',
		engines: ['native', 'wasm'],
		phase: 'open',
		openOption: true,
		reason: 'a query must fail clearly instead of silently loading an extension that only one engine has'
	},
	{
		name: 'allow_community_extensions',
		value: 'false',
		engines: ['native', 'wasm'],
		phase: 'open',
		openOption: true,
		reason: 'no third-party code in the pipeline or in the in-browser SQL console'
	},
	{
		name: 'integer_division',
		value: 'false',
		engines: ['native', 'wasm'],
		phase: 'open',
		reason: 'the indicator SQL relies on `/` being floating-point division on both engines'
	},
	{
		name: 'default_order',
		value: "'ASC'",
		engines: ['native', 'wasm'],
		phase: 'open',
		reason: 'explicit, so that ORDER BY without a direction sorts the same on both engine versions'
	},
	{
		name: 'default_null_order',
		value: "'NULLS_LAST'",
		engines: ['native', 'wasm'],
		phase: 'open',
		reason: 'explicit, so that NULLs sort last on both engine versions'
	},
	{
		name: 'TimeZone',
		value: "'Asia/Shanghai'",
		engines: ['native'],
		phase: 'open',
		reason:
			'native only (WASM has no ICU): any incidental TIMESTAMPTZ shows PRC time; the indicator SQL uses DATE and naive TIMESTAMP only'
	},
	{
		name: 'enable_external_access',
		value: 'false',
		engines: ['wasm'],
		phase: 'lockdown',
		reason: 'after the tables are loaded the SQL console cannot read local files or arbitrary URLs'
	},
	{
		name: 'lock_configuration',
		value: 'true',
		engines: ['wasm'],
		phase: 'lockdown',
		reason: 'the SQL console cannot change settings afterwards (last, so the statements above still run)'
	}
];

/** `SET` statements for an engine and phase, in order. */
export function settingStatements(engine: Engine, phase: SettingPhase = 'open'): string[] {
	return DB_SETTINGS.filter((s) => s.phase === phase && s.engines.includes(engine)).map(
		(s) => `SET ${s.name} = ${s.value}`
	);
}

/** Options for `DuckDBInstance.create(path, options)` (values are strings there). */
export function nativeOpenOptions(): Record<string, string> {
	const out: Record<string, string> = {};
	for (const s of DB_SETTINGS) {
		if (s.openOption && s.engines.includes('native')) out[s.name] = s.value.replace(/^'|'$/g, '');
	}
	return out;
}

/**
 * DuckDB-WASM's tables live in a compressed in-memory database, made the default right after the settings (so
 * every table loaded later lands there). Plain in-memory tables are stored uncompressed: at scale 10 the raw
 * tables took 2.4 GB of the engine's 3.1 GiB and the assessment's indicators from them ran out of memory; compressed
 * they take 0.5 GB and the query answers. The pages' queries on the pre-aggregates ran a tenth faster (fewer bytes
 * scanned) and the indicator queries on the raw tables as fast; loading takes longer, as DuckDB compresses what it
 * stores: the pre-aggregates a third, the raw tables nearly twice as long (measured with DuckDB-WASM in Node).
 */
export const WASM_STORAGE_STATEMENTS: readonly string[] = [
	`ATTACH ':memory:' AS timebank (COMPRESS)`,
	'USE timebank'
];

/**
 * Open configuration for DuckDB-WASM (`db.open(WASM_OPEN_CONFIG)`): in-memory; BIGINT and DECIMAL results
 * arrive as doubles, like the native connector's decoded rows (the decoder converts them anyway).
 */
export const WASM_OPEN_CONFIG = {
	path: ':memory:',
	query: { castBigIntToDouble: true, castDecimalToDouble: true }
} as const;
