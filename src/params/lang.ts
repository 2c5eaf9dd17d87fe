import type { ParamMatcher } from '@sveltejs/kit';

/** The optional locale segment: only "en" (Chinese pages have no prefix). */
export const match: ParamMatcher = (param) => param === 'en';
