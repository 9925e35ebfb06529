import { describe, expect, it } from 'vitest';
import { clusters } from './clusters.fixture';
import {
	checkTrainable,
	fitNormalizer,
	normalize,
	sampleIndices,
	selectRows,
	splitIndices
} from './preprocess';
import { createRandom } from './random';

const data = clusters(120, 1);

function columnStats(inputs: Float32Array, featureSize: number, f: number) {
	const values = Array.from(
		{ length: inputs.length / featureSize },
		(_, i) => inputs[i * featureSize + f]!
	);
	const mean = values.reduce((a, b) => a + b, 0) / values.length;
	const spread = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
	return { mean, spread, min: Math.min(...values), max: Math.max(...values) };
}

describe('fitNormalizer and normalize', () => {
	it('z-score gives each feature mean 0 and spread 1 on the data it was fitted on', () => {
		const normalised = normalize(fitNormalizer('z-score', data), data);
		for (let f = 0; f < 4; f++) {
			const { mean, spread } = columnStats(normalised.inputs, 4, f);
			expect(mean).toBeCloseTo(0, 5);
			expect(spread).toBeCloseTo(1, 5);
		}
	});

	it('min-max maps the fitted range onto [0, 1]', () => {
		const normalised = normalize(fitNormalizer('min-max', data), data);
		for (let f = 0; f < 4; f++) {
			const { min, max } = columnStats(normalised.inputs, 4, f);
			expect(min).toBeCloseTo(0, 6);
			expect(max).toBeCloseTo(1, 6);
		}
	});

	it('uses only the rows it is given (the training split), and leaves constant features alone', () => {
		const train = selectRows(data, [0, 1, 2, 3, 4, 5]);
		const fitted = fitNormalizer('z-score', train);
		expect(fitted.offset[0]).toBeCloseTo(columnStats(train.inputs, 4, 0).mean, 5);
		expect(fitted.offset[0]).not.toBeCloseTo(columnStats(data.inputs, 4, 0).mean, 5);
		const constant = {
			inputs: new Float32Array(12).fill(3),
			labels: new Uint8Array(3),
			featureSize: 4
		};
		const flat = fitNormalizer('z-score', constant);
		expect(Array.from(flat.scale)).toEqual([1, 1, 1, 1]);
		expect(Array.from(normalize(flat, constant).inputs)).toEqual(new Array(12).fill(0));
	});

	it("'none' returns the data untouched", () => {
		expect(normalize(fitNormalizer('none', data), data)).toBe(data);
	});
});

describe('splitIndices', () => {
	it('holds out about the share of every class, disjoint and complete, the same for a seed', () => {
		const labels = Uint8Array.from({ length: 103 }, (_, i) => (i < 90 ? i % 2 : 2));
		const split = splitIndices(labels, 0.2, createRandom(5));
		expect([...split.train, ...split.validation].sort((a, b) => a - b)).toEqual(
			Array.from({ length: 103 }, (_, i) => i)
		);
		const heldOf = (label: number) => split.validation.filter((i) => labels[i] === label).length;
		expect(heldOf(0)).toBe(9);
		expect(heldOf(1)).toBe(9);
		// 13 of class 2: round(2.6) = 3.
		expect(heldOf(2)).toBe(3);
		expect(splitIndices(labels, 0.2, createRandom(5))).toEqual(split);
		expect(splitIndices(labels, 0.2, createRandom(6))).not.toEqual(split);
	});

	it('keeps at least one example of a small class on each side', () => {
		const split = splitIndices(Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 1]), 0.1, createRandom(1));
		expect(split.validation.filter((i) => i >= 6)).toHaveLength(1);
		expect(split.train.filter((i) => i >= 6)).toHaveLength(1);
	});

	it('holds out nothing for a share of 0', () => {
		expect(splitIndices(Uint8Array.from([0, 1, 0, 1]), 0, createRandom(1)).validation).toEqual([]);
	});
});

describe('checkTrainable', () => {
	it('refuses an empty set, a single class and too few examples, saying why', () => {
		expect(() => checkTrainable([], ['a'])).toThrow(
			expect.objectContaining({ code: 'empty-dataset' })
		);
		expect(() => checkTrainable([0, 0, 0, 0], ['spam'])).toThrow(
			expect.objectContaining({ code: 'single-class', message: expect.stringContaining('"spam"') })
		);
		expect(() => checkTrainable([0, 1], ['a', 'b'])).toThrow(
			expect.objectContaining({ code: 'too-few-examples' })
		);
		expect(() => checkTrainable([0, 1, 1, 0], ['a', 'b'])).not.toThrow();
	});
});

describe('sampleIndices', () => {
	it('picks a seeded subset in data order, or everything', () => {
		const subset = sampleIndices(100, 10, createRandom(2));
		expect(subset).toHaveLength(10);
		expect([...subset].sort((a, b) => a - b)).toEqual(subset);
		expect(sampleIndices(100, 10, createRandom(2))).toEqual(subset);
		expect(sampleIndices(5, 10, createRandom(2))).toEqual([0, 1, 2, 3, 4]);
	});
});
