/**
 * The person segmentation page in Chromium with the catalog's converted selfie model. The picture
 * is the standing figure drawn by tests/support/figure-image.ts; the downloaded PNG is decoded
 * and checked pixel by pixel against the drawing. Bad input: a file that is not an image.
 */
import { readFile } from 'node:fs/promises';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { drawFigure } from '../support/figure-image';

async function openPage(page: Page, url: string): Promise<void> {
	await page.goto(url);
	await page.getByRole('button', { name: 'Download model' }).click();
	await expect(page.getByTestId('task-model-status')).toHaveCount(0, { timeout: 90_000 });
}

async function choose(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
	await page.getByTestId('image-file-input').setInputFiles({ name, mimeType, buffer });
}

async function coverage(page: Page): Promise<number> {
	await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
	return Number(await page.getByTestId('segmentation-coverage').getAttribute('data-coverage'));
}

test('finds the drawn person, shows the mask and downloads the picture with a new background', async ({
	page,
	site
}) => {
	await openPage(page, site.url('/run/segmentation'));
	const figure = drawFigure(320, 60);
	await page.getByLabel('Replace with a colour').check();
	await page.getByTestId('segmentation-colour').fill('#00ff00');
	await choose(page, 'figure.png', 'image/png', figure.png);
	const covered = await coverage(page);
	// The figure fills about a quarter of the picture (Node measures 0.856 inside, 0.004 outside).
	expect(covered).toBeGreaterThan(0.1);
	expect(covered).toBeLessThan(0.5);
	await expect(page.getByTestId('segmentation-mask')).toBeVisible();
	await expect(page.getByTestId('segmentation-coverage')).toContainText('The person covers');

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('segmentation-download').click()
	]);
	expect(download.suggestedFilename()).toBe('segmented-colour.png');
	const bytes = await readFile((await download.path())!);
	expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	const png = await loadImage(bytes);
	expect([png.width, png.height]).toEqual([320, 420]);
	const canvas = createCanvas(png.width, png.height);
	const g = canvas.getContext('2d');
	g.drawImage(png, 0, 0);
	const pixel = (x: number, y: number) => [...g.getImageData(x, y, 1, 1).data.subarray(0, 3)];
	// A background corner turned green; the shirt (figure x 100, y 190) kept its blue.
	const [r, gr, b] = pixel(5, 5);
	expect(gr!).toBeGreaterThan(200);
	expect(r!).toBeLessThan(60);
	expect(b!).toBeLessThan(60);
	const shirt = pixel(60 + 100, 190);
	expect(Math.abs(shirt[0]! - 0x1f)).toBeLessThan(40);
	expect(Math.abs(shirt[2]! - 0x9c)).toBeLessThan(40);

	// Transparent background: the corner is see-through, the shirt is not.
	await page.getByLabel('None (transparent)').check();
	const [cutOut] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('segmentation-download').click()
	]);
	expect(cutOut.suggestedFilename()).toBe('segmented-none.png');
	const cut = await loadImage(await readFile((await cutOut.path())!));
	const cutCanvas = createCanvas(cut.width, cut.height);
	cutCanvas.getContext('2d').drawImage(cut, 0, 0);
	const alpha = (x: number, y: number) =>
		cutCanvas.getContext('2d').getImageData(x, y, 1, 1).data[3]!;
	expect(alpha(5, 5)).toBeLessThan(20);
	expect(alpha(60 + 100, 190)).toBeGreaterThan(200);
	await expect(page.getByTestId('task-error')).toHaveCount(0);
});

test('a file that is not an image gets a clear message and the page still works', async ({
	page,
	site
}) => {
	await openPage(page, site.url('/run/segmentation'));
	await choose(page, 'notes.txt', 'text/plain', Buffer.from('This is not a picture.\n'));
	await expect(page.getByTestId('task-error')).toHaveText(
		'"notes.txt" is not an image this browser can open. Choose a PNG, JPEG, WebP, GIF or BMP picture.'
	);
	await expect(page.getByTestId('segmentation-result')).toHaveAttribute('data-phase', 'idle');
	await expect(page.getByTestId('segmentation-mask')).toHaveCount(0);
	await choose(page, 'figure.png', 'image/png', drawFigure(200).png);
	expect(await coverage(page)).toBeGreaterThan(0.1);
	await expect(page.getByTestId('task-error')).toHaveCount(0);
});
