/**
 * A dense multi-layer perceptron: an activation (ReLU, tanh or sigmoid) between layers, optional
 * inverted dropout after each hidden layer while training, and a linear last layer whose outputs
 * are logits. With no hidden layer it is multinomial logistic regression. Plain loops over
 * Float64Arrays (doubles keep the gradient check meaningful); the exported ONNX stores float32.
 */
import type { Random } from './random';

export type Activation = 'relu' | 'tanh' | 'sigmoid';
export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'sigmoid'];

export interface DenseLayer {
	inputSize: number;
	outputSize: number;
	/** Row-major [inputSize, outputSize]: weights[i * outputSize + o]. */
	weights: Float64Array;
	bias: Float64Array;
}

export interface Mlp {
	layers: DenseLayer[];
	/** Applied after every layer but the last. */
	activation: Activation;
}

/**
 * He initialisation for ReLU, LeCun's for tanh and sigmoid (which saturate with He's larger
 * weights); biases start at zero.
 */
export function createMlp(
	sizes: readonly number[],
	random: Random,
	activation: Activation = 'relu'
): Mlp {
	if (sizes.length < 2) throw new Error('An MLP needs at least an input and an output size');
	const layers: DenseLayer[] = [];
	for (let l = 0; l + 1 < sizes.length; l++) {
		const inputSize = sizes[l] as number;
		const outputSize = sizes[l + 1] as number;
		if (!(inputSize > 0 && outputSize > 0)) throw new Error(`Layer sizes must be positive`);
		const scale = Math.sqrt((activation === 'relu' ? 2 : 1) / inputSize);
		const weights = new Float64Array(inputSize * outputSize);
		for (let i = 0; i < weights.length; i++) weights[i] = random.normal() * scale;
		layers.push({ inputSize, outputSize, weights, bias: new Float64Array(outputSize) });
	}
	return { layers, activation };
}

export function cloneMlp(mlp: Mlp): Mlp {
	return {
		activation: mlp.activation,
		layers: mlp.layers.map((layer) => ({
			...layer,
			weights: layer.weights.slice(),
			bias: layer.bias.slice()
		}))
	};
}

export function inputSizeOf(mlp: Mlp): number {
	return mlp.layers[0]?.inputSize ?? 0;
}

export function classCountOf(mlp: Mlp): number {
	return mlp.layers[mlp.layers.length - 1]?.outputSize ?? 0;
}

/**
 * The outputs of every layer for one batch; activations[0] is the input, the last the logits.
 * derivatives[l] (for each hidden output activations[l], l >= 1) holds d activation / d linear
 * output, already multiplied by the dropout mask, so backward needs nothing else.
 */
export interface ForwardPass {
	batchSize: number;
	activations: Float64Array[];
	derivatives: Float64Array[];
}

export interface ForwardOptions {
	/** Share of hidden units dropped while training (0 turns dropout off). */
	dropout?: number;
	/** Draws the dropout masks; required when dropout > 0. */
	random?: Random;
}

function linear(layer: DenseLayer, input: Float64Array, batchSize: number): Float64Array {
	const { inputSize, outputSize, weights, bias } = layer;
	const output = new Float64Array(batchSize * outputSize);
	for (let b = 0; b < batchSize; b++) {
		const row = b * outputSize;
		output.set(bias, row);
		for (let i = 0; i < inputSize; i++) {
			const x = input[b * inputSize + i] as number;
			// Images and ReLU outputs are mostly zeros; skipping them roughly halves the work.
			if (x === 0) continue;
			const w = i * outputSize;
			for (let o = 0; o < outputSize; o++) output[row + o]! += x * weights[w + o]!;
		}
	}
	return output;
}

/** Applies the activation in place and returns its derivative per unit. */
function activate(values: Float64Array, activation: Activation): Float64Array {
	const derivative = new Float64Array(values.length);
	for (let k = 0; k < values.length; k++) {
		const z = values[k]!;
		if (activation === 'relu') {
			if (z > 0) derivative[k] = 1;
			else values[k] = 0;
		} else if (activation === 'tanh') {
			const a = Math.tanh(z);
			values[k] = a;
			derivative[k] = 1 - a * a;
		} else {
			const a = 1 / (1 + Math.exp(-z));
			values[k] = a;
			derivative[k] = a * (1 - a);
		}
	}
	return derivative;
}

/** Inverted dropout: kept units are scaled by 1 / keep, so inference needs no change. */
function dropOut(values: Float64Array, derivative: Float64Array, rate: number, random: Random) {
	const keep = 1 - rate;
	for (let k = 0; k < values.length; k++) {
		if (random.next() < keep) {
			values[k]! /= keep;
			derivative[k]! /= keep;
		} else {
			values[k] = 0;
			derivative[k] = 0;
		}
	}
}

export function forward(
	mlp: Mlp,
	input: ArrayLike<number>,
	batchSize: number,
	options: ForwardOptions = {}
): ForwardPass {
	const first = mlp.layers[0];
	if (!first || input.length !== batchSize * first.inputSize) {
		throw new Error(`Expected ${batchSize} x ${first?.inputSize} inputs, got ${input.length}`);
	}
	const dropout = options.dropout ?? 0;
	if (dropout > 0 && !options.random) throw new Error('Dropout needs a random source');
	// A Float64Array batch the caller built is used as it is (the trainer reuses one buffer).
	const activations: Float64Array[] = [
		input instanceof Float64Array ? input : Float64Array.from(input)
	];
	const derivatives: Float64Array[] = [];
	mlp.layers.forEach((layer, l) => {
		const output = linear(layer, activations[l] as Float64Array, batchSize);
		if (l < mlp.layers.length - 1) {
			const derivative = activate(output, mlp.activation);
			if (dropout > 0) dropOut(output, derivative, dropout, options.random as Random);
			derivatives[l + 1] = derivative;
		}
		activations.push(output);
	});
	return { batchSize, activations, derivatives };
}

