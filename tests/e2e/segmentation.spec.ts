/**
 * The person segmentation page in Chromium with the catalog's converted selfie model. The picture
 * is a real portrait (tests/support/photos.ts: NASA's astronaut, public domain); the downloaded PNG
 * is decoded and checked pixel by pixel against the photo. Bad input: a file that is not an image.
 */
import { readFile } from 'node:fs/promises';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { FAKE_CAMERA_ARGS, choosePicture, openWithModel } from '../support/picture-task';
import { drawFigure } from '../support/figure-image';
import { photoPixels, PHOTOS } from '../support/photos';

// Chromium's fake camera for the live loop.
test.use({ chromiumArgs: FAKE_CAMERA_ARGS });

async function coverage(page: Page): Promise<number> {
	await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
	return Number(await page.getByTestId('segmentation-coverage').getAttribute('data-coverage'));
}

test('finds the astronaut in a real portrait, shows the mask and downloads her with a new background', async ({
	page,
	site
}) => {
	await openWithModel(page, site.url('/run/segmentation'));
	const photo = PHOTOS.astronaut();
	const original = await photoPixels('astronaut');
	const originalAt = (x: number, y: number) => [
		...original.data.subarray((y * 512 + x) * 4, (y * 512 + x) * 4 + 3)
	];
	await page.getByLabel('Replace with a colour').check();
	await page.getByTestId('segmentation-colour').fill('#00ff00');
	await choosePicture(page, 'astronaut.png', photo.mimeType, await readFile(photo.path));
	const covered = await coverage(page);
	// She fills about half of the portrait (Node measures 0.54).
	expect(covered).toBeGreaterThan(0.35);
	expect(covered).toBeLessThan(0.75);
	await expect(page.getByTestId('segmentation-mask')).toBeVisible();
	await expect(page.getByTestId('segmentation-coverage')).toContainText('The person covers');
	// The preview shows what the download will hold, and follows the choice of background.
	const preview = page.getByTestId('segmentation-preview');
	await expect(preview).toHaveAttribute('data-mode', 'colour');
	const previewAt = (x: number, y: number) =>
		preview.evaluate(
			(canvas: HTMLCanvasElement, [px, py]) => [
				...canvas.getContext('2d')!.getImageData(px!, py!, 1, 1).data
			],
			[x, y]
		);
	const [pr, pg, pb] = await previewAt(330, 80);
	expect([pr! < 60, pg! > 200, pb! < 60]).toEqual([true, true, true]);

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('segmentation-download').click()
	]);
	expect(download.suggestedFilename()).toBe('segmented-colour.png');
	const bytes = await readFile((await download.path())!);
	expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	const png = await loadImage(bytes);
	expect([png.width, png.height]).toEqual([512, 512]);
	const canvas = createCanvas(png.width, png.height);
	const g = canvas.getContext('2d');
	g.drawImage(png, 0, 0);
	const pixel = (x: number, y: number) => [...g.getImageData(x, y, 1, 1).data.subarray(0, 3)];
	// The wall beside her turned green; her cheek and her orange suit kept their colours.
	const [r, gr, b] = pixel(330, 80);
	expect(gr!).toBeGreaterThan(200);
	expect(r!).toBeLessThan(60);
	expect(b!).toBeLessThan(60);
	for (const [x, y] of [
		[225, 140],
		[100, 420]
	] as const) {
		const kept = pixel(x, y);
		originalAt(x, y).forEach((value, channel) =>
			expect(Math.abs(kept[channel]! - value)).toBeLessThan(30)
		);
	}

	// Transparent background: the wall is see-through, she is not.
	await page.getByLabel('None (transparent)').check();
	const [cutOut] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('segmentation-download').click()
	]);
	expect(cutOut.suggestedFilename()).toBe('segmented-none.png');
	await expect(preview).toHaveAttribute('data-mode', 'none');
	expect((await previewAt(330, 80))[3]).toBeLessThan(20);
	expect((await previewAt(225, 140))[3]).toBeGreaterThan(200);
	const cut = await loadImage(await readFile((await cutOut.path())!));
	const cutCanvas = createCanvas(cut.width, cut.height);
	cutCanvas.getContext('2d').drawImage(cut, 0, 0);
	const alpha = (x: number, y: number) =>
		cutCanvas.getContext('2d').getImageData(x, y, 1, 1).data[3]!;
	expect(alpha(330, 80)).toBeLessThan(20);
	expect(alpha(225, 140)).toBeGreaterThan(200);
	expect(alpha(100, 420)).toBeGreaterThan(200);
	await expect(page.getByTestId('task-error')).toHaveCount(0);
});

test('a file that is not an image gets a clear message and the page still works', async ({
	page,
	site
}) => {
	await openWithModel(page, site.url('/run/segmentation'));
	await choosePicture(page, 'notes.txt', 'text/plain', Buffer.from('This is not a picture.\n'));
	await expect(page.getByTestId('task-error')).toHaveText(
		'"notes.txt" is not an image this browser can open. Choose a PNG, JPEG, WebP, GIF or BMP picture.'
	);
	await expect(page.getByTestId('segmentation-result')).toHaveAttribute('data-phase', 'idle');
	await expect(page.getByTestId('segmentation-mask')).toHaveCount(0);
	await choosePicture(page, 'figure.png', 'image/png', drawFigure(200).png);
	expect(await coverage(page)).toBeGreaterThan(0.1);
	await expect(page.getByTestId('task-error')).toHaveCount(0);
});

test('the live camera shows each frame with the chosen background', async ({ page, site }) => {
	await openWithModel(page, site.url('/run/segmentation'));
	await page.getByLabel('Replace with a colour').check();
	await page.getByTestId('segmentation-colour').fill('#ff00ff');
	await page.getByRole('button', { name: 'Start live camera' }).click();
	const stats = page.getByTestId('live-stats');
	await expect
		.poll(async () => Number(await stats.getAttribute('data-processed')), { timeout: 30_000 })
		.toBeGreaterThan(2);
	const frame = page.getByTestId('segmentation-live-frame');
	await expect(frame).toHaveAttribute('data-mode', 'colour');
	// The test pattern has no person in it, so nearly all of the frame is the new background.
	const magenta = await frame.evaluate((canvas: HTMLCanvasElement) => {
		const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
		let count = 0;
		for (let i = 0; i < data.length; i += 4) {
			if (data[i]! > 200 && data[i + 1]! < 60 && data[i + 2]! > 200) count++;
		}
		return count / (data.length / 4);
	});
	expect(magenta).toBeGreaterThan(0.8);
	await page.getByLabel('Blur').check();
	await expect(frame).toHaveAttribute('data-mode', 'blur');
	await page.getByRole('button', { name: 'Stop the camera' }).click();
	await expect(page.getByTestId('task-error')).toHaveCount(0);
});
