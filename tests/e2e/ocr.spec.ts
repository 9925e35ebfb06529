/**
 * The OCR page in Chromium with the real PaddleOCR v4 model: pictures of known text drawn in the
 * test (several fonts, sizes, lines, a slight turn), every way in (file, paste, drop, camera),
 * and the bad inputs the issue names (not an image, a huge image).
 */
import type { Page } from '@playwright/test';
import { characterErrorRate } from '../../src/lib/tasks/ocr/metrics';
import { expect, test } from '../support/fixtures';
import { choosePicture, openWithModel } from '../support/picture-task';
import { renderText, type RenderedPicture } from '../support/text-images';

// Chromium's fake camera shows a moving test pattern, and its fake prompt says yes.
test.use({
	chromiumArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']
});

const RECEIPT = renderText({
	lines: [
		'Hearth reads text on this device.',
		'Order 4471: 2 lamps at $19.99 each',
		'Thank you, and see you soon!'
	],
	font: 'Liberation Serif',
	size: 30,
	rotation: -3
});

const NOTE = renderText({
	lines: ['Pasted pictures work too.', 'So do dropped files.'],
	font: 'DejaVu Sans',
	size: 26,
	rotation: 4
});

/** Waits for a finished run and returns the lines it read. */
async function readLines(page: Page): Promise<string[]> {
	await expect(page.getByTestId('run-stats')).toBeVisible({ timeout: 60_000 });
	await expect(page.getByTestId('ocr-result')).toHaveAttribute('data-phase', 'idle');
	return page.getByTestId('ocr-line-text').allTextContents();
}

async function expectRead(page: Page, picture: RenderedPicture): Promise<void> {
	const lines = await readLines(page);
	const cer = characterErrorRate(lines.join('\n'), picture.text);
	console.log(`e2e OCR CER ${(cer * 100).toFixed(2)}%: ${JSON.stringify(lines)}`);
	expect(cer).toBeLessThanOrEqual(0.02);
	await expect(page.getByTestId('ocr-box')).toHaveCount(lines.length);
}

test('reads a picked picture, draws its boxes, shows stage times and copies the text', async ({
	page,
	site,
	context
}) => {
	await openWithModel(page, site.url('/run/ocr'));
	await choosePicture(page, 'receipt.png', 'image/png', RECEIPT.png);
	await expectRead(page, RECEIPT);

	const confidences = await page.getByTestId('ocr-line-confidence').allTextContents();
	expect(confidences).toHaveLength(3);
	for (const confidence of confidences) expect(Number.parseInt(confidence)).toBeGreaterThan(50);
	// Boxes lie on the picture, in its own pixel coordinates.
	await expect(page.getByTestId('ocr-boxes')).toHaveAttribute(
		'viewBox',
		`0 0 ${RECEIPT.image.width} ${RECEIPT.image.height}`
	);
	const stats = page.getByTestId('run-stats');
	await expect(stats).toHaveAttribute('data-backend', 'wasm');
	expect(Number(await stats.getAttribute('data-threads'))).toBeGreaterThanOrEqual(1);
	for (const stage of ['preprocess', 'inference', 'postprocess']) {
		await expect(page.getByTestId(`stage-${stage}`)).toHaveText(/\d/);
	}
	console.log(`e2e OCR first run: ${(await stats.innerText()).replace(/\s+/g, ' ')}`);

	// Again on the loaded models: same text, and no load time this time.
	await page.getByRole('button', { name: 'Read text again' }).click();
	await expect(stats).toHaveCount(0);
	await expectRead(page, RECEIPT);
	await expect(stats).not.toContainText('model loaded');
	console.log(`e2e OCR warm run: ${(await stats.innerText()).replace(/\s+/g, ' ')}`);

	await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
	await page.getByRole('button', { name: 'Copy all text' }).click();
	await expect(page.getByTestId('copy-confirmation')).toHaveText(
		'Copied 3 lines to the clipboard.'
	);
	const clipboard = await page.evaluate(() => navigator.clipboard.readText());
	expect(clipboard).toBe((await page.getByTestId('ocr-line-text').allTextContents()).join('\n'));
});

