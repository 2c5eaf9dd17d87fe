/**
 * The release layout as the pages see it (no Node imports: usable in the browser).
 *
 *   OUT/releases.json                      ReleasesIndex, newest first
 *   OUT/<version>/browser/manifest.json    Manifest: logical table → Arrow IPC stream file
 *   OUT/<version>/browser/<table>.<sha256-8>.arrow (+ .br, .gz)
 *   OUT/<version>/parquet/<table>.parquet, csv/<table>.csv, datapackage.json, SHA256SUMS,
 *   validation-report.json
 */

export const RELEASES_FILE = 'releases.json';
export const MANIFEST_FILE = 'browser/manifest.json';

export interface ReleaseEntry {
	version: string;
	/** ISO timestamp of the build. */
	created: string;
	/** Latest activity date in the data (YYYY-MM-DD). */
	data_as_of: string;
	/** Directory of the release, relative to releases.json. */
	path: string;
	/** Manifest, relative to releases.json. */
	manifest: string;
	region: string;
}

export interface ReleasesIndex {
	releases: ReleaseEntry[];
}

export interface ManifestColumn {
	name: string;
	/** DuckDB type from src/lib/schema/public.ts. */
	type: string;
	nullable: boolean;
}

export interface ManifestTable {
	/** File name relative to the manifest (content-hashed: `<table>.<sha256-8>.arrow`). */
	file: string;
	rows: number;
	bytes: number;
	sha256: string;
	/** Pre-compressed siblings (same name + `.br` / `.gz`). */
	br: string;
	gz: string;
	/** 'page' tables are loaded for the dashboard; 'on-demand' ones when a view needs them. */
	browser: 'page' | 'on-demand';
	/** The columns of the Arrow file: the table's columns without the downloads-only ones (`browserColumns`). */
	columns: ManifestColumn[];
}

export interface Manifest {
	version: string;
	created: string;
	data_as_of: string;
	region: string;
	format: 'arrow-ipc-stream';
	tables: Record<string, ManifestTable>;
}

type Fetch = (url: string) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;

async function getJson<T>(fetchFn: Fetch, url: string): Promise<T> {
	const r = await fetchFn(url);
	if (!r.ok) throw new Error(`无法读取 ${url}（HTTP ${r.status}） / cannot read ${url} (HTTP ${r.status})`);
	return (await r.json()) as T;
}

export function isReleasesIndex(x: unknown): x is ReleasesIndex {
	return (
		typeof x === 'object' &&
		x !== null &&
		Array.isArray((x as ReleasesIndex).releases) &&
		(x as ReleasesIndex).releases.every((r) => typeof r.version === 'string' && typeof r.path === 'string')
	);
}

/** Read `releases.json` under `base` (e.g. '/data'). */
export async function loadReleases(base: string, fetchFn: Fetch = fetch): Promise<ReleasesIndex> {
	const idx = await getJson<unknown>(fetchFn, join(base, RELEASES_FILE));
	if (!isReleasesIndex(idx)) throw new Error(`${RELEASES_FILE} 格式不对 / ${RELEASES_FILE} is malformed`);
	return idx;
}

/** The release to show: the given version, else the newest. */
export function pickRelease(index: ReleasesIndex, version?: string): ReleaseEntry | undefined {
	return version ? index.releases.find((r) => r.version === version) : index.releases[0];
}

/** Load the manifest of a release; returns it with the URL its file names are relative to. */
export async function loadManifest(
	base: string,
	release: ReleaseEntry,
	fetchFn: Fetch = fetch
): Promise<{ manifest: Manifest; baseUrl: string }> {
	const url = join(base, release.manifest);
	const manifest = await getJson<Manifest>(fetchFn, url);
	return { manifest, baseUrl: url.slice(0, url.lastIndexOf('/')) };
}

/** URL of a table's Arrow file. */
export function tableUrl(baseUrl: string, manifest: Manifest, table: string): string {
	const t = manifest.tables[table];
	if (!t) throw new Error(`发布中没有数据表 ${table} / the release has no table ${table}`);
	return join(baseUrl, t.file);
}
