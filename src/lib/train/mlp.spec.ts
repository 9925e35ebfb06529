import { describe, expect, it } from 'vitest';
import {
	ACTIVATIONS,
	argmaxRows,
	backward,
	createMlp,
	forward,
	logitsOf,
	softmax,
	softmaxCrossEntropy,
	type LayerGradient,
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

/** Largest relative gap between backward's gradients and central differences of `lossAt`. */
function worstGradientError(mlp: Mlp, lossAt: () => number, analytic: LayerGradient[]): number {
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
				const up = lossAt();
				parameter[i] = saved - step;
				const down = lossAt();
				parameter[i] = saved;
				const numeric = (up - down) / (2 * step);
				worst = Math.max(worst, Math.abs(numeric - grads[i]!) / Math.max(1e-3, Math.abs(numeric)));
			}
		}
	});
	return worst;
}

function randomBiases(mlp: Mlp, random: ReturnType<typeof createRandom>) {
	// Non-zero biases make dead ReLUs less likely, so the check covers all paths.
	for (const layer of mlp.layers)
		layer.bias.forEach((_, i) => (layer.bias[i] = random.normal() * 0.1));
}

describe('backward', () => {
	const batch = 4;
	const labels = Uint8Array.from([0, 2, 1, 2]);

	for (const activation of ACTIVATIONS) {
		it(`matches central-difference gradients for every weight and bias (${activation})`, () => {
			const random = createRandom(42);
			const mlp = createMlp([5, 4, 3, 3], random, activation);
			randomBiases(mlp, random);
			const inputs = Float64Array.from({ length: batch * 5 }, () => random.normal());
			const pass = forward(mlp, inputs, batch);
			const { gradient } = softmaxCrossEntropy(logitsOf(pass), labels, 3);
			const analytic = backward(mlp, pass, gradient);
			expect(worstGradientError(mlp, () => lossOf(mlp, inputs, labels), analytic)).toBeLessThan(
				1e-5
			);
		});
	}

	it('matches central differences with dropout, for the same dropout mask', () => {
		const random = createRandom(3);
		const mlp = createMlp([6, 5, 4, 3], random, 'tanh');
		randomBiases(mlp, random);
		const inputs = Float64Array.from({ length: batch * 6 }, () => random.normal());
		// A fresh generator with the same seed draws the same mask on every forward pass.
		const options = () => ({ dropout: 0.4, random: createRandom(99) });
		const lossAt = () =>
			softmaxCrossEntropy(logitsOf(forward(mlp, inputs, batch, options())), labels, 3).loss;
		const pass = forward(mlp, inputs, batch, options());
		const dropped = pass.derivatives[1]!.filter((d) => d === 0).length;
		expect(dropped).toBeGreaterThan(0);
		const { gradient } = softmaxCrossEntropy(logitsOf(pass), labels, 3);
		expect(worstGradientError(mlp, lossAt, backward(mlp, pass, gradient))).toBeLessThan(1e-5);
	});

	it('matches central differences for logistic regression (no hidden layer)', () => {
		const random = createRandom(8);
		const mlp = createMlp([7, 3], random);
		randomBiases(mlp, random);
		const inputs = Float64Array.from({ length: batch * 7 }, () => random.normal());
		const pass = forward(mlp, inputs, batch);
		const { gradient } = softmaxCrossEntropy(logitsOf(pass), labels, 3);
		const analytic = backward(mlp, pass, gradient);
		expect(worstGradientError(mlp, () => lossOf(mlp, inputs, labels), analytic)).toBeLessThan(1e-5);
	});
});

describe('dropout', () => {
	it('keeps the expected activation and changes nothing without a rate', () => {
		const random = createRandom(5);
		const mlp = createMlp([20, 400, 2], random);
		randomBiases(mlp, random);
		const inputs = Float64Array.from({ length: 20 }, () => random.normal());
		const plain = forward(mlp, inputs, 1).activations[1]!;
		const dropped = forward(mlp, inputs, 1, { dropout: 0.5, random: createRandom(1) })
			.activations[1]!;
		const sum = (values: Float64Array) => values.reduce((a, b) => a + b, 0);
		expect(dropped.filter((v, i) => v === 0 && plain[i]! > 0).length).toBeGreaterThan(50);
		expect(Math.abs(sum(dropped) / sum(plain) - 1)).toBeLessThan(0.2);
		expect(forward(mlp, inputs, 1, { dropout: 0 }).activations[1]).toEqual(plain);
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
