/**
 * The vision task pages (pose, faces) in Chromium with the real catalog models, on a real portrait
 * (tests/support/photos.ts: NASA's astronaut, public domain) and on pictures drawn by
 * tests/support/figure-image.ts, which place people and faces exactly where the tests expect.
 * Bad inputs: a file that is not an image, a tiny and a huge picture, and a camera that is
 * denied or absent. The live loop runs on Chromium's fake camera.
 */
import type { Page } from '@playwright/test';
import { createCanvas } from '@napi-rs/canvas';
import { expect, test } from '../support/fixtures';
import { FAKE_CAMERA_ARGS, choosePicture, openWithModel } from '../support/picture-task';
import { readFile } from 'node:fs/promises';
import { intersectionOverUnion } from '../../src/lib/tasks/vision/nms';
import { drawFaces, drawFigure } from '../support/figure-image';
import { inside, PHOTOS, PHOTO_TRUTH } from '../support/photos';

// Chromium's fake camera for the live loop.
test.use({ chromiumArgs: FAKE_CAMERA_ARGS });

const FIGURE = drawFigure(400, 150);

async function keypoints(page: Page): Promise<Map<string, { x: number; y: number }>> {
	await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
	const rows = page.getByTestId('pose-row');
	await expect(rows).toHaveCount(17);
	const points = new Map<string, { x: number; y: number }>();
	for (const row of await rows.all()) {
		points.set((await row.getAttribute('data-name'))!, {
			x: Number(await row.getAttribute('data-x')),
			y: Number(await row.getAttribute('data-y'))
		});
	}
	return points;
}

function solidPng(width: number, height: number): Buffer {
	const canvas = createCanvas(width, height);
	const g = canvas.getContext('2d');
	g.fillStyle = '#8fb3c9';
	g.fillRect(0, 0, width, height);
	return canvas.toBuffer('image/png');
}

test('finds the pose of a drawn person and draws the skeleton over it', async ({ page, site }) => {
	await openWithModel(page, site.url('/run/pose'));
	await choosePicture(page, 'person.png', 'image/png', FIGURE.png);
	const points = await keypoints(page);
	const head = points.get('nose')!;
	expect(Math.hypot(head.x - (FIGURE.shift + 100), head.y - 80)).toBeLessThan(40);
	for (const name of ['left ankle', 'right ankle']) {
		expect(Math.abs(points.get(name)!.y - 400)).toBeLessThan(30);
	}
	// The person faces the viewer: their left shoulder is on the picture's right.
	expect(points.get('left shoulder')!.x).toBeGreaterThan(points.get('right shoulder')!.x);
	await expect(page.getByTestId('pose-skeleton')).toHaveAttribute('viewBox', '0 0 400 420');
	const drawn = await page.getByTestId('pose-keypoint').count();
	expect(drawn).toBeGreaterThan(5);
	await expect(page.getByTestId('pose-bone').first()).toBeVisible();

	// The confidence slider hides keypoints under it: at 100% none is drawn.
	await page.getByTestId('pose-threshold').fill('1');
	await expect(page.getByTestId('pose-keypoint')).toHaveCount(0);
	await page.getByTestId('pose-threshold').fill('0');
	await expect(page.getByTestId('pose-keypoint')).toHaveCount(17);
	for (const stage of ['preprocess', 'inference', 'postprocess']) {
		await expect(page.getByTestId(`stage-${stage}`)).toHaveText(/\d/);
	}
});

test('finds the pose and the face of the astronaut in a real portrait', async ({ page, site }) => {
	const photo = PHOTOS.astronaut();
	const bytes = await readFile(photo.path);
	const { face } = PHOTO_TRUTH.astronaut;
	await openWithModel(page, site.url('/run/pose'));
	await choosePicture(page, 'astronaut.png', photo.mimeType, bytes);
	const points = await keypoints(page);
	for (const name of ['nose', 'left eye', 'right eye']) {
		expect(inside(face, points.get(name)!.x, points.get(name)!.y), name).toBe(true);
	}
	expect(points.get('left shoulder')!.y).toBeGreaterThan(face.y2);
	expect(points.get('left shoulder')!.x).toBeGreaterThan(points.get('right shoulder')!.x);
	await expect(page.getByTestId('pose-skeleton')).toHaveAttribute('viewBox', '0 0 512 512');

	await openWithModel(page, site.url('/run/face'));
	await choosePicture(page, 'astronaut.png', photo.mimeType, bytes);
	await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
	await expect(page.getByTestId('face-count')).toHaveText('1 face found.');
	const row = page.getByTestId('face-row');
	const value = async (name: string) => Number(await row.getAttribute(name));
	const box = {
		x1: await value('data-x1'),
		y1: await value('data-y1'),
		x2: await value('data-x2'),
		y2: await value('data-y2')
	};
	expect(intersectionOverUnion(box, face)).toBeGreaterThanOrEqual(0.7);
	await expect(page.getByTestId('face-landmark')).toHaveCount(6);
});

test('bad pictures get clear messages and the page still works', async ({ page, site }) => {
	await openWithModel(page, site.url('/run/pose'));
	await choosePicture(page, 'notes.txt', 'text/plain', Buffer.from('This is not a picture.\n'));
	await expect(page.getByTestId('task-error')).toHaveText(
		'"notes.txt" is not an image this browser can open. Choose a PNG, JPEG, WebP, GIF or BMP picture.'
	);
	await choosePicture(page, 'tiny.png', 'image/png', solidPng(12, 10));
	await expect(page.getByTestId('task-error')).toHaveText(
		'The picture is only 12 × 10 pixels; at least 32 × 32 is needed to find anything in it. Choose a larger picture.'
	);
	await expect(page.getByTestId('pose-result')).toHaveAttribute('data-phase', 'idle');

	// A huge picture is scaled down first, and says so.
	await choosePicture(page, 'huge.png', 'image/png', solidPng(8000, 6000));
	await expect(page.getByTestId('picture-name')).toHaveText(
		'huge.png: 8000 × 6000 pixels, scaled down to 4096 × 3072 to find the pose'
	);
	await keypoints(page);
	await expect(page.getByTestId('task-error')).toHaveCount(0);

	await choosePicture(page, 'person.png', 'image/png', FIGURE.png);
	const points = await keypoints(page);
	expect(points.get('nose')!.y).toBeLessThan(120);
});

