/**
 * PRC working-day deadlines for the 5-working-day confirmation rule, from `chinese-days` (official
 * calendar with adjusted working days, 调休).
 *
 * Rule: a confirmation is late when more than n working days have passed since the activity's end date,
 * i.e. when workday_index(confirmation date) − workday_index(end date) > n, with workday_index the running
 * count of working days up to and including a date (the same count as `workday_index` in
 * `data/reference/<region>/calendar.csv`). Equivalently: late from the (n+1)-th working day after the end
 * date on; a confirmation on a weekend or holiday right after the n-th working day is still on time.
 *
 * `deadlineTable` creates a temporary DuckDB table `_wd_deadline(d DATE, deadline DATE, late_from DATE)`
 * for every calendar date d in the range: the n-th and the (n+1)-th working day after d.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import chineseDays from 'chinese-days';

const { isWorkday } = chineseDays;

const DAY = 86_400_000;

const iso = (t: number): string => new Date(t).toISOString().slice(0, 10);

export interface Deadline {
	d: string;
	/** n-th working day after d: the last working day that is on time. */
	deadline: string;
	/** (n+1)-th working day after d: confirmations on or after it are late. */
	late_from: string;
}

/** Deadlines for each date from `from` to `to` (ISO dates, inclusive). */
export function workdayDeadlines(from: string, to: string, n: number): Deadline[] {
	const start = Date.parse(`${from}T00:00:00Z`);
	const end = Date.parse(`${to}T00:00:00Z`);
	// Working days after start up to end + enough slack for n + 1 working days (holidays are ≤ 9 days).
	const horizon = end + (n * 3 + 24) * DAY;
	const work: number[] = [];
	for (let t = start + DAY; t <= horizon; t += DAY) if (isWorkday(iso(t))) work.push(t);
	const at = (k: number) => iso(k < work.length ? work[k] : horizon);
	const out: Deadline[] = [];
	let i = 0; // index of the first working day strictly after t
	for (let t = start; t <= end; t += DAY) {
		while (i < work.length && work[i] <= t) i++;
		out.push({ d: iso(t), deadline: at(i + n - 1), late_from: at(i + n) });
	}
	return out;
}

export async function deadlineTable(
	conn: DuckDBConnection,
	from: string,
	to: string,
	n: number
): Promise<void> {
	const rows = workdayDeadlines(from, to, n);
	await conn.run('CREATE OR REPLACE TEMP TABLE _wd_deadline (d DATE, deadline DATE, late_from DATE)');
	for (let i = 0; i < rows.length; i += 2000) {
		const values = rows
			.slice(i, i + 2000)
			.map((r) => `('${r.d}', '${r.deadline}', '${r.late_from}')`)
			.join(',');
		await conn.run(`INSERT INTO _wd_deadline VALUES ${values}`);
	}
}
