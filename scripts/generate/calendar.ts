/**
 * Day arithmetic for the generator. Days are integers counted from the Unix epoch (UTC, so the
 * machine's time zone never matters); times are minutes counted from the epoch. The PRC working-day
 * calendar (with adjusted working days, 调休) comes from `chinese-days`.
 */
import chineseDays from 'chinese-days';

const MS_PER_DAY = 86_400_000;

export const dayOf = (iso: string): number => Math.round(Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY);

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

export function isoDay(day: number): string {
	const d = new Date(day * MS_PER_DAY);
	return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

export interface DayInfo {
	day: number;
	iso: string;
	year: number;
	/** 1–12 */
	month: number;
	/** day of month 1–31 */
	dom: number;
	/** 0 = Sunday … 6 = Saturday */
	weekday: number;
	workday: boolean;
	/** Statutory holiday name (English, from chinese-days) or null. */
	holiday: string | null;
}

/** Calendar over [first, last] days, with working-day lookups. */
export class Calendar {
	readonly first: number;
	readonly last: number;
	readonly days: DayInfo[];
	private readonly workdays: number[];

	/** `workdays` (ISO date → working day) overrides chinese-days where it has the date. */
	constructor(firstIso: string, lastIso: string, workdays?: Map<string, boolean>) {
		this.first = dayOf(firstIso);
		this.last = dayOf(lastIso);
		this.days = [];
		this.workdays = [];
		for (let day = this.first; day <= this.last; day++) {
			const iso = isoDay(day);
			const d = new Date(day * MS_PER_DAY);
			const detail = chineseDays.getDayDetail(iso);
			const workday = workdays?.get(iso) ?? chineseDays.isWorkday(iso);
			const info: DayInfo = {
				day,
				iso,
				year: d.getUTCFullYear(),
				month: d.getUTCMonth() + 1,
				dom: d.getUTCDate(),
				weekday: d.getUTCDay(),
				workday,
				holiday: !workday && detail.name.includes(',') ? detail.name.split(',')[0] : null
			};
			this.days.push(info);
			if (workday) this.workdays.push(day);
		}
	}

	info(day: number): DayInfo {
		return this.days[day - this.first];
	}

	iso(day: number): string {
		const i = day - this.first;
		return i >= 0 && i < this.days.length ? this.days[i].iso : isoDay(day);
	}

	/** The `k`-th working day strictly after `day` (k ≥ 1). */
	addWorkdays(day: number, k: number): number {
		let lo = 0;
		let hi = this.workdays.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.workdays[mid] <= day) lo = mid + 1;
			else hi = mid;
		}
		const idx = lo + k - 1;
		return idx < this.workdays.length ? this.workdays[idx] : this.last + 1;
	}

	/** Format minutes since the epoch as `YYYY-MM-DD HH:MM:SS`. */
	datetime(minutes: number): string {
		const day = Math.floor(minutes / 1440);
		const m = minutes - day * 1440;
		return `${this.iso(day)} ${pad2(Math.floor(m / 60))}:${pad2(m % 60)}:00`;
	}
}
