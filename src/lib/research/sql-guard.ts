/**
 * The SQL console's gatekeeper (pure, no DuckDB): only read-only queries over the release's tables pass.
 * Refused: file/network table functions (read_csv, read_parquet, glob, …), string literals that name files or
 * URLs, statements other than queries (COPY, EXPORT, ATTACH, INSTALL, LOAD, PRAGMA, SET, CALL, secrets, …),
 * and writes except `CREATE [OR REPLACE] TABLE|VIEW scratch.<name> AS <query>` and `DROP TABLE|VIEW scratch.<name>`.
 * The engine is also locked (external access and extension autoloading off): this is the first of two walls.
 */

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'op' | 'param';

export interface Token {
	kind: TokenKind;
	/** Word: lower-cased text; quoted: the identifier; string: the literal's value; else the raw text. */
	value: string;
	/** Offset of the first character in the SQL text. */
	start: number;
	end: number;
}

export type RefusalCode =
	'empty' | 'unterminated' | 'statement' | 'keyword' | 'function' | 'file_literal' | 'write_outside_scratch';

export interface Refusal {
	ok: false;
	code: RefusalCode;
	/** The offending word, function or literal. */
	word: string;
	/** Character offset in the submitted SQL. */
	offset: number;
}

export interface GuardedStatement {
	/** Statement text without the trailing semicolon. */
	sql: string;
	/** Offset of the statement in the submitted SQL. */
	offset: number;
	kind: 'read' | 'scratch';
}

export type GuardResult = { ok: true; statements: GuardedStatement[] } | Refusal;

/** Statements may start with these words (reading only). */
const READ_STARTS = new Set([
	'select',
	'with',
	'from',
	'values',
	'table',
	'describe',
	'show',
	'summarize',
	'explain',
	'pivot',
	'unpivot'
]);

/** Words that never appear in a read-only query: a bare occurrence anywhere refuses the statement. */
const FORBIDDEN_WORDS = new Set([
	'copy',
	'export',
	'import',
	'attach',
	'detach',
	'install',
	'load',
	'pragma',
	'set',
	'reset',
	'call',
	'secret',
	'checkpoint',
	'vacuum',
	'insert',
	'update',
	'delete',
	'alter',
	'truncate'
]);

/** Table/scalar functions that reach files, the network, the environment or run SQL from a string. */
const FORBIDDEN_FUNCTIONS = new Set([
	'glob',
	'query',
	'query_table',
	'getenv',
	'sniff_csv',
	'json_execute_serialized_sql',
	'from_substrait',
	'from_substrait_json',
	'get_substrait',
	'load',
	'install',
	'checkpoint',
	'force_checkpoint',
	'duckdb_secrets',
	'which_secret',
	'st_read',
	'st_read_meta',
	'st_drivers',
	'sql_auto_complete'
]);
const FORBIDDEN_FUNCTION_PATTERNS = [
	/^read_/,
	/_scan$/,
	/^parquet_/,
	/^iceberg_/,
	/^delta_/,
	/^sqlite_/,
	/^postgres_/,
	/^mysql_/,
	/^ducklake_/,
	/^http/,
	/^pragma_/,
	/^write_/
];

/** A literal that names a file or a URL. */
const LOCATION_LITERAL = [
	/^[a-z][a-z0-9+.-]*:\/\//i,
	/^(s3|gs|gcs|r2|az|azure|hf|abfss?):/i,
	/^(\/|~|\.\.?[/\\]|[a-z]:[/\\]|\\\\)/i,
	/\.(csv|tsv|parquet|json|jsonl|ndjson|txt|arrow|ipc|feather|db|duckdb|sqlite|xlsx?|gz|zst|bz2|xz|avro)(\?.*)?$/i
];

export const isFunctionForbidden = (name: string): boolean => {
	const n = name.toLowerCase();
	return FORBIDDEN_FUNCTIONS.has(n) || FORBIDDEN_FUNCTION_PATTERNS.some((p) => p.test(n));
};

export const looksLikeLocation = (s: string): boolean => LOCATION_LITERAL.some((p) => p.test(s.trim()));

class Unterminated extends Error {
	constructor(readonly offset: number) {
		super('unterminated');
	}
}