test('the live camera loop runs, shows frames per second and drops frames it cannot keep up with', async ({
	page,
	site
}) => {
	await openWithModel(page, site.url('/run/pose'));
	await page.getByRole('button', { name: 'Start live camera' }).click();
	const stats = page.getByTestId('live-stats');
	await expect(stats).toBeVisible();
	await expect
		.poll(async () => Number(await stats.getAttribute('data-processed')), { timeout: 30_000 })
		.toBeGreaterThan(3);
	expect(Number(await stats.getAttribute('data-fps'))).toBeGreaterThan(0);
	await expect(stats).toContainText('frames per second');
	await expect(page.getByTestId('pose-skeleton')).toHaveCount(1);
	// The fake camera sends 30 frames a second; a run on this machine takes longer than 33 ms,
	// so frames are dropped, and at most one waits: runs never fall behind the camera.
	await expect
		.poll(async () => Number(await stats.getAttribute('data-dropped')), { timeout: 30_000 })
		.toBeGreaterThan(0);
	await page.getByRole('button', { name: 'Stop the camera' }).click();
	await expect(page.getByTestId('live-video')).toHaveCount(0);
	await expect(page.getByTestId('task-error')).toHaveCount(0);
});

for (const [name, reason] of [
	['NotAllowedError', 'camera access was denied'],
	['NotFoundError', 'no camera was found']
] as const) {
	test(`a camera that fails with ${name} gets a clear message`, async ({ page, site }) => {
		await page.addInitScript((errorName) => {
			navigator.mediaDevices.getUserMedia = () =>
				Promise.reject(new DOMException('refused', errorName));
		}, name);
		await openWithModel(page, site.url('/run/pose'));
		await page.getByRole('button', { name: 'Start live camera' }).click();
		await expect(page.getByTestId('task-error')).toHaveText(
			`The camera could not be opened (${reason}). Allow camera access for this site, or choose a picture file instead.`
		);
		await expect(page.getByRole('button', { name: 'Start live camera' })).toBeEnabled();
		await choosePicture(page, 'person.png', 'image/png', FIGURE.png);
		await keypoints(page);
	});
}

test('finds drawn faces with their landmarks, and the slider hides weak ones', async ({
	page,
	site
}) => {
	const picture = drawFaces(640, 320, [
		{ x: 160, y: 160 },
		{ x: 480, y: 160 }
	]);
	await openWithModel(page, site.url('/run/face'));
	await choosePicture(page, 'faces.png', 'image/png', picture.png);
	await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
	await expect(page.getByTestId('face-count')).toHaveText('2 faces found.');
	const rows = await page.getByTestId('face-row').all();
	const centres = [];
	for (const row of rows) {
		const value = async (name: string) => Number(await row.getAttribute(name));
		centres.push({
			x: ((await value('data-x1')) + (await value('data-x2'))) / 2,
			y: ((await value('data-y1')) + (await value('data-y2'))) / 2
		});
	}
	centres.sort((a, b) => a.x - b.x);
	for (const [i, drawn] of picture.faces.entries()) {
		expect(Math.abs(centres[i]!.x - drawn.cx)).toBeLessThan(drawn.rx / 2);
		expect(Math.abs(centres[i]!.y - drawn.cy)).toBeLessThan(drawn.ry / 2);
	}
	await expect(page.getByTestId('face-box')).toHaveCount(2);
	await expect(page.getByTestId('face-landmark')).toHaveCount(12);
	await expect(page.getByTestId('face-boxes')).toHaveAttribute('viewBox', '0 0 640 320');
	await page.getByTestId('face-threshold').fill('1');
	await expect(page.getByTestId('face-box')).toHaveCount(0);
	await expect(page.getByTestId('face-count')).toHaveText('No face found at this confidence.');

	// Bad input on this page too, and it keeps working.
	await choosePicture(page, 'notes.txt', 'text/plain', Buffer.from('not a picture'));
	await expect(page.getByTestId('task-error')).toContainText('"notes.txt" is not an image');
	await choosePicture(page, 'tiny.png', 'image/png', solidPng(20, 20));
	await expect(page.getByTestId('task-error')).toContainText('only 20 × 20 pixels');
	await page.getByTestId('face-threshold').fill('0.5');
	await choosePicture(page, 'faces.png', 'image/png', picture.png);
	await expect(page.getByTestId('face-count')).toHaveText('2 faces found.', { timeout: 60_000 });
});

test('the face page runs live on the camera', async ({ page, site }) => {
	await openWithModel(page, site.url('/run/face'));
	await page.getByRole('button', { name: 'Start live camera' }).click();
	const stats = page.getByTestId('live-stats');
	await expect
		.poll(async () => Number(await stats.getAttribute('data-processed')), { timeout: 30_000 })
		.toBeGreaterThan(3);
	expect(Number(await stats.getAttribute('data-fps'))).toBeGreaterThan(0);
	await page.getByRole('button', { name: 'Stop the camera' }).click();
	await expect(page.getByTestId('task-error')).toHaveCount(0);
});
