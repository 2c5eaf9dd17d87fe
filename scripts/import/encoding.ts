/**
 * Encoding check: the whole file must be UTF-8 (a UTF-8 byte-order mark is accepted). The check streams
 * the file through `buffer.isUtf8` (SIMD, ~GB/s); only when it fails is the file read again to find the
 * first bad line, which is decoded as GB18030 (a superset of GBK) to show the operator what it says.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export type EncodingCheck =
	/** `blankLines`: physical line numbers of empty lines before the last record (DuckDB skips them). */
	| { ok: true; blankLines: number[] }
	| {
			ok: false;
			line: number;
			text: string;
			gbk: boolean;
			utf16?: boolean;
			/** Valid UTF-8, but a NUL byte or a byte-order mark after the start of the file. */
			stray?: 'nul' | 'bom';
			header: string | null;
	  };

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Length of the longest prefix of `buf` that ends on a UTF-8 character boundary. */
function completePrefix(buf: Buffer): number {
	const n = buf.length;
	for (let back = 1; back <= Math.min(4, n); back++) {
		const b = buf[n - back];
		if ((b & 0xc0) === 0x80) continue; // continuation byte
		if (b < 0x80) return n;
		const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
		return need <= back ? n : n - back;
	}
	return n;
}

export async function checkUtf8(path: string): Promise<EncodingCheck> {
	let carry: Buffer = Buffer.alloc(0);
	let bad = false;
	let first = true;
	let blank = false;
	let prev = -1; // last byte of the previous chunk
	let offset = 0; // of the chunk in the file
	let stray: { at: number; kind: 'nul' | 'bom' } | null = null;
	for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
		if (
			first &&
			chunk.length >= 2 &&
			((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
		) {
			const text = iconv
				.decode(chunk.subarray(0, 2000), chunk[0] === 0xff ? 'utf16le' : 'utf16be')
				.split(/\r?\n/)[0];
			return { ok: false, line: 1, text, gbk: false, utf16: true, header: text };
		}
		if (!stray) {
			const nul = chunk.indexOf(0);
			const bom = chunk.indexOf(BOM, first ? 1 : 0);
			const at = Math.min(nul === -1 ? Infinity : nul, bom === -1 ? Infinity : bom);
			if (at !== Infinity) stray = { at: offset + at, kind: at === nul ? 'nul' : 'bom' };
		}
		offset += chunk.length;
		first = false;
		if (!blank)
			blank =
				chunk.indexOf('\n\n') !== -1 ||
				chunk.indexOf('\n\r\n') !== -1 ||
				(prev === 0x0a && (chunk[0] === 0x0a || (chunk[0] === 0x0d && chunk[1] === 0x0a)));
		prev = chunk[chunk.length - 1];
		const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
		const cut = completePrefix(buf);
		if (!isUtf8(buf.subarray(0, cut))) {
			bad = true;
			break;
		}
		carry = Buffer.from(buf.subarray(cut));
	}
	if (!bad && (carry.length === 0 || isUtf8(carry)) && stray) return locate(path, stray.at, stray.kind);
	if (!bad && (carry.length === 0 || isUtf8(carry)))
		return { ok: true, blankLines: blank ? await findBlankLines(path) : [] };
	return diagnose(path);
}

/** Physical line numbers of empty lines that have a non-empty line after them (slow path, rare). */
async function findBlankLines(path: string): Promise<number[]> {
	const blanks: number[] = [];
	let line = 1;
	let lineLen = 0; // bytes on the current line, not counting a CR
	let pending: number[] = [];
	for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
		for (let i = 0; i < chunk.length; i++) {
			const b = chunk[i];
			if (b === 0x0a) {
				if (lineLen === 0) pending.push(line);
				line++;
				lineLen = 0;
			} else if (b !== 0x0d) {
				lineLen++;
				if (pending.length) {
					blanks.push(...pending);
					pending = [];
				}
			}
		}
	}
	return blanks;
}

/** Physical line of a record that DuckDB numbers `line` (header = 1) when it skipped `blankLines`. */
export function physicalLine(line: number, blankLines: readonly number[]): number {
	let p = line;
	for (const b of blankLines) {
		if (b <= p) p++;
		else break;
	}
	return p;
}

/** The line holding byte `at` of a valid UTF-8 file, for a stray NUL or byte-order mark. */
async function locate(path: string, at: number, kind: 'nul' | 'bom'): Promise<EncodingCheck> {
	let line = 1;
	let start = 0; // offset of the current line
	let header: string | null = null;
	let offset = 0;
	let parts: Buffer[] = [];
	for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
		let pos = 0;
		while (pos < chunk.length) {
			const nl = chunk.indexOf(0x0a, pos);
			const end = nl === -1 ? chunk.length : nl;
			if (offset + pos >= start && parts.reduce((a, p) => a + p.length, 0) < 4096)
				parts.push(chunk.subarray(pos, Math.min(end, pos + 4096)));
			if (nl === -1) break;
			const text = Buffer.concat(parts)
				.toString('utf8')
				.replace(/^\ufeff/, '')
				.replace(/\r$/, '');
			if (line === 1) header = text;
			if (offset + nl >= at) return strayResult(line, text, kind, header);
			parts = [];
			line++;
			start = offset + nl + 1;
			pos = nl + 1;
		}
		offset += chunk.length;
	}
	const text = Buffer.concat(parts).toString('utf8').replace(/\r$/, '');
	return strayResult(line, text, kind, header ?? text);
}

