/**
 * Keyed-hash pseudonyms (DOMAIN.md §6): HMAC-SHA256(key, "<kind>:" + raw id), first 16 hex digits written as letters, with a
 * prefix per kind (v_ volunteers, p_ participations, w_ wishes, t_ point transactions). The key is secret
 * and never shipped: `--key-file`, else env TIMEBANK_PSEUDONYM_KEY, else `data/.pseudonym-key` (created
 * once with 32 random bytes; gitignored; keep it to get the same pseudonyms in the next release).
 *
 * DuckDB has sha256 but no hmac, so HMAC is spelled out in SQL with the standard construction
 * sha256((K ⊕ opad) ‖ sha256((K ⊕ ipad) ‖ m)) over BLOBs; `hmacHex` is the JS reference it must equal.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `<repo>/data/.pseudonym-key` (gitignored; never part of a release). */
export const DEFAULT_KEY_FILE = fileURLToPath(new URL('../../data/.pseudonym-key', import.meta.url));
export const PSEUDONYM_HEX_LENGTH = 16;
/**
 * Pseudonyms are written with letters only: hex digit 0–f → one of these 16 letters. A run of hex digits
 * could otherwise look like a phone or ID-card number to privacy scanners (ours and anyone's).
 */
export const PSEUDONYM_ALPHABET = 'abcdefghjkmnpqrs';
const HEX = '0123456789abcdef';
const toLetters = (hex: string): string =>
	hex.replace(/[0-9a-f]/g, (c) => PSEUDONYM_ALPHABET[HEX.indexOf(c)]);

export const PSEUDONYM_KINDS = {
	volunteer: 'v_',
	participation: 'p_',
	wish: 'w_',
	transaction: 't_'
} as const;
export type PseudonymKind = keyof typeof PSEUDONYM_KINDS;

export interface KeySource {
	key: Buffer;
	/** Where the key came from (for the log; never the key itself). */
	origin: string;
}

/** Load the pseudonymisation key (see module comment for the order). Creates the default file if needed. */
export function loadPseudonymKey(
	keyFile?: string,
	env: NodeJS.ProcessEnv = process.env,
	defaultFile = DEFAULT_KEY_FILE
): KeySource {
	if (keyFile) {
		const key = readFileSync(keyFile, 'utf8').trim();
		if (key.length < 16)
			throw new Error(
				`密钥文件 ${keyFile} 太短（至少16个字符） / key file ${keyFile} is too short (at least 16 characters)`
			);
		return { key: Buffer.from(key, 'utf8'), origin: keyFile };
	}
	const fromEnv = env.TIMEBANK_PSEUDONYM_KEY?.trim();
	if (fromEnv) {
		if (fromEnv.length < 16)
			throw new Error(
				'环境变量 TIMEBANK_PSEUDONYM_KEY 太短（至少16个字符） / TIMEBANK_PSEUDONYM_KEY is too short (at least 16 characters)'
			);
		return { key: Buffer.from(fromEnv, 'utf8'), origin: 'TIMEBANK_PSEUDONYM_KEY' };
	}
	if (!existsSync(defaultFile)) {
		mkdirSync(dirname(defaultFile), { recursive: true });
		writeFileSync(defaultFile, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
	}
	const key = readFileSync(defaultFile, 'utf8').trim();
	return { key: Buffer.from(key, 'utf8'), origin: defaultFile };
}

/** HMAC-SHA256 of `message` under `key`, hex (JS reference implementation). */
export const hmacHex = (key: Buffer, message: string): string =>
	createHmac('sha256', key).update(message, 'utf8').digest('hex');

/** The pseudonym of a raw id (JS reference; the build computes the same in SQL). */
export const pseudonym = (key: Buffer, kind: PseudonymKind, rawId: string): string =>
	PSEUDONYM_KINDS[kind] + toLetters(hmacHex(key, `${kind}:${rawId}`).slice(0, PSEUDONYM_HEX_LENGTH));

/** SQL list literal: byte value b (0–255) at index b + 1 → its two hex digits written as letters. */
const BYTE_LETTERS = `[${Array.from({ length: 256 }, (_, b) => `'${PSEUDONYM_ALPHABET[b >> 4]}${PSEUDONYM_ALPHABET[b & 15]}'`).join(', ')}]`;

/**
 * SQL expression for the pseudonym of the VARCHAR expression `idSql`. The key only appears as the
 * padded ipad/opad blocks (hex literals inside the SQL of this process, never written anywhere).
 *
 * Speed (10 M+ rows per build): the first 16 hex digits of the HMAC are read as one UBIGINT and written
 * as letters byte by byte from a 256-entry list, about twice as fast as `translate` (which builds its
 * character map for every row). The UBIGINT expression appears 8 times; DuckDB's common-subexpression
 * elimination computes it once per row.
 */
export function pseudonymSql(key: Buffer, kind: PseudonymKind, idSql: string): string {
	const block = Buffer.alloc(64);
	// Keys longer than the SHA-256 block are hashed first (RFC 2104).
	(key.length > 64 ? createHash('sha256').update(key).digest() : key).copy(block);
	const ipad = Buffer.from(block.map((b) => b ^ 0x36)).toString('hex');
	const opad = Buffer.from(block.map((b) => b ^ 0x5c)).toString('hex');
	const msg = `encode('${kind}:' || (${idSql}))`;
	const inner = `unhex(sha256(unhex('${ipad}') || ${msg}))`;
	const prefix = `('0x' || left(sha256(unhex('${opad}') || ${inner}), ${PSEUDONYM_HEX_LENGTH}))::UBIGINT`;
	const letters = Array.from(
		{ length: PSEUDONYM_HEX_LENGTH / 2 },
		(_, k) => `${BYTE_LETTERS}[((${prefix} >> ${(PSEUDONYM_HEX_LENGTH / 2 - 1 - k) * 8}) & 255)::INTEGER + 1]`
	);
	return `('${PSEUDONYM_KINDS[kind]}' || ${letters.join(' || ')})`;
}
