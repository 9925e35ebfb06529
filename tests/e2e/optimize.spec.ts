import { expect, test } from '../support/fixtures';
import { openModelsPage, storedCounts, variantRow } from '../support/models-page';

test('MNIST fp32 → int8 on the Optimize page: result card with fidelity, then it runs', async ({
	page,
	site
}) => {
	await page.goto(site.url('/optimize'));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Optimize');
	await page.getByTestId('task-model-select').selectOption('mnist-mlp/fp32');
	await page.getByRole('button', { name: 'Download model' }).click();
	await expect(page.getByTestId('task-model-status')).toHaveCount(0, { timeout: 60_000 });

	await expect(page.getByTestId('optimize-method')).toHaveValue('int8-weight-only');
	await page.getByTestId('optimize-start').click();
	const result = page.getByTestId('optimize-result');
	await expect(result).toBeVisible({ timeout: 60_000 });
	await expect(result.getByRole('heading', { level: 2 })).toContainText('int8 weight-only');
	await expect(page.getByTestId('optimize-progress')).toHaveCount(0);
	// 398 KB → about 103 KB: the card says so, with the graph's changes.
	await expect(page.getByTestId('optimize-sizes')).toContainText(/→ 1\d\d KB \(2\d%/);
	await expect(result).toContainText('DequantizeLinear');
	const cosines = await result.getByTestId('optimize-cosine').allTextContents();
	expect(cosines).toHaveLength(2);
	for (const cosine of cosines) expect(Number(cosine)).toBeGreaterThan(0.999);
	await expect(result.getByTestId('optimize-fidelity')).toContainText('100%');
	await expect(result.getByTestId('optimize-compare-link')).toHaveAttribute(
		'href',
		'/hearth/compare?model=mnist-mlp&variants=fp32,fp32-int8'
	);

	// The new variant is a stored variant like any other: the Models page test-runs it.
	await openModelsPage(page, site);
	const row = variantRow(page, 'mnist-mlp', 'fp32-int8');
	await expect(row).toHaveAttribute('data-state', 'ready');
	await row.getByRole('button', { name: /^Test run / }).click();
	await expect(row.getByTestId('check')).toContainText('as expected', { timeout: 30_000 });

	// And the digits page runs it.
	await page.goto(site.url('/run/digits'));
	await page.getByTestId('task-model-select').selectOption('mnist-mlp/fp32-int8');
	await expect(page.getByTestId('task-model-status')).toHaveCount(0);
	const box = (await page.getByTestId('drawing-canvas').boundingBox())!;
	await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.85, { steps: 20 });
	await page.mouse.up();
	await expect(page.getByTestId('prediction')).toHaveText('1', { timeout: 10_000 });
});

test('an already quantized source is refused with a clear message and nothing is stored', async ({
	page,
	site
}) => {
	await page.goto(site.url('/optimize'));
	await page.getByTestId('task-model-select').selectOption('mnist-mlp/fp32');
	await page.getByRole('button', { name: 'Download model' }).click();
	await expect(page.getByTestId('task-model-status')).toHaveCount(0, { timeout: 60_000 });
	await page.getByTestId('optimize-start').click();
	await expect(page.getByTestId('optimize-result')).toBeVisible({ timeout: 60_000 });

	// Quantizing the int8 variant again would only add error: refused, before anything is written.
	await page.getByTestId('task-model-select').selectOption('mnist-mlp/fp32-int8');
	const before = await storedCounts(page);
	await page.getByTestId('optimize-start').click();
	const error = page.getByTestId('optimize-error');
	await expect(error).toContainText('is already quantized (2 DequantizeLinear)');
	await expect(error).toContainText('Choose the float32 variant');
	expect(await storedCounts(page)).toEqual(before);
	await expect(page.getByTestId('optimize-progress')).toHaveCount(0);

	// The page is still usable: no operator type selected is caught before starting, and the
	// float32 source still optimizes (pruning: stored compressed, so it takes less room).
	await page.getByTestId('task-model-select').selectOption('mnist-mlp/fp32');
	await page.getByTestId('optimize-op-Gemm').uncheck();
	await page.getByTestId('optimize-op-MatMul').uncheck();
	await page.getByTestId('optimize-op-Conv').uncheck();
	await page.getByTestId('optimize-op-Gather').uncheck();
	await expect(page.getByTestId('optimize-start')).toBeDisabled();
	await page.getByTestId('optimize-method').selectOption('prune-magnitude');
	await page.getByTestId('optimize-start').click();
	const pruned = page.getByTestId('optimize-result');
	await expect(pruned.getByRole('heading', { level: 2 })).toContainText('Prune by magnitude', {
		timeout: 60_000
	});
	await expect(pruned).toContainText(/KB compressed, 50% of the covered weights zero/);
	await expect(page.getByTestId('optimize-error')).toHaveCount(0);

	await openModelsPage(page, site);
	const row = variantRow(page, 'mnist-mlp', 'fp32-pruned-50');
	const stored = Number(await row.getByTestId('ready').getAttribute('data-bytes'));
	expect(stored).toBeGreaterThan(0);
	expect(stored).toBeLessThan(300_000);
	await row.getByRole('button', { name: /^Test run / }).click();
	await expect(row.getByTestId('check')).toContainText('as expected', { timeout: 30_000 });
});
