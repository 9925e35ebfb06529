import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnistSplit } from '../../../../scripts/models/mnist/mnist-data';
import { NodeTaskContext } from '../../../../tests/support/node-task-context';
import type { RgbaImage } from '../types';
import { classifyDigit } from './pipeline';
import { MNIST_SIZE, toMnistInput } from './preprocess';

/** Paints 28x28 intensities into a canvas-sized RGBA image, scaled up and moved, like a drawing. */
function drawScaled(
	pixels: ArrayLike<number>,
	scale: number,
	dx: number,
	dy: number,
	darkInk = false
) {
	const size = 280;
	const data = new Uint8ClampedArray(size * size * 4);
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			const sx = Math.floor((x - dx) / scale);
			const sy = Math.floor((y - dy) / scale);
			const inside = sx >= 0 && sy >= 0 && sx < MNIST_SIZE && sy < MNIST_SIZE;
			const ink = inside ? pixels[sy * MNIST_SIZE + sx]! : 0;
			const value = Math.round((darkInk ? 1 - ink : ink) * 255);
			data.set([value, value, value, 255], (y * size + x) * 4);
		}
	}
	return { width: size, height: size, data } satisfies RgbaImage;
}

describe('toMnistInput', () => {
	it('finds no ink on an empty canvas', () => {
		const empty = { width: 10, height: 10, data: new Uint8ClampedArray(400) };
		expect(toMnistInput(empty).hasInk).toBe(false);
	});

	it('scales the ink to a 20-pixel box centred by mass, whatever the ink colour', () => {
		// A 3:1 bar drawn small in a corner of the canvas.
		const bar = new Float32Array(MNIST_SIZE * MNIST_SIZE);
		for (let y = 2; y < 8; y++) for (let x = 1; x < 3; x++) bar[y * MNIST_SIZE + x] = 1;
		const light = toMnistInput(drawScaled(bar, 4, 0, 0)).pixels;
		const dark = toMnistInput(drawScaled(bar, 4, 0, 0, true)).pixels;
		let mass = 0;
		let massX = 0;
		let massY = 0;
		const rows = new Set<number>();
		light.forEach((value, i) => {
			mass += value;
			massX += value * (i % MNIST_SIZE);
			massY += value * Math.floor(i / MNIST_SIZE);
			if (value > 0.5) rows.add(Math.floor(i / MNIST_SIZE));
		});
		expect(rows.size).toBe(20);
		expect(Math.abs(massX / mass - 13.5)).toBeLessThanOrEqual(1);
		expect(Math.abs(massY / mass - 13.5)).toBeLessThanOrEqual(1);
		expect(Math.max(...light.map((v, i) => Math.abs(v - dark[i]!)))).toBeLessThan(1e-6);
	});
});

describe('classifyDigit', () => {
	let ctx: NodeTaskContext;
	beforeAll(async () => {
		ctx = await NodeTaskContext.forCatalogModel('mnist-mlp');
	});
	afterAll(() => ctx.release());

	it('reads held-out MNIST digits drawn large and off-centre', async () => {
		const { test } = loadMnistSplit();
		let correct = 0;
		const count = 100;
		for (let i = 0; i < count; i++) {
			// Spread over all ten digits: the test set is ordered by digit.
			const index = Math.floor((i * test.labels.length) / count);
			const pixels = test.inputs.subarray(index * 784, (index + 1) * 784);
			const result = await classifyDigit(
				{ image: drawScaled(pixels, 7, 60 + (i % 5) * 5, 20) },
				ctx
			);
			if (result.prediction === test.labels[index]) correct++;
			expect(result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
		}
		expect(correct / count).toBeGreaterThanOrEqual(0.9);
		expect(ctx.timings.inferenceMs).toBeGreaterThan(0);
	});

	it('says there is nothing to classify on an empty canvas', async () => {
		const empty = { width: 50, height: 50, data: new Uint8ClampedArray(50 * 50 * 4) };
		const result = await classifyDigit({ image: empty }, ctx);
		expect(result).toMatchObject({ hasInk: false, prediction: -1, probabilities: [] });
	});
});