test('a file that is not an image gets a clear message, and the page still reads', async ({
	page,
	site
}) => {
	await openWithModel(page, site.url('/run/ocr'));
	await choosePicture(page, 'notes.txt', 'text/plain', Buffer.from('This is not a picture.\n'));
	await expect(page.getByTestId('task-error')).toHaveText(
		'"notes.txt" is not an image this browser can open. Choose a PNG, JPEG, WebP, GIF or BMP picture.'
	);
	await expect(page.getByTestId('ocr-result')).toHaveAttribute('data-phase', 'idle');
	await expect(page.getByRole('button', { name: 'Choose a picture' })).toBeEnabled();

	// Even one with an image's name and type.
	await choosePicture(page, 'broken.png', 'image/png', Buffer.from('not really a png'));
	await expect(page.getByTestId('task-error')).toContainText('"broken.png" is not an image');

	await choosePicture(page, 'receipt.png', 'image/png', RECEIPT.png);
	await expectRead(page, RECEIPT);
	await expect(page.getByTestId('task-error')).toHaveCount(0);
});

test('a huge picture is scaled down before reading, says so, and is still read', async ({
	page,
	site
}) => {
	const huge = renderText({
		lines: ['Large print on a huge page', 'Scaled down, still read'],
		font: 'DejaVu Sans',
		size: 220,
		rotation: 3,
		minWidth: 8000,
		minHeight: 6000
	});
	expect(huge.image.width).toBe(8000);
	await openWithModel(page, site.url('/run/ocr'));
	await choosePicture(page, 'huge.png', 'image/png', huge.png);
	await expectRead(page, huge);
	await expect(page.getByTestId('picture-name')).toHaveText('huge.png: 8000 × 6000 pixels');
	await expect(page.getByTestId('ocr-note').first()).toContainText(
		'The image is 8000 × 6000 pixels; it was scaled down to 4096 × 3072'
	);
	await expect(page.getByTestId('ocr-boxes')).toHaveAttribute('viewBox', '0 0 8000 6000');
});

test('pictures can be pasted and dropped', async ({ page, site }) => {
	await openWithModel(page, site.url('/run/ocr'));
	const base64 = NOTE.png.toString('base64');

	await page.evaluate((data) => {
		const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
		const transfer = new DataTransfer();
		transfer.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
		document.body.dispatchEvent(
			new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true })
		);
	}, base64);
	await expectRead(page, NOTE);
	await expect(page.getByTestId('picture-name')).toContainText('pasted.png');

	const transfer = await page.evaluateHandle((data) => {
		const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
		const dropped = new DataTransfer();
		dropped.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
		return dropped;
	}, RECEIPT.png.toString('base64'));
	await page.getByTestId('image-drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
	await expect(page.getByTestId('picture-name')).toContainText('dropped.png');
	await expectRead(page, RECEIPT);
});

test('a camera frame can be taken and run', async ({ page, site }) => {
	await openWithModel(page, site.url('/run/ocr'));
	await page.getByRole('button', { name: 'Use the camera' }).click();
	const preview = page.getByTestId('camera-preview');
	await expect(preview).toBeVisible();
	await expect
		.poll(() => preview.evaluate((video: HTMLVideoElement) => video.videoWidth))
		.toBeGreaterThan(0);
	await page.getByRole('button', { name: 'Take picture' }).click();
	await expect(page.getByTestId('picture-name')).toContainText('the camera picture');
	// The fake camera shows a test pattern, not text: the run must finish, whatever it reads.
	await readLines(page);
	await expect(page.getByTestId('task-error')).toHaveCount(0);
	await page.getByRole('button', { name: 'Close camera' }).click();
	await expect(preview).toHaveCount(0);
});
