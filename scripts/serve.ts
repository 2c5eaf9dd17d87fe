/**
 * Serve the built site (build/) on 127.0.0.1:PORT (default 4173) with sirv: precompressed brotli/gzip
 * siblings with Content-Encoding, immutable caching for content-hashed files (/_app/immutable/…, the
 * release's Arrow files under /data/<version>/browser/), and a Content-Security-Policy header equal to the
 * <meta> policy SvelteKit wrote into each page (only 'self', plus 'wasm-unsafe-eval' for DuckDB-WASM and the
 * hashes of SvelteKit's own start-up script).
 *
 *   npm run serve            # PORT=8080 npm run serve
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The policy for non-HTML responses (workers get their policy from their own response). */
export const BASE_CSP = [
	"default-src 'self'",
	"script-src 'self' 'wasm-unsafe-eval'",
	"worker-src 'self'",
	"connect-src 'self'",
	"img-src 'self' data: blob:",
	"style-src 'self'",
	"font-src 'self'",
	"object-src 'none'",
	"base-uri 'self'",
	"form-action 'self'",
	"frame-ancestors 'none'"
].join('; ');

const HASHED = [/^\/_app\/immutable\//, /^\/data\/[^/]+\/browser\/[^/]+\.[0-9a-f]{8}\.arrow$/];

export function isImmutable(pathname: string): boolean {
	return HASHED.some((r) => r.test(pathname));
}

const META = /<meta http-equiv="content-security-policy" content="([^"]+)"/i;

export interface ServeOptions {
	dir?: string;
	port?: number;
	host?: string;
}

export function createSiteServer(dir = path.join(ROOT, 'build')): Server {
	if (!existsSync(path.join(dir, 'index.html')))
		throw new Error(`${dir}/index.html not found: run npm run build first`);
	const cspCache = new Map<string, string>();
	function pageCsp(pathname: string): string {
		let csp = cspCache.get(pathname);
		if (csp === undefined) {
			let file = path.join(dir, decodeURIComponent(pathname));
			if (pathname.endsWith('/')) file = path.join(file, 'index.html');
			csp = BASE_CSP;
			try {
				if (statSync(file).isFile()) {
					const m = META.exec(readFileSync(file, 'utf8'));
					if (m)
						csp = `${m[1]
							.replace(/&#39;/g, "'")
							.replace(/&quot;/g, '"')
							.replace(/&amp;/g, '&')}; frame-ancestors 'none'`;
				}
			} catch {
				/* fall back to the base policy */
			}
			cspCache.set(pathname, csp);
		}
		return csp;
	}
	const serve = sirv(dir, {
		brotli: true,
		gzip: true,
		etag: true,
		dev: false,
		extensions: ['html'],
		setHeaders(res, pathname) {
			const isHtml = pathname.endsWith('/') || pathname.endsWith('.html');
			res.setHeader('Content-Security-Policy', isHtml ? pageCsp(pathname) : BASE_CSP);
			res.setHeader('X-Content-Type-Options', 'nosniff');
			res.setHeader('Referrer-Policy', 'same-origin');
			res.setHeader(
				'Cache-Control',
				isImmutable(pathname) ? 'public, max-age=31536000, immutable' : 'no-cache'
			);
			if (pathname.endsWith('.arrow')) res.setHeader('Content-Type', 'application/vnd.apache.arrow.stream');
			if (pathname.endsWith('.mjs')) res.setHeader('Content-Type', 'text/javascript');
			if (pathname.endsWith('.geojson')) res.setHeader('Content-Type', 'application/geo+json');
		}
	});
	return createServer((req, res) => {
		// The request target as a path (a target such as "//" would read as a host in `new URL(target, base)`);
		// one that is not a valid URL or has a broken %-escape gets 400 instead of stopping the server.
		let url: URL;
		let pathname: string;
		try {
			const target = req.url ?? '/';
			url = new URL(target.startsWith('/') ? `http://localhost${target}` : target);
			pathname = decodeURIComponent(url.pathname);
		} catch {
			res.writeHead(400, {
				'Content-Type': 'text/plain; charset=utf-8',
				'Content-Security-Policy': BASE_CSP
			});
			res.end('400 Bad Request');
			return;
		}
		// Pages live at …/index.html with a trailing slash: redirect /map to /map/.
		if (!url.pathname.endsWith('/') && !path.extname(url.pathname)) {
			const index = path.join(dir, pathname, 'index.html');
			// Only pages inside the site: "/%2E%2E%2F…" must not tell which folders elsewhere have an index.html.
			if (index.startsWith(path.join(dir, path.sep)) && existsSync(index)) {
				res.writeHead(308, { Location: `${url.pathname}/${url.search}` });
				res.end();
				return;
			}
		}
		serve(req, res, () => {
			const notFound = path.join(dir, '404.html');
			res.statusCode = 404;
			res.setHeader('Content-Security-Policy', BASE_CSP);
			if (existsSync(notFound)) {
				res.setHeader('Content-Type', 'text/html; charset=utf-8');
				res.end(readFileSync(notFound));
			} else {
				res.setHeader('Content-Type', 'text/plain; charset=utf-8');
				res.end('404 Not Found');
			}
		});
	});
}

export function startServer(o: ServeOptions = {}): Promise<{ server: Server; url: string }> {
	const host = o.host ?? '127.0.0.1';
	const server = createSiteServer(o.dir);
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(o.port ?? 4173, host, () => {
			const addr = server.address();
			const port = typeof addr === 'object' && addr ? addr.port : o.port;
			resolve({ server, url: `http://${host}:${port}/` });
		});
	});
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const port = Number(process.env.PORT ?? 4173);
	startServer({ port }).then(
		({ url }) => console.log(`Serving build/ at ${url}`),
		(e) => {
			console.error(`serve: ${e instanceof Error ? e.message : e}`);
			process.exit(1);
		}
	);
}
