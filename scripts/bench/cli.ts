/**
 * npm run bench [-- --scales 1,10] [--skip-generate] [--interactions 30] [--raw-interactions 10]
 *   [--only data,browser,engines] [--reps 3] [--reuse-site] [--timeout 60000] [--raw-timeout 60000]
 *   [--read-ms 10000] [--out-dir DIR]
 *
 * For each scale: the sample export (generated into .tmp/bench/scale-N/input, reused while its marker
 * matches), `data:build` timed as a child process, the site built against that release in a scratch directory
 * and driven in Chromium, and the dashboard/indicator queries on native DuckDB vs DuckDB-WASM. Prints a table,
 * merges the results into bench-results/latest.json (parts not run keep their previous numbers) and rewrites
 * BENCHMARKS.md (with --out-dir: DIR/latest.json and DIR/BENCHMARKS.md instead, for trial runs). A part that cannot run says "not measured: <reason>" and the rest still runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBrowser, CHROMIUM, READ_MS } from './browser';
import { ROOT, ensureInput, existingRelease, runDataBuild } from './data';
import { runEngines } from './engines';
import {
	consoleTable,
	machineInfo,
	markdown,
	measured,
	mergeResults,
	notMeasured,
	preaggregatePart,
	type BenchResults,
	type ScaleResult
} from './report';
import { buildSite, existingSite, serveSite } from './site';
import { TARGET_SCALE } from './targets';

const PARTS = ['data', 'browser', 'engines'] as const;

/**
 * Write the page cache's dirty pages to disk before measuring: the release and the site are GBs at scale 10,
 * and their write-back during the browser run slowed its first paint 5× (1968 vs 388 ms) and its changes.
 */