export function logitsOf(pass: ForwardPass): Float64Array {
	return pass.activations[pass.activations.length - 1] as Float64Array;
}

/** Row-wise softmax, shifted by the row maximum so large logits cannot overflow. */
export function softmax(logits: ArrayLike<number>, classes: number): Float64Array {
	const probabilities = new Float64Array(logits.length);
	for (let row = 0; row < logits.length; row += classes) {
		let max = -Infinity;
		for (let c = 0; c < classes; c++) max = Math.max(max, logits[row + c] as number);
		let sum = 0;
		for (let c = 0; c < classes; c++) {
			const e = Math.exp((logits[row + c] as number) - max);
			probabilities[row + c] = e;
			sum += e;
		}
		for (let c = 0; c < classes; c++) probabilities[row + c]! /= sum;
	}
	return probabilities;
}

export interface LossAndGradient {
	/** Mean loss over the batch. */
	loss: number;
	/** d loss / d logits, already divided by the batch size. */
	gradient: Float64Array;
}

export function softmaxCrossEntropy(
	logits: Float64Array,
	labels: ArrayLike<number>,
	classes: number
): LossAndGradient {
	const batchSize = logits.length / classes;
	const gradient = softmax(logits, classes);
	let loss = 0;
	for (let b = 0; b < batchSize; b++) {
		const target = b * classes + (labels[b] as number);
		// No floor under the probability: a model so wrong that it underflows to 0 has an
		// infinite loss, which the trainer reports as divergence rather than hiding it.
		loss -= Math.log(gradient[target] as number);
		gradient[target]! -= 1;
	}
	for (let i = 0; i < gradient.length; i++) gradient[i]! /= batchSize;
	return { loss: loss / batchSize, gradient };
}

export interface LayerGradient {
	weights: Float64Array;
	bias: Float64Array;
}

/** Backpropagates d loss / d logits through the layers recorded in `pass`. */
export function backward(
	mlp: Mlp,
	pass: ForwardPass,
	logitGradient: Float64Array
): LayerGradient[] {
	const { batchSize, activations, derivatives } = pass;
	const gradients: LayerGradient[] = [];
	let outputGradient = logitGradient;
	for (let l = mlp.layers.length - 1; l >= 0; l--) {
		const { inputSize, outputSize, weights } = mlp.layers[l] as DenseLayer;
		const input = activations[l] as Float64Array;
		const derivative = l > 0 ? (derivatives[l] as Float64Array) : undefined;
		const weightGradient = new Float64Array(inputSize * outputSize);
		const biasGradient = new Float64Array(outputSize);
		const inputGradient = derivative ? new Float64Array(batchSize * inputSize) : undefined;
		for (let b = 0; b < batchSize; b++) {
			const g = b * outputSize;
			for (let o = 0; o < outputSize; o++) biasGradient[o]! += outputGradient[g + o]!;
			for (let i = 0; i < inputSize; i++) {
				const x = input[b * inputSize + i] as number;
				const w = i * outputSize;
				// A zero input adds nothing to the weight gradient.
				if (x !== 0) {
					for (let o = 0; o < outputSize; o++) weightGradient[w + o]! += x * outputGradient[g + o]!;
				}
				// A unit that was off (ReLU below zero, or dropped) passes no gradient back.
				const slope = derivative ? (derivative[b * inputSize + i] as number) : 0;
				if (slope === 0) continue;
				let sum = 0;
				for (let o = 0; o < outputSize; o++) sum += weights[w + o]! * outputGradient[g + o]!;
				(inputGradient as Float64Array)[b * inputSize + i] = sum * slope;
			}
		}
		gradients[l] = { weights: weightGradient, bias: biasGradient };
		if (inputGradient) outputGradient = inputGradient;
	}
	return gradients;
}

export function argmaxRows(values: ArrayLike<number>, classes: number): Int32Array {
	const winners = new Int32Array(values.length / classes);
	for (let row = 0; row < winners.length; row++) {
		let best = 0;
		for (let c = 1; c < classes; c++) {
			if ((values[row * classes + c] as number) > (values[row * classes + best] as number))
				best = c;
		}
		winners[row] = best;
	}
	return winners;
}

/** Logits for many rows, in chunks so a large evaluation set needs little memory at once. */
export function predictLogits(
	mlp: Mlp,
	inputs: ArrayLike<number> & { subarray(start: number, end: number): ArrayLike<number> },
	count: number,
	chunk = 512
): Float64Array {
	const features = inputSizeOf(mlp);
	const classes = classCountOf(mlp);
	const logits = new Float64Array(count * classes);
	for (let start = 0; start < count; start += chunk) {
		const rows = Math.min(chunk, count - start);
		const slice = inputs.subarray(start * features, (start + rows) * features);
		logits.set(logitsOf(forward(mlp, slice, rows)), start * classes);
	}
	return logits;
}
