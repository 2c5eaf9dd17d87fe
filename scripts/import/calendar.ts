/**
 * PRC working-day deadlines for the 5-working-day confirmation rule, from `chinese-days` (official
 * calendar with adjusted working days, 调休). `deadlineTable` creates a temporary DuckDB table
 * `_wd_deadline(d DATE, deadline DATE)`: for every calendar date d in the range, the date of the n-th
 * working day after d (d itself not counted). A confirmation on or before `deadline` is on time.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import chineseDays from 'chinese-days';

const { isWorkday } = chineseDays;

const DAY = 86_400_000;

const iso = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** n-th working day after each date from `from` to `to` (ISO dates, inclusive). */
export function workdayDeadlines(from: string, to: string, n: number): { d: string; deadline: string }[] {
	const start = Date.parse(`${from}T00:00:00Z`);
	const end = Date.parse(`${to}T00:00:00Z`);
	// Working days from start to end + enough slack for n working days (long holidays are ≤ 9 days).
	const horizon = end + (n * 3 + 21) * DAY;
	const work: number[] = [];
	for (let t = start + DAY; t <= horizon; t += DAY) if (isWorkday(iso(t))) work.push(t);
	const out: { d: string; deadline: string }[] = [];
	let i = 0; // index of the first working day strictly after t
	for (let t = start; t <= end; t += DAY) {
		while (i < work.length && work[i] <= t) i++;
		const k = i + n - 1;
		out.push({ d: iso(t), deadline: k < work.length ? iso(work[k]) : iso(horizon) });
	}
	return out;
}

export async function deadlineTable(conn: DuckDBConnection, from: string, to: string, n: number): Promise<void> {
	const rows = workdayDeadlines(from, to, n);
	await conn.run('CREATE OR REPLACE TEMP TABLE _wd_deadline (d DATE, deadline DATE)');
	for (let i = 0; i < rows.length; i += 2000) {
		const values = rows
			.slice(i, i + 2000)
			.map((r) => `('${r.d}', '${r.deadline}')`)
			.join(',');
		await conn.run(`INSERT INTO _wd_deadline VALUES ${values}`);
	}
}
