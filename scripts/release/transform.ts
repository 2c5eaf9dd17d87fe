/**
 * Input tables (src_*, src/lib/schema/input.ts) → public tables (src/lib/schema/public.ts), in DuckDB:
 * pseudonyms (keyed HMAC), age bands instead of birth dates, district/street codes from the reference
 * tables, dates reduced where the public table has DATE, k-anonymity for volunteers and small-cell
 * suppression (primary + secondary) for beneficiaries.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { AGE_BANDS } from '../../src/lib/schema/codes';
import { PUBLIC_TABLES, createTableSql, type PublicTable } from '../../src/lib/schema/public';
import { suppressCells, type Cell } from '../../src/lib/privacy/suppress';
import { pseudonymSql } from './pseudonym';

export interface ReferenceData {
	districts: {
		district_code: string;
		name_zh: string;
		name_en: string;
		population: number;
		population_year: number;
	}[];
	streets: { street_code: string; district_code: string; name_zh: string }[];
	communities: { community_code: string; street_code: string; district_code: string; name_zh: string }[];
	calendar: { date: string; is_workday: boolean; workday_index: number }[];
	/** Contents of data/reference/<code>/sources.json (listed in datapackage.json). */
	sources?: unknown[];
}

export interface PrivacyStats {
	k: number;
	volunteers: number;
	community_withheld: number;
	gender_withheld: number;
	age_band_withheld: number;
	/**
	 * Rows whose class over `VOLUNTEER_QI` is still below k after every step the schema allows (set by
	 * `withholdResidual`, normally 0; before it, the count after age band, gender and community).
	 */
	residual_below_k: number;
	/** Rows changed by each of `RESIDUAL_STEPS` and by the final padding (0 where the schema forbids NULL). */
	residual_withheld?: Record<string, number>;
	beneficiary_cells: number;
	beneficiary_primary: number;
	beneficiary_secondary: number;
	/**
	 * Small beneficiary cells that stay derivable from published cells plus every total over two or more
	 * cells (see `suppressBeneficiaries`): no suppression can protect them; normally 0.
	 */
	beneficiary_exposed_residual: number;
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const lit = (v: unknown, type: string): string => {
	if (v === null || v === undefined || v === '') return 'NULL';
	if (type === 'VARCHAR') return q(String(v));
	if (type === 'BOOLEAN') return v === true || v === 'true' || v === '1' || v === 1 ? 'TRUE' : 'FALSE';
	if (type === 'DATE') return `DATE ${q(String(v))}`;
	const n = Number(v);
	if (!Number.isFinite(n)) throw new Error(`not a number: ${String(v)}`);
	return String(n);
};

/** Insert plain JS rows into an existing table (small tables only: reference data). */
export async function insertRows(
	conn: DuckDBConnection,
	table: PublicTable,
	rows: readonly Record<string, unknown>[]
): Promise<void> {
	for (let i = 0; i < rows.length; i += 500) {
		const values = rows
			.slice(i, i + 500)
			.map((r) => `(${table.columns.map((c) => lit(r[c.name], c.type)).join(', ')})`)
			.join(',\n');
		await conn.run(`INSERT INTO ${table.name} VALUES ${values}`);
	}
}

/**
 * Free text (titles, names, topics) is published, so mask what looks like a mobile number (11 digits
 * starting 1[3-9]) or an 18-character ID-card number inside it.
 */
export const redactSql = (expr: string): string =>
	`regexp_replace(regexp_replace(${expr}, '(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)', '\\1[已隐去]\\2', 'g'), '(^|[^0-9])[0-9]{17}[0-9Xx]([^0-9Xx]|$)', '\\1[已隐去]\\2', 'g')`;

const table = (name: string) => PUBLIC_TABLES.find((t) => t.name === name)!;

/** Create every public table; fill the reference tables. */
export async function createPublicTables(conn: DuckDBConnection, ref: ReferenceData): Promise<void> {
	for (const t of PUBLIC_TABLES) await conn.run(`DROP TABLE IF EXISTS ${t.name}; ${createTableSql(t)}`);
	await insertRows(conn, table('ref_districts'), ref.districts);
	await insertRows(conn, table('ref_streets'), ref.streets);
	await insertRows(conn, table('ref_communities'), ref.communities);
	await insertRows(conn, table('ref_calendar'), ref.calendar);
}

const ageBandSql = (age: string) =>
	`CASE ${AGE_BANDS.map((b) => `WHEN ${age} BETWEEN ${b.min} AND ${b.max} THEN '${b.code}'`).join(' ')} END`;

const cols = (name: string) =>
	table(name)
		.columns.map((c) => `"${c.name}"`)
		.join(', ');

/** Fill the public data tables from the src_* tables. */
export async function transformToPublic(
	conn: DuckDBConnection,
	opts: {
		key: Buffer;
		k: number;
		threshold: number;
		log?: (msg: string) => void;
		/** A second connection to the same database: the beneficiary suppression (mostly JavaScript on one
		 * core) then runs on it while DuckDB pseudonymises the participations and point transactions. */
		second?: DuckDBConnection | null;
	}
): Promise<PrivacyStats> {
	const { key, k } = opts;
	/** Run a statement, logging its time (the first words name the step). */
	const run = async (sql: string) => {
		const t = performance.now();
		await conn.run(sql);
		opts.log?.(
			`    ${sql.replace(/\s+/g, ' ').slice(0, 48)}… ${((performance.now() - t) / 1000).toFixed(2)} s`
		);
	};
	const pv = (sql: string) => pseudonymSql(key, 'volunteer', sql);
	// Community → street → district, from the reference tables, falling back to the GB/T 2260 code prefix.
	await run(`CREATE OR REPLACE TEMP TABLE place_map AS
		SELECT community_code, street_code, district_code FROM ref_communities`);
	const districtOfStreet = (s: string) =>
		`coalesce((SELECT district_code FROM ref_streets r WHERE r.street_code = ${s}), left(${s}, 6))`;

	// Volunteer ids are mapped once and joined: hashing 1M ids beats hashing 10M rows. The two big tables
	// (hours, points) keep the export's row order: `ORDER BY p.rowid` (the src_* tables are in file order),
	// as DuckDB's hash join does not keep it (the rows came out shuffled, differently in every build, so the
	// Arrow file names changed with no change in the data); the sort costs no more than the unordered insert.
	await run(`CREATE OR REPLACE TEMP TABLE vmap AS
		SELECT v.volunteer_id AS raw_id, ${pv('v.volunteer_id')} AS pid,
			coalesce(m.district_code, left(v.community_code, 6)) AS district_code,
			coalesce(m.street_code, left(v.community_code, 9)) AS street_code
		FROM src_volunteers v LEFT JOIN place_map m USING (community_code)`);
	// Volunteers: pseudonym, age band at registration, then k-anonymity by generalisation.
	await run(`CREATE OR REPLACE TEMP TABLE v0 AS
		SELECT vm.pid AS volunteer_id,
			s.registered_at AS registered_on,
			${ageBandSql("date_sub('year', s.birth_date, s.registered_at)")} AS age_band,
			s.gender, s.political_status, s.party_reporting,
			coalesce(m.district_code, left(s.community_code, 6)) AS district_code,
			coalesce(m.street_code, left(s.community_code, 9)) AS street_code,
			s.community_code
		FROM src_volunteers s JOIN vmap vm ON vm.raw_id = s.volunteer_id
			LEFT JOIN place_map m ON m.community_code = s.community_code`);
	// Party reporting is left to withholdResidual (it only splits party members further).
	const cls = VOLUNTEER_QI.filter((c) => c !== 'party_reporting').join(', ');
	await run(`CREATE OR REPLACE TEMP TABLE v1 AS SELECT * REPLACE (
		CASE WHEN count(*) OVER (PARTITION BY ${cls}) < ${k} THEN NULL ELSE community_code END AS community_code) FROM v0`);
	await run(`CREATE OR REPLACE TEMP TABLE v2 AS SELECT * REPLACE (
		CASE WHEN count(*) OVER (PARTITION BY ${cls}) < ${k} THEN NULL ELSE gender END AS gender) FROM v1`);
	await run(`CREATE OR REPLACE TEMP TABLE v3 AS SELECT * REPLACE (
		CASE WHEN count(*) OVER (PARTITION BY ${cls}) < ${k} THEN NULL ELSE age_band END AS age_band) FROM v2`);
	await run(
		`INSERT INTO volunteers SELECT ${cols('volunteers')} FROM v3 ORDER BY district_code, street_code, volunteer_id`
	);
	const statsRow = (
		await conn.runAndReadAll(`SELECT
			count(*)::INTEGER AS n,
			(SELECT count(*) FROM v0 WHERE community_code IS NOT NULL)::INTEGER - count(community_code)::INTEGER AS c,
			(SELECT count(*) FROM v0 WHERE gender IS NOT NULL)::INTEGER - count(gender)::INTEGER AS g,
			(SELECT count(*) FROM v0 WHERE age_band IS NOT NULL)::INTEGER - count(age_band)::INTEGER AS a,
			(SELECT coalesce(sum(n), 0)::INTEGER FROM (SELECT count(*) AS n FROM v3 GROUP BY ${cls}) WHERE n < ${k}) AS r
		FROM v3`)
	).getRowObjectsJS()[0] as Record<string, number>;
	await run('DROP TABLE v0; DROP TABLE v1; DROP TABLE v2');

	await run(`INSERT INTO teams SELECT team_id, ${redactSql('name')}, level, kind, parent_team_id,
			coalesce(m.district_code, left(t.community_code, 6)), coalesce(m.street_code, left(t.community_code, 9)),
			t.community_code, founded_at
		FROM src_teams t LEFT JOIN place_map m USING (community_code) ORDER BY team_id`);
	await run(`INSERT INTO stations SELECT station_id, ${redactSql('name')}, kind, ${districtOfStreet('s.street_code')}, s.street_code,
			s.community_code, opened_at, closed_at
		FROM src_stations s ORDER BY station_id`);
	await run(`INSERT INTO activities SELECT activity_id, ${redactSql('title')}, team_id, station_id, category, programme,
			coalesce(m.district_code, left(a.community_code, 6)), coalesce(m.street_code, left(a.community_code, 9)),
			a.community_code, start_at, end_at, ledger_time, ledger_content, ledger_participation, ledger_outcome,
			ledger_photos, ledger_evaluation, rating
		FROM src_activities a LEFT JOIN place_map m USING (community_code) ORDER BY start_at, activity_id`);
	// Beneficiary cells need the activities (their street and year) and nothing below: with a second
	// connection, they are suppressed beside the two largest inserts (one core for JavaScript, DuckDB's threads
	// for the inserts) instead of after them.
	const tb = performance.now();
	const suppression = (async () => {
		const ben = await suppressBeneficiaries(opts.second ?? conn, opts.threshold);
		opts.log?.(`    beneficiary suppression… ${((performance.now() - tb) / 1000).toFixed(2)} s`);
		return ben;
	})();
	// Without a second connection it runs first (a connection runs one statement at a time).
	if (!opts.second) await suppression;
	else suppression.catch(() => {}); // awaited below; no unhandled rejection meanwhile
	try {
		await run(`INSERT INTO hours SELECT ${pseudonymSql(key, 'participation', 'p.participation_id')},
				p.activity_id, vm.pid, p.hours, p.signed_in_at IS NOT NULL, p.verification, p.approval,
				p.confirmed_at::DATE
			FROM src_participations p JOIN vmap vm ON vm.raw_id = p.volunteer_id ORDER BY p.rowid`);
		await run(`INSERT INTO micro_wishes SELECT ${pseudonymSql(key, 'wish', 'w.wish_id')},
				coalesce(m.district_code, left(w.community_code, 6)), coalesce(m.street_code, left(w.community_code, 9)),
				beneficiary_group, category, posted_at::DATE, dispatched_at::DATE, accepted_at::DATE, fulfilled_at::DATE, rating
			FROM src_micro_wishes w LEFT JOIN place_map m USING (community_code) ORDER BY posted_at, 1`);
		await run(`INSERT INTO points SELECT ${pseudonymSql(key, 'transaction', 'p.transaction_id')},
				vm.pid, vm.district_code, vm.street_code, kind, points, occurred_at::DATE
			FROM src_points p JOIN vmap vm ON vm.raw_id = p.volunteer_id ORDER BY p.rowid`);
		await run(`INSERT INTO trainings SELECT training_id, ${districtOfStreet('t.street_code')}, t.street_code,
				held_on, trainees, ${redactSql('topic')} FROM src_trainings t ORDER BY held_on, training_id`);
	} catch (e) {
		// The connection of the suppression stays busy until it ends: let it end before the caller closes it.
		await suppression.catch(() => {});
		throw e;
	}
	const ben = await suppression;
	if (ben.exposedResidual)
		opts.log?.(
			`  注意：${ben.exposedResidual} 个隐去的小单元格仍可由合计推算 / note: ${ben.exposedResidual} withheld small beneficiary cells stay derivable from totals`
		);
	await run('DROP TABLE vmap; DROP TABLE v3');
	return {
		k,
		volunteers: statsRow.n,
		community_withheld: statsRow.c,
		gender_withheld: statsRow.g,
		age_band_withheld: statsRow.a,
		residual_below_k: statsRow.r,
		beneficiary_cells: ben.cells,
		beneficiary_primary: ben.primary,
		beneficiary_secondary: ben.secondary,
		beneficiary_exposed_residual: ben.exposedResidual
	};
}

/**
 * Beneficiary cells (activity × group): primary suppression below the threshold, secondary so that no
 * withheld cell can be derived. Threat model (checked by tests/unit/privacy-scan.test.ts):
 * - Published: the shown cells and the `suppressed` flags. Every total the release or the site shows
 *   (dashboard sums by month, street, category and group; the person-times indicators) adds shown cells
 *   only, so it tells nothing about withheld ones; activities carry no person-times total.
 * - Assumed known anyway (defence in depth): the total of any activity and of any street × year × group
 *   that covers two or more cells (an activity notice, a street's annual report). The attacker solves
 *   the whole system of these sums, not one total at a time (`derivableCells`).
 * - Outside the model: one-cell totals. A single-group activity's total is its cell: whoever publishes it
 *   publishes the cell (below 5 it must not be published at all, DOMAIN.md §6), and with street × year ×
 *   group totals beside it no pattern of withheld cells in this table can stop what follows from it.
 * Small cells that no suppression protects are counted (`beneficiary_exposed_residual`, normally 0).
 */
async function suppressBeneficiaries(
	conn: DuckDBConnection,
	threshold: number
): Promise<{ cells: number; primary: number; secondary: number; exposedResidual: number }> {
	const reader =
		await conn.runAndReadAll(`SELECT b.activity_id, b.beneficiary_group, b.person_times::INTEGER AS pt,
			coalesce(a.street_code, '') AS street, coalesce(year(a.start_at), 0)::INTEGER AS yr
		FROM src_beneficiaries b LEFT JOIN activities a USING (activity_id)
		ORDER BY b.activity_id, b.beneficiary_group`);
	const [ids, groups, pts, streets, years] = reader.getColumnsJS() as [
		string[],
		string[],
		number[],
		string[],
		number[]
	];
	const cells: Cell[] = ids.map((id, i) => ({
		value: pts[i],
		groups: [`a:${id}`, `g:${streets[i]}|${years[i]}|${groups[i]}`]
	}));
	const res = suppressCells(cells, threshold);
	await conn.run('CREATE OR REPLACE TEMP TABLE ben_hidden (activity_id VARCHAR, beneficiary_group VARCHAR)');
	const app = await conn.createAppender('ben_hidden');
	res.suppressed.forEach((s, i) => {
		if (!s) return;
		app.appendVarchar(ids[i]);
		app.appendVarchar(groups[i]);
		app.endRow();
	});
	app.closeSync();
	await conn.run(`INSERT INTO beneficiaries SELECT b.activity_id, b.beneficiary_group,
			CASE WHEN h.activity_id IS NULL THEN b.person_times END, h.activity_id IS NOT NULL
		FROM src_beneficiaries b LEFT JOIN ben_hidden h USING (activity_id, beneficiary_group)
		ORDER BY b.activity_id, b.beneficiary_group`);
	await conn.run('DROP TABLE ben_hidden');
	return {
		cells: cells.length,
		primary: res.primary,
		secondary: res.secondary,
		exposedResidual: res.exposed.length
	};
}

/** Years covered by the data (activities' start years). */
export async function dataYears(conn: DuckDBConnection): Promise<number[]> {
	const r = await conn.runAndReadAll(
		'SELECT DISTINCT year(start_at)::INTEGER AS y FROM activities WHERE start_at IS NOT NULL ORDER BY y'
	);
	return (r.getColumnsJS()[0] ?? []).map(Number);
}

/**
 * Quasi-identifiers of a volunteer: the volunteers columns below. Of the other published tables only
 * `points` repeats some of them (street and district, kept equal to the volunteers row by
 * `withholdResidual`). `hours` links the volunteer pseudonym to activities, whose place is where the
 * activity was held, not an attribute of the volunteer: not a quasi-identifier here.
 */
export const VOLUNTEER_QI = [
	'age_band',
	'gender',
	'community_code',
	'street_code',
	'district_code',
	'political_status',
	'party_reporting'
] as const;

/**
 * Last k-anonymity steps, after age band, gender and community were withheld for classes below k over
 * the other quasi-identifiers: for rows still in classes below k (over all of `VOLUNTEER_QI`), withhold
 * political status (with party reporting, which would otherwise betray it), then what the first
 * generalisation left (community, gender, age band: rows that party reporting alone singles out), then
 * street, then district. A step runs only where the public schema lets its columns be NULL (`nullable`),
 * in volunteers and in points (which repeats each volunteer's street and district).
 */
export const RESIDUAL_STEPS: { name: string; volunteers: string[]; points: string[] }[] = [
	{ name: 'political_status', volunteers: ['political_status', 'party_reporting'], points: [] },
	{ name: 'community', volunteers: ['community_code'], points: [] },
	{ name: 'gender', volunteers: ['gender'], points: [] },
	{ name: 'age_band', volunteers: ['age_band'], points: [] },
	{ name: 'street', volunteers: ['street_code'], points: ['street_code'] },
	{ name: 'district', volunteers: ['district_code'], points: ['district_code'] }
];

const allowedStep = (
	step: (typeof RESIDUAL_STEPS)[number],
	allowed: (table: string, col: string) => boolean
): boolean =>
	step.volunteers.every((c) => allowed('volunteers', c)) && step.points.every((c) => allowed('points', c));

const nullableIn = (tableName: string, col: string) =>
	table(tableName).columns.find((c) => c.name === col)?.nullable === true;

/**
 * Run `RESIDUAL_STEPS` on the published `volunteers` (and `points`) tables — call it after the indicators
 * were computed, which thus see the unredacted rows. Returns how many rows each step withheld and the
 * residual: rows whose class over `VOLUNTEER_QI` is still below k.
 */
export async function withholdResidual(
	conn: DuckDBConnection,
	k: number,
	opts: { allowed?: (table: string, col: string) => boolean } = {}
): Promise<{ withheld: Record<string, number>; residual: number }> {
	const allowed = opts.allowed ?? nullableIn;
	const keys = VOLUNTEER_QI.map((c) => `"${c}"`).join(', ');
	const withheld: Record<string, number> = {};
	for (const step of RESIDUAL_STEPS) {
		withheld[step.name] = 0;
		if (!allowedStep(step, allowed)) continue;
		const shown = step.volunteers.map((c) => `"${c}" IS NOT NULL`).join(' OR ');
		await conn.run(`CREATE OR REPLACE TEMP TABLE residual_ids AS SELECT volunteer_id FROM (
				SELECT volunteer_id, ${shown} AS shown, count(*) OVER (PARTITION BY ${keys}) AS n FROM volunteers)
			WHERE n < ${k} AND shown`);
		withheld[step.name] = Number(
			(await conn.runAndReadAll('SELECT count(*)::INTEGER FROM residual_ids')).getColumnsJS()[0][0]
		);
		const set = (cols: string[]) => cols.map((c) => `"${c}" = NULL`).join(', ');
		if (withheld[step.name]) {
			await conn.run(
				`UPDATE volunteers SET ${set(step.volunteers)} WHERE volunteer_id IN (SELECT volunteer_id FROM residual_ids)`
			);
			if (step.points.length)
				await conn.run(
					`UPDATE points SET ${set(step.points)} WHERE volunteer_id IN (SELECT volunteer_id FROM residual_ids)`
				);
		}
		await conn.run('DROP TABLE residual_ids');
	}
	// Every row still below k is now fully withheld, in one class; if that class is smaller than k, move
	// rows from classes that keep ≥ k members into it (largest classes first).
	if (RESIDUAL_STEPS.every((st) => allowedStep(st, allowed))) {
		const nulls = VOLUNTEER_QI.map((c) => `"${c}" IS NULL`).join(' AND ');
		const size = Number(
			(
				await conn.runAndReadAll(`SELECT count(*)::INTEGER FROM volunteers WHERE ${nulls}`)
			).getColumnsJS()[0][0]
		);
		withheld.padding = 0;
		if (size > 0 && size < k) {
			await conn.run(`CREATE OR REPLACE TEMP TABLE residual_ids AS SELECT volunteer_id FROM (
					SELECT volunteer_id, count(*) OVER w AS n, row_number() OVER (w ORDER BY volunteer_id) AS rn
					FROM volunteers WHERE NOT (${nulls}) WINDOW w AS (PARTITION BY ${keys}))
				WHERE n - rn >= ${k} ORDER BY n DESC, volunteer_id LIMIT ${k - size}`);
			const every = VOLUNTEER_QI.map((c) => `"${c}" = NULL`).join(', ');
			await conn.run(
				`UPDATE volunteers SET ${every} WHERE volunteer_id IN (SELECT volunteer_id FROM residual_ids)`
			);
			await conn.run(`UPDATE points SET street_code = NULL, district_code = NULL
				WHERE volunteer_id IN (SELECT volunteer_id FROM residual_ids)`);
			withheld.padding = Number(
				(await conn.runAndReadAll('SELECT count(*)::INTEGER FROM residual_ids')).getColumnsJS()[0][0]
			);
			await conn.run('DROP TABLE residual_ids');
		}
	}
	const residual = Number(
		(
			await conn.runAndReadAll(
				`SELECT coalesce(sum(n), 0)::INTEGER FROM (SELECT count(*) AS n FROM volunteers GROUP BY ${keys}) WHERE n < ${k}`
			)
		).getColumnsJS()[0][0]
	);
	return { withheld, residual };
}
