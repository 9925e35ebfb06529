import { expect, test } from '../support/fixtures';
import { openModelsPage, readCatalog, storedCounts, variantRow } from '../support/models-page';

const mnist = readCatalog().models.find((model) => model.id === 'mnist-mlp')!.variants[0]!;
const modelFile = mnist.files[0]!;

test('a corrupted file fails its SHA-256 check and leaves nothing stored', async ({
	page,
	site
}) => {
	site.faults.set(`/models/mnist-mlp/${modelFile.path}`, { kind: 'corrupt' });
	await openModelsPage(page, site);
	const row = variantRow(page, 'mnist-mlp', mnist.id);
	await row.getByRole('button', { name: /^Download / }).click();
	const alert = row.getByRole('alert');
	await expect(alert).toHaveAttribute('data-code', 'integrity');
	await expect(alert).toContainText('failed its integrity check');
	await expect(alert).toContainText('nothing of the model was kept');
	expect(await storedCounts(page)).toEqual({ installs: 0, files: 0, chunks: 0 });
	await expect(row.getByRole('button', { name: /^Test run / })).toHaveCount(0);

	// Once the server has the right file again, a retry succeeds.
	site.faults.clear();
	await row.getByRole('button', { name: /^Try downloading / }).click();
	await expect(row).toHaveAttribute('data-state', 'ready');
});

test('a missing file gives a clear 404 error and leaves nothing stored', async ({ page, site }) => {
	site.faults.set(`/models/mnist-mlp/${modelFile.path}`, { kind: 'not-found' });
	await openModelsPage(page, site);
	const row = variantRow(page, 'mnist-mlp', mnist.id);
	await row.getByRole('button', { name: /^Download / }).click();
	const alert = row.getByRole('alert');
	await expect(alert).toHaveAttribute('data-code', 'not-found');
	await expect(alert).toContainText('answered 404');
	await expect(alert).toContainText('reload the page');
	expect(await storedCounts(page)).toEqual({ installs: 0, files: 0, chunks: 0 });
	await row.getByRole('button', { name: /^Dismiss / }).click();
	await expect(row).toHaveAttribute('data-state', 'absent');
});