function strayResult(line: number, text: string, kind: 'nul' | 'bom', header: string | null): EncodingCheck {
	return { ok: false, line, text: text.slice(0, 120), gbk: false, stray: kind, header };
}

const CJK = /[\u3400-\u9fff]/;

async function diagnose(path: string): Promise<EncodingCheck> {
	let line = 1;
	let parts: Buffer[] = [];
	let header: string | null = null;
	for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
		let pos = 0;
		while (pos < chunk.length) {
			const nl = chunk.indexOf(0x0a, pos);
			parts.push(chunk.subarray(pos, nl === -1 ? chunk.length : nl));
			if (nl === -1) break;
			const bytes = Buffer.concat(parts);
			const valid = isUtf8(bytes);
			if (line === 1)
				header = iconv
					.decode(bytes, valid ? 'utf8' : 'gb18030')
					.replace(/^\ufeff/, '')
					.replace(/\r$/, '');
			if (!valid) return verdict(bytes, line, header);
			parts = [];
			line++;
			pos = nl + 1;
		}
	}
	const bytes = Buffer.concat(parts);
	return verdict(bytes, line, header ?? iconv.decode(bytes, 'gb18030'));
}

function verdict(bytes: Buffer, line: number, header: string | null): EncodingCheck {
	const text = iconv.decode(bytes, 'gb18030').replace(/\r$/, '');
	const gbk = CJK.test(text) && !text.includes('\ufffd');
	return { ok: false, line, text: text.length > 120 ? `${text.slice(0, 120)}…` : text, gbk, header };
}

/** Longest header line read (bytes); a header is a few hundred bytes in practice. */
export const MAX_HEADER_BYTES = 1 << 20;

/**
 * First line of the file (without a BOM or line ending): null when the file has no non-blank first line,
 * `{ tooLong: true }` when no line break comes within `MAX_HEADER_BYTES` of a longer file.
 */
export async function readHeaderLine(path: string): Promise<string | null | { tooLong: true }> {
	const fh = await open(path, 'r');
	try {
		const buf = Buffer.alloc(MAX_HEADER_BYTES + 1);
		const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
		const bytes = buf.subarray(0, bytesRead);
		const nlAt = bytes.indexOf(0x0a);
		if ((nlAt === -1 && bytesRead > MAX_HEADER_BYTES) || nlAt > MAX_HEADER_BYTES) return { tooLong: true };
		let s = bytes.toString('utf8');
		if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
		const nl = s.indexOf('\n');
		const first = (nl === -1 ? s : s.slice(0, nl)).replace(/\r$/, '');
		return first.trim() === '' ? null : first;
	} finally {
		await fh.close();
	}
}

/**
 * First line holding a carriage return that does not end the line (a CR followed by something else than a
 * line feed) in a file that has line feeds: mixed line endings, which DuckDB's CSV reader cannot parse.
 */
export async function findLoneCr(path: string): Promise<{ line: number; text: string } | null> {
	let line = 1;
	let pendingCr = false; // a CR ended the previous chunk
	let found: number | null = null;
	let sawLf = false;
	for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
		if (pendingCr && chunk[0] !== 0x0a && found === null) found = line;
		let pos = 0;
		while (found === null) {
			const cr = chunk.indexOf(0x0d, pos);
			const end = cr === -1 ? chunk.length : cr;
			for (let nl = chunk.indexOf(0x0a, pos); nl !== -1 && nl < end; nl = chunk.indexOf(0x0a, nl + 1)) {
				line++;
				sawLf = true;
			}
			if (cr === -1) break;
			if (cr + 1 < chunk.length && chunk[cr + 1] !== 0x0a) found = line;
			pos = cr + 1;
		}
		pendingCr = chunk[chunk.length - 1] === 0x0d;
		if (found !== null && sawLf) break;
		if (found !== null) {
			// Keep counting: only a file that also has line feeds has mixed line endings.
			if (chunk.indexOf(0x0a) !== -1) sawLf = true;
			if (sawLf) break;
		}
	}
	if (found === null || !sawLf) return null;
	return { line: found, text: await lineText(path, found) };
}

/** Text of physical line `n` (1-based, split on LF), at most 120 characters. */
async function lineText(path: string, n: number): Promise<string> {
	let line = 1;
	const parts: Buffer[] = [];
	for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
		let pos = 0;
		while (line < n) {
			const nl = chunk.indexOf(0x0a, pos);
			if (nl === -1) break;
			line++;
			pos = nl + 1;
		}
		if (line < n) continue;
		const nl = chunk.indexOf(0x0a, pos);
		parts.push(chunk.subarray(pos, nl === -1 ? chunk.length : nl));
		if (nl !== -1 || parts.reduce((a, p) => a + p.length, 0) > 1024) break;
	}
	const text = Buffer.concat(parts)
		.toString('utf8')
		.replace(/^\ufeff/, '');
	return text.length > 120 ? text.slice(0, 120) : text;
}
