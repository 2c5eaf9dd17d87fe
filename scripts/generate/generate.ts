/**
 * Built-in sample: a realistic, deterministic Guangzhou time-bank export in the input format of
 * `src/lib/schema/input.ts` (one CSV per table). Calibrated to DOMAIN.md §5 at scale 1.
 *
 * How counts scale with `scale` (N):
 * - people and activity counts scale linearly: volunteers ≈ 100,000·N, teams ≈ 590·N (at least one
 *   corps + one division per district + 12), activities ≈ 1,000,000·N ÷ mean size, participations
 *   ≈ 1,000,000·N, micro-wishes ≈ 10,000·N, community 学雷锋 stations ≈ 150·N;
 * - reference-bound counts stay fixed: social-work stations = 201 (one or more per street, a few streets
 *   without one), tourism stations = 20 (scenic spots), charity signs = 234, trainings ≈ 150–230 per full
 *   year (they are about street coverage), trainees per training.
 *
 * Rows are generated chronologically (day by day) and streamed to files; only per-volunteer numeric
 * state is held in memory (typed arrays), so scale 10 fits easily.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { BENEFICIARY_GROUPS, CATEGORIES } from '../../src/lib/schema/codes';
import { INPUT_TABLES, inputTable, type InputTableName } from '../../src/lib/schema/input';
import { regionConfig, type RegionConfig } from '../../src/lib/config';
import { Calendar, dayOf } from './calendar';
import { CsvWriter, type Cell } from './csv';
import { genReference, type GenReference } from './reference';
import { CumulativeSampler, Rng, lowerBound } from './rng';
import { PROGRAMME_TEMPLATES, TITLE_TEMPLATES, TOURISM_SPOTS, TRAINING_TOPICS, syntheticName } from './text';

export interface GenerateProgress {
	phase: string;
	done: number;
	total: number;
}

export interface GenerateOptions {
	/** 1 ≈ Guangzhou's real size (100k volunteers, 1M participations). */
	scale: number;
	seed: string | number;
	outDir: string;
	/** Add synthetic `name` and `phone` columns to volunteers.csv (to test `--drop-personal`). */
	withPersonal?: boolean;
	region?: string;
	onProgress?: (p: GenerateProgress) => void;
}

export interface GenerateSummary {
	region: string;
	scale: number;
	seed: string;
	period: { start: string; end: string };
	outDir: string;
	files: string[];
	rows: Record<InputTableName, number>;
	stations_by_kind: Record<string, number>;
	by_year: Record<
		string,
		{ activities: number; participations: number; hours: number; registrations: number }
	>;
	seconds: number;
	peak_rss_mb: number;
}

export const PERIOD_START = '2019-08-01';
export const PERIOD_END = '2025-12-31';

/** Share of all activities (and participations) per calendar year: growth from the 2019 launch to 2025. */
const YEAR_ACTIVITY_SHARE: Record<number, number> = {
	2019: 0.03,
	2020: 0.11,
	2021: 0.125,
	2022: 0.14,
	2023: 0.16,
	2024: 0.19,
	2025: 0.245
};
/** Share of registrations per year: launch in 2019, the 2020 push, then a steady trickle. */
const YEAR_REGISTRATION_SHARE: Record<number, number> = {
	2019: 0.17,
	2020: 0.36,
	2021: 0.11,
	2022: 0.09,
	2023: 0.09,
	2024: 0.09,
	2025: 0.09
};
/** Seasonal rhythm by month: 学雷锋月 March peak, Spring Festival dip, summer bump, December (12·5). */
const MONTH_FACTOR = [0.9, 0.65, 1.5, 1.0, 1.0, 0.95, 1.15, 1.15, 1.0, 0.95, 1.0, 1.1];
/** Sunday … Saturday. */
const WEEKDAY_FACTOR = [1.45, 0.85, 0.85, 0.85, 0.85, 0.85, 1.65];

const CATEGORY_WEIGHTS: Record<string, number> = {
	care_support: 24,
	education: 8,
	health: 8,
	psychological: 4,
	legal_aid: 2,
	technology: 3,
	emergency: 2,
	civility: 14,
	culture_sports: 16,
	environment: 14,
	public_events: 5
};
const CATEGORY_CODES = CATEGORIES.map((c) => c.code as string);
const GROUP_CODES = BENEFICIARY_GROUPS.map((g) => g.code as string);
/** Beneficiary-group weights (order of BENEFICIARY_GROUPS) for care-type and for public-type activities. */
const GROUP_WEIGHTS_CARE = [34, 14, 7, 12, 5, 12, 6, 6, 4];
const GROUP_WEIGHTS_PUBLIC = [14, 8, 4, 5, 3, 5, 2, 8, 51];
const PUBLIC_CATEGORIES = new Set([
	'civility',
	'culture_sports',
	'environment',
	'public_events',
	'technology'
]);

const MIN_PER_DAY = 1440;

function pad(prefix: string, n: number, width: number): string {
	return prefix + String(n).padStart(width, '0');
}
const widthFor = (count: number, min: number) => Math.max(min, String(Math.max(1, count)).length);

interface Station {
	id: string;
	kind: string;
	street: number;
	district: number;
	opened: number;
	closed: number | null;
	/** Place name used in activity titles (scenic spot of a tourism station). */
	place: string | null;
}

