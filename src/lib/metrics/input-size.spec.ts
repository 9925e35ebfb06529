import { describe, expect, it } from 'vitest';
import { inputBytes, utf8Length } from './input-size';

describe('inputBytes', () => {
	it('measures text as UTF-8 without encoding it', () => {
		for (const text of ['', 'hello', 'héllo wörld', '漢字かな', 'emoji 🎉🔥 and more', '\ud800']) {
			expect(utf8Length(text), text).toBe(new TextEncoder().encode(text).length);
		}
	});

	it('adds up typed arrays, text and numbers through nested inputs', () => {
		const image = { width: 28, height: 28, data: new Uint8ClampedArray(28 * 28 * 4) };
		expect(inputBytes({ image })).toBe(8 + 8 + 3136);
		expect(inputBytes({ texts: ['ab', 'ü'] })).toBe(2 + 2);
		expect(inputBytes({ samples: new Float32Array(16000), sampleRate: 16000 })).toBe(64_008);
		expect(inputBytes({ x: { dtype: 'int64', dims: [2], data: new BigInt64Array(2) } })).toBe(
			5 + 8 + 16
		);
		expect(inputBytes(null)).toBe(0);
	});
});
