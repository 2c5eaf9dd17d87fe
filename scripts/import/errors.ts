/**
 * Import errors: one record per offending value, with the file, the line an operator can open in an
 * editor (header = line 1, first data record = line 2; a record is counted as one line, so the number
 * equals the physical line unless an earlier quoted field contains a line break), the column, the value
 * and what was expected, in Chinese and English.
 */

export type ImportErrorCode =
	| 'missing_file'
	| 'not_a_file'
	| 'empty_file'
	| 'missing_column'
	| 'extra_column'
	| 'duplicate_column'
	| 'personal_data'
	| 'encoding'
	| 'bad_row'
	| 'required'
	| 'bad_number'
	| 'bad_boolean'
	| 'bad_date'
	| 'impossible_date'
	| 'hours_range'
	| 'out_of_range'
	| 'unknown_code'
	| 'unknown_place'
	| 'place_mismatch'
	| 'duplicate_id'
	| 'dangling_reference'
	| 'end_before_start'
	| 'confirmed_before_activity';

export interface ImportError {
	/** File name relative to the input directory, e.g. `participations.csv`. */
	file: string;
	/** Line in the file (header = 1, first data record = 2); null for file-level errors. */
	row: number | null;
	column: string | null;
	/** The offending value as read (trimmed, at most 80 characters); null when there is none. */
	value: string | null;
	/** What was expected (English). */
	expected: string;
	/** What was expected (Chinese). */
	expected_zh: string;
	message_zh: string;
	message_en: string;
	code: ImportErrorCode;
}

/** How many offending values one check found in total (the error list keeps only the first ones). */
export interface ErrorCount {
	file: string;
	column: string | null;
	code: ImportErrorCode;
	count: number;
}

/** Short zh/en names of the codes, for summaries. */
export const ERROR_CODE_LABELS: Record<ImportErrorCode, { zh: string; en: string }> = {
	missing_file: { zh: '缺少文件', en: 'missing file' },
	not_a_file: { zh: '不是普通文件', en: 'not a regular file' },
	empty_file: { zh: '空文件（无表头）', en: 'empty file (no header)' },
	missing_column: { zh: '缺少列', en: 'missing column' },
	extra_column: { zh: '多余的列', en: 'unexpected column' },
	duplicate_column: { zh: '列名重复', en: 'duplicate column' },
	personal_data: { zh: '含个人信息列', en: 'personal-data column' },
	encoding: { zh: '文件编码错误', en: 'wrong file encoding' },
	bad_row: { zh: 'CSV 行格式错误', en: 'malformed CSV record' },
	required: { zh: '必填值为空', en: 'required value missing' },
	bad_number: { zh: '不是有效数字', en: 'not a number' },
	bad_boolean: { zh: '不是有效的是/否值', en: 'not a yes/no value' },
	bad_date: { zh: '日期格式无法识别', en: 'unrecognised date' },
	impossible_date: { zh: '日期不存在', en: 'impossible date' },
	hours_range: { zh: '服务时数超出范围', en: 'hours out of range' },
	out_of_range: { zh: '数值超出范围', en: 'number out of range' },
	unknown_code: { zh: '未知代码', en: 'unknown code' },
	unknown_place: { zh: '区划代码不在参考表中', en: 'place code not in the reference' },
	place_mismatch: { zh: '村（居）不属于所填街（镇）', en: 'community not in the given street' },
	duplicate_id: { zh: '编号重复', en: 'duplicate id' },
	dangling_reference: { zh: '引用的编号不存在', en: 'reference to a missing id' },
	end_before_start: { zh: '结束早于开始', en: 'end before start' },
	confirmed_before_activity: { zh: '确认早于活动开始', en: 'confirmed before the activity started' }
};

const MAX_VALUE = 80;

/** Control characters (other than tab), non-characters and lone surrogates, shown escaped as `\u0000`. */
const INVISIBLE =
	// eslint-disable-next-line no-control-regex
	/[\u0000-\u0008\u000a-\u001f\u007f\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Makes a value printable: invisible characters are escaped (`\u0000`, `\ufeff`), so they can be seen. */
export function visible(v: string): string {
	return v.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function clipValue(v: string | null | undefined): string | null {
	if (v === null || v === undefined) return null;
	const s = visible(v.length > MAX_VALUE * 2 ? v.slice(0, MAX_VALUE * 2) : v);
	return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…` : s;
}

/** A message from a library (e.g. DuckDB) made fit for an operator: its first line, printable, clipped. */
export function cleanMessage(m: unknown, max = 200): string {
	const first = visible(
		String(m ?? '')
			.split(/\r?\n/)[0]
			.trim()
	);
	return first.length > max ? `${first.slice(0, max)}…` : first;
}

export function makeError(
	code: ImportErrorCode,
	file: string,
	row: number | null,
	column: string | null,
	value: string | null,
	expected: { zh: string; en: string },
	detail?: { zh: string; en: string }
): ImportError {
	const label = ERROR_CODE_LABELS[code];
	const v = clipValue(value);
	const col = clipValue(column); // a header cell of a damaged file can hold anything
	const where = (lang: 'zh' | 'en') => {
		const parts: string[] = [file + (row !== null ? `:${row}` : '')];
		if (col) parts.push(lang === 'zh' ? `列 ${col}` : `column ${col}`);
		if (v !== null) parts.push(`"${v}"`);
		return parts.join(' ');
	};
	const zh = `${where('zh')}：${label.zh}${detail ? `，${detail.zh}` : ''}；应为：${expected.zh}`;
	const en = `${where('en')}: ${label.en}${detail ? `, ${detail.en}` : ''}; expected: ${expected.en}`;
	return {
		file,
		row,
		column: col,
		value: v,
		expected: expected.en,
		expected_zh: expected.zh,
		message_zh: zh,
		message_en: en,
		code
	};
}

/**
 * One line per error (`file:line column "value": what is wrong; expected …`), at most `max` lines
 * (default 200), followed by the totals per error code when `counts` are given or lines were left out.
 */
export function formatErrors(
	errors: readonly ImportError[],
	lang: 'zh' | 'en' = 'zh',
	opts: { max?: number; counts?: readonly ErrorCount[] } = {}
): string {
	const max = opts.max ?? 200;
	const lines = errors.slice(0, max).map((e) => (lang === 'zh' ? e.message_zh : e.message_en));
	const totals = new Map<ImportErrorCode, number>();
	if (opts.counts && opts.counts.length > 0) {
		for (const c of opts.counts) totals.set(c.code, (totals.get(c.code) ?? 0) + c.count);
	} else {
		for (const e of errors) totals.set(e.code, (totals.get(e.code) ?? 0) + 1);
	}
	const total = [...totals.values()].reduce((a, b) => a + b, 0);
	const shown = lines.length;
	if (total > shown || errors.length > shown) {
		lines.push(
			lang === 'zh'
				? `…… 另有 ${Math.max(total, errors.length) - shown} 处错误未列出`
				: `… and ${Math.max(total, errors.length) - shown} more errors not listed`
		);
	}
	if (totals.size > 0) {
		lines.push(lang === 'zh' ? `错误合计 ${total} 处：` : `${total} errors in total:`);
		for (const [code, n] of [...totals.entries()].sort((a, b) => b[1] - a[1])) {
			const l = ERROR_CODE_LABELS[code];
			lines.push(`  ${code} (${lang === 'zh' ? l.zh : l.en}): ${n}`);
		}
	}
	return lines.join('\n');
}