function settleDisk(log: (s: string) => void): void {
	const t = performance.now();
	try {
		execFileSync('sync');
		log(`disk settled (sync) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
	} catch (e) {
		log(`sync failed, measuring anyway: ${message(e)}`);
	}
}
type PartName = (typeof PARTS)[number];

const USAGE = `usage: npm run bench -- [--scales 1,10] [--skip-generate] [--interactions 30] [--raw-interactions 10] [--only data,browser,engines] [--reps 3] [--reuse-site] [--timeout 60000] [--raw-timeout 60000] [--read-ms 10000] [--out-dir DIR]`;

function writeAtomic(file: string, text: string): void {
	mkdirSync(path.dirname(file), { recursive: true });
	const tmp = `${file}.tmp-${process.pid}`;
	writeFileSync(tmp, text);
	renameSync(tmp, file);
}

function chromiumVersion(): string {
	try {
		const out = execFileSync(CHROMIUM, ['--version'], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore']
		});
		return /Chromium [\d.]+/.exec(out)?.[0] ?? out.trim();
	} catch {
		return '';
	}
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

async function main(): Promise<void> {
	let values;
	try {
		values = parseArgs({
			options: {
				scales: { type: 'string', default: '1,10' },
				'skip-generate': { type: 'boolean', default: false },
				interactions: { type: 'string', default: '30' },
				'raw-interactions': { type: 'string', default: '10' },
				'read-ms': { type: 'string', default: String(READ_MS) },
				'raw-timeout': { type: 'string' },
				'out-dir': { type: 'string' },
				only: { type: 'string' },
				reps: { type: 'string', default: '3' },
				'reuse-site': { type: 'boolean', default: false },
				timeout: { type: 'string', default: '60000' },
				help: { type: 'boolean', short: 'h', default: false }
			}
		}).values;
	} catch (e) {
		console.error(`${message(e)}\n${USAGE}`);
		process.exit(2);
	}
	if (values.help) {
		console.log(USAGE);
		return;
	}
	const scales = String(values.scales)
		.split(',')
		.map((s) => Number(s.trim()));
	const interactions = Number(values.interactions);
	const rawInteractions = Number(values['raw-interactions']);
	const readMs = Number(values['read-ms']);
	const outDir = values['out-dir'] ? path.resolve(String(values['out-dir'])) : null;
	const RESULTS = outDir ? path.join(outDir, 'latest.json') : path.join(ROOT, 'bench-results', 'latest.json');
	const DOC = outDir ? path.join(outDir, 'BENCHMARKS.md') : path.join(ROOT, 'BENCHMARKS.md');
	const reps = Number(values.reps);
	const timeoutMs = Number(values.timeout);
	const rawTimeoutMs = values['raw-timeout'] === undefined ? timeoutMs : Number(values['raw-timeout']);
	const only = values.only
		? String(values.only)
				.split(',')
				.map((s) => s.trim())
		: [...PARTS];
	const bad = only.filter((p) => !(PARTS as readonly string[]).includes(p));
	if (
		scales.some((s) => !(s > 0)) ||
		!(interactions >= 1) ||
		!(rawInteractions >= 0) ||
		!(rawTimeoutMs > 0) ||
		!(readMs >= 0) ||
		!(reps >= 1) ||
		!(timeoutMs > 0) ||
		bad.length
	) {
		console.error(`invalid arguments${bad.length ? `: unknown part ${bad.join(', ')}` : ''}\n${USAGE}`);
		process.exit(2);
	}
	const run = (p: PartName) => only.includes(p);
	const log = (s: string) => console.log(`[bench] ${s}`);
	const results: ScaleResult[] = [];

	for (const scale of scales) {
		const r: ScaleResult = { scale };
		results.push(r);
		log(`scale ${scale}${scale === TARGET_SCALE ? ' (the scale the targets are stated for)' : ''}`);
		let release: { outDir: string; version: string; dir: string } | null = null;
		let releaseWhyNot = '';

		if (run('data')) {
			try {
				const input = await ensureInput(scale, { skipGenerate: values['skip-generate'], log });
				if (input.reused)
					log(
						`reusing the sample in ${path.relative(ROOT, input.dir)} (${input.participations} participations)`
					);
				const b = await runDataBuild(input, { log });
				r.data = measured({
					participations: input.participations,
					inputReused: input.reused,
					generateSeconds: input.generateSeconds,
					wallSeconds: b.wallSeconds,
					rowsPerSecond: b.rowsPerSecond,
					peakRssBytes: b.peakRssBytes,
					peakHwmBytes: b.peakHwmBytes,
					peakTreeRssBytes: b.peakTreeRssBytes,
					version: b.version,
					stages: b.stages,
					stageCpu: b.stageCpu,
					browserTables: b.browserTables
				});
				log(
					`data:build ${b.wallSeconds.toFixed(1)} s, peak RSS ${(b.peakRssBytes / 1024 ** 3).toFixed(2)} GiB`
				);
			} catch (e) {
				r.data = notMeasured(message(e));
				releaseWhyNot = `data:build failed: ${message(e)}`;
				log(`data: not measured: ${message(e)}`);
			}
		}
		if (!releaseWhyNot) {
			try {
				release = existingRelease(scale);
				if (!release)
					releaseWhyNot = `no release for scale ${scale} in .tmp/bench/scale-${scale}/release (run --only data first)`;
			} catch (e) {
				releaseWhyNot = `unreadable release: ${message(e)}`;
			}
		}

		if (run('browser')) {
			if (!release) r.browser = notMeasured(releaseWhyNot);
			else {
				let site = values['reuse-site'] ? existingSite(scale) : null;
				try {
					if (site) log(`reusing the site built in ${path.relative(ROOT, site.dir)}`);
					else {
						site = await buildSite(scale, release.outDir, log);
						log(`site built in ${site.seconds.toFixed(0)} s`);
					}
					r.site = measured({ buildSeconds: site.seconds, version: release.version });
				} catch (e) {
					site = null;
					r.site = notMeasured(message(e));
					r.browser = notMeasured(`the site does not build against this release: ${message(e)}`);
					log(`browser: ${r.browser.status}: ${message(e)}`);
				}
				if (site) {
					let server: Awaited<ReturnType<typeof serveSite>> | null = null;
					settleDisk(log);
					try {
						server = await serveSite(site.buildDir);
						log(`serving ${server.url}`);
						r.browser = measured(
							await runBrowser({
								baseUrl: server.url,
								interactions,
								rawInteractions,
								timeoutMs,
								rawTimeoutMs,
								readMs,
								log
							})
						);
					} catch (e) {
						r.browser = notMeasured(message(e));
						log(`browser: not measured: ${message(e)}`);
					} finally {
						await server?.close();
					}
				}
			}
		}

		if (run('engines')) {
			if (!release) r.engines = notMeasured(releaseWhyNot);
			else
				try {
					const e = await runEngines(release.dir, { reps, log });
					r.engines = measured(e);
					r.preaggregate = preaggregatePart(e);
				} catch (e) {
					r.engines = notMeasured(message(e));
					log(`engines: not measured: ${message(e)}`);
				}
		}
		console.log(consoleTable(r));
	}

	const browserRun = results.find((s) => s.browser?.status === 'measured');
	const chromium =
		browserRun?.browser?.status === 'measured'
			? `Chromium ${browserRun.browser.value.chromium}`
			: chromiumVersion();
	const current: BenchResults = {
		date: new Date().toISOString(),
		machine: machineInfo(chromium),
		targetScale: TARGET_SCALE,
		scales: results
	};
	let previous: BenchResults | null = null;
	if (existsSync(RESULTS))
		try {
			previous = JSON.parse(readFileSync(RESULTS, 'utf8')) as BenchResults;
		} catch {
			previous = null;
		}
	const merged = mergeResults(previous, current);
	writeAtomic(RESULTS, `${JSON.stringify(merged, null, '\t')}\n`);
	writeAtomic(DOC, markdown(merged));
	log(`wrote ${path.relative(ROOT, RESULTS)} and ${path.relative(ROOT, DOC)}`);
}

main().catch((e) => {
	console.error(`bench: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
	process.exit(1);
});
