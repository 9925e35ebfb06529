import * as ort from 'onnxruntime-node';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { loadMnistSplit } from '../../scripts/models/mnist/mnist-data';
import { expect, test } from '../support/fixtures';
import { SUB_PATH_BUILD_DIR } from '../support/workspace';

const SIZE = 28;

/**
 * One held-out test digit per class that the model itself gets right from the raw 28x28 image,
 * so the test checks Hearth's drawing-to-prediction path, not the model's 3% error rate.
 */
async function digitsToDraw(): Promise<{ label: number; pixels: Float32Array }[]> {
	const { test: testSet } = loadMnistSplit();
	const session = await ort.InferenceSession.create(
		resolve(SUB_PATH_BUILD_DIR, 'models/mnist-mlp/fp32/model.onnx')
	);
	const chosen: { label: number; pixels: Float32Array }[] = [];
	try {
		for (let index = 0; index < testSet.labels.length && chosen.length < 10; index++) {
			const label = testSet.labels[index]!;
			if (chosen.some((digit) => digit.label === label)) continue;
			const pixels = testSet.inputs.slice(index * SIZE * SIZE, (index + 1) * SIZE * SIZE);
			const output = await session.run({ pixels: new ort.Tensor('float32', pixels, [1, 784]) });
			const scores = Array.from(output.probabilities!.data as Float32Array);
			if (scores.indexOf(Math.max(...scores)) === label) chosen.push({ label, pixels });
		}
	} finally {
		await session.release();
	}
	return chosen;
}

/** Traces a 28x28 digit onto the canvas with the mouse, one stroke per run of ink in each row. */
async function drawDigit(page: Page, pixels: Float32Array) {
	const box = (await page.getByTestId('drawing-canvas').boundingBox())!;
	const cell = box.width / SIZE;
	for (let y = 0; y < SIZE; y++) {
		let x = 0;
		while (x < SIZE) {
			if (pixels[y * SIZE + x]! < 0.5) {
				x++;
				continue;
			}
			const start = x;
			while (x < SIZE && pixels[y * SIZE + x]! >= 0.5) x++;
			const py = box.y + (y + 0.5) * cell;
			await page.mouse.move(box.x + (start + 0.5) * cell, py);
			await page.mouse.down();
			await page.mouse.move(box.x + (x - 0.5) * cell, py);
			await page.mouse.up();
		}
	}
}

test('drawn MNIST test digits are recognised, with live probabilities', async ({ page, site }) => {
	const digits = await digitsToDraw();
	expect(digits).toHaveLength(10);
	await page.goto(site.url('/run/digits'));
	await page.getByRole('button', { name: 'Download model' }).click();
	await expect(page.getByTestId('task-model-status')).toHaveCount(0, { timeout: 60_000 });

	for (const { label, pixels } of digits) {
		await page.getByRole('button', { name: 'Clear' }).click();
		await expect(page.getByTestId('no-ink')).toBeVisible();
		await drawDigit(page, pixels);
		await expect(page.getByTestId('prediction'), `digit ${label}`).toHaveText(String(label), {
			timeout: 10_000
		});
		const bar = page.locator(`[data-testid="probability-bars"] rect[data-digit="${label}"]`);
		// Predictions run live while drawing; the last stroke's result may still be on its way.
		await expect
			.poll(async () => Number(await bar.getAttribute('data-probability')), {
				message: `probability of ${label}`
			})
			.toBeGreaterThan(0.5);
	}
	await expect(page.getByTestId('run-stats')).toHaveAttribute('data-backend', 'wasm');
	await expect(page.getByTestId('stage-inference')).toHaveText(/\d/);
});

test('touch drawing works too', async ({ page, site }) => {
	await page.goto(site.url('/run/digits'));
	await page.getByRole('button', { name: 'Download model' }).click();
	await expect(page.getByTestId('task-model-status')).toHaveCount(0, { timeout: 60_000 });
	const box = (await page.getByTestId('drawing-canvas').boundingBox())!;
	// A vertical stroke with real touch input (CDP touch events become touch pointer events): a "1".
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
	const x = box.x + box.width / 2;
	const at = (fraction: number) => [{ x, y: box.y + fraction * box.height }];
	await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0.15) });
	for (let step = 1; step <= 20; step++) {
		await cdp.send('Input.dispatchTouchEvent', {
			type: 'touchMove',
			touchPoints: at(0.15 + (step / 20) * 0.7)
		});
	}
	await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
	await expect(page.getByTestId('prediction')).toHaveText('1');
});
