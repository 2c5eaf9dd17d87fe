/**
 * Build-time catalog of the releases for the /data page (Node only): reads static/data/releases.json and
 * each release's datapackage.json and SHA256SUMS. Nothing is fetched at run time: the page works without
 * JavaScript.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { changelog, type ChangeItem, type DataPackage, type ReleaseRef } from '../research/datapackage';

export interface CatalogFile {
	/** Path relative to the release directory. */
	path: string;
	bytes: number;
	sha256: string;
}

export interface CatalogRelease extends ReleaseRef {
	/** The data package, or null when the release has none (then only SHA256SUMS files are listed). */
	datapackage: DataPackage | null;
	datapackageFile: CatalogFile | null;
	sumsFile: CatalogFile | null;
	/** Files listed in SHA256SUMS (path → sha256). */
	sums: Record<string, string>;
	licence: { name: string; path: string | null; title: string | null } | null;
	changes: ChangeItem[];
}

const DATA_DIR = () => path.resolve(process.env.TIMEBANK_DATA_DIR ?? 'static/data');

function fileInfo(dir: string, rel: string): CatalogFile | null {
	const p = path.join(dir, rel);
	if (!existsSync(p)) return null;
	const buf = readFileSync(p);
	return { path: rel, bytes: statSync(p).size, sha256: createHash('sha256').update(buf).digest('hex') };
}

/** `sha256sum` output: "<hex>  <path>" per line (a "*" before the path marks binary mode). */
export function parseSha256Sums(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const line of text.split(/\r?\n/)) {
		const m = /^([0-9a-f]{64}) [ *]?(.+)$/i.exec(line.trim());
		if (m) out[m[2]] = m[1].toLowerCase();
	}
	return out;
}

/** Read releases.json: an array of releases or `{ releases: [...] }`, newest first. */
export function readReleaseList(dataDir = DATA_DIR()): ReleaseRef[] {
	const file = path.join(dataDir, 'releases.json');
	if (!existsSync(file))
		throw new Error(
			`${file} is missing: build a release first (npm run data:build -- --input DIR --out static/data)`
		);
	const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
	const list = (Array.isArray(raw) ? raw : (raw as { releases?: unknown[] }).releases) as
		ReleaseRef[] | undefined;
	if (!Array.isArray(list)) throw new Error(`${file}: expected an array of releases or { releases: [...] }`);
	return list.map((r) => ({
		version: r.version,
		created: r.created,
		data_as_of: r.data_as_of,
		path: r.path ?? r.version
	}));
}

let cached: { dir: string; value: CatalogRelease[] } | null = null;

/** Every release with its data package, checksums and changes against the previous release. */
export function releaseCatalog(dataDir = DATA_DIR()): CatalogRelease[] {
	if (cached?.dir === dataDir) return cached.value;
	const list = readReleaseList(dataDir);
	const out: CatalogRelease[] = list.map((r) => {
		const dir = path.join(dataDir, r.path);
		const dpPath = path.join(dir, 'datapackage.json');
		const datapackage = existsSync(dpPath) ? (JSON.parse(readFileSync(dpPath, 'utf8')) as DataPackage) : null;
		const sumsPath = path.join(dir, 'SHA256SUMS');
		const sums = existsSync(sumsPath) ? parseSha256Sums(readFileSync(sumsPath, 'utf8')) : {};
		const lic = datapackage?.licenses?.[0];
		return {
			...r,
			datapackage,
			datapackageFile: fileInfo(dir, 'datapackage.json'),
			sumsFile: fileInfo(dir, 'SHA256SUMS'),
			sums,
			licence: lic
				? { name: lic.name ?? lic.title ?? '', path: lic.path ?? null, title: lic.title ?? null }
				: null,
			changes: []
		};
	});
	for (let i = 0; i < out.length; i++) {
		const cur = out[i].datapackage;
		const prev = out[i + 1]?.datapackage ?? null;
		if (cur) out[i].changes = changelog(cur, prev);
	}
	cached = { dir: dataDir, value: out };
	return out;
}
