import { expect, test } from '../support/fixtures';
import { download, openModelsPage, variantRow } from '../support/models-page';

// Headless Chromium offers WebGPU only through this flag, as a software (SwiftShader) adapter.
test.use({ chromiumArgs: ['--enable-unsafe-webgpu'] });

test('a model runs on WebGPU and matches its WASM output', async ({ page, site }) => {
	await openModelsPage(page, site);
	await expect(page.getByTestId('webgpu')).toContainText('software adapter');
	await download(page, 'mnist-mlp', 'fp32');
	const row = variantRow(page, 'mnist-mlp', 'fp32');
	const graph = row.getByTestId('graph-report');

	await page.getByTestId('backend-select').selectOption('webgpu');
	await row.getByRole('button', { name: /^Test run / }).click();
	await expect(graph).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
	await expect(graph.getByTestId('check')).toContainText('as expected');
	const onGpu = (await graph.getAttribute('data-preview'))!.split(',').map(Number);

	await page.getByTestId('backend-select').selectOption('wasm');
	await row.getByRole('button', { name: /^Test run / }).click();
	await expect(graph).toHaveAttribute('data-backend', 'wasm');
	const onCpu = (await graph.getAttribute('data-preview'))!.split(',').map(Number);

	expect(onGpu).toHaveLength(onCpu.length);
	onGpu.forEach((value, index) => expect(value).toBeCloseTo(onCpu[index]!, 4));
});

test('automatic choice skips a software adapter and says why', async ({ page, site }) => {
	await openModelsPage(page, site);
	await download(page, 'mnist-mlp', 'fp32');
	const row = variantRow(page, 'mnist-mlp', 'fp32');
	await row.getByRole('button', { name: /^Test run / }).click();
	await expect(row.getByTestId('graph-report')).toHaveAttribute('data-backend', 'wasm');
	await expect(row.getByTestId('runtime-note')).toContainText('software one');
});

test('a lost GPU device moves the next run to WASM with a note', async ({
	page,
	context,
	site
}) => {
	await openModelsPage(page, site);
	await download(page, 'mnist-mlp', 'fp32');
	const row = variantRow(page, 'mnist-mlp', 'fp32');
	const graph = row.getByTestId('graph-report');
	await page.getByTestId('backend-select').selectOption('webgpu');
	await row.getByRole('button', { name: /^Test run / }).click();
	await expect(graph).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });

	// Crashing Chromium's GPU process loses every WebGPU device, as a driver reset would.
	const cdp = await context.newCDPSession(page);
	await cdp.send('Browser.crashGpuProcess');

	await expect(async () => {
		await row.getByRole('button', { name: /^Test run / }).click();
		await expect(graph).toHaveAttribute('data-backend', 'wasm', { timeout: 5_000 });
	}).toPass({ timeout: 60_000 });
	await expect(row.getByTestId('runtime-note')).toContainText('GPU device was lost');
	await expect(graph.getByTestId('check')).toContainText('as expected');
});
