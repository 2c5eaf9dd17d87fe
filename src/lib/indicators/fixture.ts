/**
 * A small hand-made data set in the public schema, for the indicator tests (and anyone needing a tiny,
 * fully understood release). Every row is there for an edge case, noted beside it. Dates are in 2023–2025;
 * the working-day calendar comes from `chinese-days` (official PRC calendar with adjusted working days).
 */
import { isWorkday } from 'chinese-days';

type Row = Record<string, unknown>;

export const FIXTURE_REGION_CODE = '4401';

const D1 = '440101';
const D2 = '440102';
const S11 = '440101001';
const S12 = '440101002';
const S21 = '440102001';
const C111 = '440101001001';
const C112 = '440101001002';
const C121 = '440101002001';
const C211 = '440102001001';
const C212 = '440102001002';
const C213 = '440102001003';

function calendar(from: string, to: string): Row[] {
	const rows: Row[] = [];
	let index = 0;
	for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) {
		const date = new Date(t).toISOString().slice(0, 10);
		const work = isWorkday(date);
		if (work) index++;
		rows.push({ date, is_workday: work, workday_index: index });
	}
	return rows;
}

const ledger = (ok = true, photos = ok) => ({
	ledger_time: true,
	ledger_content: true,
	ledger_participation: ok,
	ledger_outcome: true,
	ledger_photos: photos,
	ledger_evaluation: true
});

const activity = (
	id: string,
	team: string,
	category: string,
	[district, street, community]: [string, string, string],
	start: string,
	end: string,
	extra: Row = {}
): Row => ({
	activity_id: id,
	title: `活动 ${id}`,
	team_id: team,
	station_id: null,
	category,
	programme: null,
	district_code: district,
	street_code: street,
	community_code: community,
	start_at: start,
	end_at: end,
	...ledger(),
	rating: null,
	...extra
});

const volunteer = (
	id: string,
	registered: string,
	status: string,
	reporting: boolean,
	street: string
): Row => ({
	volunteer_id: id,
	registered_on: registered,
	age_band: null,
	gender: null,
	political_status: status,
	party_reporting: reporting,
	district_code: street.slice(0, 6),
	street_code: street,
	community_code: null
});

let pid = 0;
const part = (activity: string, volunteer: string, hours: number, confirmed: string | null): Row => ({
	participation_id: `P${++pid}`,
	activity_id: activity,
	volunteer_id: volunteer,
	hours,
	signed_in: true,
	verification: 'scan',
	approval: 'none',
	confirmed_on: confirmed
});

const team = (id: string, community: string, kind = 'community'): Row => ({
	team_id: id,
	name: `队伍 ${id}`,
	level: 'squad',
	kind,
	parent_team_id: null,
	district_code: community.slice(0, 6),
	street_code: community.slice(0, 9),
	community_code: community,
	founded_on: '2019-08-01'
});

const station = (id: string, street: string, opened: string, closed: string | null): Row => ({
	station_id: id,
	name: `站点 ${id}`,
	kind: 'social_work',
	district_code: street.slice(0, 6),
	street_code: street,
	community_code: null,
	opened_on: opened,
	closed_on: closed
});

const wish = (
	id: string,
	street: string,
	group: string,
	category: string,
	posted: string,
	fulfilled: string | null
): Row => ({
	wish_id: id,
	district_code: street.slice(0, 6),
	street_code: street,
	beneficiary_group: group,
	category,
	posted_on: posted,
	dispatched_on: null,
	accepted_on: null,
	fulfilled_on: fulfilled,
	rating: null
});

const point = (
	id: string,
	volunteer: string,
	street: string,
	kind: string,
	points: number,
	on: string
): Row => ({
	transaction_id: id,
	volunteer_id: volunteer,
	district_code: street.slice(0, 6),
	street_code: street,
	kind,
	points,
	occurred_on: on
});

const ben = (activity: string, group: string, n: number | null): Row => ({
	activity_id: activity,
	beneficiary_group: group,
	person_times: n,
	suppressed: n === null
});

