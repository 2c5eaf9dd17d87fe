/**
 * Everything the /data page derives from a release's `datapackage.json` (pure; browser- and Node-safe):
 * the data dictionary, the schema.org `Dataset` JSON-LD, the suggested citation and a changelog between
 * two releases. The data package is the single source: nothing here repeats the schema by hand.
 */
import * as codes from '$lib/schema/codes';

export type Lang = 'zh' | 'en';

export interface DpField {
	name: string;
	type: string;
	format?: string;
	title?: string;
	description?: string;
	descriptions?: { zh?: string; en?: string };
	unit?: string;
	constraints?: { required?: boolean; enum?: string[] };
}

export interface DpResource {
	name: string;
	path: string;
	title?: string;
	title_en?: string;
	format?: string;
	mediatype?: string;
	bytes?: number;
	hash?: string;
	rows?: number;
	description?: string;
	schema?: {
		fields: DpField[];
		primaryKey?: string[] | string;
		foreignKeys?: { fields: string[] | string; reference: { resource: string; fields: string[] | string } }[];
	};
}

export interface DataPackage {
	name?: string;
	id?: string;
	title?: string;
	title_en?: string;
	titles?: { zh?: string; en?: string };
	description?: string;
	version?: string;
	created?: string;
	dataAsOf?: string;
	temporalCoverage?: { start?: string; end?: string };
	spatialCoverage?: { code?: string; name_zh?: string; name_en?: string };
	licenses?: { name?: string; path?: string; title?: string }[];
	sources?: { title?: string; title_en?: string; path?: string; role?: string }[];
	contributors?: { title?: string; title_en?: string; role?: string; path?: string }[];
	resources: DpResource[];
}

export interface DictionaryField {
	name: string;
	type: string;
	unit: string | null;
	description: string;
	required: boolean;
	/** Code list with labels when the field has an enum constraint. */
	codes: { code: string; label: string }[] | null;
}

export interface DictionaryTable {
	/** Table name (the resource name without its "-parquet"/"-csv" suffix). */
	table: string;
	title: string;
	rows: number | null;
	formats: string[];
	primaryKey: string[];
	foreignKeys: { fields: string[]; table: string; fieldsRef: string[] }[];
	fields: DictionaryField[];
}

const asList = (x: string[] | string | undefined): string[] =>
	x === undefined ? [] : Array.isArray(x) ? x : [x];

/** The table a resource belongs to: "hours-parquet" → "hours". */
export const tableOfResource = (name: string): string => name.replace(/-(parquet|csv|arrow|json)$/, '');

type CodeEntry = { code: string; zh: string; en: string };
const CODE_LISTS: (readonly CodeEntry[])[] = (Object.values(codes) as unknown[]).filter(
	(v): v is readonly CodeEntry[] =>
		Array.isArray(v) &&
		v.length > 0 &&
		typeof v[0] === 'object' &&
		v[0] !== null &&
		'code' in v[0] &&
		'zh' in v[0]
);

/** Label an enum: the code list whose codes are exactly the enum gives zh/en labels; else the codes stand alone. */
function labelCodes(values: string[], lang: Lang): { code: string; label: string }[] {
	const set = new Set(values);
	const list = CODE_LISTS.find((l) => l.length === set.size && l.every((c) => set.has(c.code)));
	const byCode = new Map(list?.map((c) => [c.code, c]));
	return values.map((code) => {
		const c = byCode.get(code);
		return { code, label: c ? c[lang] : code };
	});
}

function fieldDescription(f: DpField, lang: Lang): string {
	if (f.descriptions?.[lang]) return f.descriptions[lang];
	const d = f.description ?? f.title ?? '';
	// "中文 / English" descriptions: pick the side of the language.
	const parts = d.split(' / ');
	return parts.length === 2 ? parts[lang === 'zh' ? 0 : 1] : d;
}

