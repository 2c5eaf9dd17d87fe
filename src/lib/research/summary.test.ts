import { describe, expect, it } from 'vitest';
import { districtSummary, relativeChange, targetOutcome, type DistrictFigures } from './summary';

const base: DistrictFigures = {
	name_zh: '天河区',
	name_en: 'Tianhe',
	year: 2025,
	volunteers: 12345,
	active_rate: 0.382,
	hours: 45678.4,
	person_times: 9876,
	previous: { volunteers: 12000, hours: 40000, person_times: 10500 },
	indicators: [
		{ id: 'ledger_complete', name_zh: '台账完整率', name_en: 'Complete ledgers', value: 1, target: 1 },
		{
			id: 'share_meeting_20h',
			name_zh: '服务满20小时比例',
			name_en: 'Share with 20 h',
			value: 0.62,
			target: 1
		},
		{
			id: 'party_2_services',
			name_zh: '报到党员服务2次',
			name_en: 'Party members with 2 services',
			value: null,
			target: 1,
			suppressed: true
		},
		{ id: 'active_rate', name_zh: '活跃率', name_en: 'Active rate', value: 0.38, target: null }
	]
};

describe('districtSummary', () => {
	it('Chinese paragraph states the figures, the change and the targets', () => {
		const s = districtSummary(base, 'zh');
		expect(s).toContain('2025年，天河区共有注册志愿者12,345名');
		expect(s).toContain('38.2%');
		expect(s).toContain('45,678小时');
		expect(s).toContain('9,876人次');
		// 45678.4 / 40000 − 1 = 14.2 %; 9876 / 10500 − 1 = −5.9 %
		expect(s).toContain('服务时数增加14.2%');
		expect(s).toContain('服务人次减少5.9%');
		expect(s).toContain('与2024年相比');
		expect(s).toContain(
			'在3项有目标值的考核指标中，1项达标，1项未达标（“服务满20小时比例”），1项因人数过少未公布'
		);
		expect(s).not.toContain('活跃率');
	});

	it('English paragraph says the same', () => {
		const s = districtSummary(base, 'en');
		expect(s).toMatch(/^In 2025, Tianhe had 12,345 registered volunteers; 38\.2% of them/);
		expect(s).toContain('45,678 confirmed hours');
		expect(s).toContain('hours rose by 14.2%');
		expect(s).toContain('person-times fell by 5.9%');
		expect(s).toContain(
			'Of the 3 indicators with a target, 1 was met, 1 missed (“Share with 20 h”), 1 withheld for small numbers.'
		);
	});

	it('withheld or missing figures are never shown as 0', () => {
		const f: DistrictFigures = { ...base, volunteers: null, hours: null, previous: null, indicators: [] };
		const zh = districtSummary(f, 'zh');
		const en = districtSummary(f, 'en');
		expect(zh).toContain('注册志愿者人数（人数过少，未公布）');
		expect(zh).toContain('确认服务时数（人数过少，未公布）');
		expect(zh).not.toMatch(/\b0小时/);
		expect(zh).not.toContain('相比');
		expect(en).toContain('withheld');
		expect(en).not.toContain('Compared');
		expect(en).not.toContain('indicators with a target');
	});

	it('helpers', () => {
		expect(relativeChange(110, 100)).toBeCloseTo(0.1);
		expect(relativeChange(5, 0)).toBeNull();
		expect(relativeChange(null, 3)).toBeNull();
		expect(targetOutcome({ id: 'x', name_zh: '', name_en: '', value: 99, target: 100 })).toBe('missed');
		expect(
			targetOutcome({ id: 'x', name_zh: '', name_en: '', value: 3, target: 5, higherIsBetter: false })
		).toBe('met');
	});
});
