/**
 * What the picture task pages' browser tests share: opening a page with its model downloaded,
 * choosing a picture, and Chromium's fake camera for the live loop.
 */
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** Chromium's fake camera shows a moving test pattern, and its fake prompt says yes. */
export const FAKE_CAMERA_ARGS = [
	'--use-fake-device-for-media-stream',
	'--use-fake-ui-for-media-stream'
];

/** Opens a task page and downloads its default model. */
export async function openWithModel(page: Page, url: string): Promise<void> {
	await page.goto(url);
	await page.getByRole('button', { name: 'Download model' }).click();
	await expect(page.getByTestId('task-model-status')).toHaveCount(0, { timeout: 90_000 });
}

/** Chooses a picture (or any file) through the page's file input. */
export async function choosePicture(
	page: Page,
	name: string,
	mimeType: string,
	buffer: Buffer
): Promise<void> {
	await page.getByTestId('image-file-input').setInputFiles({ name, mimeType, buffer });
}
