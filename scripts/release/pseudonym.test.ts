import { DuckDBInstance } from '@duckdb/node-api';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPseudonymKey, pseudonym, pseudonymSql, PSEUDONYM_ALPHABET } from './pseudonym';

const letters = (hex: string) => hex.replace(/./g, (c) => PSEUDONYM_ALPHABET[parseInt(c, 16)]);

const work = mkdtempSync(join(tmpdir(), 'pseudonym-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ids = ['V00001', 'V00002', '志愿者-123', "O'Brien", ''];

async function sqlPseudonyms(key: Buffer): Promise<string[]> {
	const db = await DuckDBInstance.create(':memory:');
	const c = await db.connect();
	const values = ids.map((x, i) => `(${i}, '${x.replace(/'/g, "''")}')`).join(', ');
	const r = await c.runAndReadAll(
		`SELECT ${pseudonymSql(key, 'volunteer', 'id')} AS p FROM (VALUES ${values}) t(i, id) ORDER BY i`
	);
	c.closeSync();
	db.closeSync();
	return r.getColumnsJS()[0] as string[];
}

describe('pseudonyms', () => {
	it('SQL HMAC equals node:crypto HMAC-SHA256 (short and long keys)', async () => {
		for (const key of [Buffer.from('k'.repeat(20)), Buffer.from('a-very-long-key-'.repeat(8))]) {
			const expected = ids.map(
				(id) => 'v_' + letters(createHmac('sha256', key).update(`volunteer:${id}`).digest('hex').slice(0, 16))
			);
			expect(await sqlPseudonyms(key)).toEqual(expected);
			expect(ids.map((id) => pseudonym(key, 'volunteer', id))).toEqual(expected);
		}
	});

	it('SQL equals the JS reference over thousands of ids (every byte value of the digest prefix)', async () => {
		const key = Buffer.from('bulk-key-0123456789abcdef');
		const db = await DuckDBInstance.create(':memory:');
		const c = await db.connect();
		const r = await c.runAndReadAll(
			`SELECT id, ${pseudonymSql(key, 'participation', 'id')} AS p FROM (SELECT 'P' || i::VARCHAR AS id FROM range(4000) t(i)) ORDER BY id`
		);
		c.closeSync();
		db.closeSync();
		const [rawIds, got] = r.getColumnsJS() as [string[], string[]];
		expect(got).toHaveLength(4000);
		const expected = rawIds.map((id) => pseudonym(key, 'participation', id));
		expect(got).toEqual(expected);
		// Every letter of the alphabet occurs at every position: all nibble values were mapped.
		for (let pos = 2; pos < 18; pos++) expect(new Set(got.map((p) => p[pos])).size).toBe(16);
	});

	it('are stable for a key, differ for another key and per kind, and never equal the raw id', () => {
		const k1 = Buffer.from('first-key-0123456789');
		const k2 = Buffer.from('second-key-0123456789');
		for (const id of ids) {
			expect(pseudonym(k1, 'volunteer', id)).toBe(pseudonym(k1, 'volunteer', id));
			expect(pseudonym(k1, 'volunteer', id)).not.toBe(pseudonym(k2, 'volunteer', id));
			expect(pseudonym(k1, 'participation', id).slice(2)).not.toBe(pseudonym(k1, 'volunteer', id).slice(2));
			expect(pseudonym(k1, 'volunteer', id)).not.toBe(id);
			expect(pseudonym(k1, 'volunteer', id)).toMatch(/^v_[a-z]{16}$/);
		}
	});

	it('loads the key from --key-file, then the environment, else creates the default file once', () => {
		const f = join(work, 'key.txt');
		writeFileSync(f, 'file-key-0123456789\n');
		expect(loadPseudonymKey(f, {}).key.toString()).toBe('file-key-0123456789');
		expect(loadPseudonymKey(undefined, { TIMEBANK_PSEUDONYM_KEY: 'env-key-0123456789' }).origin).toBe(
			'TIMEBANK_PSEUDONYM_KEY'
		);
		const def = join(work, 'data', '.pseudonym-key');
		const a = loadPseudonymKey(undefined, {}, def);
		expect(existsSync(def)).toBe(true);
		expect(a.key.length).toBeGreaterThanOrEqual(32);
		expect(loadPseudonymKey(undefined, {}, def).key.equals(a.key)).toBe(true);
		expect(readFileSync(def, 'utf8').trim()).toBe(a.key.toString());
		writeFileSync(f, 'short');
		expect(() => loadPseudonymKey(f, {})).toThrow(/too short/);
	});
});
