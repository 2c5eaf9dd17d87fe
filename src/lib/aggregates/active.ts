/**
 * Fast native fill of `agg_active` and `agg_stars` for the release build. The definitions are the SQL of
 * `aggregateSelects()` in ./tables.ts; these give the same rows in the same order (tables.test.ts compares
 * them; the order needs `preserve_insertion_order = true`, as for the definitions).
 *
 * Both read every confirmed participation: DuckDB joins them once to (volunteer number, activity number,
 * month, hours) with integer keys, so that neither aggregate hashes the pseudonym strings again.
 *
 * `agg_active`: in SQL every distinct count needs a (volunteer, combination) hash-table entry, 24 cubes of
 * ~10 M entries at scale 10 (minutes). Here JS orders the pairs by period and volunteer (counting sorts), and
 * each participation marks the counter cells it reaches; a cell remembers the last volunteer it counted, so it
 * counts each volunteer once. The counters are a dense array over (year, quarter|all, city|district|street,
 * category|all, group|all) in which one period is a contiguous slice, and activities are numbered in time
 * order, so that what one period touches stays in the processor cache: ~300 M array accesses, a few seconds.
 *
 * `agg_stars`: the definition's query over the volunteer numbers, with the volunteers who cannot reach the
 * lowest band left out before its per-month window (see `stars` in ./tables.ts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { int32Column } from '../db/server/vectors';

/** Above this many counter cells (8 bytes each) the SQL definition of agg_active is run instead. */
const MAX_CELLS = 1 << 24;

/** Sort order of the table (as in the SQL definition). */
export const ACTIVE_ORDER =
	'year, quarter NULLS FIRST, district_code NULLS FIRST, street_code NULLS FIRST, category NULLS FIRST, beneficiary_group NULLS FIRST';

/** The INTEGER columns of a query (no NULLs), read chunk by chunk into typed arrays. */
async function readInts(conn: DuckDBConnection, sql: string, columns: number): Promise<Int32Array[]> {
	const result = await conn.run(sql);
	const parts: Int32Array[][] = Array.from({ length: columns }, () => []);
	let rows = 0;
	for (;;) {
		const chunk = await result.fetchChunk();
		if (!chunk || chunk.rowCount === 0) break;
		const n = chunk.rowCount;
		for (let c = 0; c < columns; c++) parts[c].push(int32Column(chunk.getColumnVector(c), n));
		rows += n;
	}
	return parts.map((p) => {
		const all = new Int32Array(rows);
		let o = 0;
		for (const a of p) {
			all.set(a, o);
			o += a.length;
		}
		return all;
	});
}

const scalar = async (conn: DuckDBConnection, sql: string): Promise<number | null> => {
	const v = (await conn.runAndReadAll(sql)).getRows()[0][0];
	return v === null ? null : Number(v);
};

/**
 * Stable counting sort of (keys, acts) by the period of each activity, into (outKeys, outActs); returns where
 * each period starts (and, last, the end).
 */
function sortByPeriod(
	keys: Int32Array,
	acts: Int32Array,
	periodOf: Int32Array,
	periods: number,
	outKeys: Int32Array,
	outActs: Int32Array
): Int32Array {
	const start = new Int32Array(periods + 1);
	for (let i = 0; i < acts.length; i++) start[periodOf[acts[i]] + 1]++;
	for (let p = 0; p < periods; p++) start[p + 1] += start[p];
	const bounds = start.slice();
	for (let i = 0; i < acts.length; i++) {
		const j = start[periodOf[acts[i]]]++;
		outKeys[j] = keys[i];
		outActs[j] = acts[i];
	}
	return bounds;
}

/**
 * Count each volunteer once in each cell their participations reach: the 6 cells of the activity in
 * `cellsOf` (group = all), and the same 6 plus the group number for each group the activity serves.
 * `counters[2x]` is the last volunteer counted in cell x, `counters[2x + 1]` the count. Each volunteer's
 * participations must be contiguous within a period (cells of different periods never meet).
 */