export const FIXTURE: Record<string, Row[]> = {
	ref_districts: [
		{
			district_code: D1,
			name_zh: '甲区',
			name_en: 'District A',
			population: 1_000_000,
			population_year: 2020
		},
		{ district_code: D2, name_zh: '乙区', name_en: 'District B', population: 500_000, population_year: 2020 }
	],
	ref_streets: [
		{ street_code: S11, district_code: D1, name_zh: '一街' },
		{ street_code: S12, district_code: D1, name_zh: '二街' },
		{ street_code: S21, district_code: D2, name_zh: '三街' }
	],
	ref_communities: [
		{ community_code: C111, street_code: S11, district_code: D1, name_zh: '一社区' },
		{ community_code: C112, street_code: S11, district_code: D1, name_zh: '二社区' },
		{ community_code: C121, street_code: S12, district_code: D1, name_zh: '三社区' },
		{ community_code: C211, street_code: S21, district_code: D2, name_zh: '四社区' },
		{ community_code: C212, street_code: S21, district_code: D2, name_zh: '五社区' },
		{ community_code: C213, street_code: S21, district_code: D2, name_zh: '六社区' }
	],
	ref_calendar: calendar('2023-01-01', '2025-12-31'),
	volunteers: [
		volunteer('V1', '2023-05-01', 'party_member', true, S11), // reporting party member, 2 services
		volunteer('V2', '2024-06-15', 'masses', false, S11), // registered mid-year
		volunteer('V3', '2022-01-01', 'party_activist', false, S12), // 24 h: ≥ 20 but < 40
		volunteer('V4', '2023-12-31', 'probationary_member', true, S21), // exactly 40 h, registered the day before P
		volunteer('V5', '2024-01-01', 'masses', false, S21), // registered on the first day of P: not in the cohort
		volunteer('V6', '2025-02-01', 'masses', false, S11), // registered after P
		volunteer('V7', '2020-03-03', 'league_member', true, S21), // reporting flag on a non-member: not counted
		volunteer('V8', '2021-07-07', 'masses', false, S12) // never served
	],
	teams: [
		team('T1', C111),
		team('T2', C112), // a team that held no activity
		team('T3', C121, 'party_member'),
		team('T4', C211),
		team('T5', C212) // active only in 2023
	],
	stations: [
		station('ST1', S11, '2020-01-01', null),
		station('ST2', S12, '2020-01-01', '2024-11-30'), // closed before the end of 2024
		station('ST5', S12, '2021-01-01', '2024-12-31'), // closed on the last day: not open at the end
		station('ST4', S12, '2025-01-01', null), // opens in 2025
		station('ST3', S21, '2024-12-31', null) // opened on the last day: open at the end
	],
	activities: [
		// ends Thu 2024-02-01; 5th working day is Wed 02-07 because Sun 02-04 is an adjusted working day (调休)
		activity('A1', 'T1', 'health', [D1, S11, C111], '2024-02-01T09:00', '2024-02-01T12:00', { rating: 9 }),
		// ends Fri 2024-09-27; 5th working day across National Day is Thu 10-10 (Sun 09-29 is a working day)
		activity('A2', 'T3', 'care_support', [D1, S12, C121], '2024-09-27T14:00', '2024-09-27T17:30', {
			...ledger(true, false),
			rating: 7.5
		}),
		// ends on a holiday (Sat 2024-10-05): counting starts after it; 5th working day is Sat 10-12 (调休)
		activity('A3', 'T4', 'care_support', [D2, S21, C211], '2024-10-05T08:00', '2024-10-05T11:00'),
		// starts on New Year's Eve, ends 2025-01-01: belongs to 2024 by its start
		activity('A4', 'T1', 'education', [D1, S11, C112], '2024-12-31T20:00', '2025-01-01T01:00', {
			...ledger(false),
			rating: 8
		}),
		activity('A5', 'T5', 'care_support', [D2, S21, C212], '2023-12-30T09:00', '2023-12-30T11:00', {
			rating: 6
		}),
		// ends on an ordinary Saturday 2024-06-22: deadline Fri 06-28
		activity('A6', 'T1', 'health', [D1, S11, C111], '2024-06-22T09:00', '2024-06-22T10:30'),
		activity('A7', 'T4', 'environment', [D2, S21, C211], '2025-03-01T09:00', '2025-03-01T12:00', {
			rating: 10
		})
	],
	hours: [
		part('A1', 'V1', 3, '2024-02-07'), // exactly the 5th working day
		part('A6', 'V1', 4, '2024-06-28'), // exactly the 5th working day after a Saturday
		part('A2', 'V2', 3, '2024-10-10'), // exactly the 5th working day across National Day
		part('A1', 'V3', 8, '2024-02-08'), // one day late
		part('A2', 'V3', 8, '2024-10-11'), // one day late
		part('A3', 'V3', 8, '2024-10-12'), // on the adjusted working Saturday: on time
		part('A4', 'V3', 8, null), // unconfirmed
		part('A3', 'V4', 8, '2024-10-14'), // late
		part('A6', 'V4', 8, '2024-06-24'),
		part('A1', 'V4', 8, '2024-01-31'), // confirmed before the activity ended: on time
		part('A2', 'V4', 8, '2024-10-08'),
		part('A4', 'V4', 8, '2025-01-03'), // confirmed in the next year, activity in 2024
		part('A3', 'V5', 2, '2024-10-08'),
		part('A5', 'V5', 3, '2024-01-02'), // activity in 2023, confirmed in 2024
		part('A6', 'V7', 1.5, null), // unconfirmed: V7 not active
		part('A7', 'V6', 2.5, '2025-03-03')
	],
	beneficiaries: [
		ben('A1', 'elderly_alone', 12),
		ben('A1', 'general', 30),
		ben('A2', 'disabled', null), // withheld at source
		ben('A2', 'general', 8),
		ben('A3', 'children_in_difficulty', 6),
		ben('A3', 'low_income', 0), // a zero row does not make an activity "for" the group
		ben('A4', 'general', 20),
		ben('A5', 'elderly_alone', 10),
		ben('A6', 'migrant_families', null), // only a withheld special-group row: still an activity for the group
		ben('A7', 'general', 40)
	],
	micro_wishes: [
		wish('W1', S11, 'elderly_alone', 'care_support', '2024-01-10', '2024-02-09'), // day 30: within
		wish('W2', S11, 'elderly_alone', 'care_support', '2024-01-10', '2024-02-10'), // day 31: not within
		wish('W3', S12, 'disabled', 'health', '2024-12-20', '2025-01-05'), // posted 2024, fulfilled 2025
		wish('W4', S21, 'low_income', 'care_support', '2024-05-01', null), // never fulfilled
		wish('W5', S21, 'children_in_difficulty', 'education', '2023-12-25', '2024-01-04'), // posted 2023
		wish('W6', S11, 'general', 'care_support', '2024-03-01', '2024-03-01') // same day
	],
	points: [
		point('X1', 'V1', S11, 'earn', 7, '2024-02-10'),
		point('X2', 'V1', S11, 'donate', -3, '2024-05-05'), // stored negative: absolute value counts
		point('X3', 'V3', S12, 'earn', 24, '2024-11-01'),
		point('X4', 'V3', S12, 'exchange', 10, '2024-12-01'),
		point('X5', 'V4', S21, 'donate', 5, '2024-12-01'),
		point('X6', 'V4', S21, 'earn', 40, '2023-12-31')
	],
	trainings: [
		{
			training_id: 'TR1',
			district_code: D1,
			street_code: S11,
			held_on: '2024-03-05',
			trainees: 20,
			topic: '急救'
		},
		{
			training_id: 'TR2',
			district_code: D2,
			street_code: S21,
			held_on: '2023-11-11',
			trainees: 15,
			topic: '台账'
		},
		{
			training_id: 'TR3',
			district_code: D2,
			street_code: S21,
			held_on: '2025-01-01',
			trainees: 9,
			topic: '心理'
		}
	]
};
