import { fileForRole } from '../model-files';
import type { TaskContext } from '../types';
import { MNIST_SIZE, toMnistInput } from './preprocess';
import type { DigitsInput, DigitsResult } from './types';

export function softmax(values: ArrayLike<number>): number[] {
	const max = Math.max(...Array.from(values));
	const exps = Array.from(values, (value) => Math.exp(value - max));
	const total = exps.reduce((sum, value) => sum + value, 0);
	return exps.map((value) => value / total);
}

/** Classifies a drawn digit with an MNIST-style model ([batch, 784] in, 10 scores out). */
export async function classifyDigit(input: DigitsInput, ctx: TaskContext): Promise<DigitsResult> {
	const { pixels, hasInk } = await ctx.stage('preprocess', () => toMnistInput(input.image));
	const modelInput = Array.from(pixels);
	if (!hasInk) return { probabilities: [], prediction: -1, modelInput, hasInk };

	const model = await ctx.session(fileForRole(ctx.files, 'digits').path);
	const outputs = await model.run({
		[model.inputNames[0]!]: { dtype: 'float32', dims: [1, MNIST_SIZE * MNIST_SIZE], data: pixels }
	});
	return ctx.stage('postprocess', () => {
		// Prefer a model's own probabilities; a model that only gives logits gets a softmax.
		const scores = outputs.probabilities ?? outputs[model.outputNames[0]!];
		if (!scores || Array.isArray(scores.data)) throw new Error('the model returned no scores');
		const probabilities = outputs.probabilities
			? Array.from(scores.data, Number)
			: softmax(Array.from(scores.data, Number));
		const prediction = probabilities.indexOf(Math.max(...probabilities));
		return { probabilities, prediction, modelInput, hasInk };
	});
}
