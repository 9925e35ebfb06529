import { describe, expect, it } from 'vitest';
import {
	argmaxRows,
	backward,
	createMlp,
	forward,
	logitsOf,
	softmax,
	softmaxCrossEntropy,
	type Mlp
} from './mlp';
import { createRandom } from './random';

function lossOf(mlp: Mlp, inputs: Float64Array, labels: Uint8Array): number {
	const classes = mlp.layers[mlp.layers.length - 1]!.outputSize;
	return softmaxCrossEntropy(logitsOf(forward(mlp, inputs, labels.length)), labels, classes).loss;
}

describe('softmax and cross-entropy', () => {
	it('gives rows that sum to 1 and survives large logits', () => {
		const probabilities = softmax([1000, 1001, 999, 0, 0, 0], 3);
		expect(probabilities[0]! + probabilities[1]! + probabilities[2]!).toBeCloseTo(1, 12);
		expect(probabilities[1]).toBeGreaterThan(probabilities[0]!);
		expect(probabilities[3]).toBeCloseTo(1 / 3, 12);
	});

	it('is log(classes) for uniform logits, with gradient p - onehot over the batch', () => {
		const { loss, gradient } = softmaxCrossEntropy(new Float64Array(8), [1, 3], 4);
		expect(loss).toBeCloseTo(Math.log(4), 12);
		expect(Array.from(gradient)).toEqual([
			0.125, -0.375, 0.125, 0.125, 0.125, 0.125, 0.125, -0.375
		]);
	});
});

describe('backward', () => {
	it('matches central-difference gradients for every weight and bias', () => {
		const random = createRandom(42);
		const mlp = createMlp([5, 4, 3, 3], random);
		// Non-zero biases make dead ReLUs less likely, so the check covers all paths.
		for (const layer of mlp.layers)
			layer.bias.forEach((_, i) => (layer.bias[i] = random.normal() * 0.1));
		const batch = 4;
		const inputs = Float64Array.from({ length: batch * 5 }, () => random.normal());
		const labels = Uint8Array.from([0, 2, 1, 2]);

		const pass = forward(mlp, inputs, batch);
		const { gradient } = softmaxCrossEntropy(logitsOf(pass), labels, 3);
		const analytic = backward(mlp, pass, gradient);

		const step = 1e-6;
		let worst = 0;
		mlp.layers.forEach((layer, l) => {
			for (const [parameter, grads] of [
				[layer.weights, analytic[l]!.weights],
				[layer.bias, analytic[l]!.bias]
			] as const) {
				for (let i = 0; i < parameter.length; i++) {
					const saved = parameter[i]!;
					parameter[i] = saved + step;
					const up = lossOf(mlp, inputs, labels);
					parameter[i] = saved - step;
					const down = lossOf(mlp, inputs, labels);
					parameter[i] = saved;
					const numeric = (up - down) / (2 * step);
					worst = Math.max(
						worst,
						Math.abs(numeric - grads[i]!) / Math.max(1e-3, Math.abs(numeric))
					);
				}
			}
		});
		expect(worst).toBeLessThan(1e-5);
	});
});

describe('createMlp', () => {
	it('makes the same weights from the same seed', () => {
		const a = createMlp([6, 5, 2], createRandom(9));
		const b = createMlp([6, 5, 2], createRandom(9));
		const c = createMlp([6, 5, 2], createRandom(10));
		expect(a).toEqual(b);
		expect(a.layers[0]!.weights).not.toEqual(c.layers[0]!.weights);
	});

	it('rejects inputs of the wrong size', () => {
		const mlp = createMlp([3, 2], createRandom(1));
		expect(() => forward(mlp, [1, 2], 1)).toThrow(/Expected 1 x 3 inputs/);
	});
});

describe('argmaxRows', () => {
	it('picks the largest value of each row, the first on ties', () => {
		expect(Array.from(argmaxRows([0, 5, 1, 7, 7, 2], 3))).toEqual([1, 0]);
	});
});
