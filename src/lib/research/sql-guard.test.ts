import { describe, expect, it } from 'vitest';
import { errorPosition, guardSql, lineCol, tokenize } from './sql-guard';
import { regionConfig } from '$lib/config';
import { INDICATORS } from '$lib/indicators/registry';
import { indicatorSql } from '$lib/indicators/sql';

const refused = (sql: string) => {
	const r = guardSql(sql);
	expect(r.ok, sql).toBe(false);
	if (r.ok) throw new Error('accepted');
	return r;
};
const accepted = (sql: string) => {
	const r = guardSql(sql);
	if (!r.ok) throw new Error(`refused ${sql}: ${r.code} ${r.word}`);
	return r.statements;
};

describe('guardSql refuses', () => {
	it('file-reading table functions, however written', () => {
		expect(refused("SELECT * FROM read_csv('/etc/passwd')").code).toMatch(/function|file_literal/);
		const r = refused("select * from READ_CSV_AUTO ('data.txt')");
		expect(r.code).toBe('function');
		expect(r.word).toBe('read_csv_auto');
		expect(refused('SELECT * FROM "read_parquet"(\'x\')').code).toBe('function');
		expect(refused("SELECT * FROM main.read_json/* c */('x')").code).toBe('function');
		expect(refused("SELECT * FROM glob('*')").code).toBe('function');
		expect(refused("SELECT content FROM read_text('x')").code).toBe('function');
		expect(refused("SELECT content FROM read_blob('x')").code).toBe('function');
		expect(refused("SELECT * FROM parquet_scan('x')").code).toBe('function');
		expect(refused("SELECT * FROM query('SELECT 1')").code).toBe('function');
		expect(refused("SELECT getenv('HOME')").code).toBe('function');
		expect(refused("SELECT * FROM hours WHERE activity_id IN (SELECT * FROM read_csv('a'))").code).toBe(
			'function'
		);
	});

	it('string literals that name files or URLs', () => {
		const r = refused("SELECT * FROM 'http://x/y.parquet'");
		expect(r.code).toBe('file_literal');
		expect(r.offset).toBe(14);
		expect(refused("FROM 'hours'").code).toBe('file_literal');
		expect(refused("SELECT * FROM hours, 'other'").code).toBe('file_literal');
		expect(refused("SELECT * FROM hours h JOIN 'x' USING (volunteer_id)").code).toBe('file_literal');
		expect(refused("SELECT * FROM (FROM 'a')").code).toBe('file_literal');
		expect(refused("SELECT 's3://bucket/key'").code).toBe('file_literal');
		expect(refused("SELECT '/etc/passwd'").code).toBe('file_literal');
		expect(refused("SELECT 'data.csv'").code).toBe('file_literal');
	});

	it('statements other than queries', () => {
		expect(refused("COPY hours TO 'x.csv'").code).toBe('keyword');
		expect(refused("COPY (SELECT 1) TO 'x'").word).toBe('copy');
		expect(refused("EXPORT DATABASE 'dir'").code).toBe('keyword');
		expect(refused("ATTACH 'x.db' AS x").code).toBe('keyword');
		expect(refused('DETACH x').code).toBe('keyword');
		expect(refused('INSTALL httpfs').code).toBe('keyword');
		expect(refused('LOAD httpfs').code).toBe('keyword');
		expect(refused('FORCE INSTALL httpfs').code).toMatch(/statement|keyword/);
		expect(refused('PRAGMA enable_profiling').code).toBe('keyword');
		expect(refused('SET enable_external_access = true').code).toBe('keyword');
		expect(refused('RESET enable_external_access').code).toBe('keyword');
		expect(refused('CALL pragma_version()').code).toBe('keyword');
		expect(refused("CREATE SECRET s (TYPE s3, KEY_ID 'k')").code).toBe('write_outside_scratch');
		expect(refused('DELETE FROM hours').code).toBe('keyword');
		expect(refused('UPDATE hours SET hours = 0').code).toBe('keyword');
		expect(refused('INSERT INTO hours SELECT * FROM hours').code).toBe('keyword');
		expect(refused('DROP TABLE hours').code).toBe('write_outside_scratch');
		expect(refused('USE other').code).toBe('statement');
		expect(refused("EXPLAIN COPY hours TO 'x'").code).toBe('keyword');
	});

	it('writes outside the scratch schema', () => {
		expect(refused('CREATE TABLE t AS SELECT 1').code).toBe('write_outside_scratch');
		expect(refused('CREATE TABLE main.t AS SELECT 1').code).toBe('write_outside_scratch');
		expect(refused('CREATE TABLE scratch.t (x INTEGER)').code).toBe('write_outside_scratch');
		expect(refused('CREATE MACRO m(x) AS x').code).toBe('write_outside_scratch');
		expect(refused("CREATE TABLE scratch.t AS SELECT * FROM read_csv('x')").code).toBe('function');
		expect(refused("CREATE VIEW scratch.v AS COPY hours TO 'x'").code).toMatch(/statement|keyword/);
		expect(refused('SELECT 1; CREATE TABLE x AS SELECT 1').code).toBe('write_outside_scratch');
	});

	it('smuggling through several statements, comments and quoting', () => {
		const r = refused("SELECT 1; COPY hours TO 'x.csv'");
		expect(r.code).toBe('keyword');
		expect(r.offset).toBe(10);
		expect(refused('SELECT 1 -- comment ; \n; INSTALL httpfs').code).toBe('keyword');
		expect(refused('SELECT 1 /* ; */ ; /* nested /* */ */ LOAD httpfs').code).toBe('keyword');
		expect(refused("SELECT 1; SELECT * FROM 'x'").code).toBe('file_literal');
		// A backslash does not escape a quote in a standard string: the ATTACH is a statement of its own.
		expect(refused("SELECT '\\'; ATTACH 'x'").code).toBe('keyword');
		// In an E'' string it does: the whole text is one literal.
		expect(accepted("SELECT E'\\'; ATTACH \\'y\\''").length).toBe(1);
		expect(refused("SELECT 'unterminated").code).toBe('unterminated');
		expect(refused('SELECT 1 /* open').code).toBe('unterminated');
		expect(refused('').code).toBe('empty');
		expect(refused(' ; -- nothing').code).toBe('empty');
	});
});

