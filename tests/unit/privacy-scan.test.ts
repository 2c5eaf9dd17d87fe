/**
 * Whole-release privacy check over a freshly built small release (generated with synthetic names and
 * phones, built with --drop-personal): no phone or ID numbers, names or exact birth dates in any
 * published file (nor in prerendered pages under build/ when they exist); pseudonyms not reversible
 * without the key; k-anonymity of every table carrying a volunteer's quasi-identifiers; no withheld cell
 * derivable from totals; CSV formula injection neutralised.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../scripts/generate/generate';
import { buildRelease } from '../../scripts/release/build';
import { pseudonym, type PseudonymKind } from '../../scripts/release/pseudonym';
import {
	equivalenceClasses,
	findIdCardNumbers,
	findPhoneNumbers,
	recoverableCells,
	type SumConstraint
} from '../../src/lib/privacy/scan';

const ROOT = join(import.meta.dirname, '../..');
const K = 5;

type Row = Record<string, string>;
const readCsv = (p: string): Row[] => parse(readFileSync(p), { columns: true, bom: true }) as Row[];
const writeCsv = (p: string, rows: Row[]) =>
	writeFileSync(p, stringify(rows, { header: true, columns: Object.keys(rows[0]) }));

const INJECTED_TITLES = [
	'=HYPERLINK("http://example.com","点我")',
	'+1 爱心义剪',
	'-5℃ 送温暖',
	'@SUM(A1:A9)',
	'\t隐藏的标题',
	'报名电话13812345678',
	'登记身份证11010519491231002X'
];
const INJECTED_TEAM = '=cmd|"/C calc"!A0';

let work: string;
let input: string;
let version: string;
let conn: DuckDBConnection;
let instance: DuckDBInstance;
const key = createHash('sha256').update('privacy-scan-release-key').digest();
const otherKey = createHash('sha256').update('some-other-key').digest();
/** Every published file as text (Parquet decoded; .br/.gz checked equal to their Arrow file). */
const texts = new Map<string, string>();
let privacy: Record<string, number>;

const query = async (sql: string) =>
	(await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
const parquet = (t: string) => `read_parquet('${join(version, 'parquet', `${t}.parquet`)}')`;

function walk(dir: string, rel = ''): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? walk(join(dir, e.name), `${rel}${e.name}/`) : [`${rel}${e.name}`]
	);
}

beforeAll(async () => {
	work = mkdtempSync(join(tmpdir(), 'timebank-privacy-'));
	input = join(work, 'in');
	await generate({ scale: 0.01, seed: 'privacy-scan', outDir: input, withPersonal: true });
	// Titles and team names that spreadsheets would run as formulas, or that carry personal numbers.
	const acts = readCsv(join(input, 'activities.csv'));
	INJECTED_TITLES.forEach((t, i) => (acts[i * 7].title = t));
	writeCsv(join(input, 'activities.csv'), acts);
	const teams = readCsv(join(input, 'teams.csv'));
	teams[2].name = INJECTED_TEAM;
	writeCsv(join(input, 'teams.csv'), teams);

	const r = await buildRelease({
		inputDir: input,
		outDir: join(work, 'out'),
		version: 'privacy',
		dropPersonal: true,
		key,
		log: () => {}
	});
	if (!r.ok) throw new Error(r.message);
	version = r.path;
	privacy = r.privacy as unknown as Record<string, number>;

	instance = await DuckDBInstance.create(':memory:');
	conn = await instance.connect();
	for (const f of walk(version)) {
		const p = join(version, f);
		if (f.endsWith('.br') || f.endsWith('.gz')) {
			const raw = readFileSync(p);
			const plain = f.endsWith('.br') ? brotliDecompressSync(raw) : gunzipSync(raw);
			expect(plain.equals(readFileSync(p.slice(0, -3))), f).toBe(true);
		} else if (f.endsWith('.parquet')) {
			const rows = await query(`SELECT * FROM read_parquet('${p}')`);
			texts.set(f, rows.map((x) => Object.values(x).map(String).join('\t')).join('\n'));
		} else texts.set(f, readFileSync(p, 'utf8'));
	}
	// Prerendered pages and their data (when the site was built; build/data/ is a copy of a release, which
	// the fresh release above stands for).
	const build = join(ROOT, 'build');
	if (existsSync(build))
		for (const f of walk(build))
			if (/\.(html|json)$/.test(f) && !f.startsWith('data/'))
				texts.set(`build/${f}`, readFileSync(join(build, f), 'utf8'));
}, 120_000);

