import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import {
	download,
	openModelsPage,
	readCatalog,
	storedCounts,
	variantRow
} from '../support/models-page';

const catalog = readCatalog();
const ocr = catalog.models.find((model) => model.id === 'paddleocr-v4')!.variants[0]!;
const recognition = ocr.files.find((file) => file.role === 'recognition')!;
const MiB = 1024 * 1024;

/**
 * Chromium enforces a DevTools quota override only for storage opened after it is set, and its
 * navigator.storage.estimate() always reports a static quota (an anti-fingerprinting measure),
 * so tests set the override before the page first opens IndexedDB.
 */
async function limitQuota(page: Page, origin: string, quotaSize: number) {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize });
}

test('a model larger than the free quota is refused before downloading', async ({ page, site }) => {
	await limitQuota(page, site.origin, 5 * MiB);
	// What a browser on a nearly full disk (or Firefox, Safari) reports: the estimate the check reads.
	await page.addInitScript((quota) => {
		const estimate = navigator.storage.estimate.bind(navigator.storage);
		navigator.storage.estimate = async () => ({ ...(await estimate()), quota });
	}, 5 * MiB);
	await openModelsPage(page, site);
	const row = variantRow(page, 'paddleocr-v4', ocr.id);
	await row.getByRole('button', { name: /^Download / }).click();
	const alert = row.getByRole('alert');
	await expect(alert).toHaveAttribute('data-code', 'insufficient-storage');
	await expect(alert).toContainText(/needs 16\.\d MB but only/);
	await expect(alert).toContainText('Delete models you no longer use');
	expect(site.log.filter((entry) => entry.path.includes('/models/paddleocr-v4/'))).toEqual([]);
	expect(await storedCounts(page)).toEqual({ installs: 0, files: 0, chunks: 0 });
});

test('running out of quota mid-download is a clear error and removes the partial data', async ({
	page,
	site
}) => {
	// Room for the detection model (4.7 MB) but not for recognition (10.8 MB) after it.
	await limitQuota(page, site.origin, 8 * MiB);
	await openModelsPage(page, site);
	const row = variantRow(page, 'paddleocr-v4', ocr.id);
	await row.getByRole('button', { name: /^Download / }).click();
	const alert = row.getByRole('alert');
	await expect(alert).toHaveAttribute('data-code', 'storage-full');
	await expect(alert).toContainText('partial download was removed');
	expect(site.requestsFor(`/models/paddleocr-v4/${recognition.path}`)).toHaveLength(1);
	expect(await storedCounts(page)).toEqual({ installs: 0, files: 0, chunks: 0 });
});

test('delete frees the space, and a reload finds a model ready without the network', async ({
	page,
	site
}) => {
	await openModelsPage(page, site);
	await download(page, 'mnist-mlp', 'fp32');
	await download(page, 'silero-vad', 'v5');
	const withBoth = await storedCounts(page);

	await page.reload();
	await expect(variantRow(page, 'mnist-mlp', 'fp32')).toHaveAttribute('data-state', 'ready');
	const afterReload = site.log.length;
	await page.route('**/models/**', (route) => route.abort('internetdisconnected'));
	const mnist = variantRow(page, 'mnist-mlp', 'fp32');
	await mnist.getByRole('button', { name: /^Test run / }).click();
	await expect(mnist.getByTestId('check')).toContainText('as expected');
	// No model file is fetched again (the catalog list may be refreshed; it holds no weights).
	const modelFiles = site.log
		.slice(afterReload)
		.filter((entry) => entry.path.includes('/models/') && !entry.path.endsWith('/catalog.json'));
	expect(modelFiles).toEqual([]);

	const usage = () => page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
	const usageWithBoth = await usage();
	const vad = variantRow(page, 'silero-vad', 'v5');
	await vad.getByRole('button', { name: /^Delete / }).click();
	await expect(vad).toHaveAttribute('data-state', 'absent');
	await expect.poll(usage).toBeLessThan(usageWithBoth - 2 * 1024 * 1024);
	const afterDelete = await storedCounts(page);
	expect(afterDelete.installs).toBe(withBoth.installs - 1);
	expect(afterDelete.chunks).toBeLessThan(withBoth.chunks);

	await page.getByRole('button', { name: 'Delete all models' }).click();
	await page.getByRole('button', { name: 'Yes, delete all' }).click();
	await expect(mnist).toHaveAttribute('data-state', 'absent');
	expect(await storedCounts(page)).toEqual({ installs: 0, files: 0, chunks: 0 });
});

test('the storage bar shows usage against quota and the persistence answer', async ({
	page,
	site
}) => {
	await openModelsPage(page, site);
	await expect(page.getByTestId('storage-quota')).toHaveText(/\d+(\.\d)? (MB|GB|TB)/);
	await expect(page.getByTestId('persisted')).toContainText(/persistent/i);
	const usageBefore = await page.evaluate(
		async () => (await navigator.storage.estimate()).usage ?? 0
	);
	await download(page, 'silero-vad', 'v5');
	const usageAfter = await page.evaluate(
		async () => (await navigator.storage.estimate()).usage ?? 0
	);
	expect(usageAfter - usageBefore).toBeGreaterThan(2 * MiB);
});
