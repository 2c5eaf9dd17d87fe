/**
 * Fuzzed bad inputs: seeded mutants of the small valid export (see fuzz.ts). For every mutant the import
 * must finish within a time bound without throwing, and end either with a valid import of plausible size or
 * with clear errors (file, line, message in Chinese and English, nothing like a stack trace). Set
 * FUZZ_SEED to reproduce or vary a run; FUZZ_N sets the number of random mutants.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_TABLES, type InputTableName } from '../../src/lib/schema/input';
import { ERROR_CODE_LABELS } from './errors';
import { randomMutants, Rng, structuralMutants, type Mutant } from './fuzz';
import { formatErrors, importExports, srcTable, type ImportResult } from './import';
import { validExport, writeExport } from './test-helpers';

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const N = Number(process.env.FUZZ_N ?? 28);
const TIME_LIMIT_MS = 20_000;
console.log(
	`fuzz seed ${SEED} (reproduce: FUZZ_SEED=${SEED} FUZZ_N=${N} npx vitest run scripts/import/fuzz.test.ts)`
);

const VALID = validExport();
const VALID_ROWS = Object.fromEntries(INPUT_TABLES.map((t) => [t.name, VALID[t.name].length])) as Record<
	InputTableName,
	number
>;
const FILES = new Set(INPUT_TABLES.map((t) => t.file));
/** Errors another file can get because of the mutated one. */
const CROSS_FILE = new Set(['dangling_reference', 'confirmed_before_activity']);
/** Errors about a whole file, which have no line. */
const FILE_LEVEL = new Set(['missing_file', 'empty_file', 'not_a_file']);

