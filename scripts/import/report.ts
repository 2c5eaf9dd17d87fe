/**
 * Validation report (published with a release as `validation-report.json`): row counts, dropped
 * personal columns, error totals and counts of suspect-but-valid data. Examples are record ids of
 * participations or activities only — never volunteer ids or any personal value.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { regionConfig } from '../../src/lib/config';
import type { InputTableName } from '../../src/lib/schema/input';
import { deadlineTable } from './calendar';
import { ERROR_CODE_LABELS, type ErrorCount, type ImportErrorCode } from './errors';

export type SuspectCheckId =
	| 'day_over_8h_unapproved'
	| 'day_over_12h_without_authority'
	| 'confirmed_late'
	| 'unconfirmed'
	| 'ledger_incomplete'
	| 'activity_without_participants';

export interface SuspectCheck {
	id: SuspectCheckId;
	zh: string;
	en: string;
	/** What is counted. */
	unit_zh: string;
	unit_en: string;
	count: number;
	/** What the count is out of (e.g. all confirmed participations). */
	out_of: number;
	/** Up to 10 example ids (`example_kind`), sorted. */
	examples: string[];
	example_kind: 'participation_id' | 'activity_id';
}

export interface ValidationReport {
	schema_version: 1;
	region: string;
	generated_at: string;
	ok: boolean;
	tables: { table: InputTableName; file: string; zh: string; en: string; rows: number }[];
	dropped_columns: { file: string; column: string }[];
	errors: { total: number; by_code: { code: ImportErrorCode; zh: string; en: string; count: number }[] };
	/** Suspect-but-valid data; empty when the import failed. */
	suspect: SuspectCheck[];
	rules: {
		daily_direct_max_hours: number;
		daily_organisation_max_hours: number;
		confirmation_working_days: number;
		calendar: string;
		day_zh: string;
		day_en: string;
	};
}

export interface ReportBase {
	region: string;
	tables: ValidationReport['tables'];
	droppedColumns: { file: string; column: string }[];
	errorCounts: readonly ErrorCount[];
}

function rules(region: string): ValidationReport['rules'] {
	let direct = 8;
	let org = 12;
	let wd = 5;
	try {
		const r = regionConfig(region);
		direct = r.daily_hours.direct_max;
		org = r.daily_hours.organisation_max;
		wd = r.confirmation_working_days;
	} catch {
		// Unknown region: national defaults.
	}
	return {
		daily_direct_max_hours: direct,
		daily_organisation_max_hours: org,
		confirmation_working_days: wd,
		calendar: 'chinese-days (PRC official calendar with adjusted working days)',
		day_zh: '服务日 = 签到日期（无签到时间时为活动开始日期）',
		day_en: 'service day = sign-in date (the activity start date when there is no sign-in time)'
	};
}

export function emptyReport(base: ReportBase, suspect: SuspectCheck[] = []): ValidationReport {
	const byCode = new Map<ImportErrorCode, number>();
	for (const c of base.errorCounts) byCode.set(c.code, (byCode.get(c.code) ?? 0) + c.count);
	return {
		schema_version: 1,
		region: base.region,
		generated_at: new Date().toISOString(),
		ok: base.errorCounts.length === 0,
		tables: base.tables,
		dropped_columns: base.droppedColumns,
		errors: {
			total: [...byCode.values()].reduce((a, b) => a + b, 0),
			by_code: [...byCode.entries()].map(([code, count]) => ({ code, ...ERROR_CODE_LABELS[code], count }))
		},
		suspect,
		rules: rules(base.region)
	};
}

