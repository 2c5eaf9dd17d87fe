import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataPackage } from '../../../scripts/release/datapackage';
import { PUBLIC_TABLES } from '$lib/schema/public';
import * as codes from '$lib/schema/codes';
import {
	changelog,
	citation,
	datasetJsonLd,
	dictionaryFromDataPackage,
	sha256Of,
	type DataPackage,
	type ReleaseRef
} from './datapackage';
import { parseSha256Sums } from '$lib/server/research';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A data package built by the release code itself (so the test follows the real format). */
function fixturePackage(rowsOf: (t: string) => number = (t) => t.length * 10): DataPackage {
	return buildDataPackage({
		version: '2025.1',
		created: '2026-01-05T00:00:00Z',
		dataAsOf: '2025-12-31',
		temporal: { start: '2019-08-01', end: '2025-12-31' },
		region: {
			code: '4401',
			name_zh: '广州市',
			name_en: 'Guangzhou',
			time_bank_zh: '广州公益时间银行',
			time_bank_en: 'Guangzhou Time Bank'
		},
		site: {
			publisher_zh: '开放数据项目',
			publisher_en: 'Open Data project',
			contact_url: 'mailto:x@example.org'
		},
		referenceSources: [],
		files: PUBLIC_TABLES.flatMap((table) =>
			(['parquet', 'csv'] as const).map((format) => ({
				table,
				format,
				path: `${format}/${table.name}.${format}`,
				bytes: 1000 + table.name.length,
				sha256: sha(`${table.name}.${format}`),
				rows: rowsOf(table.name)
			}))
		),
		report: { path: 'validation-report.json', bytes: 42, sha256: sha('report') },
		privacy: {}
	}) as unknown as DataPackage;
}

const release: ReleaseRef = {
	version: '2025.1',
	created: '2026-01-05T00:00:00Z',
	data_as_of: '2025-12-31',
	path: '2025.1'
};

/** Every field of every tabular resource appears in the dictionary with its type, unit, description and codes. */
function expectDictionaryMatches(dp: DataPackage) {
	for (const lang of ['zh', 'en'] as const) {
		const dict = dictionaryFromDataPackage(dp, lang);
		const tabular = dp.resources.filter((r) => r.schema?.fields?.length);
		const tables = new Set(tabular.map((r) => r.name.replace(/-(parquet|csv)$/, '')));
		expect(dict.map((t) => t.table).sort()).toEqual([...tables].sort());
		for (const r of tabular) {
			const t = dict.find((x) => x.table === r.name.replace(/-(parquet|csv)$/, ''));
			if (!t) throw new Error(`no dictionary entry for ${r.name}`);
			expect(t.formats).toContain(r.format);
			expect(t.rows).toBe(r.rows ?? null);
			expect(t.fields.map((f) => f.name)).toEqual(r.schema!.fields.map((f) => f.name));
			r.schema!.fields.forEach((f, i) => {
				const d = t.fields[i];
				expect(d.type).toBe(f.type);
				expect(d.unit).toBe(f.unit ?? null);
				expect(d.required).toBe(f.constraints?.required ?? false);
				const want = f.descriptions?.[lang];
				if (want) expect(d.description).toBe(want);
				expect(d.codes?.map((c) => c.code) ?? null).toEqual(f.constraints?.enum ?? null);
			});
		}
	}
}

