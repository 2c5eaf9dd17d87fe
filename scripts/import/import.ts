/**
 * Import stage of `npm run data:build`: validates a directory of CSV exports against the input contract
 * (`src/lib/schema/input.ts`) and, when everything is valid, leaves typed tables `src_<table>` in the
 * DuckDB connection. All errors are collected (every file, every check) and returned; the caller exits
 * non-zero when `ok` is false. See `scripts/import/README.md` for the rules.
 *
 * Heavy lifting is done in DuckDB: each file is read once with `read_csv(all_varchar)` into a staging
 * table holding the trimmed text and the parsed value of every contract column, each check is a
 * predicate counted over the whole table in one pass (plus joins for ids and references), and only the
 * first `maxErrorsPerCheck` offending rows of each check are fetched for the message list.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parse as parseCsv } from 'csv-parse/sync';
import {
	INPUT_TABLES,
	PERSONAL_COLUMNS,
	type InputColumn,
	type InputTable,
	type InputTableName
} from '../../src/lib/schema/input';
import { checkUtf8, findLoneCr, MAX_HEADER_BYTES, physicalLine, readHeaderLine } from './encoding';
import { cleanMessage, makeError, type ErrorCount, type ImportError, type ImportErrorCode } from './errors';
import { loadPlaceReference, refTable } from './reference';
import { buildReport, emptyReport, type ValidationReport } from './report';
import {
	AMBIGUOUS_DATE_RE,
	DATE_SHAPE_RE,
	DATETIME_SHAPE_RE,
	FALSE_WORDS,
	SQL_TYPE,
	TRUE_WORDS,
	ident,
	parseExpr,
	sqlString
} from './sql';

export type { ImportError, ImportErrorCode, ErrorCount } from './errors';
export { formatErrors } from './errors';
export type { ValidationReport, SuspectCheck, SuspectCheckId } from './report';
export { publicReport } from './report';

export interface ImportOptions {
	/** Region code, e.g. `4401`: selects the place-code reference. */
	region: string;
	/** Drop personal-data columns (PERSONAL_COLUMNS) on read instead of refusing the file. */
	dropPersonal?: boolean;
	onProgress?: (msg: string) => void;
	/** Offending rows listed per check (all are counted). Default 50. */
	maxErrorsPerCheck?: number;
	/** Folder holding `<region>/{districts,streets,communities}.csv`; default `data/reference`. */
	referenceDir?: string;
}

export interface ImportResult {
	ok: boolean;
	/** The first `maxErrorsPerCheck` errors of each check, in file order, then line order. */
	errors: ImportError[];
	/** Total number of offending values per file, column and error code. */
	errorCounts: ErrorCount[];
	report: ValidationReport;
	rowCounts: Record<InputTableName, number>;
	/** Personal-data columns that were present and dropped (`dropPersonal`). */
	droppedColumns: { file: string; column: string }[];
}

export const srcTable = (t: InputTableName): string => `src_${t}`;
const stg = (t: InputTableName): string => `_stg_${t}`;
const V = (c: string): string => ident(`${c}__v`);
/**
 * The staging table with `__line`, the record's line in the file (header = line 1; DuckDB skips blank
 * lines, which `physicalLine` adds back). The staging table keeps the file's record order (it is created
 * with preserve_insertion_order, DuckDB's default), so the line is the rowid + 2: no window function
 * over millions of rows while staging.
 */
const lined = (t: InputTableName): string =>
	`(SELECT CAST(rowid + 2 AS INTEGER) AS __line, * FROM ${stg(t)})`;

/** A row-level check: `where` selects the offending rows of the staging table. */
interface RowCheck {
	code: ImportErrorCode;
	column: string;
	where: string;
	expected: { zh: string; en: string };
	/** SQL for a second value shown in the message (e.g. the start time an end time precedes). */
	other?: { sql: string; zh: string; en: string; zhAfter?: string; isLine?: boolean };
}

