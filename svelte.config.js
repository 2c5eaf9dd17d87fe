import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** Content-Security-Policy of the pages. SvelteKit adds the hashes of its own inline start-up script to a
 * <meta> policy; scripts/serve.ts sends the same policy (with the same hashes) as a header. */
export const CSP_DIRECTIVES = {
	'default-src': ['self'],
	'script-src': ['self', 'wasm-unsafe-eval'],
	'worker-src': ['self'],
	'connect-src': ['self'],
	'img-src': ['self', 'data:', 'blob:'],
	// Observable Plot puts a <style> element in each chart and MapLibre sets element styles.
	'style-src': ['self', 'unsafe-inline'],
	'font-src': ['self'],
	'object-src': ['none'],
	'base-uri': ['self'],
	'form-action': ['self']
};

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Every page is prerendered; the release data under static/data is copied as-is.
		adapter: adapter({
			pages: 'build',
			assets: 'build',
			fallback: undefined,
			precompress: true,
			strict: true
		}),
		prerender: { handleHttpError: 'fail', handleMissingId: 'fail', entries: ['*', '/en/'] },
		csp: { mode: 'hash', directives: CSP_DIRECTIVES }
	}
};

export default config;
