import { describe, expect, it } from 'vitest';
import { digitImage, evalTaskOf, floatToPcm16, pcm16ToFloat } from './eval-set';

describe('eval set decoding', () => {
	it('turns 16-bit PCM into samples and back', () => {
		const samples = new Float32Array([0, 0.5, -0.5, 1, -1]);
		const back = pcm16ToFloat(floatToPcm16(samples));
		for (let i = 0; i < samples.length; i++) expect(back[i]).toBeCloseTo(samples[i]!, 4);
	});

	it('makes an opaque grey RGBA picture of one digit', () => {
		const pixels = new Uint8Array([0, 0, 0, 0, 10, 20, 30, 40]);
		const image = digitImage(pixels, 1, 2, 2);
		expect(Array.from(image.data.slice(4, 8))).toEqual([20, 20, 20, 255]);
	});

	it('knows which tasks have an eval set', () => {
		expect(evalTaskOf('vad')).toBe('vad');
		expect(evalTaskOf('custom')).toBeNull();
	});
});
