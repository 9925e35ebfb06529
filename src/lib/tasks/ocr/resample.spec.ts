import { describe, expect, it } from 'vitest';
import { fitWithin, resampleRgba } from './resample';

function stripes(width: number, height: number) {
	// One-pixel black and white columns: a bilinear shrink would alias them.
	const data = new Uint8ClampedArray(width * height * 4);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++)
			data.set(x % 2 ? [255, 255, 255, 255] : [0, 0, 0, 255], (y * width + x) * 4);
	}
	return { width, height, data };
}

describe('resampleRgba', () => {
	it('averages what each target pixel covers when shrinking', () => {
		const small = resampleRgba(stripes(300, 30), 70, 7);
		for (let i = 0; i < small.data.length; i += 4) {
			expect(Math.abs(small.data[i]! - 127.5)).toBeLessThanOrEqual(20);
		}
	});

	it('keeps a flat image flat when enlarging, and returns the same image at the same size', () => {
		const flat = { width: 3, height: 2, data: new Uint8ClampedArray(24).fill(90) };
		const large = resampleRgba(flat, 10, 7);
		expect(large.width).toBe(10);
		expect(new Set(large.data)).toEqual(new Set([90]));
		expect(resampleRgba(flat, 3, 2)).toBe(flat);
	});
});

describe('fitWithin', () => {
	it('limits the longest side and keeps the aspect ratio', () => {
		expect(fitWithin({ width: 8000, height: 6000 }, 4096)).toEqual({ width: 4096, height: 3072 });
		expect(fitWithin({ width: 300, height: 9000 }, 4096)).toEqual({ width: 137, height: 4096 });
		expect(fitWithin({ width: 640, height: 480 }, 4096)).toEqual({ width: 640, height: 480 });
	});
});