/** Min-heap of point events keyed by (time, sequence) so ties are resolved deterministically. */
interface PointEvent {
	t: number;
	seq: number;
	kind: 'earn' | 'exchange' | 'donate';
	vol: number;
	pts: number;
	activity: string | null;
}
class EventHeap {
	private a: PointEvent[] = [];
	get size(): number {
		return this.a.length;
	}
	private less(x: PointEvent, y: PointEvent): boolean {
		return x.t < y.t || (x.t === y.t && x.seq < y.seq);
	}
	push(e: PointEvent): void {
		const a = this.a;
		a.push(e);
		let i = a.length - 1;
		while (i > 0) {
			const p = (i - 1) >> 1;
			if (!this.less(a[i], a[p])) break;
			[a[i], a[p]] = [a[p], a[i]];
			i = p;
		}
	}
	peek(): PointEvent | undefined {
		return this.a[0];
	}
	pop(): PointEvent | undefined {
		const a = this.a;
		if (!a.length) return undefined;
		const top = a[0];
		const last = a.pop() as PointEvent;
		if (a.length) {
			a[0] = last;
			let i = 0;
			for (;;) {
				const l = 2 * i + 1;
				const r = l + 1;
				let m = i;
				if (l < a.length && this.less(a[l], a[m])) m = l;
				if (r < a.length && this.less(a[r], a[m])) m = r;
				if (m === i) break;
				[a[i], a[m]] = [a[m], a[i]];
				i = m;
			}
		}
		return top;
	}
}

/** Volunteers able to take part in a given year, in registration order, with cumulative weights. */
interface Pool {
	members: Int32Array;
	regDays: Int32Array;
	sampler: CumulativeSampler;
}

function header(name: InputTableName, withPersonal = false): string[] {
	const cols = inputTable(name).columns.map((c) => c.name);
	return withPersonal && name === 'volunteers' ? [...cols, 'name', 'phone'] : cols;
}

const tick = () => new Promise<void>((r) => setImmediate(r));

export async function generate(opts: GenerateOptions): Promise<GenerateSummary> {
	const t0 = performance.now();
	const scale = opts.scale;
	if (!(scale > 0) || !Number.isFinite(scale))
		throw new Error(`scale must be a positive number, got ${opts.scale}`);
	const seed = String(opts.seed);
	const region = opts.region ?? '4401';
	const cfg = regionConfig(region);
	const ref = await genReference(region);
	const outDir = resolve(opts.outDir);
	const tmpDir = join(dirname(outDir), `.${basename(outDir)}.tmp-${process.pid}`);
	rmSync(tmpDir, { recursive: true, force: true });
	mkdirSync(tmpDir, { recursive: true });
	try {
		const summary = run(ref, cfg, scale, seed, tmpDir, !!opts.withPersonal, opts.onProgress);
		const s = await summary;
		if (existsSync(outDir)) {
			const old = join(dirname(outDir), `.${basename(outDir)}.old-${process.pid}`);
			renameSync(outDir, old);
			renameSync(tmpDir, outDir);
			rmSync(old, { recursive: true, force: true });
		} else {
			mkdirSync(dirname(outDir), { recursive: true });
			renameSync(tmpDir, outDir);
		}
		s.outDir = outDir;
		s.region = region;
		s.seconds = Math.round((performance.now() - t0) / 100) / 10;
		s.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
		return s;
	} catch (e) {
		rmSync(tmpDir, { recursive: true, force: true });
		throw e;
	}
}

