import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';

const sha256 = (s) => createHash('sha256').update(s).digest('base64');
/** The style attribute SvelteKit puts on its route announcer (@sveltejs/kit src/core/sync/write_root.js). */
export const SVELTEKIT_ANNOUNCER_STYLE =
	'position: absolute; left: 0; top: 0; clip: rect(0 0 0 0); clip-path: inset(50%); overflow: hidden; white-space: nowrap; width: 1px; height: 1px';

/** Content-Security-Policy of the pages. SvelteKit adds the hashes of its own inline start-up script to a
 * <meta> policy; scripts/serve.ts sends the same policy (with the same hashes) as a header. */
export const CSP_DIRECTIVES = {
	'default-src': ['self'],
	'script-src': ['self', 'wasm-unsafe-eval'],
	'worker-src': ['self'],
	'connect-src': ['self'],
	'img-src': ['self', 'data:', 'blob:'],
	// No inline styles: Plot's <style> elements are removed (their rules are in app.css); element styles set
	// from script (MapLibre, Svelte's style: directives) go through the CSSOM, which the policy does not restrict.
	// The one exception, by hash: the style attribute of SvelteKit's own screen-reader route announcer.
	'style-src': ['self', 'unsafe-hashes', `sha256-${sha256(SVELTEKIT_ANNOUNCER_STYLE)}`],
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
