import { describe, expect, it } from 'vitest';
import { detectionSize, toDetectionInput } from './detection-preprocess';

describe('detectionSize', () => {
	it('rounds to multiples of 32 and limits the longest side', () => {
		expect(detectionSize({ width: 429, height: 141 })).toEqual({ width: 416, height: 128 });
		expect(detectionSize({ width: 4096, height: 3072 })).toEqual({ width: 960, height: 736 });
		expect(detectionSize({ width: 10, height: 5 })).toEqual({ width: 32, height: 32 });
	});
});

describe('toDetectionInput', () => {
	it('normalises BGR planes with the ImageNet mean and deviation; transparent is white', () => {
		// One opaque pure-red pixel beside a transparent one, in a 64 x 32 image.
		const data = new Uint8ClampedArray(64 * 32 * 4);
		for (let i = 0; i < 64 * 32; i++) data.set(i % 2 ? [0, 0, 0, 0] : [255, 0, 0, 255], i * 4);
		const { size, tensor } = toDetectionInput({ width: 64, height: 32, data });
		expect(size).toEqual({ width: 64, height: 32 });
		const plane = 64 * 32;
		// Pixel 0 is red: blue plane first, red plane last.
		expect(tensor[0]).toBeCloseTo((0 - 0.406) / 0.225, 5);
		expect(tensor[2 * plane]).toBeCloseTo((1 - 0.485) / 0.229, 5);
		// Pixel 1 is transparent: white paper.
		expect(tensor[1]).toBeCloseTo((1 - 0.406) / 0.225, 5);
	});
});
