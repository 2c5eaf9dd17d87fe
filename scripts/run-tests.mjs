// Runs every test stage in order (lint, type check, unit, browser) and closes with one plain summary
// line "tests: N passed, N failed" that CI reads. Stops at the first failing stage but still prints it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';

const stages = [
	['lint', 'npm', ['run', '--silent', 'lint']],
	['check', 'npm', ['run', '--silent', 'check']],
	['unit', 'npm', ['run', '--silent', 'test:unit']],
	['e2e', 'npm', ['run', '--silent', 'test:e2e']]
];
rmSync('.tmp/test-results', { recursive: true, force: true });
mkdirSync('.tmp/test-results', { recursive: true });
let passed = 0;
let failed = 0;
let failedStage = '';
for (const [name, cmd, args] of stages) {
	console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
	const t0 = Date.now();
	const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, TZ: 'Asia/Shanghai' } });
	console.log(`=== ${name}: exit ${r.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	const json = `.tmp/test-results/${name}.json`;
	if (existsSync(json)) {
		const res = JSON.parse(readFileSync(json, 'utf8'));
		passed += res.numPassedTests;
		failed += res.numFailedTests;
	} else if (r.status === 0) {
		passed += 1; // a check stage that passed counts as one test
	}
	if (r.status !== 0) {
		if (!existsSync(json)) failed += 1;
		failedStage = name;
		break;
	}
}
if (failedStage) console.log(`\nstage failed: ${failedStage}`);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failedStage || failed > 0 ? 1 : 0);
