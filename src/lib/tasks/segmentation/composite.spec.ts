import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../types';
import { blurred, composite, maskAt, maskTint, parseColour, type MaskImage } from './composite';

/** 8x4 picture: left half white, right half black. */
function halves(): RgbaImage {
	const width = 8;
	const height = 4;
	const data = new Uint8ClampedArray(width * height * 4);
	for (let i = 0; i < width * height; i++) {
		const v = i % width < 4 ? 255 : 0;
		data.set([v, v, v, 255], i * 4);
	}
	return { width, height, data };
}

/** A 2x1 mask: the left half is the person, the right half background. */
const LEFT_PERSON: MaskImage = { mask: new Uint8Array([255, 0]), maskWidth: 2, maskHeight: 1 };

describe('segmentation composite', () => {
	it('reads the stretched mask at picture pixels', () => {
		expect(maskAt(LEFT_PERSON, 8, 4, 0, 0)).toBe(1);
		expect(maskAt(LEFT_PERSON, 8, 4, 7, 3)).toBe(0);
		expect(maskAt(LEFT_PERSON, 8, 4, 4, 1)).toBeGreaterThan(0);
		expect(maskAt(LEFT_PERSON, 8, 4, 4, 1)).toBeLessThan(1);
	});

	it('replaces the background with a colour and keeps the person', () => {
		const out = composite(halves(), LEFT_PERSON, 'colour', '#00ff00');
		expect([...out.data.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
		const last = (4 * 8 - 1) * 4;
		expect([...out.data.subarray(last, last + 4)]).toEqual([0, 255, 0, 255]);
	});

	it('makes the background transparent in the none mode', () => {
		const out = composite(halves(), LEFT_PERSON, 'none');
		expect(out.data[3]).toBe(255);
		expect(out.data[(4 * 8 - 1) * 4 + 3]).toBe(0);
	});

	it('blurs: a sharp edge spreads, a flat area stays flat', () => {
		const width = 40;
		const data = new Uint8ClampedArray(width * 4 * 4);
		for (let i = 0; i < width * 4; i++) {
			const v = i % width < 20 ? 200 : 0;
			data.set([v, v, v, 255], i * 4);
		}
		const soft = blurred({ width, height: 4, data }, 3);
		expect(soft[0]).toBe(200);
		expect(soft[(width - 1) * 4]).toBe(0);
		expect(soft[19 * 4]).toBeGreaterThan(60);
		expect(soft[19 * 4]).toBeLessThan(190);
		expect(soft[20 * 4]).toBeGreaterThan(10);
	});

	it('parses colours and tints the mask', () => {
		expect(parseColour('#ff8000')).toEqual([255, 128, 0]);
		expect(parseColour('orange')).toEqual([0, 0, 0]);
		const tint = maskTint(LEFT_PERSON, [1, 2, 3]);
		expect([...tint]).toEqual([1, 2, 3, 140, 1, 2, 3, 0]);
	});
});
