/**
 * Vitest globalSetup for the browser tests: build a small sample release, build the site, serve it on a free
 * port and hand the base URL to the tests (`inject('baseUrl')`, also env E2E_BASE_URL).
 * E2E_SKIP_BUILD=1 reuses the existing static/data and build/ (fast local re-runs); with E2E_BASE_URL also set,
 * the tests run against that already running server instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { TestProject } from 'vitest/node';
import { startServer } from '../../scripts/serve';

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
	}
}

function run(cmd: string, args: string[]): void {
	const t0 = Date.now();
	console.log(`[e2e setup] ${cmd} ${args.join(' ')}`);
	const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, TZ: 'Asia/Shanghai' } });
	if (r.status !== 0) throw new Error(`[e2e setup] failed (exit ${r.status}): ${cmd} ${args.join(' ')}`);
	console.log(`[e2e setup] done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

let server: Server | null = null;

export async function setup(project: TestProject): Promise<void> {
	const external = process.env.E2E_BASE_URL;
	if (external && process.env.E2E_SKIP_BUILD === '1') {
		// An already running server (e.g. npm run serve): test it as is.
		project.provide('baseUrl', external);
		return;
	}
	if (process.env.E2E_SKIP_BUILD !== '1') {
		run('npm', [
			'run',
			'--silent',
			'data:generate',
			'--',
			'--scale',
			'0.02',
			'--seed',
			'7',
			'--out',
			'.tmp/e2e-input'
		]);
		run('npm', ['run', '--silent', 'data:build', '--', '--input', '.tmp/e2e-input', '--out', 'static/data']);
		run('npm', ['run', '--silent', 'build']);
	} else if (!existsSync('build/index.html')) {
		throw new Error('E2E_SKIP_BUILD=1 but build/index.html is missing: run npm run build first');
	}
	const started = await startServer({ port: 0 });
	server = started.server;
	process.env.E2E_BASE_URL = started.url;
	project.provide('baseUrl', started.url);
	console.log(`[e2e setup] serving build/ at ${started.url}`);
}

export async function teardown(): Promise<void> {
	await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
	server = null;
}