/** Split SQL into tokens (comments and whitespace dropped). Throws `Unterminated` for open quotes/comments. */
export function tokenize(sql: string): Token[] {
	const out: Token[] = [];
	let i = 0;
	const n = sql.length;
	while (i < n) {
		const c = sql[i];
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		if (c === '-' && sql[i + 1] === '-') {
			const e = sql.indexOf('\n', i);
			i = e < 0 ? n : e + 1;
			continue;
		}
		if (c === '/' && sql[i + 1] === '*') {
			// DuckDB block comments nest.
			let depth = 1;
			let j = i + 2;
			while (j < n && depth > 0) {
				if (sql[j] === '/' && sql[j + 1] === '*') {
					depth++;
					j += 2;
				} else if (sql[j] === '*' && sql[j + 1] === '/') {
					depth--;
					j += 2;
				} else j++;
			}
			if (depth > 0) throw new Unterminated(i);
			i = j;
			continue;
		}
		const start = i;
		// E'…' strings take backslash escapes.
		if ((c === 'e' || c === 'E') && sql[i + 1] === "'") {
			let j = i + 2;
			let v = '';
			for (;;) {
				if (j >= n) throw new Unterminated(start);
				const d = sql[j];
				if (d === '\\' && j + 1 < n) {
					v += sql[j + 1];
					j += 2;
				} else if (d === "'" && sql[j + 1] === "'") {
					v += "'";
					j += 2;
				} else if (d === "'") {
					j++;
					break;
				} else {
					v += d;
					j++;
				}
			}
			out.push({ kind: 'string', value: v, start, end: j });
			i = j;
			continue;
		}
		if (c === "'" || c === '"') {
			let j = i + 1;
			let v = '';
			for (;;) {
				if (j >= n) throw new Unterminated(start);
				if (sql[j] === c && sql[j + 1] === c) {
					v += c;
					j += 2;
				} else if (sql[j] === c) {
					j++;
					break;
				} else v += sql[j++];
			}
			out.push({ kind: c === "'" ? 'string' : 'quoted', value: v, start, end: j });
			i = j;
			continue;
		}
		if (c === '$') {
			const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
			if (m) {
				const tag = m[0];
				const close = sql.indexOf(tag, i + tag.length);
				if (close < 0) throw new Unterminated(start);
				out.push({ kind: 'string', value: sql.slice(i + tag.length, close), start, end: close + tag.length });
				i = close + tag.length;
				continue;
			}
			const p = /^\$[0-9]+/.exec(sql.slice(i));
			if (p) {
				out.push({ kind: 'param', value: p[0], start, end: i + p[0].length });
				i += p[0].length;
				continue;
			}
		}
		if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
			let j = i + 1;
			while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j])) j++;
			out.push({ kind: 'word', value: sql.slice(i, j).toLowerCase(), start, end: j });
			i = j;
			continue;
		}
		if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
			let j = i + 1;
			while (j < n && /[0-9._eE]/.test(sql[j])) j++;
			out.push({ kind: 'number', value: sql.slice(i, j), start, end: j });
			i = j;
			continue;
		}
		const two = sql.slice(i, i + 2);
		const op = ['::', '<=', '>=', '<>', '!=', '||', '->', '=>', '**', '//', '<<', '>>'].includes(two)
			? two
			: c;
		out.push({ kind: 'op', value: op, start, end: i + op.length });
		i += op.length;
	}
	return out;
}

const refuse = (code: RefusalCode, word: string, offset: number): Refusal => ({
	ok: false,
	code,
	word,
	offset
});

/** Words that end a FROM list (at the FROM's own parenthesis depth). */
const FROM_LIST_END = new Set([
	'where',
	'group',
	'order',
	'having',
	'limit',
	'offset',
	'qualify',
	'window',
	'union',
	'except',
	'intersect',
	'select',
	'on',
	'using',
	'returning'
]);

/** Checks that apply to every token of a (read-only part of a) statement. */
function checkTokens(tokens: Token[]): Refusal | null {
	let depth = 0;
	/** Depths at which a FROM/JOIN list is open. */
	const fromDepths: number[] = [];
	for (let k = 0; k < tokens.length; k++) {
		const t = tokens[k];
		const prev = tokens[k - 1];
		const next = tokens[k + 1];
		if (t.kind === 'op') {
			if (t.value === '(') depth++;
			else if (t.value === ')') {
				while (fromDepths.length && fromDepths[fromDepths.length - 1] >= depth) fromDepths.pop();
				depth--;
			}
			continue;
		}
		if (t.kind === 'word') {
			if (FORBIDDEN_WORDS.has(t.value) && !(prev?.kind === 'op' && prev.value === '.'))
				return refuse('keyword', t.value, t.start);
			if (t.value === 'create' || t.value === 'drop')
				return refuse('write_outside_scratch', t.value, t.start);
			if (t.value === 'from' || t.value === 'join') {
				if (fromDepths[fromDepths.length - 1] !== depth) fromDepths.push(depth);
			} else if (FROM_LIST_END.has(t.value) && fromDepths[fromDepths.length - 1] === depth) fromDepths.pop();
		}
		if (
			(t.kind === 'word' || t.kind === 'quoted') &&
			next?.kind === 'op' &&
			next.value === '(' &&
			isFunctionForbidden(t.value)
		)
			return refuse('function', t.value, t.start);
		if (t.kind === 'string') {
			if (looksLikeLocation(t.value)) return refuse('file_literal', t.value, t.start);
			const inFromList = fromDepths[fromDepths.length - 1] === depth;
			const afterListStart =
				prev &&
				((prev.kind === 'word' && (prev.value === 'from' || prev.value === 'join')) ||
					(prev.kind === 'op' && prev.value === ','));
			if (inFromList && afterListStart) return refuse('file_literal', t.value, t.start);
		}
	}
	return null;
}

