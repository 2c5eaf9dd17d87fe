/**
 * Builds the built-in Guangzhou sample release: generates an operator-style export with the sample
 * generator, then runs it through exactly the same validation and release path as a real export
 * (`data:build`). Output: static/data (served by the dashboard).
 *
 *   npm run data:sample [-- --scale 1 --seed 20190801 --out static/data]
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
	options: {
		scale: { type: 'string', default: process.env.SAMPLE_SCALE ?? '1' },
		seed: { type: 'string', default: '20190801' },
		input: { type: 'string', default: '.tmp/sample-input' },
		out: { type: 'string', default: 'static/data' }
	}
});

function run(script: string, args: string[]): void {
	console.log(`> tsx ${script} ${args.join(' ')}`);
	const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { stdio: 'inherit' });
	if (r.status !== 0) {
		console.error(`sample: ${script} failed (exit ${r.status})`);
		process.exit(r.status ?? 1);
	}
}

run('scripts/generate/cli.ts', ['--scale', values.scale!, '--seed', values.seed!, '--out', values.input!]);
run('scripts/release/cli.ts', ['--input', values.input!, '--out', values.out!]);
