/**
 * Data part of the benchmark: the sample export (generated once per scale and reused while its marker file
 * matches) and `data:build` run as a child process with wall time, rows per second and peak RSS.
 */
import {
	existsSync,
	readFileSync,
	readdirSync,
	rmSync,
	writeFileSync,
	mkdirSync,
	createReadStream
} from 'node:fs';
import path from 'node:path';
import { generate } from '../generate/generate';
import { runMeasured } from './proc';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const BENCH_DIR = path.join(ROOT, '.tmp', 'bench');
export const MARKER = '.bench-input.json';
export const SEED = 'bench';

export const scaleDir = (scale: number): string => path.join(BENCH_DIR, `scale-${scale}`);

export interface InputInfo {
	dir: string;
	scale: number;
	seed: string;
	participations: number;
	reused: boolean;
	generateSeconds: number | null;
}

interface Marker {
	scale: number;
	seed: string;
	participations: number;
	seconds: number;
	created: string;
}

function readMarker(dir: string): Marker | null {
	try {
		return JSON.parse(readFileSync(path.join(dir, MARKER), 'utf8')) as Marker;
	} catch {
		return null;
	}
}

/** Data lines of a CSV file (header excluded); quoted newlines are not expected in participations. */
export async function countCsvRows(file: string): Promise<number> {
	let lines = 0;
	let last = 10;
	for await (const chunk of createReadStream(file)) {
		const b = chunk as Buffer;
		for (let i = 0; i < b.length; i++) if (b[i] === 10) lines++;
		if (b.length) last = b[b.length - 1];
	}
	if (last !== 10) lines++;
	return Math.max(0, lines - 1);
}

/**
 * The sample export for a scale: reused when the marker matches (scale and seed), else generated.
 * With `skipGenerate` an existing directory is used as it is (participations counted from the CSV).
 */
export async function ensureInput(
	scale: number,
	opts: { skipGenerate?: boolean; log?: (s: string) => void } = {}
): Promise<InputInfo> {
	const dir = path.join(scaleDir(scale), 'input');
	const log = opts.log ?? (() => {});
	const marker = readMarker(dir);
	if (marker && marker.scale === scale && marker.seed === SEED)
		return {
			dir,
			scale,
			seed: SEED,
			participations: marker.participations,
			reused: true,
			generateSeconds: marker.seconds
		};
	if (opts.skipGenerate) {
		const file = path.join(dir, 'participations.csv');
		if (!existsSync(file))
			throw new Error(`--skip-generate: ${file} does not exist (run once without --skip-generate)`);
		return {
			dir,
			scale,
			seed: '?',
			participations: await countCsvRows(file),
			reused: true,
			generateSeconds: null
		};
	}
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	log(`generating the sample at scale ${scale} into ${path.relative(ROOT, dir)} …`);
	const t0 = performance.now();
	const summary = await generate({ scale, seed: SEED, outDir: dir });
	const seconds = (performance.now() - t0) / 1000;
	const m: Marker = {
		scale,
		seed: SEED,
		participations: summary.rows.participations,
		seconds,
		created: new Date().toISOString()
	};
	writeFileSync(path.join(dir, MARKER), JSON.stringify(m, null, '\t'));
	return {
		dir,
		scale,
		seed: SEED,
		participations: m.participations,
		reused: false,
		generateSeconds: seconds
	};
}

export interface BuildInfo {
	wallSeconds: number;
	rowsPerSecond: number;
	peakRssBytes: number;
	peakHwmBytes: number;
	peakTreeRssBytes: number;
	/** Release output directory (holds releases.json and <version>/). */
	outDir: string;
	version: string;
	/** Stage timings printed by data:build ("  stage: 1.23 s"), in seconds. */
	stages: Record<string, number>;
	/** CPU seconds of each stage (every thread of the build's process), with `total`. */
	stageCpu: Record<string, number>;
	/** Bytes of the browser files (raw .arrow and their brotli siblings) per table. */
	browserTables: { name: string; rows: number; bytes: number; br: number | null }[];
}

