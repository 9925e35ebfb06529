import { readdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { download, openModelsPage, variantRow } from '../support/models-page';
import { SUB_PATH_BUILD_DIR } from '../support/workspace';

/**
 * Resolves, with the controlling script's URL, once a service worker controls the page and has
 * finished precaching. One evaluation answers both, and it is retried across a reload.
 */
async function controlledByServiceWorker(page: Page): Promise<string> {
	let scriptUrl = '';
	await expect(async () => {
		scriptUrl = await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.ready;
			const controller = navigator.serviceWorker.controller;
			return registration.active?.state === 'activated' && controller ? controller.scriptURL : '';
		});
		expect(scriptUrl, 'a service worker controls the page').not.toBe('');
	}).toPass();
	return scriptUrl;
}

const pages = readdirSync(SUB_PATH_BUILD_DIR, { recursive: true, encoding: 'utf8' })
	.filter((file) => file.endsWith('.html'))
	.map((file) => `/${file.replace(/(^|\/)?index\.html$/, '').replace(/\.html$/, '')}`)
	// The app's own pages: the widget has no site chrome, and /embed/ holds static example files.
	.filter((path) => path !== '/widget' && !path.startsWith('/embed/'));

test('after one visit every page opens offline and a downloaded model still runs', async ({
	page,
	context,
	site
}) => {
	await openModelsPage(page, site);
	await controlledByServiceWorker(page);
	await download(page, 'mnist-mlp', 'fp32');

	await context.setOffline(true);
	for (const path of pages) {
		await page.goto(site.url(path));
		await expect(page.getByRole('heading', { level: 1 }), path).toBeVisible();
		await expect(page.getByTestId('offline-indicator'), path).toBeVisible();
	}
	// A page reached by a link loads its data in the browser: the catalog comes from the cache.
	await page.goto(site.url('/'));
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Models' })
		.click();
	await expect(page).toHaveURL(site.url('/models'));
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	const row = variantRow(page, 'mnist-mlp', 'fp32');
	await expect(row).toHaveAttribute('data-state', 'ready');
	await row.getByRole('button', { name: /^Test run / }).click();
	await expect(row.getByTestId('check')).toContainText('as expected');

	await context.setOffline(false);
	await expect(page.getByTestId('offline-indicator')).toHaveCount(0);
});

test('a host that sends no COOP/COEP still ends up cross-origin isolated', async ({
	page,
	site
}) => {
	site.crossOriginIsolation = false;
	await page.goto(site.url('/models'));
	// The service worker installs, takes control, adds the headers, and the page reloads once.
	await page.waitForFunction(() => crossOriginIsolated, undefined, { timeout: 60_000 });
	await expect(page.getByTestId('wasm-threads')).toHaveText(
		String(await page.evaluate(() => navigator.hardwareConcurrency))
	);
	// The first load, the service worker's precache of the page, and one reload: no reload loop.
	const documents = site.log.filter((entry) => entry.path === '/hearth/models');
	expect(documents.length).toBeLessThanOrEqual(3);
});

test('a new version is announced and applied on Reload', async ({ page, site }) => {
	await openModelsPage(page, site);
	const firstScript = await controlledByServiceWorker(page);
	await expect(page.getByTestId('update-banner')).toHaveCount(0);

	// Deploy a "new version": the service worker script changes, and the browser checks for it.
	site.faults.set('/service-worker.js', { kind: 'append', text: '\n// next version\n' });
	await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
	const banner = page.getByTestId('update-banner');
	await expect(banner).toBeVisible();
	await banner.getByRole('button', { name: 'Reload' }).click();
	await page.waitForEvent('load');
	expect(await controlledByServiceWorker(page)).toBe(firstScript);
	await expect(page.getByTestId('update-banner')).toHaveCount(0);
	const served = site.log.filter((entry) => entry.path === '/hearth/service-worker.js');
	expect(served.length).toBeGreaterThanOrEqual(2);
});

test('the web app manifest names the app, its icons and its scope under the sub-path', async ({
	page,
	site
}) => {
	await page.goto(site.url('/'));
	const href = await page.locator('link[rel="manifest"]').getAttribute('href');
	const manifestUrl = new URL(href!, page.url()).href;
	const manifest = await page.evaluate(async (url) => (await fetch(url)).json(), manifestUrl);
	expect(manifest).toMatchObject({
		name: expect.stringContaining('Hearth'),
		display: 'standalone'
	});
	expect(new URL(manifest.start_url, manifestUrl).href).toBe(site.url('/'));
	for (const icon of manifest.icons as { src: string; sizes: string }[]) {
		const size = await page.evaluate(async (url) => {
			const bitmap = await createImageBitmap(await (await fetch(url)).blob());
			return `${bitmap.width}x${bitmap.height}`;
		}, new URL(icon.src, manifestUrl).href);
		expect(size).toBe(icon.sizes);
	}
});
