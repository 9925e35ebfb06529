import { readdirSync } from 'node:fs';
import { SUB_PATH_BUILD_DIR } from '../support/workspace';
import { expect, test } from '../support/fixtures';
import { download, openModelsPage, readCatalog, variantRow } from '../support/models-page';

test('under a sub-path every page, asset and model is served from inside it', async ({
	page,
	site
}) => {
	await page.goto(site.url('/'));
	await expect(page.getByRole('heading', { level: 1 })).toContainText('run in your browser');
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Models' })
		.click();
	await expect(page).toHaveURL(site.url('/models'));
	await expect(page.getByTestId('catalog').getByRole('heading', { level: 2 })).toHaveCount(
		readCatalog().models.length
	);
	await expect(page.getByTestId('wasm-threads')).toHaveText(
		String(await page.evaluate(() => navigator.hardwareConcurrency))
	);
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	await download(page, 'mnist-mlp', 'fp32');
	const row = variantRow(page, 'mnist-mlp', 'fp32');
	await row.getByRole('button', { name: /^Test run / }).click();
	await expect(row.getByTestId('check')).toContainText('as expected');
	// A second run reuses the loaded session instead of loading the model again.
	await row.getByRole('button', { name: /^Test run / }).click();
	await expect(row.getByTestId('graph-report')).toContainText('already loaded');
	await expect(row.getByTestId('check')).toContainText('as expected');
	expect(
		site.log.map((entry) => entry.path).filter((path) => !path.startsWith('/hearth/'))
	).toEqual([]);
	expect(
		site.log.some((entry) => entry.path === '/hearth/ort/ort-wasm-simd-threaded.asyncify.wasm')
	).toBe(true);
});

test('at the root of a host the site works too', async ({ page, rootServer }) => {
	await page.goto(rootServer.url('/'));
	await page.getByRole('link', { name: /Start/ }).click();
	await expect(page).toHaveURL(rootServer.url('/models'));
	await expect(page.getByTestId('environment')).toContainText('ONNX Runtime');
	await download(page, 'mnist-mlp', 'fp32');
	await variantRow(page, 'mnist-mlp', 'fp32')
		.getByRole('button', { name: /^Test run / })
		.click();
	await expect(variantRow(page, 'mnist-mlp', 'fp32').getByTestId('check')).toContainText(
		'as expected'
	);
});

test('the page stays responsive while a model runs in the worker', async ({ page, site }) => {
	await openModelsPage(page, site);
	await download(page, 'paddleocr-v4', 'fp32');
	const row = variantRow(page, 'paddleocr-v4', 'fp32');
	await row.getByRole('button', { name: /^Test run / }).click();
	const running = row.getByTestId('test-running');
	await expect(running).toBeVisible();
	// An interaction during inference is answered while the run is still going.
	await page.getByRole('button', { name: 'Delete all models' }).click();
	await expect(page.getByText('Delete every downloaded model?')).toBeVisible();
	await expect(running).toBeVisible();
	await page.getByRole('button', { name: 'Keep them', exact: true }).click();
	await expect(row.getByTestId('test-run-report')).toBeVisible({ timeout: 60_000 });
});

test('keyboard users can skip to the content and reach every control', async ({ page, site }) => {
	await openModelsPage(page, site);
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/#main$/);
	const download = variantRow(page, 'mnist-mlp', 'fp32').getByRole('button', {
		name: /^Download /
	});
	for (
		let i = 0;
		i < 60 && !(await download.evaluate((el) => el === document.activeElement));
		i++
	) {
		await page.keyboard.press('Tab');
	}
	await expect(download).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(variantRow(page, 'mnist-mlp', 'fp32')).toHaveAttribute('data-state', 'ready');
});

test.describe('in a browser without service workers', () => {
	// The service worker would add the isolation headers itself (see pwa.spec.ts).
	test.use({ serviceWorkers: 'block' });

	test('without cross-origin isolation WASM runs on one thread and says why', async ({
		page,
		site
	}) => {
		site.crossOriginIsolation = false;
		await openModelsPage(page, site);
		expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
		await expect(page.getByTestId('wasm-threads')).toHaveText('1');
		await expect(page.getByTestId('environment')).toContainText('not cross-origin isolated');
		await download(page, 'mnist-mlp', 'fp32');
		const row = variantRow(page, 'mnist-mlp', 'fp32');
		await row.getByRole('button', { name: /^Test run / }).click();
		await expect(row.getByTestId('threads')).toHaveText('1');
		await expect(row.getByTestId('check')).toContainText('as expected');
	});
});

test('the build ships exactly one ONNX Runtime wasm binary, served from /ort/', () => {
	const wasmFiles = readdirSync(SUB_PATH_BUILD_DIR, { recursive: true, encoding: 'utf8' }).filter(
		(file) => file.endsWith('.wasm')
	);
	expect(wasmFiles).toEqual(['ort/ort-wasm-simd-threaded.asyncify.wasm']);
});

test('every page fits a phone screen without sideways scrolling', async ({ page, site }) => {
	const pages = readdirSync(SUB_PATH_BUILD_DIR, { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.html'))
		.map((file) => `/${file.replace(/(^|\/)?index\.html$/, '').replace(/\.html$/, '')}`);
	expect(pages.length).toBeGreaterThan(5);
	await page.setViewportSize({ width: 360, height: 740 });
	for (const path of pages) {
		await page.goto(site.url(path));
		await page.waitForLoadState('networkidle');
		const widths = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
		expect(widths[0], `${path} is wider than the screen`).toBeLessThanOrEqual(widths[1]!);
	}
});