afterAll(() => {
	conn?.closeSync();
	instance?.closeSync();
	if (work) rmSync(work, { recursive: true, force: true });
});

describe('published files carry no personal data', () => {
	it('scans the release: every format of every table', () => {
		const files = [...texts.keys()];
		for (const ext of ['.csv', '.parquet', '.arrow', 'datapackage.json', 'SHA256SUMS'])
			expect(files.some((f) => f.endsWith(ext))).toBe(true);
	});

	it('no phone numbers (the injected one is masked; the generator’s synthetic phones are gone)', () => {
		for (const [f, t] of texts)
			expect(
				findPhoneNumbers(t).map((h) => h.value),
				f
			).toEqual([]);
		const phones = readCsv(join(input, 'volunteers.csv')).map((v) => v.phone);
		expect(phones.length).toBeGreaterThan(100);
		expect(findPhoneNumbers(phones.join(' ')).length).toBe(phones.length); // the scanner sees them
		expect(texts.get('csv/activities.csv')).toContain('报名电话[已隐去]');
	});

	it('no valid ID-card numbers', () => {
		for (const [f, t] of texts)
			expect(
				findIdCardNumbers(t).map((h) => h.value),
				f
			).toEqual([]);
		expect(texts.get('csv/activities.csv')).toContain('登记身份证[已隐去]');
	});

	it('no number in the data files is shaped like a phone or ID-card number (indicator numbers are rounded)', () => {
		// Shape only, as any scanner might look: no decimal-point exception, no check digit.
		const shape = /(?<![0-9A-Za-z])(?:1[3-9][0-9]{9}|[0-9]{17}[0-9Xx])(?![0-9A-Za-z])/g;
		const csv = [...texts].filter(([f]) => f.startsWith('csv/'));
		expect(csv.map(([f]) => f)).toContain('csv/indicators.csv');
		for (const [f, t] of csv) expect(t.match(shape) ?? [], f).toEqual([]);
	});

	it('no names: no name column for people, no synthetic name anywhere', () => {
		const dp = JSON.parse(texts.get('datapackage.json')!) as {
			resources: { name: string; schema: { fields: { name: string }[] } }[];
		};
		for (const r of dp.resources)
			if (/volunteer|hours|points|micro_wishes/.test(r.name))
				for (const f of r.schema.fields) expect(f.name, r.name).not.toMatch(/name|姓名|phone|birth/i);
		// Names the generator wrote (2–3 Chinese characters), minus any that also occur in the export's
		// other text (titles, team and station names) or in the reference gazetteer (place names such as
		// 江华): a coincidence, not a leak.
		const refDir = join(ROOT, 'data/reference/4401');
		const otherText = [
			...['activities', 'teams', 'stations', 'trainings'].map((t) => join(input, `${t}.csv`)),
			...readdirSync(refDir).map((f) => join(refDir, f))
		]
			.map((p) => readFileSync(p, 'utf8'))
			.join('\n');
		const names = [...new Set(readCsv(join(input, 'volunteers.csv')).map((v) => v.name))].filter(
			(n) => !otherText.includes(n)
		);
		expect(names.length).toBeGreaterThan(100);
		for (const [f, t] of texts) {
			const leaked = names.filter((n) => t.includes(n));
			expect(leaked, f).toEqual([]);
		}
	});

	it('no exact birth dates (only age bands)', () => {
		// Birth dates before the export period (later ones coincide with activity and calendar dates).
		const births = [
			...new Set(readCsv(join(input, 'volunteers.csv')).map((v) => v.birth_date.slice(0, 10)))
		].filter((d) => d < '2019-01-01');
		expect(births.length).toBeGreaterThan(100);
		for (const [f, t] of texts) {
			const dates = new Set(t.match(/(?:18|19|20)\d\d-\d\d-\d\d/g) ?? []);
			expect(
				births.filter((b) => dates.has(b)),
				f
			).toEqual([]);
		}
	});
});