const TYPE_EXPECTED: Record<string, { zh: string; en: string }> = {
	integer: { zh: '整数', en: 'a whole number' },
	decimal: { zh: '数字（小数点用 .）', en: 'a number (decimal point .)' },
	boolean: {
		zh: `是/否值（${TRUE_WORDS.join('/')} 或 ${FALSE_WORDS.join('/')}）`,
		en: `a yes/no value (${TRUE_WORDS.join('/')} or ${FALSE_WORDS.join('/')})`
	},
	date: {
		zh: '日期，如 2024-03-05、2024/3/5、2024年3月5日 或 20240305',
		en: 'a date such as 2024-03-05, 2024/3/5, 2024年3月5日 or 20240305'
	},
	datetime: {
		zh: '日期和时间，如 2024-03-05 14:30、2024-03-05T14:30:00 或 2024年3月5日 14:30',
		en: 'a date and time such as 2024-03-05 14:30, 2024-03-05T14:30:00 or 2024年3月5日 14:30'
	}
};

const LEVEL_LABEL = {
	district: { zh: '区（6 位）', en: 'district (6 digits)' },
	street: { zh: '街（镇）（9 位）', en: 'street/town (9 digits)' },
	community: { zh: '村（居）（12 位）', en: 'community (12 digits)' }
};

function rangeText(c: InputColumn): { zh: string; en: string } {
	const lo = c.min !== undefined ? `${c.minExclusive ? '>' : '≥'} ${c.min}` : '';
	const hi = c.max !== undefined ? `≤ ${c.max}` : '';
	const r = [lo, hi].filter(Boolean);
	return {
		zh: `${r.join(' 且 ')}${c.unit ? `（${c.unit}）` : ''}`,
		en: `${r.join(' and ')}${c.unit ? ` ${c.unit}` : ''}`
	};
}

function columnChecks(t: InputTable, region: string): RowCheck[] {
	const checks: RowCheck[] = [];
	for (const c of t.columns) {
		const r = ident(c.name);
		const what = { zh: `${c.zh}`, en: c.en };
		if (c.required)
			checks.push({
				code: 'required',
				column: c.name,
				where: `${r} IS NULL`,
				expected: { zh: `非空的${what.zh}`, en: `a non-empty ${what.en}` }
			});
		const bad = `${r} IS NOT NULL AND ${V(c.name)} IS NULL`;
		if (c.type === 'integer' || c.type === 'decimal')
			checks.push({ code: 'bad_number', column: c.name, where: bad, expected: TYPE_EXPECTED[c.type] });
		if (c.type === 'boolean')
			checks.push({ code: 'bad_boolean', column: c.name, where: bad, expected: TYPE_EXPECTED.boolean });
		if (c.type === 'date' || c.type === 'datetime') {
			const shape = sqlString(c.type === 'date' ? DATE_SHAPE_RE : DATETIME_SHAPE_RE);
			checks.push({
				code: 'impossible_date',
				column: c.name,
				where: `${bad} AND regexp_matches(${r}, ${shape})`,
				expected: {
					zh: `真实存在的${c.type === 'date' ? '日期' : '日期和时间'}（月 1–12，日不超过当月天数，时 0–23，分 0–59）`,
					en: `a real ${c.type === 'date' ? 'date' : 'date and time'} (month 1–12, day within the month, hour 0–23, minute 0–59)`
				}
			});
			checks.push({
				code: 'bad_date',
				column: c.name,
				where: `${bad} AND NOT regexp_matches(${r}, ${shape})`,
				expected: TYPE_EXPECTED[c.type]
			});
		}
		if (c.type === 'code' && c.codes) {
			const codes = c.codes.map((x) => x.code);
			checks.push({
				code: 'unknown_code',
				column: c.name,
				where: `${r} IS NOT NULL AND ${r} NOT IN (${codes.map(sqlString).join(', ')})`,
				expected: {
					zh: `以下代码之一：${c.codes.map((x) => `${x.code}（${x.zh}）`).join('、')}`,
					en: `one of: ${c.codes.map((x) => `${x.code} (${x.en})`).join(', ')}`
				}
			});
		}
		if (c.type === 'place' && c.placeLevel) {
			const l = LEVEL_LABEL[c.placeLevel];
			checks.push({
				code: 'unknown_place',
				column: c.name,
				where: `${r} IS NOT NULL AND ${r} NOT IN (SELECT code FROM ${refTable(c.placeLevel)})`,
				expected: {
					zh: `本地区（${region}）参考表中的${l.zh}区划代码`,
					en: `a ${l.en} GB/T 2260 code of region ${region} in the reference table`
				}
			});
		}
		if ((c.type === 'integer' || c.type === 'decimal') && (c.min !== undefined || c.max !== undefined)) {
			const conds: string[] = [];
			if (c.min !== undefined) conds.push(`${V(c.name)} ${c.minExclusive ? '<=' : '<'} ${c.min}`);
			if (c.max !== undefined) conds.push(`${V(c.name)} > ${c.max}`);
			checks.push({
				code: c.unit === 'hours' ? 'hours_range' : 'out_of_range',
				column: c.name,
				where: `${V(c.name)} IS NOT NULL AND (${conds.join(' OR ')})`,
				expected: rangeText(c)
			});
		}
	}
	// Order of events within a record.
	const order = (later: string, earlier: string, unless?: string) => {
		const col = (n: string) => t.columns.find((c) => c.name === n)!;
		checks.push({
			code: 'end_before_start',
			column: later,
			where: `${V(later)} < ${V(earlier)}${unless ? ` AND NOT coalesce(${V(later)} < ${V(unless)}, false)` : ''}`,
			expected: {
				zh: `不早于 ${earlier}（${col(earlier).zh}）`,
				en: `not before ${earlier} (${col(earlier).en})`
			},
			other: { sql: ident(earlier), zh: `${earlier} 为 `, en: `${earlier} is ` }
		});
	};
	if (t.name === 'activities') order('end_at', 'start_at');
	if (t.name === 'stations') order('closed_at', 'opened_at');
	if (t.name === 'micro_wishes') {
		order('dispatched_at', 'posted_at');
		order('accepted_at', 'posted_at');
		order('fulfilled_at', 'posted_at');
		order('fulfilled_at', 'accepted_at', 'posted_at'); // not twice for the same value
	}
	if (t.name === 'stations')
		checks.push({
			code: 'place_mismatch',
			column: 'community_code',
			where: `community_code IS NOT NULL AND street_code IS NOT NULL AND NOT starts_with(community_code, street_code)`,
			expected: {
				zh: '属于 street_code 所填街（镇）的村（居）代码',
				en: 'a community inside the street in street_code'
			},
			other: { sql: 'street_code', zh: 'street_code 为 ', en: 'street_code is ' }
		});
	return checks;
}