describe('dictionaryFromDataPackage', () => {
	it('matches the data package the release build writes', () => {
		expectDictionaryMatches(fixturePackage());
	});

	it('describes every public table and column, with code-list labels', () => {
		const zh = dictionaryFromDataPackage(fixturePackage(), 'zh');
		const en = dictionaryFromDataPackage(fixturePackage(), 'en');
		for (const t of PUBLIC_TABLES) {
			const dz = zh.find((x) => x.table === t.name)!;
			const de = en.find((x) => x.table === t.name)!;
			expect(dz.formats.sort()).toEqual(['csv', 'parquet']);
			expect(dz.primaryKey).toEqual(t.primaryKey);
			expect(dz.title).toBe(t.zh);
			expect(de.title).toBe(t.en);
			t.columns.forEach((c, i) => {
				expect(dz.fields[i].description).toBe(c.zh);
				expect(de.fields[i].description).toBe(c.en);
			});
		}
		const cat = en.find((t) => t.table === 'activities')!.fields.find((f) => f.name === 'category')!;
		expect(cat.codes).toEqual(codes.CATEGORIES.map((c) => ({ code: c.code, label: c.en })));
		const fk = zh.find((t) => t.table === 'hours')!.foreignKeys;
		expect(fk).toContainEqual({ fields: ['activity_id'], table: 'activities', fieldsRef: ['activity_id'] });
	});

	it('matches the data packages of the releases under static/data, when there are any', () => {
		const dir = path.resolve('static/data');
		const file = path.join(dir, 'releases.json');
		if (!existsSync(file)) return;
		const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
		const list = (Array.isArray(raw) ? raw : (raw as { releases: { path: string }[] }).releases) as {
			path: string;
		}[];
		for (const r of list) {
			const dp = path.join(dir, r.path, 'datapackage.json');
			if (existsSync(dp)) expectDictionaryMatches(JSON.parse(readFileSync(dp, 'utf8')) as DataPackage);
		}
	});
});

describe('datasetJsonLd', () => {
	it('is valid JSON naming every resource as a DataDownload with its checksum', () => {
		const dp = fixturePackage();
		const text = JSON.stringify(datasetJsonLd(dp, release, 'https://example.org', 'en'));
		const ld = JSON.parse(text) as Record<string, unknown> & { distribution: Record<string, string>[] };
		expect(ld['@context']).toBe('https://schema.org/');
		expect(ld['@type']).toBe('Dataset');
		expect(ld.version).toBe('2025.1');
		expect(ld.license).toBe('https://creativecommons.org/licenses/by/4.0/');
		expect(typeof ld.description).toBe('string');
		expect((ld.description as string).length).toBeGreaterThanOrEqual(50);
		for (const r of dp.resources) {
			const d = ld.distribution.find((x) => x.contentUrl === `https://example.org/data/2025.1/${r.path}`);
			if (!d) throw new Error(`resource ${r.name} missing from the JSON-LD`);
			expect(d['@type']).toBe('DataDownload');
			expect(d.encodingFormat).toBe(r.mediatype);
			expect(d.contentSize).toBe(`${r.bytes} B`);
			expect(d.identifier).toBe(r.hash);
		}
		expect(ld.distribution.some((d) => d.contentUrl.endsWith('/datapackage.json'))).toBe(true);
		expect(ld.distribution).toHaveLength(dp.resources.length + 1);
	});
});

describe('citation, checksums and changelog', () => {
	it('the citation names the version and the date of the data', () => {
		const dp = fixturePackage();
		for (const lang of ['zh', 'en'] as const) {
			const c = citation(dp, release, 'https://example.org/data/', lang);
			expect(c).toContain('2025.1');
			expect(c).toContain('2025-12-31');
			expect(c).toContain('https://example.org/data/');
		}
	});

	it('sha256Of and parseSha256Sums', () => {
		const h = sha('x');
		expect(sha256Of(`sha256:${h}`)).toBe(h);
		expect(sha256Of('md5:abc')).toBeNull();
		expect(parseSha256Sums(`${h}  csv/hours.csv\n${sha('y')} *parquet/a b.parquet\n\nbad line`)).toEqual({
			'csv/hours.csv': h,
			'parquet/a b.parquet': sha('y')
		});
	});

	it('the changelog reports row-count and table changes', () => {
		const old = fixturePackage(() => 10);
		const cur = fixturePackage((t) => (t === 'hours' ? 25 : 10));
		expect(changelog(cur, old)).toEqual([{ table: 'hours', kind: 'rows', before: 10, after: 25 }]);
		const fewer = { ...old, resources: old.resources.filter((r) => !r.name.startsWith('trainings-')) };
		expect(changelog(cur, fewer)).toContainEqual({ table: 'trainings', kind: 'added', after: 10 });
		expect(changelog(fewer, cur)).toContainEqual({ table: 'trainings', kind: 'removed' });
		expect(changelog(cur, null)).toEqual([]);
	});
});
