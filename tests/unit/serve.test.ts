/**
 * The static server (scripts/serve.ts): odd or broken request targets get an answer (400 or 404) and the server
 * goes on serving.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../scripts/serve';

let dir: string;
let server: Server;
let port: number;

/** GET a raw request target (not normalised by a URL parser). */
const get = (target: string) =>
	new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, path: target, method: 'GET' }, (res) => {
			let body = '';
			res.on('data', (d: Buffer) => (body += d.toString()));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
		});
		req.on('error', reject);
		req.end();
	});

beforeAll(async () => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'serve-'));
	const site = path.join(dir, 'site');
	mkdirSync(path.join(site, 'map'), { recursive: true });
	writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>home</title>');
	writeFileSync(path.join(site, 'map', 'index.html'), '<!doctype html><title>map</title>');
	mkdirSync(path.join(dir, 'outside'));
	writeFileSync(path.join(dir, 'outside', 'index.html'), '<!doctype html><title>outside</title>');
	const s = await startServer({ dir: site, port: 0 });
	server = s.server;
	port = Number(new URL(s.url).port);
});
afterAll(() => {
	server?.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('serve', () => {
	it('serves pages and redirects a page path without its trailing slash', async () => {
		expect((await get('/')).body).toContain('<title>home</title>');
		expect(await get('/map?x=1')).toMatchObject({ status: 308, location: '/map/?x=1' });
	});
	it('answers broken request targets with 400 and keeps serving', async () => {
		for (const target of ['/%E0%A4%A', '/map%', '/%zz/x'])
			expect((await get(target)).status, target).toBe(400);
		expect((await get('/')).status).toBe(200);
	});
	it('does not tell whether a folder outside the site has an index.html', async () => {
		// The site is dir/site; dir/outside/index.html exists beside it. %2E%2E%2F has no literal dot or slash.
		const r = await get('/%2E%2E%2Foutside');
		expect(r.status).toBe(404);
		expect(r.location).toBeUndefined();
	});
	it('reads "//…" as a path, not as another host', async () => {
		expect([404, 200]).toContain((await get('//')).status);
		const other = await get('//example.org/map');
		expect(other.status).not.toBe(500);
		expect(other.location ?? '').not.toContain('example.org');
		expect((await get('/')).status).toBe(200);
	});
});