async function run(
	ref: GenReference,
	cfg: RegionConfig,
	scale: number,
	seed: string,
	dir: string,
	withPersonal: boolean,
	onProgress?: (p: GenerateProgress) => void
): Promise<GenerateSummary> {
	const cal = new Calendar(PERIOD_START, '2026-06-30', ref.workdays);
	// Region rules: points are whole hours, at most `max_held` held, redeemable from `redeem_from`;
	// long days need the organisation's (≤ organisation_max) or the authority's approval.
	const maxHeld = cfg.points.max_held;
	const redeemFrom = cfg.points.redeem_from;
	const directMax = cfg.daily_hours.direct_max;
	const organisationMax = cfg.daily_hours.organisation_max;
	const pointsFor = (hours: number) =>
		cfg.points.whole_hours_only
			? Math.floor(hours * cfg.points.per_hour)
			: Math.round(hours * cfg.points.per_hour);
	const first = dayOf(PERIOD_START);
	const last = dayOf(PERIOD_END);
	const endMinute = (last + 1) * MIN_PER_DAY - 1;
	const { districts, streets, communities } = ref;
	const nD = districts.length;
	const writers = {} as Record<InputTableName, CsvWriter>;
	for (const t of INPUT_TABLES)
		writers[t.name] = new CsvWriter(join(dir, t.file), header(t.name, withPersonal));
	const byYear: GenerateSummary['by_year'] = {};
	for (let y = cal.info(first).year; y <= cal.info(last).year; y++)
		byYear[y] = { activities: 0, participations: 0, hours: 0, registrations: 0 };

	// ---- geography weights -------------------------------------------------------------------
	const geoRng = new Rng(`${seed}:geo`);
	const commCount = new Array(nD).fill(0);
	for (const c of communities) commCount[c.district]++;
	const commWeight = communities.map(
		(c) => (districts[c.district].population / commCount[c.district]) * geoRng.lognormal(1, 0.6)
	);
	const streetWeight = new Array(streets.length).fill(0);
	for (let i = 0; i < communities.length; i++) streetWeight[communities[i].street] += commWeight[i];
	const cityComm = new CumulativeSampler(commWeight);
	const commOfStreet: number[][] = streets.map(() => []);
	const commOfDistrict: number[][] = districts.map(() => []);
	communities.forEach((c, i) => {
		commOfStreet[c.street].push(i);
		commOfDistrict[c.district].push(i);
	});
	const streetComm = commOfStreet.map((l) => new CumulativeSampler(l.map((i) => commWeight[i])));
	const districtComm = commOfDistrict.map((l) => new CumulativeSampler(l.map((i) => commWeight[i])));
	const streetsOfDistrict: number[][] = districts.map(() => []);
	streets.forEach((s, i) => streetsOfDistrict[s.district].push(i));

	// ---- day weights ---------------------------------------------------------------------------
	const nDays = last - first + 1;
	const actDayWeight = new Float64Array(nDays);
	const regDayWeight = new Float64Array(nDays);
	{
		const rawSum: Record<number, number> = {};
		const regSum: Record<number, number> = {};
		const raw = new Float64Array(nDays);
		const rawReg = new Float64Array(nDays);
		for (let i = 0; i < nDays; i++) {
			const d = cal.info(first + i);
			let f = MONTH_FACTOR[d.month - 1] * (d.workday ? 0.85 : WEEKDAY_FACTOR[d.weekday]);
			if (d.holiday === 'Spring Festival') f *= 0.35;
			else if (d.holiday) f *= 1.15;
			if (d.month === 3 && d.dom === 5) f *= 3;
			if (d.month === 12 && d.dom === 5) f *= 3.5;
			raw[i] = f;
			rawSum[d.year] = (rawSum[d.year] ?? 0) + f;
			let r = (d.weekday === 0 || d.weekday === 6 ? 1.3 : 1) * (d.month === 3 ? 1.3 : 1);
			if (d.year === 2020 && d.month >= 2 && d.month <= 8) r *= 2;
			if (i < 7) r *= 6;
			rawReg[i] = r;
			regSum[d.year] = (regSum[d.year] ?? 0) + r;
		}
		for (let i = 0; i < nDays; i++) {
			const y = cal.info(first + i).year;
			actDayWeight[i] = ((YEAR_ACTIVITY_SHARE[y] ?? 0.2) * raw[i]) / rawSum[y];
			regDayWeight[i] = ((YEAR_REGISTRATION_SHARE[y] ?? 0.09) * rawReg[i]) / regSum[y];
		}
	}

	// ---- volunteers ----------------------------------------------------------------------------
	const vRng = new Rng(`${seed}:volunteers`);
	const nV = Math.max(50, Math.round(100_000 * scale));
	const vWidth = widthFor(nV, 7);
	const regSampler = new CumulativeSampler(regDayWeight);
	const regDay = new Int32Array(nV);
	for (let i = 0; i < nV; i++) regDay[i] = first + regSampler.draw(vRng);
	regDay.sort();
	const vDistrict = new Uint16Array(nV);
	const vProp = new Float32Array(nV);
	const vLapse = new Int32Array(nV);
	const vw = writers.volunteers;
	const statuses = ['party_member', 'probationary_member', 'party_activist', 'league_member', 'masses'];
	for (let i = 0; i < nV; i++) {
		const c = cityComm.draw(vRng);
		const comm = communities[c];
		vDistrict[i] = comm.district;
		const band = vRng.weighted([20, 36, 20, 24]);
		const age =
			band === 0
				? vRng.int(14, 22)
				: band === 1
					? vRng.int(23, 44)
					: band === 2
						? vRng.int(45, 59)
						: vRng.int(60, 78);
		const birth = regDay[i] - Math.round(age * 365.25) - vRng.int(0, 364);
		const gender = vRng.chance(0.58) ? 'F' : 'M';
		let st = statuses[vRng.weighted([22, 1.5, 3, 15, 58.5])];
		if (st === 'league_member' && age > 30) st = 'masses';
		const reporting = st === 'party_member' && age >= 23 && age < 60 && vRng.chance(0.45);
		let prop = 0;
		if (!vRng.chance(0.28)) {
			prop = vRng.lognormal(1, 1.15);
			if (st === 'party_member') prop *= reporting ? 1.9 : 1.4;
			else if (st === 'party_activist' || st === 'probationary_member') prop *= 2;
			else if (st === 'league_member') prop *= 1.1;
			if (age >= 60) prop *= 1.3;
			prop = Math.min(prop, 40); // the most active serve roughly weekly to every other day, not several times a day
		}
		vProp[i] = prop;
		vLapse[i] = vRng.chance(0.3) ? last + 1 : regDay[i] + Math.round(vRng.exponential(900));
		const y = cal.info(regDay[i]).year;
		if (byYear[y]) byYear[y].registrations++;
		const row: Cell[] = [
			pad('V', i + 1, vWidth),
			cal.iso(regDay[i]),
			cal.iso(birth),
			gender,
			st,
			reporting ? 1 : 0,
			comm.code
		];
		if (withPersonal) {
			row.push(syntheticName(vRng.next(), vRng.next(), vRng.next()), `199${String(i + 1).padStart(8, '0')}`);
		}
		vw.row(row);
	}
	vw.close();
	onProgress?.({ phase: 'volunteers', done: 0, total: 1 });

	// ---- teams ---------------------------------------------------------------------------------
	const tRng = new Rng(`${seed}:teams`);
	const nT = Math.max(Math.round(590 * scale), 1 + nD + 12);
	const tWidth = widthFor(nT, 4);
	const tComm = new Int32Array(nT);
	const tFounded = new Int32Array(nT);
	const tLevel: string[] = [];
	const tWeight = new Float64Array(nT);
	const tDistrict = new Int32Array(nT);
	const names = new Map<string, number>();
	const uniqueName = (n: string) => {
		const k = (names.get(n) ?? 0) + 1;
		names.set(n, k);
		return k === 1 ? n : `${n}（${k}）`;
	};
	const teamFoundedDay = () => {
		const y = tRng.weighted([35, 30, 10, 8, 7, 6, 4]);
		const ys = Math.max(first, dayOf(`${2019 + y}-01-01`));
		const ye = Math.min(dayOf(`${2019 + y}-12-31`), dayOf('2025-09-30'));
		return tRng.int(ys, ye);
	};
	const tw = writers.teams;
	const divisionOf = new Int32Array(nD);
	const brigadesOf: number[][] = districts.map(() => []);
	const nBrigades = Math.max(nD, Math.round((nT - 1 - nD) * 0.18));
	const cityCentre = districts.findIndex((d) => d.name.startsWith('越秀'));
	for (let i = 0; i < nT; i++) {
		let level: string;
		let kind = 'community';
		let parent: number | null = null;
		let comm: number;
		let founded: number;
		let name: string;
		if (i === 0) {
			level = 'corps';
			const d = cityCentre >= 0 ? cityCentre : 0;
			comm = commOfDistrict[d][districtComm[d].draw(tRng)];
			founded = first;
			name = `${cfg.name_zh}公益时间银行志愿服务总队`;
			tWeight[i] = 3;
		} else if (i <= nD) {
			level = 'division';
			const d = i - 1;
			divisionOf[d] = i;
			parent = 0;
			comm = commOfDistrict[d][districtComm[d].draw(tRng)];
			founded = first + tRng.int(0, 20);
			name = `${districts[d].name}志愿服务分队`;
			tWeight[i] = 2;
		} else {
			comm = cityComm.draw(tRng);
			const c = communities[comm];
			const isBrigade = i <= nD + nBrigades;
			level = isBrigade ? 'brigade' : 'squad';
			if (isBrigade) {
				parent = divisionOf[c.district];
				kind = tRng.chance(0.7) ? 'community' : 'party_member';
				brigadesOf[c.district].push(i);
			} else {
				const b = brigadesOf[c.district];
				parent = b.length && tRng.chance(0.85) ? tRng.pick(b) : divisionOf[c.district];
				kind = ['community', 'party_member', 'social_organisation', 'enterprise'][
					tRng.weighted([50, 22, 16, 12])
				];
			}
			founded = Math.max(teamFoundedDay(), tFounded[parent] + 1);
			const streetName = streets[c.street].name;
			name =
				level === 'brigade'
					? `${streetName}志愿服务大队`
					: kind === 'community'
						? `${c.short}志愿服务队`
						: kind === 'party_member'
							? `${c.short}党员志愿服务队`
							: kind === 'social_organisation'
								? `${streetName}社工服务中心志愿服务队`
								: `${districts[c.district].name}${streetName}企业志愿服务队`;
			tWeight[i] = tRng.lognormal(1, 0.8);
		}
		tComm[i] = comm;
		tFounded[i] = founded;
		tLevel.push(level);
		tDistrict[i] = communities[comm].district;
		tw.row([
			pad('T', i + 1, tWidth),
			uniqueName(name),
			level,
			kind,
			parent === null ? null : pad('T', parent + 1, tWidth),
			communities[comm].code,
			cal.iso(founded)
		]);
	}
	tw.close();
	// Teams in founding order, for drawing among teams founded before a day.
	const teamOrder = Array.from({ length: nT }, (_, i) => i).sort(
		(a, b) => tFounded[a] - tFounded[b] || a - b
	);
	const teamOrderFounded = Int32Array.from(teamOrder.map((i) => tFounded[i]));
	const teamSampler = new CumulativeSampler(teamOrder.map((i) => tWeight[i]));

	// ---- stations ------------------------------------------------------------------------------
	const sRng = new Rng(`${seed}:stations`);
	const stations: Station[] = [];
	const sw = writers.stations;
	const addStation = (
		kind: string,
		street: number,
		comm: number | null,
		name: string,
		opened: number,
		closed: number | null
	) => {
		const st: Station = {
			id: pad('S', stations.length + 1, 4),
			kind,
			street,
			district: streets[street].district,
			opened,
			closed,
			place: kind === 'tourism' ? name.replace(/旅游志愿服务站$/, '') : null
		};
		stations.push(st);
		sw.row([
			st.id,
			name,
			kind,
			streets[street].code,
			comm === null ? null : communities[comm].code,
			cal.iso(opened),
			closed === null ? null : cal.iso(closed)
		]);
	};
	{
		// social-work stations: one per street except a few gap streets, extras in the biggest streets
		const gapCount = streets.length >= 20 ? Math.max(1, Math.round(streets.length * 0.03)) : 0;
		const order = streets.map((_, i) => i);
		for (let i = order.length - 1; i > 0; i--) {
			const j = sRng.int(0, i);
			[order[i], order[j]] = [order[j], order[i]];
		}
		const gaps = new Set(order.slice(0, gapCount));
		const covered = streets.map((_, i) => i).filter((i) => !gaps.has(i));
		const total = Math.max(201, covered.length);
		const perStreet = new Map<number, number>(covered.map((s) => [s, 1]));
		const big = [...covered].sort((a, b) => streetWeight[b] - streetWeight[a] || a - b);
		for (let k = 0; k < total - covered.length; k++) {
			const s = big[k % big.length];
			perStreet.set(s, (perStreet.get(s) ?? 0) + 1);
		}
		const closeCount = Math.min(3, covered.length);
		let closed = 0;
		for (const s of covered) {
			const n = perStreet.get(s) ?? 1;
			for (let k = 0; k < n; k++) {
				const opened = sRng.chance(0.8)
					? sRng.int(first, dayOf('2019-12-31'))
					: sRng.int(dayOf('2020-01-01'), dayOf('2020-12-31'));
				const close =
					closed < closeCount && sRng.chance(0.03)
						? sRng.int(dayOf('2023-01-01'), dayOf('2024-12-31'))
						: null;
				if (close !== null) closed++;
				const comm =
					commOfStreet[s].length && sRng.chance(0.8) ? commOfStreet[s][streetComm[s].draw(sRng)] : null;
				const base = streets[s].name.replace(/(街道|镇)$/, '');
				addStation(
					'social_work',
					s,
					comm,
					k === 0 ? `${base}社工站（时间银行志愿驿站）` : `${base}社工站第${k + 1}服务点`,
					opened,
					close
				);
			}
		}
		const nLeiFeng = Math.max(3, Math.round(150 * scale));
		for (let k = 0; k < nLeiFeng; k++) {
			const comm = cityComm.draw(sRng);
			const c = communities[comm];
			addStation(
				'lei_feng',
				c.street,
				comm,
				`${c.short}学雷锋志愿服务站`,
				sRng.int(dayOf('2019-09-01'), dayOf('2024-06-30')),
				null
			);
		}
		for (const spot of TOURISM_SPOTS) {
			let d = districts.findIndex((x) => x.name === spot.district);
			if (d < 0) d = sRng.int(0, nD - 1);
			const s = streetsOfDistrict[d][sRng.int(0, streetsOfDistrict[d].length - 1)];
			addStation(
				'tourism',
				s,
				null,
				`${spot.name}旅游志愿服务站`,
				sRng.int(dayOf('2019-10-01'), dayOf('2020-05-31')),
				null
			);
		}
		for (let k = 0; k < 234; k++) {
			const comm = cityComm.draw(sRng);
			const c = communities[comm];
			addStation(
				'charity_sign',
				c.street,
				comm,
				`${c.short}慈善标识点`,
				sRng.int(dayOf('2019-09-01'), dayOf('2021-12-31')),
				null
			);
		}
	}
	sw.close();
	const localStations: Station[][] = streets.map(() => []);
	const tourismStations: Station[][] = districts.map(() => []);
	for (const s of stations) {
		if (s.kind === 'social_work' || s.kind === 'lei_feng') localStations[s.street].push(s);
		else if (s.kind === 'tourism') tourismStations[s.district].push(s);
	}
	const isOpen = (s: Station, day: number) => s.opened <= day && (s.closed === null || s.closed > day);

	// ---- trainings (fixed per street coverage, independent of scale) ----------------------------
	{
		const rRng = new Rng(`${seed}:trainings`);
		const chronic = new Set<number>();
		const nChronic = streets.length >= 20 ? Math.max(1, Math.round(streets.length * 0.04)) : 0;
		while (chronic.size < nChronic) chronic.add(rRng.int(0, streets.length - 1));
		const rows: [number, number, number, string][] = [];
		for (let y = cal.info(first).year; y <= cal.info(last).year; y++) {
			const ys = Math.max(first, dayOf(`${y}-01-01`));
			const ye = Math.min(last, dayOf(`${y}-12-31`));
			const frac = (ye - ys + 1) / 365;
			const count = Math.round(rRng.int(160, 230) * frac);
			const cov = streets.map((_, i) => i).filter((s) => !chronic.has(s) && !rRng.chance(0.05));
			for (let i = cov.length - 1; i > 0; i--) {
				const j = rRng.int(0, i);
				[cov[i], cov[j]] = [cov[j], cov[i]];
			}
			for (let k = 0; k < count; k++) {
				const s = k < cov.length ? cov[k] : cov[rRng.int(0, cov.length - 1)];
				rows.push([rRng.int(ys, ye), s, rRng.int(15, 60), rRng.pick(TRAINING_TOPICS)]);
			}
		}
		rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
		const rWidth = widthFor(rows.length, 4);
		rows.forEach((r, i) =>
			writers.trainings.row([pad('R', i + 1, rWidth), streets[r[1]].code, cal.iso(r[0]), r[2], r[3]])
		);
		writers.trainings.close();
	}

	// ---- main pass: activities, participations, beneficiaries, points, micro-wishes --------------
	const aRng = new Rng(`${seed}:activities`);
	const pRng = new Rng(`${seed}:points`);
	const wRng = new Rng(`${seed}:wishes`);
	const sizeOf = (r: Rng) => Math.min(50, Math.max(5, Math.round(r.lognormal(15, 0.6))));
	let meanSize = 0;
	{
		const probe = new Rng(`${seed}:probe`);
		for (let i = 0; i < 20000; i++) meanSize += sizeOf(probe);
		meanSize /= 20000;
	}
	const totalActivities = (1_000_000 * scale) / meanSize;
	const totalWishes = 10_000 * scale;
	const aWidth = widthFor(Math.round(totalActivities * 1.1), 6);
	const pWidth = widthFor(Math.round(1_000_000 * scale * 1.1), 7);
	const wWidth = widthFor(Math.round(totalWishes * 1.1), 6);
	const xWidth = widthFor(Math.round(1_000_000 * scale * 1.2), 7);
	let nA = 0;
	let nP = 0;
	let nW = 0;
	let nX = 0;
	const balance = new Int32Array(nV);
	const heap = new EventHeap();
	let seq = 0;
	const aw = writers.activities;
	const pw = writers.participations;
	const bw = writers.beneficiaries;
	const xw = writers.points;
	const ww = writers.micro_wishes;

	const flushPoints = (until: number) => {
		for (let e = heap.peek(); e && e.t < until; e = heap.peek()) {
			heap.pop();
			if (e.t > endMinute) continue;
			const v = e.vol;
			const bal = balance[v];
			let amount = 0;
			if (e.kind === 'earn') amount = Math.min(e.pts, maxHeld - bal);
			else if (e.kind === 'exchange') amount = bal >= redeemFrom ? Math.min(e.pts, bal) : 0;
			else amount = Math.min(e.pts, bal);
			if (amount < 1) continue;
			balance[v] = e.kind === 'earn' ? bal + amount : bal - amount;
			xw.row([
				pad('X', ++nX, xWidth),
				pad('V', v + 1, vWidth),
				e.kind,
				amount,
				cal.datetime(e.t),
				e.activity
			]);
			if (e.kind !== 'earn') continue;
			const nb = balance[v];
			const later = (minDays: number, maxDays: number) => {
				const day = Math.floor(e.t / MIN_PER_DAY) + pRng.int(minDays, maxDays);
				return day * MIN_PER_DAY + pRng.int(8 * 60, 21 * 60);
			};
			if (nb >= redeemFrom && pRng.chance(nb >= maxHeld - 100 ? 0.35 : 0.06))
				heap.push({
					t: later(1, 40),
					seq: seq++,
					kind: 'exchange',
					vol: v,
					pts: pRng.int(20, Math.min(nb, 400)),
					activity: null
				});
			if (nb >= 10 && pRng.chance(0.012))
				heap.push({
					t: later(1, 20),
					seq: seq++,
					kind: 'donate',
					vol: v,
					pts: pRng.int(5, Math.min(nb, 50)),
					activity: null
				});
		}
	};

	// programme probabilities by day
	const epidemicShare = (iso: string) => {
		if (iso >= '2020-01-25' && iso <= '2020-06-30') return 0.3;
		if (iso >= '2020-07-01' && iso <= '2020-12-31') return 0.06;
		if (iso >= '2021-05-21' && iso <= '2021-06-30') return 0.25;
		if (iso >= '2021-01-01' && iso <= '2021-12-31') return 0.05;
		if (iso >= '2022-10-20' && iso <= '2022-12-07') return 0.3;
		if (iso >= '2022-01-01' && iso <= '2022-12-31') return 0.07;
		return 0;
	};
	const pickCategory = (month: number, dom: number): string => {
		const w = CATEGORY_CODES.map((c) => CATEGORY_WEIGHTS[c]);
		if (month === 3) {
			w[CATEGORY_CODES.indexOf('care_support')] *= 1.4;
			w[CATEGORY_CODES.indexOf('civility')] *= 1.4;
		}
		if (month === 12 && dom === 5) w[CATEGORY_CODES.indexOf('public_events')] *= 4;
		if (month >= 7 && month <= 8) w[CATEGORY_CODES.indexOf('education')] *= 2;
		return CATEGORY_CODES[aRng.weighted(w)];
	};

	interface Pools {
		year: number;
		city: Pool;
		district: Pool[];
	}
	let pools: Pools | null = null;
	const buildPools = (year: number): Pools => {
		const ys = Math.max(first, dayOf(`${year}-01-01`));
		const ye = Math.min(last, dayOf(`${year}-12-31`));
		const len = ye - ys + 1;
		const idx: number[][] = districts.map(() => []);
		const all: number[] = [];
		for (let i = 0; i < nV && regDay[i] <= ye; i++) {
			if (!(vProp[i] > 0) || vLapse[i] < ys) continue;
			all.push(i);
			idx[vDistrict[i]].push(i);
		}
		const weight = (i: number) => vProp[i] * Math.min(1, (vLapse[i] - ys + 1) / len);
		const mk = (m: number[]): Pool => ({
			members: Int32Array.from(m),
			regDays: Int32Array.from(m.map((i) => regDay[i])),
			sampler: new CumulativeSampler(m.map(weight))
		});
		return { year, city: mk(all), district: idx.map(mk) };
	};
	const drawFrom = (pool: Pool, day: number): number => {
		const n = lowerBound(pool.regDays, day);
		const k = pool.sampler.draw(aRng, n);
		return k < 0 ? -1 : pool.members[k];
	};

	const groupWeightsFor = (category: string) =>
		PUBLIC_CATEGORIES.has(category) ? GROUP_WEIGHTS_PUBLIC : GROUP_WEIGHTS_CARE;
	const lagChoices = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15];
	const lagWeights = [24, 34, 20, 8, 4, 3, 2, 1.5, 1, 1, 0.7, 0.5];

	const months = new Set<string>();
	for (let d = first; d <= last; d++) months.add(cal.iso(d).slice(0, 7));
	const totalMonths = months.size;
	let monthsDone = 0;
	let prevMonth = cal.iso(first).slice(0, 7);
	const picked: number[] = [];

	for (let day = first; day <= last; day++) {
		const info = cal.info(day);
		const iso = info.iso;
		const month = iso.slice(0, 7);
		if (month !== prevMonth) {
			monthsDone++;
			prevMonth = month;
			onProgress?.({ phase: 'activities', done: monthsDone, total: totalMonths });
			await tick();
		}
		if (pools === null || pools.year !== info.year) pools = buildPools(info.year);
		const P: Pools = pools;
		flushPoints(day * MIN_PER_DAY);
		const yr = byYear[info.year];

		// micro-wishes posted today
		const nWishes = wRng.poisson(totalWishes * actDayWeight[day - first] * (iso < '2019-09-01' ? 0.2 : 1));
		for (let k = 0; k < nWishes; k++) {
			const comm = cityComm.draw(wRng);
			const c = communities[comm];
			const posted = day * MIN_PER_DAY + wRng.int(8 * 60, 22 * 60);
			let dispatched: number | null = wRng.chance(0.95) ? posted + wRng.int(30, 2 * MIN_PER_DAY) : null;
			let accepted: number | null =
				dispatched !== null && wRng.chance(0.93)
					? dispatched + 10 + Math.round(wRng.exponential(3 * MIN_PER_DAY))
					: null;
			const mode = wRng.weighted([85, 10, 5]);
			let fulfilled: number | null =
				accepted === null || mode === 2
					? null
					: accepted +
						(mode === 0
							? wRng.int(MIN_PER_DAY / 2, 20 * MIN_PER_DAY)
							: wRng.int(30 * MIN_PER_DAY, 100 * MIN_PER_DAY));
			if (dispatched !== null && dispatched > endMinute) dispatched = null;
			if (dispatched === null || (accepted !== null && accepted > endMinute)) accepted = null;
			if (accepted === null || (fulfilled !== null && fulfilled > endMinute)) fulfilled = null;
			let vol = -1;
			if (accepted !== null) {
				vol = drawFrom(wRng.chance(0.8) ? P.district[c.district] : P.city, day);
				if (vol < 0) {
					accepted = null;
					fulfilled = null;
				}
			}
			const rating =
				fulfilled !== null && wRng.chance(0.85) ? Math.min(10, 7 + Math.round(wRng.next() * 31) / 10) : null;
			const group = GROUP_CODES[wRng.weighted([35, 15, 8, 12, 6, 12, 6, 4, 2])];
			const cat = CATEGORY_CODES[wRng.weighted([55, 15, 10, 5, 5, 5, 1, 1, 2, 1, 0])];
			ww.row([
				pad('W', ++nW, wWidth),
				c.code,
				group,
				cat,
				cal.datetime(posted),
				dispatched === null ? null : cal.datetime(dispatched),
				accepted === null ? null : cal.datetime(accepted),
				fulfilled === null ? null : cal.datetime(fulfilled),
				accepted === null ? null : pad('V', vol + 1, vWidth),
				rating === null ? null : rating.toFixed(1)
			]);
		}

		// activities held today
		const nToday = aRng.poisson(totalActivities * actDayWeight[day - first]);
		const nTeamsOpen = lowerBound(teamOrderFounded, day);
		for (let k = 0; k < nToday; k++) {
			const ti = teamSampler.draw(aRng, nTeamsOpen);
			if (ti < 0) break;
			const team = teamOrder[ti];
			const level = tLevel[team];
			let comm: number;
			if (level === 'corps') comm = cityComm.draw(aRng);
			else if (level === 'division')
				comm = commOfDistrict[tDistrict[team]][districtComm[tDistrict[team]].draw(aRng)];
			else if (aRng.chance(0.65)) comm = tComm[team];
			else {
				const s = communities[tComm[team]].street;
				comm = commOfStreet[s][streetComm[s].draw(aRng)];
			}
			const c = communities[comm];

			// programme and category
			let programme: string | null = null;
			const u = aRng.next();
			const epi = epidemicShare(iso);
			const autumn = info.month >= 9 && info.month <= 11 ? 0.06 : 0;
			const meals = iso >= '2020-03-01' ? 0.035 : 0;
			const hotline = iso >= '2020-02-01' ? 0.015 : 0;
			const wishes = iso >= '2020-05-01' ? 0.015 : 0;
			const openTourism = tourismStations[c.district].filter((s) => isOpen(s, day));
			const tourism = openTourism.length ? 0.04 : 0;
			const cuts = [epi, 0.05, autumn, meals, hotline, wishes, tourism];
			const progs = [
				'epidemic_prevention',
				'waste_sorting',
				'autumn_warmth',
				'meal_vouchers',
				'elder_hotline',
				'micro_wishes',
				'tourism_stations'
			];
			let acc = 0;
			for (let j = 0; j < cuts.length; j++) {
				acc += cuts[j];
				if (u < acc) {
					programme = progs[j];
					break;
				}
			}
			let category: string;
			switch (programme) {
				case 'epidemic_prevention':
					category = ['health', 'emergency', 'care_support'][aRng.weighted([5, 3, 2])];
					break;
				case 'waste_sorting':
					category = 'environment';
					break;
				case 'elder_hotline':
					category = aRng.chance(0.6) ? 'psychological' : 'care_support';
					break;
				case 'tourism_stations':
					category = aRng.chance(0.6) ? 'civility' : 'public_events';
					break;
				case null:
					category = pickCategory(info.month, info.dom);
					break;
				default:
					category = 'care_support';
			}
			let station: Station | null = null;
			if (programme === 'tourism_stations') station = aRng.pick(openTourism);
			else if (aRng.chance(0.45)) {
				const open = localStations[c.street].filter((s) => isOpen(s, day));
				if (open.length) station = aRng.pick(open);
			}
			const templates = programme ? PROGRAMME_TEMPLATES[programme] : TITLE_TEMPLATES[category];
			const title =
				programme === 'tourism_stations' && station?.place
					? `${station.place}${aRng.pick(templates)}`
					: `${c.short}${aRng.pick(templates)}`;

			// time
			// long days: 8–12 h now and then (mostly big events and emergencies), > 12 h only for those
			const longDay = aRng.next();
			const bigEvent = category === 'public_events' || category === 'emergency';
			let duration: number;
			let startMin: number;
			if (bigEvent && longDay < 0.012) {
				duration = aRng.int(25, 32) / 2;
				startMin = aRng.int(6 * 2, 8 * 2) * 30;
			} else if (longDay < 0.007 + (bigEvent ? 0.03 : 0)) {
				duration = aRng.int(17, 24) / 2;
				startMin = aRng.int(7 * 2, 9 * 2) * 30;
			} else {
				duration = [1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6, 7, 8][
					aRng.weighted([6, 10, 20, 12, 16, 8, 10, 5, 4, 2, 2])
				];
				const startH = [8, 8.5, 9, 9.5, 10, 14, 14.5, 15, 19][
					aRng.weighted([8, 8, 22, 10, 10, 16, 10, 8, 8])
				];
				startMin = Math.round(startH * 60);
				if (startMin + duration * 60 > 22 * 60) startMin = Math.round((9 - (duration > 10 ? 2 : 0)) * 60);
			}
			const start = day * MIN_PER_DAY + startMin;
			const end = start + Math.round(duration * 60);
			const endDay = Math.floor(end / MIN_PER_DAY);
			const year = info.year;
			const miss = (p: number) => aRng.chance(p * Math.max(0.3, 1.3 - 0.12 * (year - 2019)));
			const rated = aRng.chance(0.6);
			const ledger = [
				miss(0.01),
				miss(0.03),
				miss(0.04),
				miss(0.09),
				miss(0.14),
				miss(rated ? 0.08 : 0.3)
			].map((m) => (m ? 0 : 1));
			const rating = rated
				? Math.max(5, Math.min(10, Math.round((9.3 - Math.abs(aRng.normal()) * 0.9) * 10) / 10))
				: null;
			const aid = pad('A', ++nA, aWidth);
			aw.row([
				aid,
				title,
				pad('T', team + 1, tWidth),
				station ? station.id : null,
				category,
				programme,
				c.code,
				cal.datetime(start),
				cal.datetime(end),
				...ledger,
				rating === null ? null : rating.toFixed(1)
			]);
			yr.activities++;

			// participants
			const size = sizeOf(aRng);
			picked.length = 0;
			const dPool = P.district[c.district];
			for (let attempt = 0; picked.length < size && attempt < size * 3; attempt++) {
				const v = drawFrom(aRng.chance(0.72) ? dPool : P.city, day);
				if (v < 0) break;
				if (!picked.includes(v)) picked.push(v);
			}
			const backfillP = year === 2019 ? 0.25 : year === 2020 ? 0.18 : 0.08;
			const actBackfill = aRng.chance(backfillP);
			const actUnconfirmed = aRng.chance(0.008);
			const lag = lagChoices[aRng.weighted(lagWeights)];
			for (const v of picked) {
				let hours = duration;
				if (duration > 1 && aRng.chance(0.18)) hours = aRng.int(1, duration * 2 - 1) / 2;
				const backfill = actBackfill ? aRng.chance(0.9) : aRng.chance(0.03);
				const approval =
					hours <= directMax
						? 'none'
						: hours <= organisationMax
							? aRng.chance(0.85)
								? 'organisation'
								: 'none'
							: ['authority', 'organisation', 'none'][aRng.weighted([88, 6, 6])];
				let signIn: number | null = null;
				if (!backfill) signIn = start - aRng.int(0, 20) + (aRng.chance(0.1) ? aRng.int(0, 30) : 0);
				else if (aRng.chance(0.2)) signIn = start;
				let confirmed: number | null = null;
				if (!actUnconfirmed && !aRng.chance(0.012)) {
					let l = aRng.chance(0.85) ? lag : lagChoices[aRng.weighted(lagWeights)];
					if (backfill) l += aRng.int(2, 10);
					if (l === 0) confirmed = end + aRng.int(10, 240);
					else confirmed = cal.addWorkdays(endDay, l) * MIN_PER_DAY + aRng.int(9 * 60, 18 * 60);
					if (confirmed > endMinute) confirmed = null;
				}
				pw.row([
					pad('P', ++nP, pWidth),
					aid,
					pad('V', v + 1, vWidth),
					hours.toFixed(1),
					signIn === null ? null : cal.datetime(signIn),
					backfill ? 'backfill' : 'scan',
					approval,
					confirmed === null ? null : cal.datetime(confirmed)
				]);
				yr.participations++;
				yr.hours += hours;
				if (confirmed !== null && hours >= 1)
					heap.push({
						t: confirmed,
						seq: seq++,
						kind: 'earn',
						vol: v,
						pts: pointsFor(hours),
						activity: aid
					});
			}

			// beneficiaries
			const nGroups = 1 + aRng.weighted([50, 35, 15]);
			const gw = [...groupWeightsFor(category)];
			if (programme === 'autumn_warmth' || programme === 'elder_hotline' || programme === 'meal_vouchers')
				gw[0] *= 6;
			const people =
				programme === 'epidemic_prevention'
					? aRng.lognormal(900, 0.8)
					: Math.max(1, picked.length) * aRng.lognormal(3, 0.8);
			const chosen: number[] = [];
			const shares: number[] = [];
			for (let g = 0; g < nGroups; g++) {
				const gi = aRng.weighted(gw);
				if (chosen.includes(gi)) continue;
				chosen.push(gi);
				shares.push(aRng.lognormal(1, 0.9));
			}
			const shareSum = shares.reduce((a, b) => a + b, 0);
			chosen.forEach((gi, j) =>
				bw.row([aid, GROUP_CODES[gi], Math.max(1, Math.round((people * shares[j]) / shareSum))])
			);
		}
	}
	flushPoints(endMinute + 1);
	onProgress?.({ phase: 'activities', done: totalMonths, total: totalMonths });
	for (const w of Object.values(writers)) w.close();

	const rows = {} as Record<InputTableName, number>;
	for (const t of INPUT_TABLES) rows[t.name] = writers[t.name].rows;
	const stationsByKind: Record<string, number> = {};
	for (const s of stations) stationsByKind[s.kind] = (stationsByKind[s.kind] ?? 0) + 1;
	for (const y of Object.values(byYear)) y.hours = Math.round(y.hours);
	return {
		region: '',
		scale,
		seed,
		period: { start: PERIOD_START, end: PERIOD_END },
		outDir: '',
		files: INPUT_TABLES.map((t) => t.file),
		rows,
		stations_by_kind: stationsByKind,
		by_year: byYear,
		seconds: 0,
		peak_rss_mb: 0
	};
}
