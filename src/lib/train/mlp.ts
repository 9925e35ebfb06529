/**
 * A dense multi-layer perceptron: ReLU between layers, a linear last layer whose outputs are
 * logits, softmax cross-entropy as the loss. Plain loops over Float64Arrays (doubles keep the
 * gradient check meaningful); the exported ONNX model stores float32.
 */
import type { Random } from './random';

export interface DenseLayer {
	inputSize: number;
	outputSize: number;
	/** Row-major [inputSize, outputSize]: weights[i * outputSize + o]. */
	weights: Float64Array;
	bias: Float64Array;
}

export interface Mlp {
	layers: DenseLayer[];
}

/** He initialisation, which suits ReLU layers; biases start at zero. */
export function createMlp(sizes: readonly number[], random: Random): Mlp {
	if (sizes.length < 2) throw new Error('An MLP needs at least an input and an output size');
	const layers: DenseLayer[] = [];
	for (let l = 0; l + 1 < sizes.length; l++) {
		const inputSize = sizes[l] as number;
		const outputSize = sizes[l + 1] as number;
		const scale = Math.sqrt(2 / inputSize);
		const weights = new Float64Array(inputSize * outputSize);
		for (let i = 0; i < weights.length; i++) weights[i] = random.normal() * scale;
		layers.push({ inputSize, outputSize, weights, bias: new Float64Array(outputSize) });
	}
	return { layers };
}

export function cloneMlp(mlp: Mlp): Mlp {
	return {
		layers: mlp.layers.map((layer) => ({
			...layer,
			weights: layer.weights.slice(),
			bias: layer.bias.slice()
		}))
	};
}

/** The outputs of every layer for one batch; activations[0] is the input, the last the logits. */
export interface ForwardPass {
	batchSize: number;
	activations: Float64Array[];
}

function denseForward(
	layer: DenseLayer,
	input: ArrayLike<number>,
	batchSize: number,
	relu: boolean
): Float64Array {
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
		if (relu) for (let o = row; o < row + outputSize; o++) if (output[o]! < 0) output[o] = 0;
	}
	return output;
}

export function forward(mlp: Mlp, input: ArrayLike<number>, batchSize: number): ForwardPass {
	const first = mlp.layers[0];
	if (!first || input.length !== batchSize * first.inputSize) {
		throw new Error(`Expected ${batchSize} x ${first?.inputSize} inputs, got ${input.length}`);
	}
	const activations: Float64Array[] = [Float64Array.from(input)];
	mlp.layers.forEach((layer, l) => {
		const isLast = l === mlp.layers.length - 1;
		activations.push(denseForward(layer, activations[l] as Float64Array, batchSize, !isLast));
	});
	return { batchSize, activations };
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
	/** Mean cross-entropy over the batch. */
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
		loss -= Math.log(Math.max(gradient[target] as number, 1e-300));
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
	const { batchSize, activations } = pass;
	const gradients: LayerGradient[] = [];
	let outputGradient = logitGradient;
	for (let l = mlp.layers.length - 1; l >= 0; l--) {
		const { inputSize, outputSize, weights } = mlp.layers[l] as DenseLayer;
		const input = activations[l] as Float64Array;
		const weightGradient = new Float64Array(inputSize * outputSize);
		const biasGradient = new Float64Array(outputSize);
		const inputGradient = l > 0 ? new Float64Array(batchSize * inputSize) : undefined;
		for (let b = 0; b < batchSize; b++) {
			const g = b * outputSize;
			for (let o = 0; o < outputSize; o++) biasGradient[o]! += outputGradient[g + o]!;
			for (let i = 0; i < inputSize; i++) {
				const x = input[b * inputSize + i] as number;
				const w = i * outputSize;
				// A zero input adds nothing to the weight gradient, and for hidden layers (ReLU
				// outputs) a zero also means the unit was off, so no gradient flows back through it.
				if (x === 0) continue;
				for (let o = 0; o < outputSize; o++) weightGradient[w + o]! += x * outputGradient[g + o]!;
				if (!inputGradient) continue;
				let sum = 0;
				for (let o = 0; o < outputSize; o++) sum += weights[w + o]! * outputGradient[g + o]!;
				inputGradient[b * inputSize + i] = sum;
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
