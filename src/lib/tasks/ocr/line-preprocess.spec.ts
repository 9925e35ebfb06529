import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../types';
import {
	ORIENTATION_WIDTH,
	readOrientation,
	RECOGNITION_MIN_WIDTH,
	toOrientationInput,
	toRecognitionInput
} from './line-preprocess';

function flatLine(width: number, value: number): RgbaImage {
	const data = new Uint8ClampedArray(width * 48 * 4);
	for (let i = 0; i < width * 48; i++) data.set([value, value, value, 255], i * 4);
	return { width, height: 48, data };
}

describe('toRecognitionInput', () => {
	it('scales to [-1, 1] and pads short lines to 320 with zeros', () => {
		const { width, tensor } = toRecognitionInput(flatLine(100, 255));
		expect(width).toBe(RECOGNITION_MIN_WIDTH);
		expect(tensor).toHaveLength(3 * 48 * 320);
		expect(tensor[0]).toBe(1);
		expect(tensor[99]).toBe(1);
		expect(tensor[100]).toBe(0);
		// The last plane's last row holds the same.
		expect(tensor[(3 * 48 - 1) * 320 + 99]).toBe(1);
		expect(tensor[(3 * 48 - 1) * 320 + 100]).toBe(0);
	});

	it('keeps a long line at its own width', () => {
		const { width, tensor } = toRecognitionInput(flatLine(700, 0));
		expect(width).toBe(700);
		expect(tensor.every((value) => value === -1)).toBe(true);
	});
});

describe('toOrientationInput', () => {
	it('batches lines at 192 wide: short ones padded, long ones squeezed', () => {
		const tensor = toOrientationInput([flatLine(50, 255), flatLine(900, 0)]);
		const slot = 3 * 48 * ORIENTATION_WIDTH;
		expect(tensor).toHaveLength(2 * slot);
		expect(tensor[49]).toBe(1);
		expect(tensor[50]).toBe(0);
		expect(tensor.subarray(slot).every((value) => value === -1)).toBe(true);
	});
});

describe('readOrientation', () => {
	it('turns a line only when the classifier is sure it is upside down', () => {
		const scores = new Float32Array([0.98, 0.02, 0.05, 0.95, 0.15, 0.85]);
		expect(readOrientation(scores, 3, 0.9).map((verdict) => verdict.upsideDown)).toEqual([
			false,
			true,
			false
		]);
	});
});