/** The data dictionary of a data package: one entry per table (tabular resources that share a schema merged). */
export function dictionaryFromDataPackage(dp: DataPackage, lang: Lang): DictionaryTable[] {
	const out = new Map<string, DictionaryTable>();
	for (const r of dp.resources) {
		if (!r.schema?.fields?.length) continue;
		const table = tableOfResource(r.name);
		const existing = out.get(table);
		if (existing) {
			if (r.format && !existing.formats.includes(r.format)) existing.formats.push(r.format);
			continue;
		}
		out.set(table, {
			table,
			title: (lang === 'en' ? r.title_en : r.title) ?? r.title ?? table,
			rows: typeof r.rows === 'number' ? r.rows : null,
			formats: r.format ? [r.format] : [],
			primaryKey: asList(r.schema.primaryKey),
			foreignKeys: (r.schema.foreignKeys ?? []).map((k) => ({
				fields: asList(k.fields),
				table: tableOfResource(k.reference.resource),
				fieldsRef: asList(k.reference.fields)
			})),
			fields: r.schema.fields.map((f) => ({
				name: f.name,
				type: f.type,
				unit: f.unit ?? null,
				description: fieldDescription(f, lang),
				required: f.constraints?.required ?? false,
				codes: f.constraints?.enum?.length ? labelCodes(f.constraints.enum, lang) : null
			}))
		});
	}
	return [...out.values()];
}

/** "sha256:abc…" → "abc…". */
export const sha256Of = (hash: string | undefined): string | null =>
	hash && /^sha256:[0-9a-f]{64}$/i.test(hash)
		? hash.slice(7).toLowerCase()
		: hash && /^[0-9a-f]{64}$/i.test(hash)
			? hash
			: null;

export interface ReleaseRef {
	version: string;
	created: string;
	data_as_of: string;
	path: string;
}

const join = (a: string, b: string) => `${a.replace(/\/+$/, '')}/${b.replace(/^\/+/, '')}`;

/** Absolute (or site-rooted when `origin` is empty) URL of a release file. */
export const releaseFileUrl = (origin: string, release: ReleaseRef, file: string): string =>
	join(`${origin}/data/${release.path}`, file);

const title = (dp: DataPackage, lang: Lang) =>
	(lang === 'en' ? (dp.titles?.en ?? dp.title_en) : (dp.titles?.zh ?? dp.title)) ??
	dp.title ??
	dp.name ??
	'dataset';

const publisher = (dp: DataPackage, lang: Lang) => {
	const p = dp.contributors?.find((c) => c.role === 'publisher') ?? dp.contributors?.[0];
	return p ? ((lang === 'en' ? p.title_en : p.title) ?? p.title ?? '') : '';
};

