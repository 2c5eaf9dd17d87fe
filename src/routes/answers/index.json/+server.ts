import { json } from '@sveltejs/kit';
import { answerIndex } from '$lib/server/answers';

export const prerender = true;

/** The prerendered answers' index: SQL key → file (see src/lib/answers/plan.ts). */
export const GET = async () => json(await answerIndex());
