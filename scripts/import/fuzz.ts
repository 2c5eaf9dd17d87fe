/**
 * Seeded fuzzing of the import (test helper): deterministic mutants of the small valid export of
 * `test-helpers.ts`. A mutant is a name plus a function that damages one written export directory; the
 * same seed always gives the same mutants, so a failure reproduces from the seed and the mutant name.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { INPUT_TABLES, type InputTableName } from '../../src/lib/schema/input';

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function makeRng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export class Rng {
	private readonly next: () => number;
	constructor(readonly seed: number) {
		this.next = makeRng(seed);
	}
	/** Integer in [0, n). */
	int(n: number): number {
		return Math.floor(this.next() * n);
	}
	pick<T>(xs: readonly T[]): T {
		return xs[this.int(xs.length)];
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
	shuffle<T>(xs: readonly T[]): T[] {
		const a = [...xs];
		for (let i = a.length - 1; i > 0; i--) {
			const j = this.int(i + 1);
			[a[i], a[j]] = [a[j], a[i]];
		}
		return a;
	}
}

/** What a mutant should lead to: `ok` must import, `error` must fail, `any` may do either. */
export type Outcome = 'ok' | 'error' | 'any';

export interface Mutant {
	name: string;
	/** The file damaged (relative to the export directory). */
	file: string;
	expect: Outcome;
	/** Rows expected in the damaged file when the import succeeds (default: the valid export's count). */
	rows?: number;
	/** Damages the export in `dir` (a valid export written by `writeExport`). */
	apply: (dir: string) => void;
}

/** Byte sequences inserted by the fuzzer: NUL, 0xFF, a lone UTF-16 surrogate encoded as UTF-8, an overlong
 * slash, CR, a stray quote, a BOM, a line feed, a comma, a lone continuation byte, a truncated CJK char. */
export const NASTY: readonly { name: string; bytes: number[] }[] = [
	{ name: 'NUL', bytes: [0x00] },
	{ name: '0xFF', bytes: [0xff] },
	{ name: 'lone-surrogate', bytes: [0xed, 0xa0, 0x80] },
	{ name: 'overlong', bytes: [0xc0, 0xaf] },
	{ name: 'CR', bytes: [0x0d] },
	{ name: 'quote', bytes: [0x22] },
	{ name: 'BOM', bytes: [0xef, 0xbb, 0xbf] },
	{ name: 'LF', bytes: [0x0a] },
	{ name: 'comma', bytes: [0x2c] },
	{ name: 'continuation', bytes: [0x80] },
	{ name: 'half-CJK', bytes: [0xe6, 0x97] },
	{ name: 'ESC', bytes: [0x1b] }
];

const fileOf = (t: InputTableName) => INPUT_TABLES.find((x) => x.name === t)!.file;
const read = (dir: string, file: string) => readFileSync(join(dir, file));
const write = (dir: string, file: string, b: Buffer | string) => writeFileSync(join(dir, file), b);

function records(dir: string, file: string): string[][] {
	return parseCsv(
		read(dir, file)
			.toString('utf8')
			.replace(/^\ufeff/, '')
	) as string[][];
}

/** Offsets of the starts of multi-byte UTF-8 characters in `b`. */
function multibyteStarts(b: Buffer): number[] {
	const out: number[] = [];
	for (let i = 0; i < b.length; i++) if (b[i] >= 0xc0) out.push(i);
	return out;
}

/** Random byte-level mutants: truncation, flips, insertions of nasty bytes, combinations. */
export function randomMutants(rng: Rng, n: number): Mutant[] {
	const out: Mutant[] = [];
	const tables = INPUT_TABLES.map((t) => t.name);
	for (let i = 0; i < n; i++) {
		const file = fileOf(rng.pick(tables));
		const kind = rng.pick(['truncate', 'truncate-mid-char', 'flip', 'insert', 'insert', 'combo'] as const);
		// Decisions are drawn now (not when applied) so the mutant depends only on the seed and its index.
		const r = new Rng(rng.int(2 ** 31));
		const tag = `#${i} ${kind} ${file} (sub-seed ${r.seed})`;
		out.push({
			name: tag,
			file,
			expect: 'any',
			apply: (dir) => {
				let b = read(dir, file);
				const ops = kind === 'combo' ? 2 + r.int(3) : 1;
				for (let k = 0; k < ops; k++) {
					const op = kind === 'combo' ? r.pick(['truncate', 'flip', 'insert'] as const) : kind;
					if (op === 'truncate') b = b.subarray(0, r.int(b.length + 1));
					else if (op === 'truncate-mid-char') {
						const starts = multibyteStarts(b);
						const s = starts.length ? r.pick(starts) : r.int(b.length);
						b = b.subarray(0, s + 1 + r.int(2));
					} else if (op === 'flip') {
						b = Buffer.from(b);
						const flips = 1 + r.int(4);
						for (let f = 0; f < flips && b.length; f++) b[r.int(b.length)] ^= 1 << r.int(8);
					} else {
						const at = r.int(b.length + 1);
						const ins = Buffer.from(r.pick(NASTY).bytes);
						b = Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
					}
				}
				write(dir, file, b);
			}
		});
	}
	return out;
}

