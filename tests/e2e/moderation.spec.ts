/**
 * The image moderation page in Chromium with the catalog's converted nsfwjs MobileNetV2. The
 * pictures are drawn by tests/support/moderation-images.ts (safe ones only); the page's answer is
 * checked against the same pipeline run in Node with onnxruntime-node. Bad input: a file that is
 * not an image.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { FAKE_CAMERA_ARGS, choosePicture, openWithModel } from '../support/picture-task';
import { download, openModelsPage, variantRow } from '../support/models-page';
import { drawCartoon, drawLandscape } from '../support/moderation-images';
import { NodeTaskContext } from '../support/node-task-context';
import { moderateImage } from '../../src/lib/tasks/moderation/pipeline';
import type { RgbaImage } from '../../src/lib/tasks/types';

// Chromium's fake camera for the live loop.
test.use({ chromiumArgs: FAKE_CAMERA_ARGS });

/** The classes the page shows, in its order, once the run has finished. */
async function shownClasses(page: Page): Promise<{ label: string; probability: number }[]> {
	await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
	const rows = page.getByTestId('moderation-class');
	await expect(rows).toHaveCount(5);
	return Promise.all(
		(await rows.all()).map(async (row) => ({
			label: (await row.getAttribute('data-label'))!,
			probability: Number(await row.getAttribute('data-probability'))
		}))
	);
}

async function inNode(image: RgbaImage) {
	const ctx = await NodeTaskContext.forCatalogModel('nsfw-mobilenet-v2');
	try {
		return await moderateImage({ image }, ctx);
	} finally {
		await ctx.release();
	}
}

test('sorts a drawn picture into the five classes as the Node pipeline does', async ({
	page,
	site
}) => {
	await openWithModel(page, site.url('/run/moderation'));
	for (const [name, picture] of [
		['cartoon.png', drawCartoon()],
		['landscape.png', drawLandscape()]
	] as const) {
		await choosePicture(page, name, 'image/png', picture.png);
		const shown = await shownClasses(page);
		const expected = await inNode(picture.image);
		expect(shown.reduce((sum, entry) => sum + entry.probability, 0)).toBeCloseTo(1, 3);
		expect(shown.map((entry) => entry.label)).toEqual(expected.classes.map((entry) => entry.label));
		shown.forEach((entry, i) =>
			expect(Math.abs(entry.probability - expected.classes[i]!.probability)).toBeLessThan(1e-3)
		);
		expect(['Drawing', 'Neutral']).toContain(expected.top);
		await expect(page.getByTestId('moderation-top')).toHaveAttribute('data-label', expected.top);
		await expect(page.getByTestId('moderation-top')).toContainText(`Most likely ${expected.top}`);
		await expect(page.getByTestId('moderation-top')).toContainText('safe to show');
	}
	for (const stage of ['preprocess', 'inference', 'postprocess']) {
		await expect(page.getByTestId(`stage-${stage}`)).toHaveText(/\d/);
	}
});

test('a file that is not an image gets a clear message and the page still works', async ({
	page,
	site
}) => {
	await openWithModel(page, site.url('/run/moderation'));
	await choosePicture(page, 'notes.txt', 'text/plain', Buffer.from('This is not a picture.\n'));
	await expect(page.getByTestId('task-error')).toHaveText(
		'"notes.txt" is not an image this browser can open. Choose a PNG, JPEG, WebP, GIF or BMP picture.'
	);
	await expect(page.getByTestId('moderation-result')).toHaveAttribute('data-phase', 'idle');
	await expect(page.getByTestId('moderation-class')).toHaveCount(0);
	await choosePicture(page, 'cartoon.png', 'image/png', drawCartoon().png);
	await shownClasses(page);
	await expect(page.getByTestId('task-error')).toHaveCount(0);
});

test("the Models page's test run gives the converted graph's expected class", async ({
	page,
	site
}) => {
	await openModelsPage(page, site);
	await download(page, 'nsfw-mobilenet-v2', 'mobilenet-v2');
	const row = variantRow(page, 'nsfw-mobilenet-v2', 'mobilenet-v2');
	await row.getByRole('button', { name: /^Test run / }).click();
	await expect(row.getByTestId('check')).toContainText('as expected', { timeout: 60_000 });
});

test('the live camera is classified frame by frame, with the classes shown as they come', async ({
	page,
	site
}) => {
	await openWithModel(page, site.url('/run/moderation'));
	await page.getByRole('button', { name: 'Start live camera' }).click();
	const stats = page.getByTestId('live-stats');
	await expect
		.poll(async () => Number(await stats.getAttribute('data-processed')), { timeout: 30_000 })
		.toBeGreaterThan(2);
	const live = page.getByTestId('live-details');
	await expect(live.getByTestId('moderation-class')).toHaveCount(5);
	await expect(live.getByTestId('moderation-top')).toHaveAttribute(
		'data-label',
		/^(Drawing|Hentai|Neutral|Porn|Sexy)$/
	);
	await page.getByRole('button', { name: 'Stop the camera' }).click();
	await expect(page.getByTestId('task-error')).toHaveCount(0);
});