describe('guardSql accepts', () => {
	it('ordinary queries', () => {
		for (const sql of [
			'SELECT * FROM hours',
			"SELECT district_code, SUM(hours) AS h FROM hours JOIN activities USING (activity_id) WHERE category = 'health' GROUP BY 1 ORDER BY 2 DESC LIMIT 10",
			'WITH a AS (SELECT * FROM activities) SELECT count(*) FROM a',
			'FROM volunteers SELECT age_band, count(*) GROUP BY ALL',
			'  (SELECT 1) UNION ALL (SELECT 2);  ',
			"SELECT 'read_csv(''/etc/passwd'')' AS harmless_text",
			'SELECT "copy" FROM (SELECT 1 AS "copy")',
			'DESCRIBE hours',
			'SUMMARIZE activities',
			'SHOW TABLES',
			"SELECT * FROM (VALUES ('a', 1), ('b', 2)) v(x, y)",
			"SELECT * FROM hours WHERE volunteer_id IN ('a', 'b')",
			'SELECT * FROM range(10) r, unnest([1, 2]) u',
			"SELECT strftime(start_at, '%Y-%m') FROM activities",
			'EXPLAIN SELECT 1',
			"SELECT $$it's$$"
		])
			expect(accepted(sql).length).toBe(1);
	});

	it('the SQL of every indicator (the methodology page links it to the console)', () => {
		for (const d of INDICATORS) {
			const sql = indicatorSql(d.id, { region: regionConfig(), level: 'district', years: [2025] });
			expect(
				accepted(sql).map((s) => s.kind),
				d.id
			).toEqual(['read']);
		}
	});

	it('writes into the scratch schema, and several statements', () => {
		const s = accepted(
			'CREATE TABLE scratch.t AS SELECT * FROM hours;\nCREATE OR REPLACE VIEW scratch."v" AS (SELECT 1);\nSELECT * FROM scratch.t;\nDROP TABLE IF EXISTS scratch.t'
		);
		expect(s.map((x) => x.kind)).toEqual(['scratch', 'scratch', 'read', 'scratch']);
		expect(s[2].sql).toBe('SELECT * FROM scratch.t');
		expect(s[1].offset).toBe('CREATE TABLE scratch.t AS SELECT * FROM hours;\n'.length);
	});
});

describe('helpers', () => {
	it('tokenize keeps offsets and drops comments', () => {
		const t = tokenize('SELECT /* x */ \'a\'\'b\', "Q""x" -- c\nFROM t');
		expect(t.map((x) => [x.kind, x.value])).toEqual([
			['word', 'select'],
			['string', "a'b"],
			['op', ','],
			['quoted', 'Q"x'],
			['word', 'from'],
			['word', 't']
		]);
		expect(t[1].start).toBe(15);
	});

	it('lineCol and DuckDB error positions', () => {
		expect(lineCol('a\nbc\nd', 3)).toEqual({ line: 2, col: 2 });
		const msg =
			'Parser Error: syntax error at or near "FRO"\n\nLINE 1: SELECT * FRO hours\n                 ^';
		expect(errorPosition(msg)).toEqual({ line: 1, col: 10 });
		expect(errorPosition('Catalog Error: Table with name x does not exist!')).toBeNull();
	});
});
