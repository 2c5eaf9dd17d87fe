/**
 * Crash safety of the release build, through the CLI as a child process: SIGKILL at many moments
 * (TIMEBANK_BUILD_PAUSE_AT makes the build stop exactly there) leaves the previous release byte-identical,
 * releases.json unchanged and no half-written version directory under OUT; the next build cleans up
 * (stale lock, temp dirs, interrupted swaps) and succeeds. Two builds started at once never corrupt OUT.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../generate/generate';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'scripts/release/cli.ts');

interface Run {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

/** Run the CLI; with `pauseAt`, SIGKILL it as soon as it reports that it reached that point. */
function runCli(args: string[], pauseAt?: string): Promise<Run & { paused: boolean }> {
	return new Promise((resolvePromise, reject) => {
		const env: NodeJS.ProcessEnv = { ...process.env, TIMEBANK_DUCKDB_THREADS: '1' };
		if (pauseAt) env.TIMEBANK_BUILD_PAUSE_AT = pauseAt;
		else delete env.TIMEBANK_BUILD_PAUSE_AT;
		const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env });
		let stdout = '';
		let stderr = '';
		let paused = false;
		child.stdout.on('data', (d: Buffer) => {
			stdout += d.toString();
			if (pauseAt && !paused && stdout.includes(`TIMEBANK_BUILD_PAUSED ${pauseAt}\n`)) {
				paused = true;
				child.kill('SIGKILL');
			}
		});
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr, paused }));
	});
}

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** relative path → sha256 of every file under `dir`. */
function hashTree(dir: string): Record<string, string> {
	const out: Record<string, string> = {};
	const walk = (d: string, rel: string) => {
		for (const e of readdirSync(d, { withFileTypes: true })) {
			const r = rel ? `${rel}/${e.name}` : e.name;
			if (e.isDirectory()) walk(join(d, e.name), r);
			else out[r] = sha(join(d, e.name));
		}
	};
	walk(dir, '');
	return out;
}

