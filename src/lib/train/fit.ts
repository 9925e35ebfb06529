/**
 * Mini-batch training of an MLP classifier. Every random choice (data order, augmentation)
 * comes from the `random` passed in, so a seed fixes the result.
 */
import { argmaxRows, backward, forward, logitsOf, softmaxCrossEntropy, type Mlp } from './mlp';
import type { Optimizer } from './optimizer';
import { shuffleInPlace, type Random } from './random';

export interface LabelledSet {
	/** Row-major [count, featureSize]. */
	inputs: Float32Array;
	labels: Uint8Array;
	featureSize: number;
}

export interface EpochReport {
	epoch: number;
	learningRate: number;
	/** Mean training loss over the epoch's batches. */
	loss: number;
}

export interface TrainOptions {
	epochs: number;
	batchSize: number;
	optimizer: Optimizer;
	random: Random;
	/** The learning rate for an epoch (0-based), for decay schedules. */
	learningRate: (epoch: number) => number;
	/** Changes one training example in place (for example a small shift of an image). */
	augment?: (example: Float64Array, random: Random) => void;
	onEpoch?: (report: EpochReport) => void;
}

export function exampleCount(data: LabelledSet): number {
	return data.labels.length;
}

export function trainClassifier(mlp: Mlp, data: LabelledSet, options: TrainOptions): EpochReport[] {
	const { featureSize } = data;
	const classes = mlp.layers[mlp.layers.length - 1]?.outputSize ?? 0;
	if (mlp.layers[0]?.inputSize !== featureSize) {
		throw new Error(
			`The MLP takes ${mlp.layers[0]?.inputSize} features, the data has ${featureSize}`
		);
	}
	const order = Array.from({ length: exampleCount(data) }, (_, i) => i);
	const parameters = mlp.layers.flatMap((layer) => [layer.weights, layer.bias]);
	const reports: EpochReport[] = [];
	for (let epoch = 0; epoch < options.epochs; epoch++) {
		const learningRate = options.learningRate(epoch);
		shuffleInPlace(order, options.random);
		let lossSum = 0;
		let batches = 0;
		for (let start = 0; start < order.length; start += options.batchSize) {
			const batchIndices = order.slice(start, start + options.batchSize);
			const inputs = new Float64Array(batchIndices.length * featureSize);
			const labels = new Uint8Array(batchIndices.length);
			batchIndices.forEach((index, row) => {
				const example = inputs.subarray(row * featureSize, (row + 1) * featureSize);
				example.set(data.inputs.subarray(index * featureSize, (index + 1) * featureSize));
				options.augment?.(example, options.random);
				labels[row] = data.labels[index] as number;
			});
			const pass = forward(mlp, inputs, batchIndices.length);
			const { loss, gradient } = softmaxCrossEntropy(logitsOf(pass), labels, classes);
			const gradients = backward(mlp, pass, gradient).flatMap((g) => [g.weights, g.bias]);
			options.optimizer.step(parameters, gradients, learningRate);
			lossSum += loss;
			batches++;
		}
		const report = { epoch, learningRate, loss: lossSum / batches };
		reports.push(report);
		options.onEpoch?.(report);
	}
	return reports;
}

/** Share of examples whose largest logit is the label, computed in JavaScript. */
export function accuracyOf(mlp: Mlp, data: LabelledSet): number {
	const count = exampleCount(data);
	const classes = mlp.layers[mlp.layers.length - 1]?.outputSize ?? 0;
	const predicted = argmaxRows(logitsOf(forward(mlp, data.inputs, count)), classes);
	let correct = 0;
	for (let i = 0; i < count; i++) if (predicted[i] === data.labels[i]) correct++;
	return count === 0 ? 0 : correct / count;
}
