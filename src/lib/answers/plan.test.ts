import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ANSWER_KEY_LENGTH, answerFiles, answerKey, answerStates, PAGE_SQL, type AnswerSite } from './plan';
import { defaultFilters } from '../components/filters';
import { BENEFICIARY_GROUPS, CATEGORIES } from '../schema/codes';

const site: AnswerSite = {
	defaults: defaultFilters('2025-12-31'),
	districts: [{ code: '440103' }, { code: '440106' }],
	region: { code: '4401', star_bands_hours: [100, 300, 600, 1000, 1500] }
};

describe('prerendered answers plan', () => {
	it("keys an answer by its SQL's SHA-256, as Node's own hash computes it", () => {
		const sqls = [
			...PAGE_SQL.overview({ ...site.defaults, district: '440106' }, site),
			"SELECT '越秀区 · 助老' AS name -- non-ASCII text hashes as UTF-8"
		];
		for (const sql of sqls)
			expect(answerKey(sql)).toBe(
				createHash('sha256').update(sql, 'utf8').digest('hex').slice(0, ANSWER_KEY_LENGTH)
			);
		expect(answerKey(sqls[0])).not.toBe(answerKey(`${sqls[0]} `));
	});

	it('covers each district, category and group one change from the starting view', () => {
		const states = answerStates(site);
		expect(states).toHaveLength(2 + CATEGORIES.length + BENEFICIARY_GROUPS.length);
		const d = states.find((s) => s.name === 'district-440106')!;
		expect(d.filters).toEqual({ ...site.defaults, district: '440106' });
		for (const s of states) expect(s.name).toMatch(/^[a-z]+-[a-z0-9_]+$/);
	});

	it("lists each page's queries once, in files named by page and state", () => {
		const files = answerFiles(site);
		const names = files.map((f) => f.name);
		expect(new Set(names).size).toBe(names.length);
		const all = files.flatMap((f) => f.sql);
		expect(new Set(all).size).toBe(all.length);
		// Every query the overview asks in district 440106 has an answer, most of them in that state's file.
		const f = { ...site.defaults, district: '440106' };
		const overview = files.find((x) => x.name === 'overview.district-440106')!;
		for (const q of PAGE_SQL.overview(f, site)) expect(all).toContain(q);
		expect(overview.sql.length).toBeGreaterThanOrEqual(PAGE_SQL.overview(f, site).length - 1);
		for (const q of overview.sql) expect(PAGE_SQL.overview(f, site)).toContain(q);
		// Every page in every state: each query answered (a query equal to an earlier one, e.g. the map's district
		// table that ignores the district, is in the earlier file only).
		for (const page of Object.keys(PAGE_SQL) as (keyof typeof PAGE_SQL)[])
			for (const st of answerStates(site))
				for (const q of PAGE_SQL[page](st.filters, site)) expect(all).toContain(q);
		// None of the starting view's own queries (they are in the prerendered page).
		expect(all).not.toContain(PAGE_SQL.overview(site.defaults, site)[0]);
	});
});
