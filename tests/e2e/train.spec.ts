import { expect, test } from '../support/fixtures';
import { download, openModelsPage, variantRow } from '../support/models-page';
import {
	loadMnist,
	openTrainPage,
	saveResult,
	setUp,
	trainState,
	trainToEnd
} from '../support/train-page';

test('trains MNIST live with pause and resume, stores the model, and the digits page runs it', async ({
	page,
	site
}) => {
	await openTrainPage(page, site);
	await loadMnist(page, 2000);
	await setUp(page, { 'hidden-sizes': '64', epochs: '25', earlyStopping: false });
	const chart = page.getByTestId('training-chart');
	await page.getByTestId('train').click();
	await expect(trainState(page)).toHaveAttribute('data-state', 'running');
	await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThan(0);

	await page.getByTestId('pause').click();
	await expect(trainState(page)).toHaveAttribute('data-state', 'paused');
	await expect(trainState(page)).toContainText('Paused at epoch');
	const pausedAt = Number(await chart.getAttribute('data-points'));
	await page.waitForTimeout(700);
	expect(Number(await chart.getAttribute('data-points'))).toBe(pausedAt);

	await page.getByTestId('resume').click();
	await expect(trainState(page)).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
	await expect(chart).toHaveAttribute('data-epochs', '25');
	expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(pausedAt);
	await page.getByText('The numbers, epoch by epoch').click();
	await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(25);
	const accuracy = await page.getByTestId('validation-accuracy').textContent();
	expect(Number.parseFloat(accuracy!)).toBeGreaterThan(85);

	const saved = await saveResult(page, 'My digits MLP');
	expect(saved.modelId).toBe('mnist-mlp');

	await page.getByRole('link', { name: 'See it on the Models page' }).click();
	const row = variantRow(page, 'mnist-mlp', saved.variantId);
	await expect(row).toHaveAttribute('data-state', 'ready');
	await expect(row.getByTestId('provenance')).toHaveText('trained: mlp');
	await expect(row.getByTestId('validation-accuracy')).toContainText('validation accuracy');

	await page.goto(site.url('/run/digits'));
	await page.getByTestId('task-model-select').selectOption(saved.installKey);
	const box = (await page.getByTestId('drawing-canvas').boundingBox())!;
	// A clear "1": one vertical stroke.
	await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.85, { steps: 12 });
	await page.mouse.up();
	await expect(page.getByTestId('prediction')).toHaveText('1');
});

test('stop ends training with the model as it was, and the page answers while it trains', async ({
	page,
	site
}) => {
	await openTrainPage(page, site);
	await loadMnist(page, 1500);
	await setUp(page, { 'hidden-sizes': '32', epochs: '300', earlyStopping: false });
	await page.getByTestId('train').click();
	const rows = page.getByTestId('epoch-table').locator('tbody tr');
	// The first epoch is done (a fast machine may have done several by the time we look).
	await expect(rows.first()).toBeAttached({ timeout: 30_000 });
	// Interactions during training are answered while training goes on.
	await page.getByText('The numbers, epoch by epoch').click();
	await expect(page.getByTestId('epoch-table')).toBeVisible();
	await page.getByText('Examples per class').click();
	await expect(page.getByTestId('data-summary').locator('.counts li')).toHaveCount(10);
	const seen = await rows.count();
	await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(seen);
	await expect(trainState(page)).toHaveAttribute('data-state', 'running');

	await page.getByTestId('stop').click();
	await expect(trainState(page)).toHaveAttribute('data-state', 'done');
	await expect(page.getByTestId('train-result')).toHaveAttribute('data-stop-reason', 'stopped');
	await expect(page.getByTestId('stop-reason')).toContainText('You stopped training');
	expect(await rows.count()).toBeLessThan(300);
});

test('a loss that becomes NaN stops training and suggests a lower learning rate', async ({
	page,
	site
}) => {
	await openTrainPage(page, site);
	await loadMnist(page, 500);
	await setUp(page, { optimizer: 'sgd', 'learning-rate': '100000', epochs: '3' });
	await page.getByTestId('train').click();
	const error = page.getByTestId('train-error');
	await expect(error).toHaveAttribute('data-code', 'training-diverged');
	await expect(error).toContainText(/The loss became (NaN|infinite)/);
	await expect(error).toContainText('try a lower one, such as 10000');
	await expect(trainState(page)).toHaveAttribute('data-state', 'failed');

	// The page is still usable: a sensible rate trains.
	await setUp(page, { 'learning-rate': '0.05' });
	await trainToEnd(page);
	await expect(page.getByTestId('train-error')).toHaveCount(0);
});

test('distillation compares the student with its teacher and with itself trained alone', async ({
	page,
	site
}) => {
	await openModelsPage(page, site);
	await download(page, 'mnist-mlp', 'fp32');
	await openTrainPage(page, site);
	await loadMnist(page, 1500);
	await setUp(page, { 'hidden-sizes': '16', epochs: '4', earlyStopping: false });
	await page.getByTestId('distill').check();
	await expect(page.getByTestId('teacher')).toContainText(
		'Handwritten digits (MNIST MLP) · Full precision'
	);
	await page.getByTestId('temperature').fill('4');
	await page.getByTestId('alpha').fill('0.7');
	await trainToEnd(page);
	const comparison = page.getByTestId('distillation-comparison');
	const percent = async (id: string) =>
		Number.parseFloat((await comparison.getByTestId(id).textContent())!);
	// The catalog teacher has seen these training digits: it should be right on nearly all.
	expect(await percent('teacher-accuracy')).toBeGreaterThan(90);
	expect(await percent('student-accuracy')).toBeGreaterThan(50);
	expect(await percent('baseline-accuracy')).toBeGreaterThan(50);
	await page.getByTestId('curve-phase').selectOption('baseline');
	await expect(page.getByTestId('training-chart')).toHaveAttribute('data-epochs', '4');

	const saved = await saveResult(page, 'Distilled 16');
	expect(saved.variantId).toMatch(/^distilled-/);
	await page.goto(site.url('/models'));
	await expect(variantRow(page, 'mnist-mlp', saved.variantId).getByTestId('provenance')).toHaveText(
		'distilled: mlp'
	);
});
