/**
 * Playwright fixtures: the built site on a loopback server with fault injection, and a fresh
 * Debian Chromium profile per test (so IndexedDB starts empty). Any uncaught page error fails
 * the test, so a broken page cannot pass by accident.
 */
import { test as base, chromium, expect, type BrowserContext, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TestFileServer } from './file-server';
import { ROOT_BUILD_DIR, SUB_PATH_BUILD_DIR } from './workspace';

import { assertChromiumInstalled, CHROMIUM_ARGS, CHROMIUM_PATH, SUB_PATH } from './chromium';

interface TestFixtures {
	site: TestFileServer;
	context: BrowserContext;
	page: Page;
	pageErrors: string[];
}

interface WorkerFixtures {
	/** Extra Chromium flags for a file's tests, e.g. --enable-unsafe-webgpu. */
	chromiumArgs: string[];
	subPathServer: TestFileServer;
	rootServer: TestFileServer;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
	chromiumArgs: [[], { option: true, scope: 'worker' }],
	subPathServer: [
		async ({}, use) => {
			const server = new TestFileServer(resolve(SUB_PATH_BUILD_DIR), SUB_PATH);
			await server.start();
			await use(server);
			await server.close();
		},
		{ scope: 'worker' }
	],
	rootServer: [
		async ({}, use) => {
			const server = new TestFileServer(resolve(ROOT_BUILD_DIR), '');
			await server.start();
			await use(server);
			await server.close();
		},
		{ scope: 'worker' }
	],
	site: async ({ subPathServer }, use) => {
		subPathServer.faults.clear();
		subPathServer.log.length = 0;
		subPathServer.crossOriginIsolation = true;
		await use(subPathServer);
	},
	context: async ({ chromiumArgs }, use) => {
		assertChromiumInstalled();
		const profile = await mkdtemp(join(tmpdir(), 'hearth-e2e-'));
		const context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM_PATH,
			headless: true,
			args: [...CHROMIUM_ARGS, ...chromiumArgs]
		});
		await use(context);
		await context.close();
		await rm(profile, { recursive: true, force: true });
	},
	pageErrors: async ({}, use) => {
		await use([]);
	},
	page: async ({ context, pageErrors }, use) => {
		const page = context.pages()[0] ?? (await context.newPage());
		page.on('pageerror', (error) => pageErrors.push(error.message));
		await use(page);
		expect(pageErrors, 'uncaught errors on the page').toEqual([]);
	}
});

export { expect };
