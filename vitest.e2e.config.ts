import { defineConfig } from 'vitest/config';

// Browser tests: Playwright (playwright-core) driving Debian's Chromium against the built site.
export default defineConfig({
	test: {
		include: ['tests/e2e/**/*.test.ts'],
		globalSetup: ['tests/e2e/global-setup.ts'],
		environment: 'node',
		testTimeout: 120_000,
		hookTimeout: 900_000,
		fileParallelism: false,
		env: { TZ: 'Asia/Shanghai' }
	}
});
