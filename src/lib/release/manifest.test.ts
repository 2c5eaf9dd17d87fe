import { describe, expect, it } from 'vitest';
import {
	loadManifest,
	loadReleases,
	pickRelease,
	tableUrl,
	type Manifest,
	type ReleasesIndex
} from './manifest';

const index: ReleasesIndex = {
	releases: [
		{
			version: 'b',
			created: '2025-02-01',
			data_as_of: '2025-01-31',
			path: 'b',
			manifest: 'b/browser/manifest.json',
			region: '4401'
		},
		{
			version: 'a',
			created: '2025-01-01',
			data_as_of: '2024-12-31',
			path: 'a',
			manifest: 'a/browser/manifest.json',
			region: '4401'
		}
	]
};
const manifest = {
	version: 'a',
	tables: { hours: { file: 'hours.0123abcd.arrow' } }
} as unknown as Manifest;
const fake = (files: Record<string, unknown>) => async (url: string) => ({
	ok: url in files,
	status: url in files ? 200 : 404,
	json: async () => files[url]
});

describe('release manifest reader', () => {
	it('reads releases.json, picks the newest or a given version and resolves table URLs', async () => {
		const f = fake({ '/data/releases.json': index, '/data/a/browser/manifest.json': manifest });
		const idx = await loadReleases('/data/', f);
		expect(pickRelease(idx)?.version).toBe('b');
		const a = pickRelease(idx, 'a')!;
		const { manifest: m, baseUrl } = await loadManifest('/data', a, f);
		expect(baseUrl).toBe('/data/a/browser');
		expect(tableUrl(baseUrl, m, 'hours')).toBe('/data/a/browser/hours.0123abcd.arrow');
		expect(() => tableUrl(baseUrl, m, 'nope')).toThrow(/no table nope/);
		expect(pickRelease(idx, 'zzz')).toBeUndefined();
	});

	it('reports a missing or malformed index clearly', async () => {
		await expect(loadReleases('/x', fake({}))).rejects.toThrow(/HTTP 404/);
		await expect(loadReleases('/x', fake({ '/x/releases.json': { releases: 'no' } }))).rejects.toThrow(
			/malformed/
		);
	});
});
