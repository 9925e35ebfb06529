import { expect, test } from '../support/fixtures';
import { download, openModelsPage, readCatalog, variantRow } from '../support/models-page';

const catalog = readCatalog();

test.describe('every catalog model', () => {
	for (const model of catalog.models) {
		test(`${model.id}: downloads every variant and runs it on WASM with the declared outputs`, async ({
			page,
			site
		}) => {
			await openModelsPage(page, site);
			await page.getByTestId('backend-select').selectOption('wasm');
			for (const variant of model.variants) {
				const row = variantRow(page, model.id, variant.id);
				await download(page, model.id, variant.id);
				const total = variant.files.reduce((sum, file) => sum + file.bytes, 0);
				await expect(row.getByTestId('ready')).toHaveAttribute('data-bytes', String(total));

				await row.getByRole('button', { name: /^Test run / }).click();
				const report = row.getByTestId('test-run-report');
				await expect(report).toBeVisible({ timeout: 60_000 });
				for (const file of variant.files.filter((candidate) => candidate.graph)) {
					const graph = row.locator(`[data-testid="graph-report"][data-role="${file.role}"]`);
					await expect(graph).toHaveAttribute('data-backend', 'wasm');
					for (const output of file.graph!.outputs) {
						const shown = graph.locator(`[data-testid="output"][data-name="${output.name}"]`);
						const dims = (await shown.getAttribute('data-dims'))!.split('x').map(Number);
						expect(dims, `${file.path} ${output.name}`).toHaveLength(output.dims.length);
						output.dims.forEach((dim, axis) => {
							if (typeof dim === 'number') expect(dims[axis]).toBe(dim);
							else expect(dims[axis]).toBeGreaterThan(0);
						});
					}
					if (file.graph!.expect?.argmax !== undefined) {
						await expect(graph.getByTestId('check')).toContainText('as expected');
					}
				}
			}
		});
	}
});