async function one(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>> {
	const r = await conn.runAndReadAll(sql);
	return (r.getRowObjectsJson()[0] ?? {}) as Record<string, unknown>;
}

async function examples(conn: DuckDBConnection, sql: string): Promise<string[]> {
	const r = await conn.runAndReadAll(`SELECT CAST(id AS VARCHAR) AS id FROM (${sql}) ORDER BY id LIMIT 10`);
	return r.getRowObjectsJson().map((x) => String(x.id));
}

/** Computes the suspect-data counts over the `src_*` tables (call after a successful import). */
export async function buildReport(conn: DuckDBConnection, base: ReportBase): Promise<ValidationReport> {
	const r = rules(base.region);
	const suspect: SuspectCheck[] = [];
	const n = (v: unknown) => Number(v ?? 0);

	const nPart = n((await one(conn, 'SELECT count(*)::INTEGER AS n FROM src_participations')).n);
	const nAct = n((await one(conn, 'SELECT count(*)::INTEGER AS n FROM src_activities')).n);

	// Hours per volunteer per service day, with the highest approval given on that day.
	await conn.run(`CREATE OR REPLACE TEMP TABLE _days AS
		SELECT p.volunteer_id, CAST(COALESCE(p.signed_in_at, a.start_at) AS DATE) AS service_day,
			sum(p.hours) AS day_hours,
			max(CASE p.approval WHEN 'authority' THEN 2 WHEN 'organisation' THEN 1 ELSE 0 END) AS approval_level,
			min(p.participation_id) AS first_participation
		FROM src_participations p JOIN src_activities a USING (activity_id)
		GROUP BY ALL`);
	const nDays = n((await one(conn, 'SELECT count(*)::INTEGER AS n FROM _days')).n);
	const dayCheck = async (id: SuspectCheckId, where: string, zh: string, en: string) => {
		const c = n((await one(conn, `SELECT count(*)::INTEGER AS n FROM _days WHERE ${where}`)).n);
		suspect.push({
			id,
			zh,
			en,
			unit_zh: '志愿者·服务日',
			unit_en: 'volunteer-days',
			count: c,
			out_of: nDays,
			examples: c ? await examples(conn, `SELECT first_participation AS id FROM _days WHERE ${where}`) : [],
			example_kind: 'participation_id'
		});
	};
	await dayCheck(
		'day_over_8h_unapproved',
		`day_hours > ${r.daily_direct_max_hours} AND approval_level = 0`,
		`单日服务超过 ${r.daily_direct_max_hours} 小时且无审批`,
		`more than ${r.daily_direct_max_hours} hours in one day without approval`
	);
	await dayCheck(
		'day_over_12h_without_authority',
		`day_hours > ${r.daily_organisation_max_hours} AND approval_level < 2`,
		`单日服务超过 ${r.daily_organisation_max_hours} 小时且无主管部门审批`,
		`more than ${r.daily_organisation_max_hours} hours in one day without the authority's approval`
	);
	await conn.run('DROP TABLE IF EXISTS _days');

	// Confirmations later than N working days after the activity's end date.
	const range = await one(
		conn,
		`SELECT CAST(min(CAST(end_at AS DATE)) AS VARCHAR) AS lo, CAST(max(CAST(end_at AS DATE)) AS VARCHAR) AS hi FROM src_activities`
	);
	const nConfirmed = n(
		(await one(conn, 'SELECT count(confirmed_at)::INTEGER AS n FROM src_participations')).n
	);
	let late = 0;
	let lateExamples: string[] = [];
	if (range.lo && range.hi && nConfirmed > 0) {
		await deadlineTable(conn, String(range.lo), String(range.hi), r.confirmation_working_days);
		const lateSql = `SELECT p.participation_id AS id FROM src_participations p
			JOIN src_activities a USING (activity_id)
			JOIN _wd_deadline w ON w.d = CAST(a.end_at AS DATE)
			WHERE CAST(p.confirmed_at AS DATE) >= w.late_from`;
		late = n((await one(conn, `SELECT count(*)::INTEGER AS n FROM (${lateSql})`)).n);
		if (late) lateExamples = await examples(conn, lateSql);
		await conn.run('DROP TABLE IF EXISTS _wd_deadline');
	}
	suspect.push({
		id: 'confirmed_late',
		zh: `确认晚于活动结束后 ${r.confirmation_working_days} 个工作日`,
		en: `confirmed more than ${r.confirmation_working_days} working days after the activity ended`,
		unit_zh: '条已确认参与记录',
		unit_en: 'confirmed participations',
		count: late,
		out_of: nConfirmed,
		examples: lateExamples,
		example_kind: 'participation_id'
	});

	const unconfirmedSql = 'SELECT participation_id AS id FROM src_participations WHERE confirmed_at IS NULL';
	const unconfirmed = nPart - nConfirmed;
	suspect.push({
		id: 'unconfirmed',
		zh: '未确认的参与记录',
		en: 'unconfirmed participations',
		unit_zh: '条参与记录',
		unit_en: 'participations',
		count: unconfirmed,
		out_of: nPart,
		examples: unconfirmed ? await examples(conn, unconfirmedSql) : [],
		example_kind: 'participation_id'
	});

	const ledgerSql = `SELECT activity_id AS id FROM src_activities WHERE NOT (ledger_time AND ledger_content
		AND ledger_participation AND ledger_outcome AND ledger_photos AND ledger_evaluation)`;
	const ledger = n((await one(conn, `SELECT count(*)::INTEGER AS n FROM (${ledgerSql})`)).n);
	suspect.push({
		id: 'ledger_incomplete',
		zh: '台账不完整的活动（六项未齐）',
		en: 'activities with an incomplete ledger (not all six items)',
		unit_zh: '个活动',
		unit_en: 'activities',
		count: ledger,
		out_of: nAct,
		examples: ledger ? await examples(conn, ledgerSql) : [],
		example_kind: 'activity_id'
	});

	const emptySql = `SELECT activity_id AS id FROM src_activities a
		WHERE NOT EXISTS (SELECT 1 FROM src_participations p WHERE p.activity_id = a.activity_id)`;
	const empty = n((await one(conn, `SELECT count(*)::INTEGER AS n FROM (${emptySql})`)).n);
	suspect.push({
		id: 'activity_without_participants',
		zh: '没有参与记录的活动',
		en: 'activities with no participation records',
		unit_zh: '个活动',
		unit_en: 'activities',
		count: empty,
		out_of: nAct,
		examples: empty ? await examples(conn, emptySql) : [],
		example_kind: 'activity_id'
	});

	return emptyReport(base, suspect);
}

/**
 * The report as published with a release. Example ids in `report` are the operator's own record ids (useful
 * on the console); public files carry pseudonymised ids, so examples are either mapped with `mapId` (e.g.
 * the release's pseudonym function) or removed.
 */
export function publicReport(
	report: ValidationReport,
	mapId?: (kind: SuspectCheck['example_kind'], id: string) => string
): ValidationReport {
	return {
		...report,
		suspect: report.suspect.map((s) => ({
			...s,
			examples: mapId ? s.examples.map((id) => mapId(s.example_kind, id)) : []
		}))
	};
}
