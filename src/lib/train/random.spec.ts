import { describe, expect, it } from 'vitest';
import { createRandom, shuffleInPlace } from './random';

describe('createRandom', () => {
	it('repeats its sequence for the same seed and differs for another', () => {
		const draw = (seed: number) => Array.from({ length: 5 }, createRandom(seed).next);
		expect(draw(7)).toEqual(draw(7));
		expect(draw(7)).not.toEqual(draw(8));
	});

	it('draws uniform numbers in [0, 1) and normals with mean 0 and variance 1', () => {
		const random = createRandom(1);
		const uniform = Array.from({ length: 20_000 }, random.next);
		expect(Math.min(...uniform)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...uniform)).toBeLessThan(1);
		const normals = Array.from({ length: 20_000 }, random.normal);
		const mean = normals.reduce((a, b) => a + b, 0) / normals.length;
		const variance = normals.reduce((a, b) => a + (b - mean) ** 2, 0) / normals.length;
		expect(Math.abs(mean)).toBeLessThan(0.03);
		expect(Math.abs(variance - 1)).toBeLessThan(0.05);
	});
});

describe('shuffleInPlace', () => {
	it('permutes the items, the same way for the same seed', () => {
		const items = () => Array.from({ length: 50 }, (_, i) => i);
		const first = shuffleInPlace(items(), createRandom(3));
		expect(first).toEqual(shuffleInPlace(items(), createRandom(3)));
		expect(first).not.toEqual(items());
		expect([...first].sort((a, b) => a - b)).toEqual(items());
	});
});