const isWord = (t: Token | undefined, ...words: string[]) => t?.kind === 'word' && words.includes(t.value);
const isOp = (t: Token | undefined, op: string) => t?.kind === 'op' && t.value === op;
const isName = (t: Token | undefined) => t?.kind === 'word' || t?.kind === 'quoted';

/** Check one statement's tokens. */
function checkStatement(tokens: Token[]): { kind: 'read' | 'scratch' } | Refusal {
	let k = 0;
	while (isOp(tokens[k], '(')) k++;
	const first = tokens[k];
	if (first.kind !== 'word') return refuse('statement', first.value, first.start);
	if (READ_STARTS.has(first.value)) {
		const r = checkTokens(tokens);
		return r ?? { kind: 'read' };
	}
	if (first.value === 'create' || first.value === 'drop') {
		// CREATE [OR REPLACE] [TEMP|TEMPORARY] TABLE|VIEW [IF NOT EXISTS] scratch.<name> [(cols)] AS <query>
		// DROP TABLE|VIEW [IF EXISTS] scratch.<name>
		let j = k + 1;
		if (first.value === 'create' && isWord(tokens[j], 'or') && isWord(tokens[j + 1], 'replace')) j += 2;
		if (!isWord(tokens[j], 'table', 'view')) return refuse('write_outside_scratch', first.value, first.start);
		j++;
		if (isWord(tokens[j], 'if')) {
			const ok =
				first.value === 'create'
					? isWord(tokens[j + 1], 'not') && isWord(tokens[j + 2], 'exists')
					: isWord(tokens[j + 1], 'exists');
			if (!ok) return refuse('write_outside_scratch', first.value, first.start);
			j += first.value === 'create' ? 3 : 2;
		}
		const schema = tokens[j];
		if (!(
			isName(schema) &&
			schema.value.toLowerCase() === 'scratch' &&
			isOp(tokens[j + 1], '.') &&
			isName(tokens[j + 2])
		))
			return refuse('write_outside_scratch', first.value, first.start);
		j += 3;
		if (first.value === 'drop') {
			if (isWord(tokens[j], 'cascade', 'restrict')) j++;
			return j === tokens.length
				? { kind: 'scratch' }
				: refuse('write_outside_scratch', first.value, first.start);
		}
		if (isOp(tokens[j], '(')) {
			let d = 0;
			for (; j < tokens.length; j++) {
				if (isOp(tokens[j], '(')) d++;
				else if (isOp(tokens[j], ')') && --d === 0) break;
			}
			j++;
		}
		if (!isWord(tokens[j], 'as')) return refuse('write_outside_scratch', first.value, first.start);
		const body = tokens.slice(j + 1);
		let b = 0;
		while (isOp(body[b], '(')) b++;
		if (
			!body[b] ||
			!(body[b].kind === 'word' && READ_STARTS.has(body[b].value) && body[b].value !== 'describe')
		)
			return refuse('statement', body[b]?.value ?? first.value, body[b]?.start ?? first.start);
		const r = checkTokens(body);
		return r ?? { kind: 'scratch' };
	}
	return refuse(FORBIDDEN_WORDS.has(first.value) ? 'keyword' : 'statement', first.value, first.start);
}

/** Decide whether the console may run `sql`. Several statements are allowed if every one of them passes. */
export function guardSql(sql: string): GuardResult {
	let tokens: Token[];
	try {
		tokens = tokenize(sql);
	} catch (e) {
		if (e instanceof Unterminated)
			return refuse('unterminated', sql.slice(e.offset, e.offset + 20), e.offset);
		throw e;
	}
	const groups: Token[][] = [[]];
	for (const t of tokens) {
		if (t.kind === 'op' && t.value === ';') groups.push([]);
		else groups[groups.length - 1].push(t);
	}
	const statements: GuardedStatement[] = [];
	for (const g of groups) {
		if (!g.length) continue;
		const r = checkStatement(g);
		if ('ok' in r) return r;
		const start = g[0].start;
		statements.push({ sql: sql.slice(start, g[g.length - 1].end), offset: start, kind: r.kind });
	}
	if (!statements.length) return refuse('empty', '', 0);
	return { ok: true, statements };
}

/** Line (1-based) and column (1-based) of an offset. */
export function lineCol(sql: string, offset: number): { line: number; col: number } {
	const before = sql.slice(0, offset);
	const line = before.split('\n').length;
	return { line, col: offset - before.lastIndexOf('\n') };
}

/**
 * Position of a DuckDB error: messages end with "LINE n:" and a caret under the column. Returns the
 * 1-based line/column in the statement, or null.
 */
export function errorPosition(message: string): { line: number; col: number } | null {
	const m = /LINE (\d+):( ?)(.*)\n( *)\^/.exec(message);
	if (!m) return null;
	const prefix = `LINE ${m[1]}:${m[2]}`;
	return { line: Number(m[1]), col: Math.max(1, m[4].length - prefix.length + 1) };
}
