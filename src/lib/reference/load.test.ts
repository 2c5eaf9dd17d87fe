import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReference, referenceDir } from './load';

describe('loadReference', () => {
	it('reads the committed Guangzhou reference with typed values', () => {
		const ref = loadReference();
		expect(ref.regionCode).toBe('4401');
		expect(ref.dir).toBe(referenceDir('4401'));
		expect(ref.districts).toHaveLength(11);
		expect(ref.streets).toHaveLength(178);
		expect(ref.communities).toHaveLength(2851);
		expect(typeof ref.districts[0].population).toBe('number');
		expect(typeof ref.calendar[0].is_workday).toBe('boolean');
		expect(typeof ref.calendar[0].workday_index).toBe('number');
		expect(ref.geojsonPath.endsWith(path.join('4401', 'districts.geojson'))).toBe(true);
		expect(loadReference('4401')).toBe(ref); // cached
	});

	it('says how to fix a missing region', () => {
		expect(() => loadReference('4402', mkdtempSync(path.join(tmpdir(), 'ref-none-')))).toThrow(
			/npm run data:reference/
		);
	});

	it('reports the file, row and column of a bad value', () => {
		const base = mkdtempSync(path.join(tmpdir(), 'ref-bad-'));
		try {
			const dir = path.join(base, '4401');
			mkdirSync(dir);
			writeFileSync(
				path.join(dir, 'districts.csv'),
				'district_code,name_zh,name_en,population,population_year\n440103,荔湾区,Liwan,many,2020\n'
			);
			expect(() => loadReference('4401', base)).toThrow(/districts\.csv row 2, column population: "many"/);
		} finally {
			rmSync(base, { recursive: true, force: true });
		}
	});
});
