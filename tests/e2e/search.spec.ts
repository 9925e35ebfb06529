import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import type { TestFileServer } from '../support/file-server';

// These run on GloVe, the small baseline; search-use.spec.ts covers USE-lite, the default.
async function openWithModel(page: Page, site: TestFileServer) {
	await page.goto(site.url('/run/search'));
	await page.getByTestId('task-model-select').selectOption('glove-embedder/fp32');
	await page.getByRole('button', { name: 'Download model' }).click();
	await expect(page.getByTestId('task-model-status')).toHaveCount(0, { timeout: 60_000 });
}

test('compares two texts, refuses empty text and says when a long text was cut', async ({
	page,
	site
}) => {
	await openWithModel(page, site);
	const compare = page.getByRole('button', { name: 'Compare' });
	const score = async () => Number(await page.getByTestId('similarity').textContent());

	await compare.click();
	await expect(page.getByTestId('similarity')).toBeVisible();
	const similar = await score();
	await page.getByTestId('text-b').fill('Stock markets fell sharply after the rate decision.');
	await compare.click();
	await expect.poll(score).not.toBe(similar);
	expect(await score()).toBeLessThan(similar - 0.1);
	await expect(page.getByTestId('run-stats')).toContainText('WebAssembly');

	await page.getByTestId('text-a').fill('   ');
	await compare.click();
	await expect(page.getByTestId('similarity-error')).toContainText('Text 1 is empty');
	await page.getByTestId('text-a').fill(Array.from({ length: 600 }, () => 'river bank').join(' '));
	await compare.click();
	await expect(page.getByTestId('truncated')).toContainText('only its first 256 words');
	await expect(page.getByTestId('similarity-error')).toHaveCount(0);
});

test('searches a pasted corpus, keeps the index, and searches again offline after a reload', async ({
	page,
	site
}) => {
	await openWithModel(page, site);
	await page.getByLabel('Paste your own, one document per line').check();
	await page
		.getByTestId('corpus-input')
		.fill(
			[
				'Stock markets fell sharply after the interest rate decision',
				'Heavy rain and strong winds are expected this weekend',
				'The cat sat on the mat by the fire',
				'The football team won the championship final',
				'',
				'Fresh bread and cheese for a simple lunch'
			].join('\n')
		);
	await page.getByRole('button', { name: 'Build index' }).click();
	await expect(page.getByTestId('index-select')).toContainText('My documents (5 documents)');
	await page.getByTestId('query').fill('a kitten was sleeping on the rug');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await expect(page.getByTestId('hit').first()).toContainText('The cat sat on the mat');
	await expect(page.getByTestId('hit')).toHaveCount(5);

	await page.reload();
	const seen = site.log.length;
	await page.route(/\/(models|datasets)\//, (route) => route.abort('internetdisconnected'));
	await expect(page.getByTestId('index-select')).toContainText('My documents');
	await page.getByTestId('query').fill('rain storm forecast');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await expect(page.getByTestId('hit').first()).toContainText('Heavy rain');
	expect(site.log.slice(seen).filter((entry) => /\/(models|datasets)\//.test(entry.path))).toEqual(
		[]
	);
});

test('indexes the built-in SpamAssassin subjects with progress and finds by meaning', async ({
	page,
	site
}) => {
	await openWithModel(page, site);
	await page.getByRole('button', { name: 'Build index' }).click();
	await expect(page.getByTestId('index-progress')).toContainText(/Embedded \d+ of 4\d{3}/);
	await expect(page.getByTestId('index-select')).toContainText('SpamAssassin subjects', {
		timeout: 90_000
	});
	await page.getByTestId('query').fill('computer worm infection spreading by email');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await expect(page.getByTestId('hit').first()).toContainText(/virus|viral|malicious/i);
	await page.getByTestId('query').fill('refinance your home loan at a low rate');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await expect(page.getByTestId('hit').first()).toContainText(/mortgage|refinanc/i);
	await expect(page.getByTestId('hit').first()).toContainText('spam');
});