function countCells(
	keys: Int32Array,
	acts: Int32Array,
	from: number,
	to: number,
	cellsOf: Int32Array,
	groupStart: Int32Array,
	groups: Int32Array,
	counters: Int32Array
): void {
	for (let i = from; i < to; i++) {
		const v = keys[i];
		const a = acts[i];
		const o = a * 6;
		for (let b = o; b < o + 6; b++) {
			const x = cellsOf[b] * 2;
			if (counters[x] !== v) {
				counters[x] = v;
				counters[x + 1]++;
			}
		}
		for (let gi = groupStart[a]; gi < groupStart[a + 1]; gi++) {
			const g = groups[gi];
			for (let b = o; b < o + 6; b++) {
				const x = (cellsOf[b] + g) * 2;
				if (counters[x] !== v) {
					counters[x] = v;
					counters[x + 1]++;
				}
			}
		}
	}
}

/** Where the fast `agg_stars` query reads: volunteer numbers instead of pseudonyms. */
export interface StarsSource {
	/** A table of the confirmed participations: (k = volunteer number, month of the activity, hours). */
	participations: string;
	/** A table of (k = volunteer number, volunteer_id = pseudonym). */
	volunteers: string;
}

export interface FastAggregates {
	/** The table to fill with the rows of `definition`, the SQL definition of agg_active. */
	active: { target: string; definition: string };
	/** The table to fill with the rows of agg_stars: its SQL definition reading `source`, or (null) the raw tables. */
	stars: { target: string; sql: (source: StarsSource | null) => string };
	/** Other statements to run (by name), timed like the steps. */
	others?: [string, string][];
}

/**
 * Insert the rows of `agg_active` and `agg_stars` into their tables (existing, with their columns) from the
 * public tables `hours`, `activities`, `beneficiaries` and `volunteers` of `conn`. The SQL definitions are run
 * instead where the data has no activity, or when the dense counters would be too large (very many years ×
 * places × categories × groups).
 */
