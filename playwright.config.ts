import { defineConfig } from '@playwright/test';
import { TEST_RESULTS_DIR } from './tests/support/workspace';

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: TEST_RESULTS_DIR,
	// Two cores: one browser at a time keeps model runs and timings of the UI steady.
	workers: 1,
	fullyParallel: false,
	timeout: 120_000,
	expect: { timeout: 30_000 },
	retries: 0,
	reporter: [['list']],
	use: { trace: 'off', screenshot: 'only-on-failure' }
});
