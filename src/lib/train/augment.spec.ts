import { describe, expect, it } from 'vitest';
import { randomShift, shiftImage } from './augment';
import { createRandom } from './random';

describe('shiftImage', () => {
	it('moves pixels right and down, filling with zeros', () => {
		// 3x3 image with a single bright pixel in the middle.
		const image = Float64Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0]);
		shiftImage(image, 3, 3, 1, -1);
		expect(Array.from(image)).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0]);
	});

	it('drops pixels moved off the edge', () => {
		const image = Float64Array.from([1, 0, 0, 0]);
		shiftImage(image, 2, 2, -1, 0);
		expect(Array.from(image)).toEqual([0, 0, 0, 0]);
	});
});

describe('randomShift', () => {
	it('keeps the total intensity of a centred image within the allowed shift', () => {
		const augment = randomShift(5, 5, 1);
		const random = createRandom(4);
		for (let trial = 0; trial < 20; trial++) {
			const image = new Float64Array(25);
			image[12] = 1;
			augment(image, random);
			const position = image.indexOf(1);
			expect(image.reduce((a, b) => a + b, 0)).toBe(1);
			expect(Math.abs((position % 5) - 2)).toBeLessThanOrEqual(1);
			expect(Math.abs(Math.floor(position / 5) - 2)).toBeLessThanOrEqual(1);
		}
	});
});