export async function insertActiveAndStars(
	conn: DuckDBConnection,
	agg: FastAggregates,
	opts: {
		/** Hears the seconds each step took. */
		onStep?: (step: string, seconds: number) => void;
		/** Run the SQL definition of agg_active above this many counter cells (8 bytes each). */
		maxCells?: number;
	} = {}
): Promise<void> {
	const { onStep = () => {}, maxCells = MAX_CELLS } = opts;
	const t = (name: string) => `"_agg_fast_${name}"`;
	let t0 = performance.now();
	const step = (name: string) => {
		const now = performance.now();
		onStep(name, (now - t0) / 1000);
		t0 = now;
	};
	const drop = async () => {
		for (const n of ['dk', 'sk', 'ck', 'gk', 'act', 'vk', 'part', 'out'])
			await conn.run(`DROP TABLE IF EXISTS ${t(n)}`);
	};
	const runTimed = async (name: string, sql: string) => {
		const start = performance.now();
		await conn.run(sql);
		onStep(name, (performance.now() - start) / 1000);
	};
	const runOthers = async () => {
		for (const [name, sql] of agg.others ?? []) await runTimed(name, sql);
	};
	await drop();
	try {
		const y0 = await scalar(conn, `SELECT min(year(start_at)) FROM activities`);
		const y1 = await scalar(conn, `SELECT max(year(start_at)) FROM activities`);
		if (y0 === null || y1 === null) {
			// No activity: nothing to gain.
			await runOthers();
			await conn.run(`INSERT INTO ${agg.active.target} ${agg.active.definition}`);
			await conn.run(`INSERT INTO ${agg.stars.target} ${agg.stars.sql(null)}`);
			return;
		}
		// Dictionaries numbered from 1 in code order (0 = all); a place is a district or a street.
		const dict = (name: string, cols: string, from: string) =>
			conn.run(
				`CREATE TEMP TABLE ${t(name)} AS SELECT ${cols}, CAST(row_number() OVER (ORDER BY ${cols}) AS INTEGER) AS n FROM (SELECT DISTINCT ${cols} FROM ${from})`
			);
		await dict('dk', 'district_code', 'activities');
		await dict('sk', 'district_code, street_code', 'activities');
		await dict('ck', 'category', 'activities');
		await dict('gk', 'beneficiary_group', 'beneficiaries');
		const nd = (await scalar(conn, `SELECT count(*) FROM ${t('dk')}`)) ?? 0;
		const ns = (await scalar(conn, `SELECT count(*) FROM ${t('sk')}`)) ?? 0;
		const nc = (await scalar(conn, `SELECT count(*) FROM ${t('ck')}`)) ?? 0;
		const ng = (await scalar(conn, `SELECT count(*) FROM ${t('gk')}`)) ?? 0;
		const ny = y1 - y0 + 1;

		// Activities numbered 0… with their year (from y0), quarter, month, district, street (as a place) and
		// category.
		await conn.run(
			`CREATE TEMP TABLE ${t('act')} AS
			SELECT a.activity_id, CAST(row_number() OVER (ORDER BY a.start_at, a.activity_id) - 1 AS INTEGER) AS ai,
				CAST(year(a.start_at) - ${y0} AS INTEGER) AS y, CAST(quarter(a.start_at) AS INTEGER) AS q,
				CAST(date_trunc('month', a.start_at) AS DATE) AS month, dk.n AS d, CAST(${nd} + sk.n AS INTEGER) AS p, ck.n AS c
			FROM activities a JOIN ${t('dk')} dk USING (district_code) JOIN ${t('sk')} sk USING (district_code, street_code)
				JOIN ${t('ck')} ck USING (category)`
		);
		// Volunteers numbered 0… from the volunteers table (cheaper than a distinct pass over the hours); hours
		// of volunteers without a row there (inconsistent data only) are numbered after them, and joined again.
		await conn.run(
			`CREATE TEMP TABLE ${t('vk')} AS SELECT volunteer_id, CAST(row_number() OVER () - 1 AS INTEGER) AS k
			FROM (SELECT DISTINCT volunteer_id FROM volunteers WHERE volunteer_id IS NOT NULL)`
		);
		// The confirmed participations.
		const participations = () =>
			conn.run(
				`CREATE OR REPLACE TEMP TABLE ${t('part')} AS
				SELECT vk.k, a.ai, a.month, h."hours" FROM "hours" h LEFT JOIN ${t('vk')} vk USING (volunteer_id)
					JOIN ${t('act')} a USING (activity_id)
				WHERE h.confirmed_on IS NOT NULL AND h.volunteer_id IS NOT NULL`
			);
		await participations();
		if (await scalar(conn, `SELECT count(*) FROM ${t('part')} WHERE k IS NULL`)) {
			await conn.run(
				`INSERT INTO ${t('vk')}
				SELECT volunteer_id, CAST((SELECT count(*) FROM ${t('vk')}) + row_number() OVER () - 1 AS INTEGER)
				FROM (SELECT DISTINCT volunteer_id FROM "hours" WHERE confirmed_on IS NOT NULL
					AND volunteer_id NOT IN (SELECT volunteer_id FROM ${t('vk')}))`
			);
			await participations();
		}
		const starsSql = `INSERT INTO ${agg.stars.target} ${agg.stars.sql({ participations: t('part'), volunteers: t('vk') })}`;
		step('participations');

		// cell = (((year · 5 + quarter|0) · P + place|0) · C + category|0) · G + group|0
		const P = 1 + nd + ns;
		const C = 1 + nc;
		const G = 1 + ng;
		const wC = G;
		const wP = C * wC;
		const wQ = P * wP;
		const wY = 5 * wQ;
		const cells = ny * wY;
		if (cells > maxCells) {
			await runTimed(agg.stars.target, starsSql);
			await runOthers();
			await runTimed(agg.active.target, `INSERT INTO ${agg.active.target} ${agg.active.definition}`);
			return;
		}
		const [ay, aq, ad, ap, ac] = await readInts(conn, `SELECT y, q, d, p, c FROM ${t('act')} ORDER BY ai`, 5);
		const na = ay.length;
		// Each activity's 6 cells of its year and 6 of its quarter: city|district|street × all|category.
		const yearCells = new Int32Array(na * 6);
		const quarterCells = new Int32Array(na * 6);
		const quarterOf = new Int32Array(na);
		for (let a = 0; a < na; a++) {
			quarterOf[a] = ay[a] * 4 + aq[a] - 1;
			let o = a * 6;
			for (const p of [0, ad[a] * wP, ap[a] * wP])
				for (const c of [0, ac[a] * wC]) {
					yearCells[o] = ay[a] * wY + p + c;
					quarterCells[o++] = ay[a] * wY + aq[a] * wQ + p + c;
				}
		}
		// The distinct beneficiary groups of each activity (compressed rows).
		const [ga, groups] = await readInts(
			conn,
			`SELECT DISTINCT a.ai, gk.n FROM beneficiaries b JOIN ${t('act')} a USING (activity_id)
				JOIN ${t('gk')} gk USING (beneficiary_group) ORDER BY a.ai, gk.n`,
			2
		);
		const groupStart = new Int32Array(na + 1);
		for (let i = 0; i < ga.length; i++) groupStart[ga[i] + 1]++;
		for (let a = 0; a < na; a++) groupStart[a + 1] += groupStart[a];
		const nv = (await scalar(conn, `SELECT count(*) FROM ${t('vk')}`)) ?? 0;
		const [pk, pa] = await readInts(conn, `SELECT k, ai FROM ${t('part')}`, 2);
		step('active: read');

		// (Running these while JS counts took more CPU and no less time on the shared 2-core machine.)
		await runTimed(agg.stars.target, starsSql);
		await conn.run(`DROP TABLE ${t('part')}`);
		await runOthers();
		t0 = performance.now();
		// By volunteer (stable counting sort), then per pass by year or by quarter (stable, so each
		// volunteer's participations stay together within a period).
		const n = pk.length;
		const byK = new Int32Array(nv + 1);
		for (let i = 0; i < n; i++) byK[pk[i] + 1]++;
		for (let v = 0; v < nv; v++) byK[v + 1] += byK[v];
		const k1 = new Int32Array(n);
		const a1 = new Int32Array(n);
		for (let i = 0; i < n; i++) {
			const j = byK[pk[i]]++;
			k1[j] = pk[i];
			a1[j] = pa[i];
		}
		const counters = new Int32Array(cells * 2).fill(-1);
		for (let x = 1; x < counters.length; x += 2) counters[x] = 0;
		for (const [periodOf, periods, cellsOf] of [
			[ay, ny, yearCells],
			[quarterOf, ny * 4, quarterCells]
		] as const) {
			const bounds = sortByPeriod(k1, a1, periodOf, periods, pk, pa);
			for (let p = 0; p < periods; p++)
				countCells(pk, pa, bounds[p], bounds[p + 1], cellsOf, groupStart, groups, counters);
		}
		step('active: count');

		// Back to DuckDB as (cell, volunteers); decoded and sorted there.
		await conn.run(`CREATE TEMP TABLE ${t('out')} (cell INTEGER, volunteers INTEGER)`);
		const app = await conn.createAppender(`_agg_fast_out`);
		for (let x = 0; x < cells; x++) {
			const c = counters[2 * x + 1];
			if (c === 0) continue;
			app.appendInteger(x);
			app.appendInteger(c);
			app.endRow();
		}
		app.closeSync();
		const part = (w: number, size: number) => `CAST((o.cell // ${w}) % ${size} AS INTEGER)`;
		await conn.run(
			`INSERT INTO ${agg.active.target}
			SELECT CAST(o.cell // ${wY} AS INTEGER) + ${y0} AS year, nullif(${part(wQ, 5)}, 0) AS quarter,
				coalesce(dk.district_code, sk.district_code) AS district_code, sk.street_code, ck.category,
				gk.beneficiary_group, o.volunteers
			FROM ${t('out')} o
				LEFT JOIN ${t('dk')} dk ON dk.n = ${part(wP, P)}
				LEFT JOIN ${t('sk')} sk ON ${nd} + sk.n = ${part(wP, P)}
				LEFT JOIN ${t('ck')} ck ON ck.n = ${part(wC, C)}
				LEFT JOIN ${t('gk')} gk ON gk.n = ${part(1, G)}
			ORDER BY ${ACTIVE_ORDER}`
		);
		step('active: write');
	} finally {
		await drop();
	}
}
