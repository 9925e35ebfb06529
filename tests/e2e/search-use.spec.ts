import { expect, test } from '../support/fixtures';

/** Universal Sentence Encoder lite: the default model of the similarity and search page. */
test('USE-lite is the default: it compares a paraphrase pair and ranks documents by meaning', async ({
	page,
	site
}) => {
	await page.goto(site.url('/run/search'));
	const select = page.getByTestId('task-model-select');
	await expect(select).toHaveValue(/^use-lite\//);
	// GloVe stays on offer as the small baseline.
	await expect(select.locator('option[value^="glove-embedder/"]')).not.toHaveCount(0);
	await page.getByRole('button', { name: 'Download model' }).click();
	await expect(page.getByTestId('task-model-status')).toHaveCount(0, { timeout: 90_000 });

	const compare = page.getByRole('button', { name: 'Compare' });
	const score = async () => Number(await page.getByTestId('similarity').textContent());
	await page.getByTestId('text-a').fill('How old are you?');
	await page.getByTestId('text-b').fill('What is your age?');
	await compare.click();
	await expect(page.getByTestId('similarity')).toBeVisible();
	const paraphrase = await score();
	await page.getByTestId('text-b').fill('The train to Paris leaves from platform four.');
	await compare.click();
	await expect.poll(score).not.toBe(paraphrase);
	expect(paraphrase).toBeGreaterThan(0.5);
	expect(await score()).toBeLessThan(paraphrase - 0.3);
	await expect(page.getByTestId('run-stats')).toContainText('WebAssembly');

	await page.getByTestId('text-a').fill('   ');
	await compare.click();
	await expect(page.getByTestId('similarity-error')).toContainText('Text 1 is empty');
	// A long text is cut to the first 256 of USE-lite's tokens, which are word pieces.
	await page.getByTestId('text-a').fill(Array.from({ length: 300 }, () => 'river bank').join(' '));
	await compare.click();
	await expect(page.getByTestId('truncated')).toContainText('only its first 256 word pieces');

	await page.getByLabel('Paste your own, one document per line').check();
	await page
		.getByTestId('corpus-input')
		.fill(
			[
				'The central bank raised interest rates to fight inflation',
				'My laptop will not turn on after the latest update',
				'Preheat the oven and bake the cake for forty minutes',
				'The striker scored twice in the second half',
				'Snow is forecast for the mountains tomorrow'
			].join('\n')
		);
	await page.getByRole('button', { name: 'Build index' }).click();
	await expect(page.getByTestId('index-select')).toContainText('My documents (5 documents)');
	const search = async (query: string) => {
		await page.getByTestId('query').fill(query);
		await page.getByRole('button', { name: 'Search', exact: true }).click();
	};
	await search('my computer crashed and will not boot');
	await expect(page.getByTestId('hit').first()).toContainText('My laptop will not turn on');
	await expect(page.getByTestId('hit')).toHaveCount(5);
	await search('recipe for a dessert');
	await expect(page.getByTestId('hit').first()).toContainText('bake the cake');
	await search('how did the football match go');
	await expect(page.getByTestId('hit').first()).toContainText('The striker scored');
});
