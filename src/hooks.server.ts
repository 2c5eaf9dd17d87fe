import type { Handle } from '@sveltejs/kit';

// The page language follows the locale segment of the URL (/en/... is English, everything else zh-CN).
export const handle: Handle = async ({ event, resolve }) => {
	const lang = event.url.pathname.startsWith('/en/') || event.url.pathname === '/en' ? 'en' : 'zh-CN';
	return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) });
};
