/** Frictionless Data Package v1 descriptor for a release (Table Schema per Parquet/CSV resource). */
import * as codes from '../../src/lib/schema/codes';
import type { PublicColumn, PublicTable, SqlType } from '../../src/lib/schema/public';

const FRICTIONLESS_TYPE: Record<SqlType, string> = {
	VARCHAR: 'string',
	INTEGER: 'integer',
	BIGINT: 'integer',
	DOUBLE: 'number',
	BOOLEAN: 'boolean',
	DATE: 'date',
	TIMESTAMP: 'datetime'
};

export interface ResourceFile {
	table: PublicTable;
	format: 'parquet' | 'csv';
	path: string;
	bytes: number;
	sha256: string;
	rows: number;
}

export interface DataPackageInput {
	version: string;
	created: string;
	dataAsOf: string;
	temporal: { start: string; end: string };
	region: { code: string; name_zh: string; name_en: string; time_bank_zh: string; time_bank_en: string };
	site: { publisher_zh: string; publisher_en: string; contact_url: string };
	referenceSources: unknown[];
	files: ResourceFile[];
	report: { path: string; bytes: number; sha256: string };
	privacy: unknown;
}

const enumOf = (name?: string): string[] | undefined => {
	if (!name) return undefined;
	const list = (codes as unknown as Record<string, unknown>)[name];
	return Array.isArray(list) ? (list as { code: string }[]).map((c) => c.code) : undefined;
};

function field(c: PublicColumn, format: 'parquet' | 'csv') {
	const type = FRICTIONLESS_TYPE[c.type];
	const en = enumOf(c.codes);
	return {
		name: c.name,
		type,
		...(type === 'datetime' && format === 'csv' ? { format: '%Y-%m-%d %H:%M:%S' } : {}),
		title: c.zh,
		description: `${c.zh} / ${c.en}`,
		descriptions: { zh: c.zh, en: c.en },
		...(c.unit ? { unit: c.unit } : {}),
		constraints: { required: !c.nullable, ...(en ? { enum: en } : {}) }
	};
}

export function buildDataPackage(p: DataPackageInput): Record<string, unknown> {
	const resources: Record<string, unknown>[] = p.files.map((f) => ({
		name: `${f.table.name}-${f.format}`,
		path: f.path,
		profile: 'tabular-data-resource',
		title: f.table.zh,
		title_en: f.table.en,
		format: f.format,
		mediatype: f.format === 'csv' ? 'text/csv' : 'application/vnd.apache.parquet',
		...(f.format === 'csv'
			? {
					encoding: 'utf-8',
					dialect: { delimiter: ',', header: true, doubleQuote: true },
					description:
						'UTF-8（带BOM，便于Excel打开）；以 = + - @ 开头的文本值前加单引号以防公式注入 / UTF-8 with BOM for Excel; text values starting with = + - @ are prefixed with a single quote against formula injection'
				}
			: {}),
		bytes: f.bytes,
		hash: `sha256:${f.sha256}`,
		rows: f.rows,
		schema: {
			fields: f.table.columns.map((c) => field(c, f.format)),
			// Roll-up tables (NULL = all) have no primary key.
			...(f.table.primaryKey.length ? { primaryKey: f.table.primaryKey } : {}),
			...(f.table.foreignKeys?.length
				? {
						foreignKeys: f.table.foreignKeys.map((k) => ({
							fields: k.fields,
							reference: { resource: `${k.table}-${f.format}`, fields: k.fieldsRef }
						}))
					}
				: {})
		}
	}));
	resources.push({
		name: 'validation-report',
		path: p.report.path,
		title: '校验报告',
		title_en: 'Validation report',
		format: 'json',
		mediatype: 'application/json',
		encoding: 'utf-8',
		bytes: p.report.bytes,
		hash: `sha256:${p.report.sha256}`
	});
	return {
		profile: 'tabular-data-package',
		name: `timebank-${p.region.code}`,
		id: `timebank-${p.region.code}-${p.version}`,
		title: `${p.region.time_bank_zh}开放数据`,
		title_en: `${p.region.time_bank_en} open data`,
		titles: { zh: `${p.region.time_bank_zh}开放数据`, en: `${p.region.time_bank_en} open data` },
		description:
			'志愿服务时间银行的假名化、小样本隐去后的开放数据 / Pseudonymised, small-cell-suppressed open data of a volunteer time bank',
		version: p.version,
		created: p.created,
		dataAsOf: p.dataAsOf,
		temporalCoverage: p.temporal,
		spatialCoverage: { code: p.region.code, name_zh: p.region.name_zh, name_en: p.region.name_en },
		licenses: [
			{
				name: 'CC-BY-4.0',
				path: 'https://creativecommons.org/licenses/by/4.0/',
				title: 'Creative Commons Attribution 4.0 International'
			}
		],
		sources: [
			{ title: p.region.time_bank_zh, title_en: p.region.time_bank_en, role: 'exporting time bank' },
			...p.referenceSources
		],
		contributors: [
			{
				title: p.site.publisher_zh,
				title_en: p.site.publisher_en,
				role: 'publisher',
				path: p.site.contact_url
			}
		],
		privacy: p.privacy,
		resources
	};
}
