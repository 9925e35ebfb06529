/** Steps on the Train page that the training end-to-end tests share. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures';
import type { TestFileServer } from './file-server';

export async function openTrainPage(page: Page, site: TestFileServer): Promise<void> {
	await page.goto(site.url('/train'));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Train a model');
}

export async function loadMnist(page: Page, count: number): Promise<void> {
	await page.getByTestId('source-mnist').check();
	await page.getByTestId('mnist-count').fill(String(count));
	await page.getByTestId('load-data').click();
	await expect(page.getByTestId('data-summary')).toHaveAttribute('data-count', String(count), {
		timeout: 60_000
	});
}

/** Fills the set-up fields that are named; the rest keep the preset. */
export async function setUp(
	page: Page,
	fields: Partial<
		Record<'hidden-sizes' | 'epochs' | 'learning-rate' | 'batch-size' | 'seed', string>
	> & { optimizer?: string; earlyStopping?: boolean; modelKind?: string }
): Promise<void> {
	if (fields.modelKind) await page.getByTestId('model-kind').selectOption(fields.modelKind);
	if (fields.optimizer) await page.getByTestId('optimizer').selectOption(fields.optimizer);
	for (const name of ['hidden-sizes', 'epochs', 'learning-rate', 'batch-size', 'seed'] as const) {
		const value = fields[name];
		if (value !== undefined) await page.getByTestId(name).fill(value);
	}
	if (fields.earlyStopping !== undefined)
		await page.getByTestId('early-stopping').setChecked(fields.earlyStopping);
}

export function trainState(page: Page) {
	return page.getByTestId('train-state');
}

export async function trainToEnd(page: Page, timeout = 90_000): Promise<void> {
	await page.getByTestId('train').click();
	await expect(trainState(page)).toHaveAttribute('data-state', 'done', { timeout });
	await expect(page.getByTestId('train-result')).toBeVisible();
}

/** Saves the result and returns where it was stored. */
export async function saveResult(page: Page, name: string) {
	await page.getByTestId('variant-name').fill(name);
	await page.getByTestId('save-model').click();
	const saved = page.getByTestId('saved');
	await expect(saved).toBeVisible({ timeout: 30_000 });
	const difference = Number(await page.getByTestId('parity').getAttribute('data-difference'));
	expect(difference).toBeLessThanOrEqual(1e-5);
	return {
		installKey: (await saved.getAttribute('data-install-key'))!,
		modelId: (await saved.getAttribute('data-model'))!,
		variantId: (await saved.getAttribute('data-variant'))!
	};
}
