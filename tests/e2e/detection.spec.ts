/**
 * The object detection page in Chromium with the catalog's converted NanoDet. The pictures are
 * drawn by tests/support/object-images.ts (a clock and a stop sign) and a real photo of sheep
 * (tests/support/photos.ts); the page's boxes are checked against the drawn objects and the
 * hand-drawn boxes of the sheep. Bad input: a file that is not an image.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { FAKE_CAMERA_ARGS, choosePicture, openWithModel } from '../support/picture-task';
import { drawClock, drawStopSign, type ObjectPicture } from '../support/object-images';
import { readFile } from 'node:fs/promises';
import { intersectionOverUnion } from '../../src/lib/tasks/vision/nms';
import { PHOTOS, PHOTO_TRUTH } from '../support/photos';

// Chromium's fake camera for the live loop.
test.use({ chromiumArgs: FAKE_CAMERA_ARGS });

/** The first (best-scoring) object the page lists once the run has finished. */
async function firstRow(page: Page) {
	await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
	const row = page.getByTestId('detection-row').first();
	await expect(row).toBeVisible();
	const number = async (name: string) => Number(await row.getAttribute(name));
	return {
		label: await row.getAttribute('data-label'),
		box: {
			x1: await number('data-x1'),
			y1: await number('data-y1'),
			x2: await number('data-x2'),
			y2: await number('data-y2')
		}
	};
}

test('finds and boxes a drawn clock and a drawn stop sign', async ({ page, site }) => {
	await openWithModel(page, site.url('/run/detection'));
	const pictures: [string, string, ObjectPicture][] = [
		['clock.png', 'clock', drawClock()],
		[
			'stop.png',
			'stop sign',
			drawStopSign({ width: 400, height: 500, cx: 230, cy: 300, radius: 110 })
		]
	];
	for (const [name, label, picture] of pictures) {
		await choosePicture(page, name, 'image/png', picture.png);
		const found = await firstRow(page);
		expect(found.label).toBe(label);
		expect(intersectionOverUnion(found.box, picture.box)).toBeGreaterThanOrEqual(0.5);
		await expect(page.getByTestId('detection-box').first()).toBeVisible();
		await expect(page.getByTestId('detection-boxes')).toContainText(label);
	}
	for (const stage of ['preprocess', 'inference', 'postprocess']) {
		await expect(page.getByTestId(`stage-${stage}`)).toHaveText(/\d/);
	}
});

test('finds the sheep in a real photo, a JPEG', async ({ page, site }) => {
	await openWithModel(page, site.url('/run/detection'));
	const photo = PHOTOS.sheep();
	await choosePicture(page, 'sheep.jpg', photo.mimeType, await readFile(photo.path));
	const found = await firstRow(page);
	expect(found.label).toBe('sheep');
	const bestOverlap = Math.max(
		...PHOTO_TRUTH.sheep.map((sheep) => intersectionOverUnion(found.box, sheep))
	);
	expect(bestOverlap).toBeGreaterThanOrEqual(0.6);
	// Five sheep stand clear in the photo (Node finds all five, each at IoU >= 0.6).
	expect(await page.getByTestId('detection-row').count()).toBeGreaterThanOrEqual(5);
	await expect(page.getByTestId('detection-box')).toHaveCount(
		await page.getByTestId('detection-row').count()
	);
});

test('a file that is not an image gets a clear message and the page still works', async ({
	page,
	site
}) => {
	await openWithModel(page, site.url('/run/detection'));
	await choosePicture(page, 'notes.txt', 'text/plain', Buffer.from('This is not a picture.\n'));
	await expect(page.getByTestId('task-error')).toHaveText(
		'"notes.txt" is not an image this browser can open. Choose a PNG, JPEG, WebP, GIF or BMP picture.'
	);
	await expect(page.getByTestId('detection-result')).toHaveAttribute('data-phase', 'idle');
	await expect(page.getByTestId('detection-row')).toHaveCount(0);
	await choosePicture(page, 'clock.png', 'image/png', drawClock().png);
	expect((await firstRow(page)).label).toBe('clock');
	await expect(page.getByTestId('task-error')).toHaveCount(0);
});

test('the live camera is searched frame by frame', async ({ page, site }) => {
	await openWithModel(page, site.url('/run/detection'));
	await page.getByRole('button', { name: 'Start live camera' }).click();
	const stats = page.getByTestId('live-stats');
	await expect
		.poll(async () => Number(await stats.getAttribute('data-processed')), { timeout: 30_000 })
		.toBeGreaterThan(2);
	expect(Number(await stats.getAttribute('data-fps'))).toBeGreaterThan(0);
	// Each frame's boxes are drawn over the video, in the frame's own pixels.
	await expect(page.getByTestId('detection-boxes')).toHaveCount(1);
	await expect(page.getByTestId('detection-boxes')).toHaveAttribute('viewBox', /^0 0 \d+ \d+$/);
	await page.getByRole('button', { name: 'Stop the camera' }).click();
	await expect(page.getByTestId('task-error')).toHaveCount(0);
});
