/** Build-time side of the prerendered answers (src/lib/answers/plan.ts): the index and each file's rows. */
import { answerFiles, answerKey, type AnswerFile, type AnswerIndex, type AnswerRows } from '../answers/plan';
import { siteData } from './layout-data';
import { serverQuery } from './release';

let files: Promise<AnswerFile[]> | null = null;
export const planFiles = (): Promise<AnswerFile[]> => (files ??= siteData().then((s) => answerFiles(s)));

export async function answerIndex(): Promise<AnswerIndex> {
	const site = await siteData();
	const answers: Record<string, string> = {};
	for (const f of await planFiles()) for (const sql of f.sql) answers[answerKey(sql)] = f.name;
	return { version: site.release.version, answers };
}

/** Only values JSON keeps as they are (a NaN or an infinity would come back as null: such a query is left out). */
const exact = (rows: Record<string, unknown>[]): boolean =>
	rows.every((r) => Object.values(r).every((v) => typeof v !== 'number' || Number.isFinite(v)));

export async function answerFile(name: string): Promise<AnswerRows | null> {
	const file = (await planFiles()).find((f) => f.name === name);
	if (!file) return null;
	const out: AnswerRows = {};
	for (const sql of file.sql) {
		const rows = await serverQuery(sql);
		if (exact(rows)) out[answerKey(sql)] = rows as AnswerRows[string];
	}
	return out;
}
