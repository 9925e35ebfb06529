import { describe, expect, it } from 'vitest';
import { argmaxOfFirstRow, checkExpectation, makeSampleInputs, seededRandom } from './sample';

describe('makeSampleInputs', () => {
	it('builds typed tensors from inline data and fill rules', () => {
		const inputs = makeSampleInputs({
			inputs: [],
			outputs: [],
			sample: [
				{ name: 'ids', dtype: 'int64', dims: [1, 3], data: [5, 7, 9] },
				{ name: 'audio', dtype: 'float32', dims: [1, 512], fill: 'sine' },
				{ name: 'state', dtype: 'float32', dims: [2, 1, 128], fill: 'zeros' },
				{ name: 'image', dtype: 'float32', dims: [1, 3, 4, 4], fill: 'random' }
			]
		});
		expect(inputs.ids!.data).toEqual(new BigInt64Array([5n, 7n, 9n]));
		expect(inputs.audio!.data).toHaveLength(512);
		expect(Math.max(...(inputs.audio!.data as Float32Array))).toBeGreaterThan(0.4);
		expect((inputs.state!.data as Float32Array).every((v) => v === 0)).toBe(true);
		const image = inputs.image!.data as Float32Array;
		expect(image.every((v) => v >= 0 && v < 1)).toBe(true);
		expect(new Set(image).size).toBeGreaterThan(40);
	});

	it('refuses inline data that does not fit the shape', () => {
		expect(() =>
			makeSampleInputs({
				inputs: [],
				outputs: [],
				sample: [{ name: 'x', dtype: 'float32', dims: [2, 2], data: [1, 2, 3] }]
			})
		).toThrow(/has 3 values but its shape needs 4/);
	});
});

describe('seededRandom', () => {
	it('repeats for a seed and differs between seeds', () => {
		const a = seededRandom(1);
		const b = seededRandom(1);
		const c = seededRandom(2);
		const first = [a(), a(), a()];
		expect([b(), b(), b()]).toEqual(first);
		expect([c(), c(), c()]).not.toEqual(first);
	});
});

describe('checkExpectation', () => {
	const probabilities = {
		probabilities: {
			dtype: 'float32' as const,
			dims: [1, 4],
			data: new Float32Array([0.1, 0.2, 0.6, 0.1])
		}
	};

	it('finds the predicted class', () => {
		expect(argmaxOfFirstRow(probabilities.probabilities)).toBe(2);
		expect(
			checkExpectation({ output: 'probabilities', argmax: 2, label: '2' }, probabilities)
		).toEqual({
			passed: true,
			summary: 'predicted 2, as expected'
		});
	});

	it('reports a wrong prediction and a missing output', () => {
		expect(checkExpectation({ output: 'probabilities', argmax: 1 }, probabilities).passed).toBe(
			false
		);
		expect(checkExpectation({ output: 'logits', argmax: 1 }, probabilities).summary).toMatch(
			/missing/
		);
	});
});
