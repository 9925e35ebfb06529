/**
 * Playwright fixtures: the built site on a loopback server with fault injection, and a fresh
 * Debian Chromium profile per test (so IndexedDB starts empty). Any uncaught page error or
 * Content-Security-Policy violation fails the test, so a broken page cannot pass by accident.
 */
import { test as base, chromium, expect, type BrowserContext, type Page } from '@playwright/test';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TestFileServer } from './file-server';
import { TEST_SECURITY } from './site-security';
import { ROOT_BUILD_DIR, SUB_PATH_BUILD_DIR } from './workspace';

import { assertChromiumInstalled, CHROMIUM_ARGS, CHROMIUM_PATH, SUB_PATH } from './chromium';

interface TestFixtures {
	/**
	 * Let frames from other sites use storage (IndexedDB, Cache Storage, service workers), which
	 * this Chromium denies them by default.
	 */
	thirdPartyStorage: boolean;
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
	thirdPartyStorage: [false, { option: true }],
	subPathServer: [
		async ({}, use) => {
			const server = new TestFileServer(resolve(SUB_PATH_BUILD_DIR), SUB_PATH);
			server.security = TEST_SECURITY;
			await server.start();
			await use(server);
			await server.close();
		},
		{ scope: 'worker' }
	],
	rootServer: [
		async ({}, use) => {
			const server = new TestFileServer(resolve(ROOT_BUILD_DIR), '');
			server.security = TEST_SECURITY;
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
	context: async ({ chromiumArgs, thirdPartyStorage, serviceWorkers }, use) => {
		assertChromiumInstalled();
		const profile = await mkdtemp(join(tmpdir(), 'hearth-e2e-'));
		if (thirdPartyStorage) {
			await mkdir(join(profile, 'Default'));
			const preferences = { profile: { cookie_controls_mode: 0 } };
			await writeFile(join(profile, 'Default', 'Preferences'), JSON.stringify(preferences));
		}
		const context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM_PATH,
			headless: true,
			serviceWorkers,
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
		// A Content-Security-Policy violation fails the test like an uncaught error: in any frame
		// (the event), and in workers too (Chromium logs those to the console).
		await context.exposeBinding('__hearthCspViolation', (_source, text: string) =>
			pageErrors.push(`CSP violation: ${text}`)
		);
		await context.addInitScript(() =>
			document.addEventListener('securitypolicyviolation', (event) =>
				(window as unknown as { __hearthCspViolation(text: string): void }).__hearthCspViolation(
					`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} in ${event.sourceFile}:${event.lineNumber}`
				)
			)
		);
		const page = context.pages()[0] ?? (await context.newPage());
		page.on('pageerror', (error) => pageErrors.push(error.message));
		page.on('console', (message) => {
			if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
				pageErrors.push(`CSP violation: ${message.text()}`);
			}
		});
		await use(page);
		expect(pageErrors, 'uncaught errors on the page').toEqual([]);
	}
});

export { expect };