describe('pseudonyms', () => {
	const kinds: [PseudonymKind, string, string, string, string][] = [
		['volunteer', 'volunteers.csv', 'volunteer_id', 'volunteers', 'volunteer_id'],
		['participation', 'participations.csv', 'participation_id', 'hours', 'participation_id'],
		['wish', 'micro_wishes.csv', 'wish_id', 'micro_wishes', 'wish_id'],
		['transaction', 'points.csv', 'transaction_id', 'points', 'transaction_id']
	];

	it('raw ids never appear in any published file', () => {
		const raw = new Set(kinds.flatMap(([, file, col]) => readCsv(join(input, file)).map((r) => r[col])));
		expect(raw.size).toBeGreaterThan(10_000);
		for (const [f, t] of texts) {
			const tokens = t.match(/[0-9A-Za-z_]+/g) ?? [];
			expect(
				tokens.filter((x) => raw.has(x)),
				f
			).toEqual([]);
		}
	});

	it('match the keyed HMAC under the release key, and nothing under another key (dictionary attack)', async () => {
		for (const [kind, file, col, table, pcol] of kinds) {
			const rawIds = readCsv(join(input, file)).map((r) => r[col]);
			const published = new Set(
				(await query(`SELECT "${pcol}" AS id FROM ${parquet(table)}`)).map((r) => String(r.id))
			);
			expect(published.size, table).toBeGreaterThan(0);
			const right = new Set(rawIds.map((id) => pseudonym(key, kind, id)));
			// With the key every published pseudonym is found (so the attack below is a real one)…
			expect(
				[...published].every((p) => right.has(p)),
				table
			).toBe(true);
			// …with a wrong key none is.
			const wrong = rawIds.map((id) => pseudonym(otherKey, kind, id));
			expect(
				wrong.filter((p) => published.has(p)),
				table
			).toEqual([]);
			expect(rawIds.filter((id) => pseudonym(key, kind, id) === pseudonym(otherKey, kind, id))).toEqual([]);
		}
	});
});

