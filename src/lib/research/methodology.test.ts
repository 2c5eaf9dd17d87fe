import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findRegistry, indicatorDocs, sourceDocs } from './methodology';

describe('indicatorDocs', () => {
	it('reads array registries with bilingual objects and SQL functions', () => {
		const registry = [
			{
				id: 'active_rate',
				name: { zh: '活跃率', en: 'Active rate' },
				definition: { zh: '定义', en: 'definition' },
				formula: { zh: '活跃 ÷ 注册', en: 'active ÷ registered' },
				unit: 'share',
				sql: (p: { level: string }) => `SELECT '${p.level}' AS level`,
				seed: { zh: '种子文件 001', en: 'seed 001' }
			},
			{
				id: 'ledger_complete',
				name_zh: '台账完整率',
				name_en: 'Complete ledgers',
				sql: ' SELECT 1 ',
				unit: 'share'
			}
		];
		const docs = indicatorDocs(registry, { ledger_complete: 1 });
		expect(docs).toHaveLength(2);
		expect(docs[0].name).toEqual({ zh: '活跃率', en: 'Active rate' });
		expect(docs[0].sql).toBe("SELECT 'district' AS level");
		expect(docs[0].formula?.en).toBe('active ÷ registered');
		expect(docs[0].target).toBeNull();
		expect(docs[0].seed?.zh).toBe('种子文件 001');
		expect(docs[1].name.en).toBe('Complete ledgers');
		expect(docs[1].sql).toBe('SELECT 1');
		expect(docs[1].target).toEqual({ zh: '≥ 100%', en: '≥ 100%' });
	});

	it('reads record registries and finds the registry among exports', () => {
		const mod = {
			VERSION: 3,
			helper: [1, 2],
			INDICATORS: { hours_per_1k: { name: 'Hours per 1,000', sql: 'SELECT 2' } }
		};
		const reg = findRegistry(mod);
		expect(reg).toBe(mod.INDICATORS);
		expect(indicatorDocs(reg)[0]).toMatchObject({
			id: 'hours_per_1k',
			sql: 'SELECT 2',
			name: { en: 'Hours per 1,000' }
		});
		expect(findRegistry({ a: 1 })).toBeNull();
	});
});

describe('sourceDocs', () => {
	it('lists every file of the reference sources with its licence', () => {
		const raw = JSON.parse(readFileSync('data/reference/4401/sources.json', 'utf8')) as {
			files: Record<string, { licence: string }>;
		};
		const docs = sourceDocs(raw);
		expect(docs.map((d) => d.file).sort()).toEqual(Object.keys(raw.files).sort());
		for (const d of docs) expect(d.licence).toBe(raw.files[d.file].licence);
		expect(sourceDocs(null)).toEqual([]);
	});
});
