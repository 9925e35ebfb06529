import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../types';
import { applyHomography, cropLine, homography, LINE_HEIGHT, rotateHalfTurn } from './crop';
import type { Point, Quad } from './types';

/** A grey image whose red channel is x and green channel is y (both < 256). */
function coordinateImage(width: number, height: number): RgbaImage {
	const data = new Uint8ClampedArray(width * height * 4);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) data.set([x, y, 0, 255], (y * width + x) * 4);
	}
	return { width, height, data };
}

function pixel(image: RgbaImage, x: number, y: number) {
	const i = (y * image.width + x) * 4;
	return { r: image.data[i]!, g: image.data[i + 1]!, b: image.data[i + 2]! };
}

describe('homography', () => {
	it('sends each corner where it was asked to, and straight lines stay straight', () => {
		const from: Point[] = [
			{ x: 0, y: 0 },
			{ x: 100, y: 0 },
			{ x: 100, y: 48 },
			{ x: 0, y: 48 }
		];
		const to: Point[] = [
			{ x: 10, y: 20 },
			{ x: 200, y: 5 },
			{ x: 210, y: 90 },
			{ x: 15, y: 80 }
		];
		const h = homography(from, to);
		from.forEach((p, i) => {
			const mapped = applyHomography(h, p.x, p.y);
			expect(mapped.x).toBeCloseTo(to[i]!.x, 6);
			expect(mapped.y).toBeCloseTo(to[i]!.y, 6);
		});
	});

	it('refuses a box whose corners coincide', () => {
		const point = { x: 1, y: 1 };
		expect(() => homography([point, point, point, point], [point, point, point, point])).toThrow();
	});
});

describe('cropLine', () => {
	it('cuts an upright box at height 48 with its aspect ratio', () => {
		const image = coordinateImage(250, 120);
		const box: Quad = [
			{ x: 20, y: 30 },
			{ x: 220, y: 30 },
			{ x: 220, y: 54 },
			{ x: 20, y: 54 }
		];
		const strip = cropLine(image, box);
		expect(strip.height).toBe(LINE_HEIGHT);
		expect(strip.width).toBe(400);
		// The strip's corners read the box's corners (to within a pixel of interpolation).
		expect(pixel(strip, 0, 0).r).toBeCloseTo(20, -0.5);
		expect(pixel(strip, 0, 0).g).toBeCloseTo(30, -0.5);
		expect(pixel(strip, 399, 47).r).toBeCloseTo(220, -0.5);
		expect(pixel(strip, 399, 47).g).toBeCloseTo(54, -0.5);
	});

	it('turns a tall box a quarter turn so the text runs left to right', () => {
		const image = coordinateImage(100, 200);
		const box: Quad = [
			{ x: 40, y: 10 },
			{ x: 64, y: 10 },
			{ x: 64, y: 190 },
			{ x: 40, y: 190 }
		];
		const strip = cropLine(image, box);
		expect(strip.width).toBeGreaterThan(strip.height);
		// Counter-clockwise: the box's top-right corner is the strip's top-left.
		expect(pixel(strip, 0, 0).r).toBeGreaterThan(60);
		expect(pixel(strip, 0, 0).g).toBeLessThan(14);
		expect(pixel(strip, strip.width - 1, 0).g).toBeGreaterThan(186);
	});

	it('repeats edge pixels for a box that reaches outside the image', () => {
		const image = coordinateImage(50, 50);
		const strip = cropLine(image, [
			{ x: -10, y: -10 },
			{ x: 40, y: -10 },
			{ x: 40, y: 10 },
			{ x: -10, y: 10 }
		]);
		expect(pixel(strip, 0, 0)).toMatchObject({ r: 0, g: 0 });
	});
});

describe('rotateHalfTurn', () => {
	it('swaps the first and last pixels', () => {
		const image = coordinateImage(3, 2);
		const turned = rotateHalfTurn(image);
		expect(pixel(turned, 0, 0)).toEqual(pixel(image, 2, 1));
		expect(pixel(turned, 2, 1)).toEqual(pixel(image, 0, 0));
	});
});
