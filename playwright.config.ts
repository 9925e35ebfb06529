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
	// One retry: on a loaded 2-core machine a race in a test can lose once. A test that passes
	// only on its retry is still listed as flaky in the output, so it is seen and fixed.
	retries: 1,
	reporter: [['list']],
	use: { trace: 'off', screenshot: 'only-on-failure' }
});