interface TableState {
	table: InputTable;
	file: string;
	path: string;
	header: string[];
	/** Staged and fit for row checks (header complete, every record parsed). */
	staged: boolean;
	/** Empty lines DuckDB skipped (their physical line numbers), to correct reported lines. */
	blankLines: number[];
	rows: number;
}

const num = (v: unknown): number => Number(v ?? 0);

async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
	const r = await conn.runAndReadAll(sql);
	return r.getRowObjectsJson() as Record<string, unknown>[];
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * Validates the CSV exports in `inputDir` and, when all are valid, leaves typed `src_<table>` tables in
 * `conn`. Never throws for bad data (errors are returned); throws only for an internal failure, after
 * removing its staging tables.
 */
export async function importExports(
	conn: DuckDBConnection,
	inputDir: string,
	opts: ImportOptions
): Promise<ImportResult> {
	try {
		return await runImport(conn, inputDir, opts);
	} catch (e) {
		for (const t of INPUT_TABLES) {
			await conn.run(`DROP TABLE IF EXISTS ${stg(t.name)}`).catch(() => undefined);
			await conn.run(`DROP TABLE IF EXISTS ${srcTable(t.name)}`).catch(() => undefined);
		}
		throw e;
	}
}

async function runImport(
	conn: DuckDBConnection,
	inputDir: string,
	opts: ImportOptions
): Promise<ImportResult> {
	const t0 = Date.now();
	const progress = (msg: string) => opts.onProgress?.(msg);
	const limit = opts.maxErrorsPerCheck ?? 50;
	const errors: ImportError[] = [];
	const errorCounts: ErrorCount[] = [];
	const dropped: { file: string; column: string }[] = [];
	const states = new Map<InputTableName, TableState>();
	const personal = new Map(PERSONAL_COLUMNS.map((p) => [p.name.toLowerCase(), p]));

	const fileError = (e: ImportError) => {
		errors.push(e);
		errorCounts.push({ file: e.file, column: e.column, code: e.code, count: 1 });
	};

	// Record order = file order in the staging tables (see `lined`).
	await conn.run('SET preserve_insertion_order = true');
	// Clean state: no src_* or staging tables from an earlier run survive into this one.
	for (const t of INPUT_TABLES) {
		await conn.run(`DROP TABLE IF EXISTS ${srcTable(t.name)}`);
		await conn.run(`DROP TABLE IF EXISTS ${stg(t.name)}`);
	}
	const ref = await loadPlaceReference(conn, opts.region, opts.referenceDir);
	progress(
		`参考区划 reference places (${ref.source}): ${ref.counts.district} / ${ref.counts.street} / ${ref.counts.community}`
	);

	// 1. Files, encoding, headers, staging.
	for (const t of INPUT_TABLES) {
		const path = join(inputDir, t.file);
		const state: TableState = {
			table: t,
			file: t.file,
			path,
			header: [],
			staged: false,
			rows: 0,
			blankLines: []
		};
		states.set(t.name, state);
		if (!existsSync(path)) {
			fileError(
				makeError('missing_file', t.file, null, null, null, {
					zh: `输入目录中的 ${t.file}（${t.zh}，可只有表头）`,
					en: `${t.file} (${t.en}) in the input directory (a header alone is fine)`
				})
			);
			continue;
		}
		// Only regular files are read: a directory, a device such as /dev/zero or a named pipe (which could
		// block or never end) is refused before it is opened.
		if (!statSync(path).isFile()) {
			fileError(
				makeError(
					'not_a_file',
					t.file,
					null,
					null,
					null,
					{ zh: `普通的 CSV 文件 ${t.file}`, en: `a regular CSV file ${t.file}` },
					{
						zh: '它是目录、设备或管道等，无法作为 CSV 读取',
						en: 'it is a directory, a device, a pipe or similar, which cannot be read as CSV'
					}
				)
			);
			continue;
		}
		const enc = await checkUtf8(path);
		if (!enc.ok) {
			// The decoded line is shown unless the header names a personal-data column (then only the header).
			const headerCols = (enc.header ?? '')
				.split(',')
				.map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
			const own = new Set(t.columns.map((c) => c.name));
			const shown =
				enc.line > 1 && headerCols.some((h) => personal.has(h) && !own.has(h)) ? enc.header : enc.text;
			fileError(
				makeError(
					'encoding',
					t.file,
					enc.line,
					null,
					shown,
					{ zh: 'UTF-8 编码（可带 BOM）', en: 'UTF-8 (a byte-order mark is fine)' },
					enc.stray === 'nul'
						? {
								zh: '该行含 NUL 字节（\\u0000），CSV 文本中不允许出现，文件可能是二进制或 UTF-16',
								en: 'the line holds a NUL byte (\\u0000), not allowed in CSV text; the file may be binary or UTF-16'
							}
						: enc.stray === 'bom'
							? {
									zh: '文件中间出现字节顺序标记（BOM，\\ufeff），通常是多个文件拼接所致，请删除',
									en: 'a byte-order mark (BOM, \\ufeff) inside the file, usually from joining files; remove it'
								}
							: enc.utf16
								? {
										zh: '文件是 UTF-16 编码（Excel“Unicode 文本”），请另存为 UTF-8',
										en: 'the file is UTF-16-encoded (Excel "Unicode text"), save it as UTF-8'
									}
								: enc.gbk
									? {
											zh: '文件是 GBK/GB18030 编码，请另存为 UTF-8（如 Excel“CSV UTF-8”）',
											en: 'the file is GBK/GB18030-encoded, save it as UTF-8 (e.g. Excel "CSV UTF-8")'
										}
									: { zh: '文件不是有效的 UTF-8 文本', en: 'the file is not valid UTF-8 text' }
				)
			);
			continue;
		}
		state.blankLines = enc.blankLines;
		const line = await readHeaderLine(path);
		const headerExpected = {
			zh: `表头行：${t.columns.map((c) => c.name).join(',')}`,
			en: `a header line: ${t.columns.map((c) => c.name).join(',')}`
		};
		if (typeof line === 'object' && line !== null) {
			fileError(
				makeError('bad_row', t.file, 1, null, null, headerExpected, {
					zh: `表头行超过 ${MAX_HEADER_BYTES} 字节或没有换行`,
					en: `the header line is longer than ${MAX_HEADER_BYTES} bytes or has no line break`
				})
			);
			continue;
		}
		if (line === null) {
			fileError(
				makeError('empty_file', t.file, 1, null, null, {
					zh: `表头行：${t.columns.map((c) => c.name).join(',')}`,
					en: `a header line: ${t.columns.map((c) => c.name).join(',')}`
				})
			);
			continue;
		}
		let header: string[];
		try {
			header = ((parseCsv(line, { relax_quotes: true }) as string[][])[0] ?? []).map((h) => h.trim());
		} catch (e) {
			fileError(
				makeError('bad_row', t.file, 1, null, line, headerExpected, {
					zh: `表头行无法解析（${cleanMessage((e as Error).message, 120)}）`,
					en: `the header line cannot be parsed (${cleanMessage((e as Error).message, 120)})`
				})
			);
			continue;
		}
		if (header.length > MAX_COLUMNS) {
			fileError(
				makeError('bad_row', t.file, 1, null, null, headerExpected, {
					zh: `表头有 ${header.length} 列，超过上限 ${MAX_COLUMNS}`,
					en: `the header has ${header.length} columns, more than the limit of ${MAX_COLUMNS}`
				})
			);
			continue;
		}
		state.header = header;
		const contract = new Set(t.columns.map((c) => c.name));
		let fatal = false;
		const seen = new Set<string>();
		header.forEach((h, i) => {
			if (h !== '') return;
			fatal = true;
			fileError(
				makeError(
					'extra_column',
					t.file,
					1,
					null,
					null,
					{
						zh: `仅以下列：${t.columns.map((c) => c.name).join(',')}`,
						en: `only these columns: ${t.columns.map((c) => c.name).join(',')}`
					},
					{
						zh: `第 ${i + 1} 列没有列名（如行尾多余的逗号）`,
						en: `column ${i + 1} has no name (e.g. a trailing comma)`
					}
				)
			);
		});
		for (const h of header) {
			if (h === '') continue;
			if (seen.has(h)) {
				fatal = true;
				fileError(
					makeError('duplicate_column', t.file, 1, h, h, {
						zh: '每个列名只出现一次',
						en: 'each column name once'
					})
				);
			}
			seen.add(h);
		}
		for (const c of t.columns) {
			if (!seen.has(c.name)) {
				fatal = true;
				fileError(
					makeError('missing_column', t.file, 1, c.name, null, {
						zh: `列 ${c.name}（${c.zh}）`,
						en: `column ${c.name} (${c.en})`
					})
				);
			}
		}
		for (const h of header) {
			if (contract.has(h) || h === '') continue;
			const p = personal.get(h.toLowerCase());
			if (p) {
				if (opts.dropPersonal) dropped.push({ file: t.file, column: h });
				else
					fileError(
						makeError(
							'personal_data',
							t.file,
							1,
							h,
							null,
							{
								zh: '不含个人信息的文件（或使用 --drop-personal 在读取时删除该列）',
								en: 'no personal data (or pass --drop-personal to drop the column on read)'
							},
							{ zh: `该列是${p.zh}`, en: `the column holds a ${p.en}` }
						)
					);
			} else
				fileError(
					makeError('extra_column', t.file, 1, h, null, {
						zh: `仅以下列：${t.columns.map((c) => c.name).join(',')}`,
						en: `only these columns: ${t.columns.map((c) => c.name).join(',')}`
					})
				);
		}
		if (fatal) continue;

		// Stage: one pass over the file; personal and unknown columns are parsed but never projected.
		const started = Date.now();
		const colSpec = `{${header.map((h) => `${sqlString(h)}: 'VARCHAR'`).join(', ')}}`;
		const rej = `_rej_${t.name}`;
		const inner = t.columns.map((c) => `NULLIF(trim(${ident(c.name)}), '') AS ${ident(c.name)}`).join(', ');
		const outer = t.columns
			.map(
				(c) =>
					`${ident(c.name)}${SQL_TYPE[c.type] === 'VARCHAR' ? '' : `, CAST(${parseExpr(c.type, ident(c.name))} AS ${SQL_TYPE[c.type]}) AS ${V(c.name)}`}`
			)
			.join(', ');
		const stage = (withRejects: boolean) =>
			conn.run(
				`CREATE OR REPLACE TABLE ${stg(t.name)} AS SELECT ${outer} FROM (
					SELECT ${inner}
					FROM read_csv(${sqlString(path)}, header = true, auto_detect = false, columns = ${colSpec},
						delim = ',', quote = '"', escape = '"', max_line_size = ${MAX_LINE_BYTES}${
							withRejects
								? `, store_rejects = true, rejects_table = '${rej}', rejects_scan = '${rej}_scan'`
								: ''
						}))`
			);
		// A strict read first (fast, and the only read of a valid file); only when it fails is the file read
		// again, collecting every malformed record. Lines with thousands of fields are found beforehand, as
		// collecting their errors would take DuckDB minutes.
		let rejects = 0;
		try {
			await stage(false);
		} catch {
			const wide = await oversizedLines(conn, path, limit);
			if (wide.count > 0) {
				for (const w of wide.lines)
					errors.push(
						makeError(
							'bad_row',
							t.file,
							physicalLine(w.line, state.blankLines),
							null,
							null,
							{
								zh: `${header.length} 个逗号分隔的字段`,
								en: `${header.length} comma-separated fields`
							},
							w.bytes > MAX_LINE_BYTES
								? {
										zh: `该行有 ${w.bytes} 字节，超过上限 ${MAX_LINE_BYTES}`,
										en: `the line has ${w.bytes} bytes, more than the limit of ${MAX_LINE_BYTES}`
									}
								: {
										zh: `该行有 ${w.fields} 个字段，超过上限 ${MAX_COLUMNS}`,
										en: `the line has ${w.fields} fields, more than the limit of ${MAX_COLUMNS}`
									}
						)
					);
				errorCounts.push({ file: t.file, column: null, code: 'bad_row', count: wide.count });
				continue;
			}
			try {
				await stage(true);
			} catch (e) {
				const cr = await findLoneCr(path);
				if (cr) {
					fileError(
						makeError(
							'bad_row',
							t.file,
							cr.line,
							null,
							header.some((h) => personal.has(h.toLowerCase())) ? null : cr.text,
							{ zh: '每行以同一种换行符结束', en: 'every line ending with the same line break' },
							{
								zh: '行内有单独的回车符（\\r），换行符混用，请统一换行符后另存',
								en: 'a lone carriage return (\\r) inside the line: mixed line endings, save the file with one kind of line break'
							}
						)
					);
					continue;
				}
				fileError(
					makeError(
						'bad_row',
						t.file,
						null,
						null,
						null,
						{ zh: '逗号分隔、双引号转义的 CSV', en: 'comma-separated CSV with double-quote escaping' },
						{ zh: cleanMessage((e as Error).message), en: cleanMessage((e as Error).message) }
					)
				);
				continue;
			}
			// DuckDB may record several errors for one record: one error per line is listed and counted.
			rejects = num((await rows(conn, `SELECT count(DISTINCT line)::INTEGER AS n FROM ${rej}`))[0].n);
			const showLine = !header.some((h) => personal.has(h.toLowerCase()));
			const rs = await rows(
				conn,
				`SELECT line::INTEGER AS line, first(column_name ORDER BY column_idx) AS column_name,
					first(csv_line) AS csv_line, first(error_message ORDER BY column_idx) AS error_message
				FROM ${rej} GROUP BY line ORDER BY line LIMIT ${limit}`
			);
			for (const r of rs)
				errors.push(
					makeError(
						'bad_row',
						t.file,
						num(r.line), // DuckDB's line numbers count the header
						str(r.column_name),
						showLine ? (str(r.csv_line)?.replace(/^[\r\n]+|[\r\n]+$/g, '') ?? null) : null,
						{
							zh: `${header.length} 个逗号分隔的字段，含逗号或引号的值用双引号括起`,
							en: `${header.length} comma-separated fields, values with commas or quotes in double quotes`
						},
						{ zh: cleanMessage(r.error_message), en: cleanMessage(r.error_message) }
					)
				);
			errorCounts.push({ file: t.file, column: null, code: 'bad_row', count: rejects });
		}
		await conn.run(`DROP TABLE IF EXISTS ${rej}`);
		await conn.run(`DROP TABLE IF EXISTS ${rej}_scan`);
		const [{ n }] = await rows(conn, `SELECT count(*)::INTEGER AS n FROM ${stg(t.name)}`);
		state.rows = num(n);
		state.staged = rejects === 0;
		const secs = (Date.now() - started) / 1000;
		progress(
			`${t.file}: ${state.rows} 行 rows (${secs.toFixed(1)} s, ${Math.round(state.rows / Math.max(secs, 0.001))} rows/s)`
		);
	}

	// Runs a counted check and lists its first offending rows.
	const blankLines = (file: string) => [...states.values()].find((s) => s.file === file)?.blankLines ?? [];
	const runCheck = async (file: string, check: RowCheck, from: string, count?: number) => {
		const n =
			count ??
			num((await rows(conn, `SELECT count(*)::INTEGER AS n FROM ${from} WHERE ${check.where}`))[0].n);
		if (n === 0) return;
		errorCounts.push({ file, column: check.column, code: check.code, count: n });
		const otherSql = check.other ? `, CAST(${check.other.sql} AS VARCHAR) AS __other` : '';
		const rs = await rows(
			conn,
			`SELECT __line, CAST(${ident(check.column)} AS VARCHAR) AS __value${otherSql} FROM ${from} WHERE ${check.where} ORDER BY __line LIMIT ${limit}`
		);
		for (const r of rs) {
			const value = str(r.__value);
			let detail: { zh: string; en: string } | undefined;
			if (check.other && r.__other !== null && r.__other !== undefined) {
				const o = check.other.isLine
					? String(physicalLine(num(r.__other), blankLines(file)))
					: String(r.__other);
				detail = { zh: `${check.other.zh}${o}${check.other.zhAfter ?? ''}`, en: `${check.other.en}${o}` };
			}
			if (check.code === 'bad_date' && value && new RegExp(AMBIGUOUS_DATE_RE).test(value))
				detail = {
					zh: '日和月的顺序无法确定，请用 年-月-日',
					en: 'day and month order is ambiguous, use year-month-day'
				};
			const line = physicalLine(num(r.__line), blankLines(file));
			errors.push(makeError(check.code, file, line, check.column, value, check.expected, detail));
		}
	};

	// 2. Row checks per table: all predicates counted in one pass.
	for (const state of states.values()) {
		if (!state.staged) continue;
		const started = Date.now();
		const t = state.table;
		const checks = columnChecks(t, opts.region);
		const counts = await rows(
			conn,
			`SELECT ${checks.map((c, i) => `count(*) FILTER (WHERE ${c.where})::INTEGER AS c${i}`).join(', ')} FROM ${stg(t.name)}`
		);
		for (let i = 0; i < checks.length; i++)
			await runCheck(state.file, checks[i], lined(t.name), num(counts[0][`c${i}`]));
		// Unique ids: every occurrence after the first is reported, with the line of the first.
		for (const c of t.columns.filter((x) => x.unique)) {
			const col = ident(c.name);
			const dupFrom = `(SELECT s.__line, s.${col}, d.__first FROM ${lined(t.name)} s JOIN (
					SELECT ${col}, min(__line) AS __first FROM ${lined(t.name)} WHERE ${col} IS NOT NULL GROUP BY ${col} HAVING count(*) > 1
				) d USING (${col}) WHERE s.__line > d.__first)`;
			await runCheck(
				state.file,
				{
					code: 'duplicate_id',
					column: c.name,
					where: 'true',
					expected: { zh: `唯一的${c.zh}`, en: `a unique ${c.en}` },
					other: {
						sql: '__first',
						zh: '首次出现于第 ',
						zhAfter: ' 行',
						en: 'first used on line ',
						isLine: true
					}
				},
				dupFrom
			);
		}
		if (state.rows > 100_000)
			progress(`${state.file}: 已检查 checked (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	}

	// 3. References between tables (only between tables that staged cleanly).
	for (const state of states.values()) {
		if (!state.staged) continue;
		for (const c of state.table.columns.filter((x) => x.references)) {
			const [pt, pc] = c.references!.split('.') as [InputTableName, string];
			const parent = states.get(pt);
			if (!parent?.staged) continue;
			const col = ident(c.name);
			await runCheck(
				state.file,
				{
					code: 'dangling_reference',
					column: c.name,
					where: `${col} IS NOT NULL AND ${col} NOT IN (SELECT ${ident(pc)} FROM ${stg(pt)} WHERE ${ident(pc)} IS NOT NULL)`,
					expected: { zh: `${parent.file} 中存在的 ${pc}`, en: `a ${pc} present in ${parent.file}` }
				},
				lined(state.table.name)
			);
		}
	}
	const part = states.get('participations');
	const act = states.get('activities');
	if (part?.staged && act?.staged) {
		await runCheck(
			part.file,
			{
				code: 'confirmed_before_activity',
				column: 'confirmed_at',
				where: `confirmed_at__v < start_at__v`,
				expected: {
					zh: '不早于活动开始时间（activities.csv 的 start_at）',
					en: 'not before the activity start (start_at in activities.csv)'
				},
				other: { sql: 'start_at', zh: '活动开始于 ', en: 'the activity starts ' }
			},
			`(SELECT p.__line, p.confirmed_at, p.confirmed_at__v, a.start_at, a.start_at__v FROM ${lined('participations')} p
				JOIN ${stg('activities')} a ON a.activity_id = p.activity_id WHERE p.confirmed_at__v IS NOT NULL)`
		);
	}

	const rowCounts = Object.fromEntries(
		INPUT_TABLES.map((t) => [t.name, states.get(t.name)?.rows ?? 0])
	) as Record<InputTableName, number>;
	errors.sort((a, b) => fileOrder(a.file) - fileOrder(b.file) || (a.row ?? 0) - (b.row ?? 0));
	const ok = errors.length === 0;

	// 4. Typed tables, only when everything is valid.
	const tTyped = Date.now();
	// The staging table becomes the typed table: raw text columns are dropped and each parsed column, which
	// sits right after its raw column, takes its name (no copy; contract column order is kept).
	if (ok) {
		for (const t of INPUT_TABLES) {
			const table = stg(t.name);
			for (const c of t.columns.filter((x) => SQL_TYPE[x.type] !== 'VARCHAR')) {
				await conn.run(`ALTER TABLE ${table} DROP COLUMN ${ident(c.name)}`);
				await conn.run(`ALTER TABLE ${table} RENAME COLUMN ${V(c.name)} TO ${ident(c.name)}`);
			}
			await conn.run(`ALTER TABLE ${table} RENAME TO ${srcTable(t.name)}`);
		}
	}
	for (const t of INPUT_TABLES) await conn.run(`DROP TABLE IF EXISTS ${stg(t.name)}`);
	if (ok) progress(`src_* 类型化表 typed tables (${((Date.now() - tTyped) / 1000).toFixed(1)} s)`);
	const tReport = Date.now();

	const base = {
		region: opts.region,
		tables: INPUT_TABLES.map((t) => ({
			table: t.name,
			file: t.file,
			zh: t.zh,
			en: t.en,
			rows: rowCounts[t.name]
		})),
		droppedColumns: dropped,
		errorCounts
	};
	const report = ok ? await buildReport(conn, base) : emptyReport(base);
	for (const level of ['district', 'street', 'community'] as const)
		await conn.run(`DROP TABLE IF EXISTS ${refTable(level)}`);
	if (ok) progress(`校验报告 validation report (${((Date.now() - tReport) / 1000).toFixed(1)} s)`);
	progress(
		`导入 import ${ok ? '成功 ok' : `失败 failed (${errorCounts.reduce((a, c) => a + c.count, 0)})`} ${((Date.now() - t0) / 1000).toFixed(1)} s`
	);
	return { ok, errors, errorCounts, report, rowCounts, droppedColumns: dropped };
}

/** Longest record DuckDB reads (bytes): a longer line is a malformed record, reported with its line. */
export const MAX_LINE_BYTES = 2_000_000;

/**
 * Lines of `path` with more than `MAX_COLUMNS` fields (commas + 1, quotes not considered) or more than
 * `MAX_LINE_BYTES` bytes: their count and the first `limit`. Such lines are reported alone, without the
 * per-field errors DuckDB would collect for them (which take minutes for a line of a million fields).
 */
async function oversizedLines(
	conn: DuckDBConnection,
	path: string,
	limit: number
): Promise<{ count: number; lines: { line: number; fields: number; bytes: number }[] }> {
	try {
		const rs = await rows(
			conn,
			`SELECT line, fields, bytes, count(*) OVER ()::INTEGER AS n FROM (
				SELECT CAST(row_number() OVER () AS INTEGER) AS line, CAST(strlen(l) AS INTEGER) AS bytes,
					CAST(strlen(l) - strlen(replace(l, ',', '')) + 1 AS INTEGER) AS fields
				FROM read_csv(${sqlString(path)}, header = false, auto_detect = false, columns = {'l': 'VARCHAR'},
					delim = '\x01\x02', quote = '', escape = '', max_line_size = ${1 << 28}, ignore_errors = true))
			WHERE fields > ${MAX_COLUMNS} OR bytes > ${MAX_LINE_BYTES} ORDER BY line LIMIT ${limit}`
		);
		return {
			count: num(rs[0]?.n),
			lines: rs.map((r) => ({ line: num(r.line), fields: num(r.fields), bytes: num(r.bytes) }))
		};
	} catch {
		return { count: 0, lines: [] };
	}
}

/** Most columns a header may have (the widest contract table has a few dozen). */
export const MAX_COLUMNS = 1000;

const fileOrder = (file: string): number => INPUT_TABLES.findIndex((t) => t.file === file);