let conn: DuckDBConnection;
beforeAll(async () => {
	conn = await (await DuckDBInstance.create(':memory:')).connect();
});
const dirs: string[] = [];
afterAll(() => {
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (hang)`)), ms);
	});
	try {
		return await Promise.race([p, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** Problems with a human-readable text: empty, "undefined", a stack frame, control characters, too long. */
function unreadable(s: unknown): string | null {
	if (typeof s !== 'string' || s.trim() === '') return 'empty';
	if (/undefined|NaN|\[object /.test(s)) return 'undefined/NaN/object';
	if (/\n\s+at /.test(s) || /Error: /.test(s)) return 'stack trace or raw error';
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u0008\u000b-\u001f\u007f\ufffe\uffff]/.test(s)) return 'control characters';
	if (s.length > 1200) return `too long (${s.length})`;
	return null;
}

async function runMutant(m: Mutant): Promise<ImportResult> {
	const dir = writeExport(validExport());
	dirs.push(dir);
	m.apply(dir);
	const t0 = Date.now();
	const r = await withTimeout(importExports(conn, dir, { region: '4401' }), TIME_LIMIT_MS, m.name);
	const ms = Date.now() - t0;
	rmSync(dir, { recursive: true, force: true });
	const where = `[seed ${SEED}] ${m.name}`;
	expect(ms, where).toBeLessThan(TIME_LIMIT_MS);

	// No staging or reject tables survive, and the connection still works.
	const left = (
		await conn.runAndReadAll(
			`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '\\_%' ESCAPE '\\' OR table_name LIKE 'ref\\_%' ESCAPE '\\'`
		)
	).getRowObjectsJson();
	expect(left, where).toEqual([]);

	if (m.expect !== 'any')
		expect(r.ok ? 'ok' : 'error', `${where}: ${formatErrors(r.errors, 'en')}`).toBe(m.expect);
	if (r.ok) {
		expect(r.errors, where).toEqual([]);
		for (const t of INPUT_TABLES) {
			const n = r.rowCounts[t.name];
			// Only the mutated file may change size; a damaged file can lose rows or gain one (an inserted line break).
			if (t.file === m.file) expect(n, `${where} ${t.file}`).toBeLessThanOrEqual(VALID_ROWS[t.name] + 1);
			else expect(n, `${where} ${t.file}`).toBe(VALID_ROWS[t.name]);
			const [{ c }] = (
				await conn.runAndReadAll(`SELECT count(*)::INTEGER AS c FROM ${srcTable(t.name)}`)
			).getRowObjectsJson();
			expect(Number(c), where).toBe(n);
		}
		const table = INPUT_TABLES.find((t) => t.file === m.file)!.name;
		if (m.expect === 'ok')
			expect(r.rowCounts, where).toEqual({ ...VALID_ROWS, [table]: m.rows ?? VALID_ROWS[table] });
		return r;
	}
	expect(r.errors.length, where).toBeGreaterThan(0);
	expect(r.errorCounts.length, where).toBeGreaterThan(0);
	for (const e of r.errors) {
		const w = `${where}: ${JSON.stringify(e).slice(0, 400)}`;
		expect(FILES.has(e.file), w).toBe(true);
		expect(Object.keys(ERROR_CODE_LABELS), w).toContain(e.code);
		if (!CROSS_FILE.has(e.code)) expect(e.file, w).toBe(m.file);
		if (FILE_LEVEL.has(e.code)) expect(e.row === null || e.row === 1, w).toBe(true);
		else {
			expect(Number.isInteger(e.row), w).toBe(true);
			expect(e.row!, w).toBeGreaterThanOrEqual(1);
		}
		for (const s of [e.message_zh, e.message_en, e.expected, e.expected_zh])
			expect(unreadable(s), `${w} → ${String(s).slice(0, 300)}`).toBeNull();
		expect(e.message_zh, w).toContain(e.file);
		expect(e.message_en, w).toContain(e.file);
		if (e.column !== null) expect(e.column.length, w).toBeGreaterThan(0);
		if (e.value !== null) expect(unreadable(e.value) ?? 'ok', w).not.toMatch(/control|too long/);
	}
	// No table survives a failed import.
	const src = (
		await conn.runAndReadAll(
			`SELECT count(*)::INTEGER AS c FROM duckdb_tables() WHERE table_name LIKE 'src\\_%' ESCAPE '\\'`
		)
	).getRowObjectsJson();
	expect(Number(src[0].c), where).toBe(0);
	for (const lang of ['zh', 'en'] as const) {
		const text = formatErrors(r.errors, lang, { counts: r.errorCounts });
		expect(text, where).not.toMatch(/\n\s+at |undefined/);
		expect(text.length, where).toBeLessThan(200 * 1300);
	}
	return r;
}

describe(`import fuzz (seed ${SEED})`, () => {
	const rng = new Rng(SEED);
	const structural = structuralMutants(rng, { huge: true, devices: true });
	const random = randomMutants(rng, N);

	it.each(structural.map((m) => [m.name, m] as const))('structural: %s', async (_name, m) => {
		const r = await runMutant(m);
		if (m.name.startsWith('shuffled columns')) {
			const table = INPUT_TABLES.find((t) => t.file === m.file)!;
			// The typed table keeps contract order whatever the file's order.
			const cols = (
				await conn.runAndReadAll(
					`SELECT column_name FROM duckdb_columns() WHERE table_name = '${srcTable(table.name)}' ORDER BY column_index`
				)
			).getRowObjectsJson();
			expect(cols.map((c) => c.column_name)).toEqual(table.columns.map((c) => c.name));
			expect(r.ok).toBe(true);
		}
	});

	it('random mutants: every one ends in a valid import or clear errors', async () => {
		const outcomes = { ok: 0, error: 0 };
		const codes = new Map<string, number>();
		for (const m of random) {
			const r = await runMutant(m);
			outcomes[r.ok ? 'ok' : 'error']++;
			for (const e of r.errors) codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
		}
		console.log(`fuzz seed ${SEED}: ${random.length} random mutants →`, outcomes, Object.fromEntries(codes));
		// The mutations are meant to damage: most mutants must be refused.
		expect(outcomes.error).toBeGreaterThan(random.length / 2);
	}, 120_000);
});

describe('data:build CLI on a damaged export', () => {
	it('exits non-zero with the clear error, no stack trace, and writes nothing', () => {
		const rng = new Rng(SEED);
		const m = structuralMutants(rng).find((x) => x.name === 'unbalanced quote in a row')!;
		const dir = writeExport(validExport());
		dirs.push(dir);
		m.apply(dir);
		const out = mkdtempSync(join(tmpdir(), 'tb-fuzz-out-'));
		dirs.push(out);
		const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
		const p = spawnSync(tsx, ['scripts/release/cli.ts', '--input', dir, '--out', out, '--lang', 'en'], {
			encoding: 'utf8',
			timeout: 60_000
		});
		const all = `${p.stdout}\n${p.stderr}`;
		expect(p.status, all).not.toBe(0);
		expect(p.status, all).not.toBeNull();
		expect(all).toContain('participations.csv:3');
		expect(all).toMatch(/malformed CSV record/);
		expect(all).not.toMatch(/^\s+at /m);
		expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
	}, 70_000);
});