/** Structural mutants: reordered columns, broken headers, odd line endings, huge fields, non-files. */
export function structuralMutants(rng: Rng, opts: { huge?: boolean; devices?: boolean } = {}): Mutant[] {
	const t = (name: InputTableName) => fileOf(name);
	const m: Mutant[] = [];
	const add = (name: string, file: string, expect: Outcome, apply: (dir: string) => void, rows?: number) =>
		m.push({ name, file, expect, apply, rows });

	// Same header set, rows permuted consistently: accepted (columns are matched by name).
	for (const table of ['participations', 'activities', 'volunteers'] as const) {
		const perm = rng.seed; // permutation drawn below, deterministic per seed
		add(`shuffled columns ${t(table)} (seed ${perm})`, t(table), 'ok', (dir) => {
			const recs = records(dir, t(table));
			const order = new Rng(perm + table.length).shuffle(recs[0].map((_, i) => i));
			write(dir, t(table), stringify(recs.map((r) => order.map((i) => r[i]))));
		});
	}
	add('duplicated header name', t('activities'), 'error', (dir) => {
		const recs = records(dir, t('activities'));
		recs[0][recs[0].length - 1] = recs[0][0];
		write(dir, t('activities'), stringify(recs));
	});
	add('header repeated as a data row', t('volunteers'), 'error', (dir) => {
		const s = read(dir, t('volunteers')).toString('utf8');
		write(dir, t('volunteers'), s + s.split('\n')[0] + '\n');
	});
	add('empty file', t('points'), 'error', (dir) => write(dir, t('points'), ''));
	add('whitespace-only file', t('trainings'), 'error', (dir) => write(dir, t('trainings'), ' \r\n\n  \n'));
	add(
		'header only (beneficiaries)',
		t('beneficiaries'),
		'ok',
		(dir) => {
			write(dir, t('beneficiaries'), read(dir, t('beneficiaries')).toString('utf8').split('\n')[0] + '\n');
		},
		0
	);
	add('header only (activities: breaks references)', t('activities'), 'error', (dir) => {
		write(dir, t('activities'), read(dir, t('activities')).toString('utf8').split('\n')[0]);
	});
	add('CR-only line endings', t('teams'), 'any', (dir) => {
		write(dir, t('teams'), read(dir, t('teams')).toString('utf8').replace(/\r?\n/g, '\r'));
	});
	add('unbalanced quote in the header', t('stations'), 'error', (dir) => {
		write(dir, t('stations'), '"' + read(dir, t('stations')).toString('utf8'));
	});
	add('unbalanced quote in a row', t('participations'), 'error', (dir) => {
		const lines = read(dir, t('participations')).toString('utf8').split('\n');
		lines[2] = lines[2].replace(',', ',"');
		write(dir, t('participations'), lines.join('\n'));
	});
	add('truncated inside a quoted field', t('teams'), 'error', (dir) => {
		const s = read(dir, t('teams')).toString('utf8').trimEnd();
		write(dir, t('teams'), s + '\nT9,"洪桥街, 第二');
	});
	add('BOM in the middle of the file', t('trainings'), 'error', (dir) => {
		const lines = read(dir, t('trainings')).toString('utf8').split('\n');
		lines[1] = '\ufeff' + lines[1];
		write(dir, t('trainings'), lines.join('\n'));
	});
	add('mixed encodings (one GBK row)', t('activities'), 'error', (dir) => {
		const lines = read(dir, t('activities')).toString('utf8').split('\n');
		write(
			dir,
			t('activities'),
			Buffer.concat([
				Buffer.from(lines.slice(0, 3).join('\n') + '\n'),
				iconv.encode(lines[3] + '\n', 'gbk'),
				Buffer.from(lines.slice(4).join('\n'))
			])
		);
	});
	add('UTF-16LE file', t('points'), 'error', (dir) => {
		write(dir, t('points'), iconv.encode('\ufeff' + read(dir, t('points')).toString('utf8'), 'utf16le'));
	});
	add('NUL bytes in values', t('volunteers'), 'error', (dir) => {
		write(dir, t('volunteers'), read(dir, t('volunteers')).toString('utf8').replace('V3', 'V\u00003'));
	});
	add('a 100k-field data row', t('trainings'), 'error', (dir) => {
		write(dir, t('trainings'), read(dir, t('trainings')).toString('utf8') + 'x,'.repeat(100_000) + 'x\n');
	});
	add('a 100k-column header', t('beneficiaries'), 'error', (dir) => {
		const s = read(dir, t('beneficiaries')).toString('utf8');
		const cols = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',');
		write(dir, t('beneficiaries'), s.replace('\n', ',' + cols + '\n'));
	});
	add('directory instead of a file', t('stations'), 'error', (dir) => {
		rmSync(join(dir, t('stations')));
		mkdirSync(join(dir, t('stations')));
	});
	add('missing file', t('micro_wishes'), 'error', (dir) => rmSync(join(dir, t('micro_wishes'))));
	add('dangling symlink', t('teams'), 'error', (dir) => {
		rmSync(join(dir, t('teams')));
		symlinkSync(join(dir, 'nowhere.csv'), join(dir, t('teams')));
	});
	if (opts.huge) {
		add('a 10 MB single field', t('activities'), 'error', (dir) => {
			const lines = read(dir, t('activities')).toString('utf8').split('\n');
			lines[2] = lines[2].replace('垃圾分类宣传', 'y'.repeat(10 << 20));
			write(dir, t('activities'), lines.join('\n'));
		});
		add('a 3 MB line of short fields', t('points'), 'error', (dir) => {
			write(dir, t('points'), read(dir, t('points')).toString('utf8') + 'ab,'.repeat(1 << 20) + '\n');
		});
		add('a 2 MB header line without a line break', t('trainings'), 'error', (dir) => {
			write(dir, t('trainings'), 'h'.repeat(2 << 20));
		});
	}
	if (opts.devices) {
		add('symlink to /dev/zero', t('volunteers'), 'error', (dir) => {
			rmSync(join(dir, t('volunteers')));
			symlinkSync('/dev/zero', join(dir, t('volunteers')));
		});
		add('named pipe (FIFO) with no writer', t('points'), 'error', (dir) => {
			rmSync(join(dir, t('points')));
			execFileSync('mkfifo', [join(dir, t('points'))]);
		});
	}
	return m;
}