describe('re-identification from quasi-identifiers and totals', () => {
	// Quasi-identifiers of a volunteer (the issue's age band, gender, community and political status, with
	// what implies or narrows them). Tables carrying them: volunteers, and points, which repeats the
	// volunteer's street and district next to the volunteer pseudonym, so the two are checked joined.
	// hours also carries the pseudonym, but with activities: where the service took place is an attribute
	// of the activity, not of the volunteer (scripts/release/transform.ts `VOLUNTEER_QI`).
	const QI = [
		'age_band',
		'gender',
		'community_code',
		'street_code',
		'district_code',
		'political_status',
		'party_reporting'
	];

	it(`volunteers: every class over the quasi-identifiers has ≥ ${K} people`, async () => {
		const vs = await query(`SELECT * FROM ${parquet('volunteers')}`);
		expect(vs.length).toBe(privacy.volunteers);
		const cls = equivalenceClasses(vs, QI);
		const small = cls.filter((c) => c.size < K);
		expect(small.reduce((s, c) => s + c.size, 0)).toBe(privacy.residual_below_k);
		expect(small).toEqual([]);
		// Generalisation did the work: most rows keep their political status and street.
		expect(vs.filter((v) => v.political_status !== null).length).toBeGreaterThan(vs.length / 3);
		expect(vs.filter((v) => v.street_code !== null).length).toBeGreaterThan(vs.length / 2);
		// The CSV (what most researchers open) holds the same classes.
		const csvRows = parse(texts.get('csv/volunteers.csv')!, { columns: true, bom: true }) as Row[];
		const norm = csvRows.map((r) =>
			Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === '' ? null : v]))
		);
		expect(equivalenceClasses(norm, QI).map((c) => c.size)).toEqual(cls.map((c) => c.size));
	});

	it('points adds nothing to a volunteer’s quasi-identifiers: its place is the (possibly withheld) volunteer’s', async () => {
		const [r] = await query(`SELECT count(*)::INTEGER AS n,
				count(*) FILTER (WHERE v.volunteer_id IS NULL)::INTEGER AS orphans,
				count(*) FILTER (WHERE p.street_code IS DISTINCT FROM v.street_code
					OR p.district_code IS DISTINCT FROM v.district_code)::INTEGER AS differ,
				count(*) FILTER (WHERE p.street_code IS NULL)::INTEGER AS withheld
			FROM ${parquet('points')} p LEFT JOIN ${parquet('volunteers')} v USING (volunteer_id)`);
		expect(r.n).toBeGreaterThan(1000);
		expect([r.orphans, r.differ]).toEqual([0, 0]);
		expect(r.withheld).toBeGreaterThan(0); // withholdResidual reached points too
	});

	it('beneficiaries: no withheld cell follows from activity totals and street × year × group totals', async () => {
		const cells = await query(`SELECT b.activity_id, b.beneficiary_group AS g, b.suppressed,
				coalesce(a.street_code, '') AS street, coalesce(year(a.start_at), 0)::INTEGER AS yr
			FROM ${parquet('beneficiaries')} b LEFT JOIN ${parquet('activities')} a USING (activity_id)`);
		const hidden = new Set<string>();
		const groups = new Map<string, string[]>();
		for (const c of cells) {
			const id = `${String(c.activity_id)}|${String(c.g)}`;
			if (c.suppressed) hidden.add(id);
			for (const g of [
				`a:${String(c.activity_id)}`,
				`g:${String(c.street)}|${String(c.yr)}|${String(c.g)}`
			]) {
				const l = groups.get(g) ?? [];
				l.push(id);
				groups.set(g, l);
			}
		}
		expect(hidden.size).toBeGreaterThan(0);
		// Threat model (scripts/release/transform.ts `suppressBeneficiaries`): what the release and the site
		// publish adds shown cells only; on top of that the attacker knows every activity total and every
		// street × year × group total over two or more cells, and solves them together. A one-cell total
		// is the cell itself: publishing it discloses that cell, not something derived from this release.
		const cons: SumConstraint[] = [...groups.values()]
			.filter((parts) => parts.length > 1)
			.map((parts) => ({ total: null, parts }));
		expect(recoverableCells(cons, hidden)).toEqual([]);
		expect(privacy.beneficiary_exposed_residual).toBe(0);
		// The attack is real: a withheld cell without the secondary suppression around it would leak.
		const lone = [...hidden].filter((c) => recoverableCells(cons, new Set([c])).length === 1);
		expect(lone.length).toBeGreaterThan(0);
	});

	it('indicators: no withheld numerator or denominator follows from street → district → city sums', async () => {
		const rows = await query(`SELECT indicator_id, level, area_code, year, numerator, denominator, suppressed
			FROM ${parquet('indicators')}`);
		const streetDistrict = new Map(
			(await query(`SELECT street_code, district_code FROM ${parquet('ref_streets')}`)).map((r) => [
				String(r.street_code),
				String(r.district_code)
			])
		);
		const id = (r: Record<string, unknown>) =>
			`${String(r.indicator_id)}|${String(r.level)}|${String(r.area_code)}|${String(r.year)}`;
		const byId = new Map(rows.map((r) => [id(r), r]));
		// Families: parent row and its children rows, per indicator and year.
		const families = new Map<string, { parent: string; children: string[] }>();
		for (const r of rows) {
			if (r.level === 'city') continue;
			const parentLevel = r.level === 'street' ? 'district' : 'city';
			const parentArea =
				r.level === 'street' ? streetDistrict.get(String(r.area_code)) : String(r.area_code).slice(0, 4);
			const city = rows.find((x) => x.level === 'city' && x.indicator_id === r.indicator_id);
			const parent = id({
				...r,
				level: parentLevel,
				area_code: parentLevel === 'city' ? city?.area_code : parentArea
			});
			if (!byId.has(parent)) continue;
			const f = families.get(parent) ?? { parent, children: [] };
			f.children.push(id(r));
			families.set(parent, f);
		}
		let checked = 0;
		let hiddenTotal = 0;
		for (const field of ['numerator', 'denominator'] as const) {
			// Only sums that hold exactly in the published data (fully shown families) give an attacker equations.
			const additive = new Map<string, boolean>();
			for (const f of families.values()) {
				const all = [f.parent, ...f.children].map((x) => byId.get(x)!);
				if (all.some((x) => x.suppressed || x[field] === null)) continue;
				const ind = String(all[0].indicator_id);
				const sum = f.children.reduce((s, c) => s + Number(byId.get(c)![field]), 0);
				const ok = Math.abs(sum - Number(byId.get(f.parent)![field])) < 1e-6;
				additive.set(ind, (additive.get(ind) ?? true) && ok);
			}
			const cons: SumConstraint[] = [];
			const hidden = new Set<string>();
			for (const f of families.values()) {
				const ind = String(byId.get(f.parent)!.indicator_id);
				if (!additive.get(ind)) continue;
				cons.push({ total: f.parent, parts: f.children });
				for (const x of [f.parent, ...f.children]) if (byId.get(x)!.suppressed) hidden.add(x);
			}
			checked += cons.length;
			hiddenTotal += hidden.size;
			expect(recoverableCells(cons, hidden), field).toEqual([]);
		}
		expect(checked).toBeGreaterThan(0);
		expect(hiddenTotal).toBeGreaterThan(0);
	});
});