/** SHA256SUMS lists every other file of the version directory and every hash matches. */
function verifySums(dir: string): void {
	const lines = readFileSync(join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n');
	const listed = new Map(lines.map((l) => [l.slice(66), l.slice(0, 64)]));
	const files = Object.keys(hashTree(dir)).filter((f) => f !== 'SHA256SUMS');
	expect([...listed.keys()].sort()).toEqual(files.sort());
	for (const [f, h] of listed) expect(sha(join(dir, f)), f).toBe(h);
}

interface ReleasesIndex {
	releases: { version: string; path: string; manifest: string }[];
}
const readIndex = (out: string): ReleasesIndex =>
	JSON.parse(readFileSync(join(out, 'releases.json'), 'utf8')) as ReleasesIndex;

/** releases.json is valid and every listed version directory exists, is complete and verifies. */
function checkConsistent(out: string): ReleasesIndex {
	const idx = readIndex(out);
	expect(Array.isArray(idx.releases)).toBe(true);
	for (const r of idx.releases) {
		expect(statSync(join(out, r.path)).isDirectory()).toBe(true);
		expect(existsSync(join(out, r.manifest))).toBe(true);
		verifySums(join(out, r.path));
	}
	return idx;
}

let work: string;
let inA: string;
let inB: string;
let keyFile: string;

beforeAll(async () => {
	work = mkdtempSync(join(tmpdir(), 'timebank-kill-'));
	inA = join(work, 'in-a');
	inB = join(work, 'in-b');
	await generate({ scale: 0.005, seed: 'kill-a', outDir: inA });
	await generate({ scale: 0.005, seed: 'kill-b', outDir: inB });
	keyFile = join(work, 'key');
	writeFileSync(keyFile, createHash('sha256').update('kill-test-key').digest());
}, 60_000);

afterAll(() => {
	if (work) rmSync(work, { recursive: true, force: true });
});

describe('release build killed with SIGKILL', () => {
	it('leaves release A and releases.json intact at every moment; the next build cleans up and succeeds', async () => {
		const out = join(work, 'out');
		const build = (input: string, version: string, pauseAt?: string) =>
			runCli(['--input', input, '--out', out, '--key-file', keyFile, '--version', version], pauseAt);

		const a = await build(inA, 'rel-a');
		expect(a.code, a.stderr).toBe(0);
		const aHashes = hashTree(join(out, 'rel-a'));
		verifySums(join(out, 'rel-a'));
		const indexBytes = readFileSync(join(out, 'releases.json'), 'utf8');
		expect(readIndex(out).releases.map((r) => r.version)).toEqual(['rel-a']);

		const moments = [
			'start',
			'locked',
			'import',
			'transform',
			'indicators',
			'parquet',
			'arrow',
			'compression',
			'package',
			'commit',
			// after the rename, before releases.json is replaced (the 'releases' point, just before the temp
			// file is written, is the same state without the temp file)
			'releases-tmp'
		];
		const outcomes: string[] = [];
		for (const at of moments) {
			// Each run starts after the previous one was killed: it must take over that run's stale lock.
			const r = await build(inB, 'rel-b', at);
			expect(r.paused, `${at}: ${r.stderr}`).toBe(true);
			expect(r.signal).toBe('SIGKILL');
			expect(hashTree(join(out, 'rel-a')), at).toEqual(aHashes);
			const entries = readdirSync(out).filter((e) => statSync(join(out, e)).isDirectory());
			if (at === 'releases-tmp') {
				// Killed after the rename: B is complete (only not listed yet).
				expect(entries.sort()).toEqual(['rel-a', 'rel-b']);
				verifySums(join(out, 'rel-b'));
				rmSync(join(out, 'rel-b'), { recursive: true });
			} else expect(entries, at).toEqual(['rel-a']);
			// Killed while writing: the temp dir next to OUT is left (the next run removes it).
			if (['parquet', 'arrow', 'compression', 'package', 'commit'].includes(at))
				expect(
					readdirSync(work).some((e) => e.startsWith('.out.build-rel-b-')),
					at
				).toBe(true);
			expect(readFileSync(join(out, 'releases.json'), 'utf8'), at).toBe(indexBytes);
			expect(() => checkConsistent(out)).not.toThrow();
			outcomes.push(at);
		}
		expect(outcomes).toEqual(moments);
		// Left behind by the last killed run: a stale lock (and releases.json.<pid>.tmp).
		expect(existsSync(join(out, '.build.lock'))).toBe(true);
		expect(readdirSync(out).some((e) => /^releases\.json\.\d+\.tmp$/.test(e))).toBe(true);

		const b = await build(inB, 'rel-b');
		expect(b.code, b.stderr).toBe(0);
		expect(hashTree(join(out, 'rel-a'))).toEqual(aHashes);
		const idx = checkConsistent(out);
		expect(idx.releases.map((r) => r.version).sort()).toEqual(['rel-a', 'rel-b']);
		expect(existsSync(join(out, '.build.lock'))).toBe(false);
		expect(readdirSync(work).filter((e) => e.startsWith('.out.'))).toEqual([]);
		expect(readdirSync(out).sort()).toEqual(['rel-a', 'rel-b', 'releases.json']);

		// Rebuilding an existing version, killed between its two renames (old one moved aside, new one not
		// yet in place): the next build puts the old directory back before doing anything else.
		const bHashes = hashTree(join(out, 'rel-b'));
		const s = await build(inA, 'rel-b', 'swap');
		expect(s.paused, s.stderr).toBe(true);
		expect(hashTree(join(out, 'rel-a'))).toEqual(aHashes);
		expect(readdirSync(out).some((e) => /^rel-b\.old-\d+$/.test(e))).toBe(true);
		const c = await build(inA, 'rel-c', 'transform');
		expect(c.paused).toBe(true);
		expect(hashTree(join(out, 'rel-b'))).toEqual(bHashes);
		expect(readdirSync(out).filter((e) => e.includes('.old-'))).toEqual([]);
		checkConsistent(out);
	}, 240_000);

	it('two builds started at once into one OUT: both end, OUT stays consistent', async () => {
		const out = join(work, 'out2');
		const args = (input: string, version: string) => [
			'--input',
			input,
			'--out',
			out,
			'--key-file',
			keyFile,
			'--version',
			version
		];
		const [x, y] = await Promise.all([runCli(args(inA, 'v-a')), runCli(args(inB, 'v-b'))]);
		const runs = [x, y];
		expect(runs.every((r) => r.code === 0 || r.code === 1)).toBe(true);
		const ok = runs.filter((r) => r.code === 0);
		expect(ok.length).toBeGreaterThanOrEqual(1);
		for (const r of runs.filter((r) => r.code !== 0))
			expect(r.stderr).toMatch(/another release build is running/);
		const idx = checkConsistent(out);
		expect(idx.releases).toHaveLength(ok.length);
		expect(existsSync(join(out, '.build.lock'))).toBe(false);
		expect(readdirSync(work).filter((e) => e.startsWith('.out2.'))).toEqual([]);
		// The refused one succeeds once the first has finished.
		if (ok.length === 1) {
			const again = x.code === 0 ? runCli(args(inB, 'v-b')) : runCli(args(inA, 'v-a'));
			expect((await again).code).toBe(0);
			expect(
				checkConsistent(out)
					.releases.map((r) => r.version)
					.sort()
			).toEqual(['v-a', 'v-b']);
		}
	}, 120_000);
});
