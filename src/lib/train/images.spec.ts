import { describe, expect, it } from 'vitest';
import { imageToPixels, labelFromPath, orderClassNames, resizeToGray } from './images';

function solid(width: number, height: number, value: number) {
	const data = new Uint8ClampedArray(width * height * 4);
	for (let i = 0; i < width * height; i++) data.set([value, value, value, 255], i * 4);
	return { width, height, data };
}

describe('labelFromPath', () => {
	it('takes the folder a file is in, else the start of its name', () => {
		expect(labelFromPath('pets/cat/img 1.png')).toBe('cat');
		expect(labelFromPath('dog/2.jpg')).toBe('dog');
		expect(labelFromPath('cat_01.png')).toBe('cat');
		expect(labelFromPath('7-b.png')).toBe('7');
		expect(labelFromPath('3.png')).toBe('3');
	});
});

describe('resizeToGray and imageToPixels', () => {
	it('averages areas into 28x28 gray values in [0, 1]', () => {
		const image = solid(56, 56, 255);
		// Darken the left half.
		for (let y = 0; y < 56; y++)
			for (let x = 0; x < 28; x++) image.data.set([0, 0, 0], (y * 56 + x) * 4);
		const pixels = resizeToGray(image);
		expect(pixels).toHaveLength(784);
		expect(pixels[0]).toBe(0);
		expect(pixels[27]).toBeCloseTo(1, 6);
		expect(pixels[14 * 28 + 13]).toBe(0);
	});

	it('centres a digit like MNIST in digit mode and finds nothing on a blank picture', () => {
		expect(Math.max(...imageToPixels(solid(40, 40, 0), 'digit'))).toBe(0);
		const bar = solid(40, 40, 0);
		for (let y = 2; y < 20; y++)
			for (let x = 2; x < 6; x++) bar.data.set([255, 255, 255], (y * 40 + x) * 4);
		const pixels = imageToPixels(bar, 'digit');
		// The bar is scaled to 20 rows and moved to the middle columns.
		const columns = new Set<number>();
		pixels.forEach((value, i) => value > 0.5 && columns.add(i % 28));
		expect(Math.min(...columns)).toBeGreaterThan(8);
		expect(Math.max(...columns)).toBeLessThan(20);
	});
});

describe('orderClassNames', () => {
	it('orders numbers numerically and words alphabetically', () => {
		expect(orderClassNames(['10', '2', '1', '2'])).toEqual(['1', '2', '10']);
		expect(orderClassNames(['dog', 'cat'])).toEqual(['cat', 'dog']);
	});
});