describe('CSV formula injection', () => {
	const bad = /^[=+\-@\t\r]/;
	it('no text value in any CSV starts with = + - @ tab or CR; numbers stay numbers', () => {
		const dp = JSON.parse(texts.get('datapackage.json')!) as {
			resources: { path: string; format: string; schema: { fields: { name: string; type: string }[] } }[];
		};
		let textValues = 0;
		let numbers = 0;
		for (const r of dp.resources.filter((x) => x.format === 'csv')) {
			const rows = parse(texts.get(r.path)!, { columns: true, bom: true }) as Row[];
			for (const field of r.schema.fields) {
				for (const row of rows) {
					const v = row[field.name];
					expect(v, `${r.path} ${field.name}`).not.toBeUndefined();
					if (field.type === 'string') {
						textValues++;
						expect(bad.test(v), `${r.path} ${field.name}: ${v}`).toBe(false);
					} else if ((field.type === 'number' || field.type === 'integer') && v !== '') {
						numbers++;
						expect(Number.isFinite(Number(v)), `${r.path} ${field.name}: ${v}`).toBe(true);
					}
				}
			}
		}
		expect(textValues).toBeGreaterThan(1000);
		expect(numbers).toBeGreaterThan(1000);
	});

	it('the injected titles and team name are published with a leading quote, otherwise unchanged', () => {
		const acts = parse(texts.get('csv/activities.csv')!, { columns: true, bom: true }) as Row[];
		const titles = new Set(acts.map((a) => a.title));
		for (const t of INJECTED_TITLES.slice(0, 5)) expect(titles.has(`'${t}`), t).toBe(true);
		const teams = parse(texts.get('csv/teams.csv')!, { columns: true, bom: true }) as Row[];
		expect(teams.map((t) => t.name)).toContain(`'${INJECTED_TEAM}`);
		// Parquet and Arrow keep the text as entered (typed columns are not run by spreadsheets).
		expect(texts.get('parquet/activities.parquet')).toContain(INJECTED_TITLES[0]);
	});
});
