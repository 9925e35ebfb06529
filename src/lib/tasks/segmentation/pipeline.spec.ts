import { describe, expect, it } from 'vitest';
import { drawFigure } from '../../../../tests/support/figure-image';
import { NodeTaskContext } from '../../../../tests/support/node-task-context';
import { drawClock } from '../../../../tests/support/object-images';
import { photoPixels, PHOTO_TRUTH } from '../../../../tests/support/photos';
import type { Box } from '../vision/nms';
import { ModelMismatchError } from '../model-files';
import { ImageTooSmallError } from '../pose/errors';
import type { RgbaImage } from '../types';
import { segmentPeople } from './pipeline';
import { maskBytes, selfiePixels } from './preprocess';
import type { SegmentationResult } from './types';

/** Mean mask (0-1) over the picture's pixels that are, and are not, the drawn person. */
function meansInsideOutside(image: RgbaImage, result: SegmentationResult, background: number[]) {
	const sums: [number, number] = [0, 0];
	const counts: [number, number] = [0, 0];
	for (let y = 0; y < image.height; y++) {
		const my = Math.floor((y * result.maskHeight) / image.height);
		for (let x = 0; x < image.width; x++) {
			const p = (y * image.width + x) * 4;
			const isBackground = background.every((v, c) => Math.abs(image.data[p + c]! - v) <= 2);
			const mx = Math.floor((x * result.maskWidth) / image.width);
			const side: 0 | 1 = isBackground ? 1 : 0;
			sums[side] += result.mask[my * result.maskWidth + mx]! / 255;
			counts[side]++;
		}
	}
	return { inside: sums[0]! / counts[0]!, outside: sums[1]! / counts[1]! };
}

/** Mean mask (0-1) over a box of the picture. */
function meanInBox(image: RgbaImage, result: SegmentationResult, box: Box): number {
	let sum = 0;
	let count = 0;
	for (let y = box.y1; y < box.y2; y++) {
		const my = Math.floor((y * result.maskHeight) / image.height);
		for (let x = box.x1; x < box.x2; x++) {
			const mx = Math.floor((x * result.maskWidth) / image.width);
			sum += result.mask[my * result.maskWidth + mx]! / 255;
			count++;
		}
	}
	return sum / count;
}

const FIGURE_BACKGROUND = [0x8f, 0xb3, 0xc9];

describe('selfie preprocessing', () => {
	it('stretches the picture to 256x256 RGB in 0..1, NHWC', () => {
		// Left half red, right half blue: the stretch keeps the halves where they were.
		const width = 40;
		const height = 20;
		const data = new Uint8ClampedArray(width * height * 4);
		for (let i = 0; i < width * height; i++) {
			const left = i % width < width / 2;
			data.set(left ? [255, 0, 0, 255] : [0, 0, 255, 255], i * 4);
		}
		const pixels = selfiePixels({ width, height, data });
		expect(pixels).toHaveLength(256 * 256 * 3);
		expect([...pixels.subarray(0, 3)]).toEqual([1, 0, 0]);
		const lastOfRow = (10 * 256 + 255) * 3;
		expect([...pixels.subarray(lastOfRow, lastOfRow + 3)]).toEqual([0, 0, 1]);
	});

	it('turns probabilities into bytes and their mean', () => {
		const { mask, coverage } = maskBytes(new Float32Array([0, 0.5, 1, 1.2]));
		expect([...mask]).toEqual([0, 128, 255, 255]);
		expect(coverage).toBeCloseTo(0.625, 6);
	});
});

describe('person segmentation with selfie (converted from TF.js)', () => {
	it('covers the drawn person and leaves the background out', async () => {
		const ctx = await NodeTaskContext.forCatalogModel('selfie');
		const figure = drawFigure(200);
		const result = await segmentPeople({ image: figure.image }, ctx);
		expect(result.width).toBe(200);
		expect(result.height).toBe(420);
		expect(result.mask).toHaveLength(256 * 256);
		const { inside, outside } = meansInsideOutside(figure.image, result, FIGURE_BACKGROUND);
		console.log(`figure: mask inside ${inside.toFixed(3)}, outside ${outside.toFixed(3)}`);
		expect(inside).toBeGreaterThan(0.7);
		expect(outside).toBeLessThan(0.1);
		expect(result.coverage).toBeGreaterThan(0.15);
		expect(result.coverage).toBeLessThan(0.6);
	});

	it('finds the person off-centre in a wide picture', async () => {
		const ctx = await NodeTaskContext.forCatalogModel('selfie');
		const figure = drawFigure(640, 380);
		const result = await segmentPeople({ image: figure.image }, ctx);
		const { inside, outside } = meansInsideOutside(figure.image, result, FIGURE_BACKGROUND);
		console.log(`wide figure: mask inside ${inside.toFixed(3)}, outside ${outside.toFixed(3)}`);
		expect(inside).toBeGreaterThan(0.5);
		expect(outside).toBeLessThan(0.1);
		// The left half has no one in it.
		let left = 0;
		for (let y = 0; y < 256; y++) for (let x = 0; x < 128; x++) left += result.mask[y * 256 + x]!;
		expect(left / (256 * 128 * 255)).toBeLessThan(0.05);
	});

	it('covers the astronaut in a real portrait and leaves the wall and the flag out', async () => {
		const ctx = await NodeTaskContext.forCatalogModel('selfie');
		const image = await photoPixels('astronaut');
		const result = await segmentPeople({ image }, ctx);
		const { personInside, background } = PHOTO_TRUTH.astronaut;
		for (const box of personInside) expect(meanInBox(image, result, box)).toBeGreaterThan(0.8);
		for (const box of background) expect(meanInBox(image, result, box)).toBeLessThan(0.2);
		expect(result.coverage).toBeGreaterThan(0.35);
		expect(result.coverage).toBeLessThan(0.75);
	});

	it('finds almost no person in a real photo of sheep', async () => {
		const ctx = await NodeTaskContext.forCatalogModel('selfie');
		const result = await segmentPeople({ image: await photoPixels('sheep') }, ctx);
		expect(result.coverage).toBeLessThan(0.05);
	});

	it('finds almost no person in a picture of a clock', async () => {
		const ctx = await NodeTaskContext.forCatalogModel('selfie');
		const result = await segmentPeople({ image: drawClock().image }, ctx);
		console.log(`clock: coverage ${result.coverage.toFixed(3)}`);
		expect(result.coverage).toBeLessThan(0.1);
	});

	it('says a picture is too small, and that another task model does not fit', async () => {
		const ctx = await NodeTaskContext.forCatalogModel('selfie');
		const tiny = { width: 10, height: 10, data: new Uint8ClampedArray(400) };
		await expect(segmentPeople({ image: tiny }, ctx)).rejects.toBeInstanceOf(ImageTooSmallError);
		const other = await NodeTaskContext.forCatalogModel('nanodet');
		await expect(segmentPeople({ image: drawFigure(200).image }, other)).rejects.toBeInstanceOf(
			ModelMismatchError
		);
	});
});
