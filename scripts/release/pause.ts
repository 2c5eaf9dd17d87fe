import { writeSync } from 'node:fs';

/**
 * Test hook of the release build for kill tests (its own module, so every stage's module can call it): with
 * env `TIMEBANK_BUILD_PAUSE_AT=<point>` the build prints `TIMEBANK_BUILD_PAUSED <point>` on stdout when it
 * reaches that point and then blocks for good (the main thread sleeps; DuckDB and libuv threads may still
 * run), so a test can SIGKILL it exactly there. Points: start, locked, import, transform, indicators,
 * parquet, arrow, compression, package, commit, swap, releases, releases-tmp.
 */
export function pausePoint(point: string): void {
	if (process.env.TIMEBANK_BUILD_PAUSE_AT !== point) return;
	writeSync(1, `TIMEBANK_BUILD_PAUSED ${point}\n`);
	const cell = new Int32Array(new SharedArrayBuffer(4));
	for (;;) Atomics.wait(cell, 0, 0);
}
