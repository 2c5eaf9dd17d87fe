import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INPUT_TABLES, PERSONAL_COLUMNS } from '../../src/lib/schema/input';
import { CATEGORIES } from '../../src/lib/schema/codes';
import { README_PATH, renderInputDocs } from './input-docs';

describe('data/README.md', () => {
	const text = renderInputDocs();

	it('is up to date with the generator (run `npm run docs:input` if this fails)', () => {
		expect(readFileSync(README_PATH, 'utf8')).toBe(text);
	});

	it('documents every file, column, personal-data column and code', () => {
		for (const t of INPUT_TABLES) {
			expect(text).toContain(`### \`${t.file}\``);
			expect(text).toContain(`\`${t.columns.map((c) => c.name).join(',')}\``);
			for (const c of t.columns) expect(text).toMatch(new RegExp(`\\| \`${c.name}\` \\| ${c.type} \\|`));
		}
		for (const p of PERSONAL_COLUMNS) expect(text).toContain(`| \`${p.name}\` | ${p.zh} | ${p.en} |`);
		for (const c of CATEGORIES) expect(text).toContain(`| \`${c.code}\` | ${c.zh} | ${c.en} |`);
		expect(text).toContain('--drop-personal');
		expect(text).toMatch(/GBK/);
		expect(text).toContain('2024年03月05日 14:30');
	});

	it('is deterministic and describes the reference data with licences', () => {
		expect(renderInputDocs()).toBe(text);
		expect(text).toMatch(/\| calendar\.csv \| \d+ \|/);
		expect(text).toContain('WTFPL');
		expect(text).toContain('data/regions/<code>.json');
	});
});
