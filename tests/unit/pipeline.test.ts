/**
 * The whole pipeline on a small generated sample: generator → import/validate → release. The release's
 * `indicators` table is checked against an independent computation written here in plain TypeScript
 * over the generator's raw CSV export (not over the release, and not with the indicator SQL).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../scripts/generate/generate';
import { buildRelease } from '../../scripts/release/build';
import { ACTIVIST_STATUSES } from '../../src/lib/schema/codes';

type Row = Record<string, string>;
const readCsv = (path: string): Row[] =>
	parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), {
		columns: true,
		skip_empty_lines: true
	}) as Row[];

let dir: string;
let input: string;
let out: string;
let releaseDir: string;
const YEAR = 2024;
const start = `${YEAR}-01-01`;
const end = `${YEAR}-12-31`;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'timebank-pipeline-'));
	input = join(dir, 'input');
	out = join(dir, 'out');
	await generate({ scale: 0.02, seed: 4242, outDir: input });
	const r = await buildRelease({
		inputDir: input,
		outDir: out,
		key: Buffer.from('pipeline-test-key-not-secret'),
		log: () => {}
	});
	if (!r.ok) throw new Error(`release failed: ${r.message}`);
	releaseDir = r.path;
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pipeline: generated sample → release', () => {
	const date = (s: string) => s.slice(0, 10);

	function cityIndicators(): Map<string, Row> {
		const rows = readCsv(join(releaseDir, 'csv', 'indicators.csv'));
		const m = new Map<string, Row>();
		for (const r of rows) if (r.level === 'city' && Number(r.year) === YEAR) m.set(r.indicator_id, r);
		return m;
	}

	it('computes city indicators that equal an independent computation from the raw export', () => {
		const districts = readCsv('data/reference/4401/districts.csv');
		const population = districts.reduce((s, d) => s + Number(d.population), 0);
		const volunteers = readCsv(join(input, 'volunteers.csv'));
		const activities = readCsv(join(input, 'activities.csv'));
		const parts = readCsv(join(input, 'participations.csv'));

		const actInYear = new Map<string, Row>();
		for (const a of activities)
			if (date(a.start_at) >= start && date(a.start_at) <= end) actInYear.set(a.activity_id, a);
		const registeredBy = volunteers.filter((v) => v.registered_at <= end);
		const registeredBefore = volunteers.filter((v) => v.registered_at < start);

		let confirmedHours = 0;
		const hoursByVolunteer = new Map<string, number>();
		const servicesByVolunteer = new Map<string, Set<string>>();
		for (const p of parts) {
			if (!p.confirmed_at || !actInYear.has(p.activity_id)) continue;
			const h = Number(p.hours);
			confirmedHours += h;
			hoursByVolunteer.set(p.volunteer_id, (hoursByVolunteer.get(p.volunteer_id) ?? 0) + h);
			if (!servicesByVolunteer.has(p.volunteer_id)) servicesByVolunteer.set(p.volunteer_id, new Set());
			servicesByVolunteer.get(p.volunteer_id)!.add(p.activity_id);
		}
		const activeRegistered = registeredBy.filter((v) => hoursByVolunteer.has(v.volunteer_id));
		const meeting20 = registeredBefore.filter((v) => (hoursByVolunteer.get(v.volunteer_id) ?? 0) >= 20);
		const activists = registeredBefore.filter((v) => ACTIVIST_STATUSES.includes(v.political_status));
		const activists40 = activists.filter((v) => (hoursByVolunteer.get(v.volunteer_id) ?? 0) >= 40);
		const ledgerItems = ['time', 'content', 'participation', 'outcome', 'photos', 'evaluation'];
		const complete = [...actInYear.values()].filter((a) =>
			ledgerItems.every((i) => a[`ledger_${i}`] === '1')
		);
		const rated = [...actInYear.values()].filter((a) => a.rating !== '');
		const meanRating = rated.reduce((s, a) => s + Number(a.rating), 0) / rated.length;

		const expected: Record<string, number> = {
			volunteers_per_10k: (registeredBy.length / population) * 10_000,
			hours_per_1k: (confirmedHours / population) * 1_000,
			active_rate: activeRegistered.length / registeredBy.length,
			share_meeting_20h: meeting20.length / registeredBefore.length,
			activist_40h: activists40.length / activists.length,
			ledger_complete: complete.length / actInYear.size,
			activity_rating: meanRating
		};
		const got = cityIndicators();
		for (const [id, value] of Object.entries(expected)) {
			const row = got.get(id);
			expect(row, id).toBeDefined();
			expect(row!.suppressed, id).not.toBe('true');
			expect(Number(row!.value), id).toBeCloseTo(value, 9);
		}
		// The sample is calibrated to leave gaps for the assessment to find.
		expect(expected.share_meeting_20h).toBeLessThan(1);
		expect(expected.ledger_complete).toBeLessThan(1);
	});

	it('confirmed_within_5wd follows the PRC working-day calendar (independent count)', () => {
		const cal = readCsv('data/reference/4401/calendar.csv');
		const workdays = cal.filter((c) => c.is_workday === 'true').map((c) => c.date);
		const activities = new Map(readCsv(join(input, 'activities.csv')).map((a) => [a.activity_id, a]));
		let onTime = 0;
		let confirmed = 0;
		for (const p of readCsv(join(input, 'participations.csv'))) {
			const a = activities.get(p.activity_id)!;
			if (!p.confirmed_at || date(a.start_at) < start || date(a.start_at) > end) continue;
			confirmed++;
			const endDay = date(a.end_at);
			// the 5th working day strictly after the end date
			const after = workdays.filter((d) => d > endDay);
			const deadline = after[4];
			if (date(p.confirmed_at) <= deadline) onTime++;
		}
		const row = cityIndicators().get('confirmed_within_5wd')!;
		expect(Number(row.value)).toBeCloseTo(onTime / confirmed, 9);
		expect(onTime).toBeLessThan(confirmed);
	});

	it('publishes no personal data and only pseudonymous volunteer ids', () => {
		const rawIds = new Set(readCsv(join(input, 'volunteers.csv')).map((v) => v.volunteer_id));
		const published = readCsv(join(releaseDir, 'csv', 'volunteers.csv'));
		expect(published.length).toBe(rawIds.size);
		for (const v of published) expect(rawIds.has(v.volunteer_id)).toBe(false);
		expect(Object.keys(published[0])).not.toContain('birth_date');
		const phone = /(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)/;
		const idCard = /(^|[^0-9])[1-9][0-9]{16}[0-9Xx]([^0-9]|$)/;
		const files: string[] = [];
		const walk = (d: string) => {
			for (const f of readdirSync(d)) {
				const p = join(d, f);
				if (statSync(p).isDirectory()) walk(p);
				else files.push(p);
			}
		};
		walk(releaseDir);
		const texts = files.filter((f) => /\.(csv|json)$|SHA256SUMS$/.test(f));
		expect(texts.length).toBeGreaterThan(10);
		for (const f of texts) {
			// SHA-256 digests (SHA256SUMS, datapackage.json, manifest.json) are hex: a run of 11 digits in one is
			// not a phone number. Everything else is scanned.
			const text = readFileSync(f, 'utf8').replace(/\b[0-9a-f]{64}\b/g, '#');
			expect(phone.test(text), f).toBe(false);
			expect(idCard.test(text), f).toBe(false);
		}
	});

	it('the data package lists every published file with its real size', () => {
		const dp = JSON.parse(readFileSync(join(releaseDir, 'datapackage.json'), 'utf8')) as {
			resources: { path: string; bytes: number; hash: string }[];
		};
		expect(dp.resources.length).toBeGreaterThanOrEqual(28);
		for (const r of dp.resources) expect(statSync(join(releaseDir, r.path)).size, r.path).toBe(r.bytes);
	});
});