interface ManifestTable {
	file: string;
	rows: number;
	bytes: number;
	br?: string;
}

export function readReleasesJson(outDir: string): { version: string; path: string } {
	const json = JSON.parse(readFileSync(path.join(outDir, 'releases.json'), 'utf8')) as
		{ releases: { version: string; path: string }[] } | { version: string; path: string }[];
	const list = Array.isArray(json) ? json : json.releases;
	if (!list?.length) throw new Error(`${outDir}/releases.json lists no release`);
	return list[0];
}

export function browserTables(releaseDir: string): BuildInfo['browserTables'] {
	const dir = path.join(releaseDir, 'browser');
	const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
		tables: Record<string, ManifestTable>;
	};
	const files = new Set(readdirSync(dir));
	return Object.entries(manifest.tables).map(([name, t]) => ({
		name,
		rows: t.rows,
		bytes: t.bytes,
		br: t.br && files.has(t.br) ? Number(readFileSync(path.join(dir, t.br)).byteLength) : null
	}));
}

const STAGE_LINE = /^\s+([^:\n]{1,60}): (\d+(?:\.\d+)?) s(?: \(CPU (\d+(?:\.\d+)?) s\))?\s*$/gm;

/** Stage timings from data:build's output: lines like "  transform: 12.34 s" (the total line excluded). */
export function parseStages(stdout: string): Record<string, number> {
	const out: Record<string, number> = {};
	for (const m of stdout.matchAll(STAGE_LINE)) if (m[1].trim() !== 'total') out[m[1].trim()] = Number(m[2]);
	return out;
}

/** CPU seconds of the stages that print them ("  transform: 12.34 s (CPU 22.1 s)"), the total included. */
export function parseStageCpu(stdout: string): Record<string, number> {
	const out: Record<string, number> = {};
	for (const m of stdout.matchAll(STAGE_LINE)) if (m[3] !== undefined) out[m[1].trim()] = Number(m[3]);
	return out;
}

/** Run `data:build` (tsx scripts/release/cli.ts) on the input into a fresh output directory. */
export async function runDataBuild(
	input: InputInfo,
	opts: { log?: (s: string) => void } = {}
): Promise<BuildInfo> {
	const outDir = path.join(scaleDir(input.scale), 'release');
	rmSync(outDir, { recursive: true, force: true });
	const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
	opts.log?.(`data:build ${path.relative(ROOT, input.dir)} → ${path.relative(ROOT, outDir)} …`);
	const r = await runMeasured(tsx, ['scripts/release/cli.ts', '--input', input.dir, '--out', outDir], {
		cwd: ROOT
	});
	writeFileSync(path.join(scaleDir(input.scale), 'data-build.log'), `${r.stdout}\n${r.stderr}`);
	if (r.code !== 0) {
		const tail = (r.stderr || r.stdout).trim().split('\n').slice(-8).join('\n');
		throw new Error(`data:build exited with code ${r.code}:\n${tail}`);
	}
	const rel = readReleasesJson(outDir);
	const wallSeconds = r.wallMs / 1000;
	return {
		wallSeconds,
		rowsPerSecond: input.participations / wallSeconds,
		peakRssBytes: r.peakRssBytes,
		peakHwmBytes: r.peakHwmBytes,
		peakTreeRssBytes: r.peakTreeRssBytes,
		outDir,
		version: rel.version,
		// The stage timings go to stderr (progress), the summary to stdout: read both.
		stages: parseStages(`${r.stdout}\n${r.stderr}`),
		stageCpu: parseStageCpu(`${r.stdout}\n${r.stderr}`),
		browserTables: browserTables(path.join(outDir, rel.path))
	};
}

/** An already built release of this scale (for --only browser|engines). */
export function existingRelease(scale: number): { outDir: string; version: string; dir: string } | null {
	const outDir = path.join(scaleDir(scale), 'release');
	if (!existsSync(path.join(outDir, 'releases.json'))) return null;
	const rel = readReleasesJson(outDir);
	return { outDir, version: rel.version, dir: path.join(outDir, rel.path) };
}
