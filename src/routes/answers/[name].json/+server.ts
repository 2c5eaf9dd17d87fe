import { error, json } from '@sveltejs/kit';
import { answerFile, planFiles } from '$lib/server/answers';
import type { EntryGenerator, RequestHandler } from './$types';

export const prerender = true;

export const entries: EntryGenerator = async () => (await planFiles()).map((f) => ({ name: f.name }));

/** One page's answers in one filter state (see src/lib/answers/plan.ts). */
export const GET: RequestHandler = async ({ params }) => {
	const rows = await answerFile(params.name);
	if (!rows) error(404, `no answers ${params.name}`);
	return json(rows);
};