/** schema.org `Dataset` (JSON-LD) naming every resource of the package as a `DataDownload` distribution. */
export function datasetJsonLd(
	dp: DataPackage,
	release: ReleaseRef,
	origin: string,
	lang: Lang
): Record<string, unknown> {
	const licence = dp.licenses?.[0];
	const pub = publisher(dp, lang);
	const descParts = (dp.description ?? '').split(' / ');
	const description =
		descParts.length === 2 ? descParts[lang === 'zh' ? 0 : 1] : (dp.description ?? title(dp, lang));
	const files = [
		...dp.resources.map((r) => ({
			name: r.name,
			path: r.path,
			format: r.mediatype ?? r.format ?? 'application/octet-stream',
			bytes: r.bytes,
			sha: sha256Of(r.hash),
			title: (lang === 'en' ? r.title_en : r.title) ?? r.name
		})),
		{
			name: 'datapackage',
			path: 'datapackage.json',
			format: 'application/json',
			bytes: undefined,
			sha: null,
			title: 'datapackage.json'
		}
	];
	return {
		'@context': 'https://schema.org/',
		'@type': 'Dataset',
		name: title(dp, lang),
		description:
			description.length >= 50 ? description : `${description} — ${title(dp, lang)} ${release.version}`,
		version: release.version,
		identifier: dp.id ?? `${dp.name ?? 'dataset'}-${release.version}`,
		url: `${origin}${lang === 'en' ? '/en' : ''}/data/`,
		inLanguage: lang === 'en' ? 'en' : 'zh-CN',
		dateCreated: release.created,
		dateModified: release.created,
		...(dp.temporalCoverage?.start && dp.temporalCoverage?.end
			? { temporalCoverage: `${dp.temporalCoverage.start}/${dp.temporalCoverage.end}` }
			: {}),
		...(dp.spatialCoverage
			? {
					spatialCoverage: {
						'@type': 'Place',
						name:
							(lang === 'en' ? dp.spatialCoverage.name_en : dp.spatialCoverage.name_zh) ??
							dp.spatialCoverage.code
					}
				}
			: {}),
		...(licence?.path ? { license: licence.path } : {}),
		...(pub
			? { publisher: { '@type': 'Organization', name: pub }, creator: { '@type': 'Organization', name: pub } }
			: {}),
		isAccessibleForFree: true,
		keywords:
			lang === 'en' ? ['volunteering', 'time bank', 'open data'] : ['志愿服务', '时间银行', '开放数据'],
		distribution: files.map((f) => ({
			'@type': 'DataDownload',
			name: f.title === f.name ? f.name : `${f.name} — ${f.title}`,
			contentUrl: releaseFileUrl(origin, release, f.path),
			encodingFormat: f.format,
			...(typeof f.bytes === 'number' ? { contentSize: `${f.bytes} B` } : {}),
			...(f.sha ? { identifier: `sha256:${f.sha}`, description: `SHA-256 ${f.sha}` } : {})
		}))
	};
}

/** Suggested citation naming the version, the access date left to the reader. */
export function citation(dp: DataPackage, release: ReleaseRef, url: string, lang: Lang): string {
	const pub = publisher(dp, lang);
	const year = release.created.slice(0, 4);
	return lang === 'en'
		? `${pub}${pub ? '. ' : ''}(${year}). ${title(dp, lang)}, version ${release.version} (data as of ${release.data_as_of}) [data set]. ${url}`
		: `${pub}${pub ? '. ' : ''}${title(dp, lang)}（版本 ${release.version}，数据截至 ${release.data_as_of}）[数据集]. ${year}. ${url}`;
}

export interface ChangeItem {
	table: string;
	kind: 'added' | 'removed' | 'rows' | 'fields';
	before?: number;
	after?: number;
	fields?: { added: string[]; removed: string[] };
}

/** What changed from `previous` to `current`: tables added/removed, row counts, fields added/removed. */
export function changelog(current: DataPackage, previous: DataPackage | null): ChangeItem[] {
	if (!previous) return [];
	const tables = (dp: DataPackage) => new Map(dictionaryFromDataPackage(dp, 'en').map((t) => [t.table, t]));
	const a = tables(previous);
	const b = tables(current);
	const out: ChangeItem[] = [];
	for (const [name, t] of b) {
		const old = a.get(name);
		if (!old) {
			out.push({ table: name, kind: 'added', after: t.rows ?? undefined });
			continue;
		}
		const oldNames = new Set(old.fields.map((f) => f.name));
		const newNames = new Set(t.fields.map((f) => f.name));
		const added = [...newNames].filter((n) => !oldNames.has(n));
		const removed = [...oldNames].filter((n) => !newNames.has(n));
		if (added.length || removed.length) out.push({ table: name, kind: 'fields', fields: { added, removed } });
		if (old.rows !== t.rows)
			out.push({ table: name, kind: 'rows', before: old.rows ?? 0, after: t.rows ?? 0 });
	}
	for (const name of a.keys()) if (!b.has(name)) out.push({ table: name, kind: 'removed' });
	return out;
}
