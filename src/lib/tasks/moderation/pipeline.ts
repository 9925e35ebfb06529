import { softmax } from '../digits/pipeline';
import { fileForRole } from '../model-files';
import { EmptyImageError } from '../ocr/errors';
import type { TaskContext } from '../types';
import { ModerationModelError } from './errors';
import { toModerationInput } from './preprocess';
import type { ModerationInput, ModerationResult } from './types';

/** The class scores as probabilities: a model's own softmax is kept, raw logits get one. */
export function toProbabilities(scores: ArrayLike<number>): number[] {
	const values = Array.from(scores, Number);
	const total = values.reduce((sum, value) => sum + value, 0);
	const isDistribution = values.every((value) => value >= 0 && value <= 1);
	return isDistribution && Math.abs(total - 1) < 1e-3 ? values : softmax(values);
}

async function classNames(ctx: TaskContext): Promise<string[]> {
	const file = fileForRole(ctx.files, 'moderation', 'labels');
	return ctx.memo('moderation-labels', async () => {
		const parsed = JSON.parse(new TextDecoder().decode(await ctx.readFile(file.path))) as {
			classNames?: unknown;
		};
		const names = parsed.classNames;
		if (!Array.isArray(names) || !names.every((name) => typeof name === 'string'))
			throw new ModerationModelError('its labels file has no list of class names');
		return names as string[];
	});
}

/** Sorts a picture into the model's classes (nsfwjs: drawing, hentai, neutral, porn, sexy). */
export async function moderateImage(
	input: ModerationInput,
	ctx: TaskContext
): Promise<ModerationResult> {
	const { width, height } = input.image;
	if (width === 0 || height === 0) throw new EmptyImageError();
	const file = fileForRole(ctx.files, 'moderation', 'classifier');
	const size = file.graph?.inputs[0]?.dims[1];
	if (typeof size !== 'number' || file.graph?.inputs[0]?.dims[3] !== 3)
		throw new ModerationModelError('its input is not a fixed-size RGB picture');
	const labels = await classNames(ctx);
	const model = await ctx.session(file.path);
	const pixels = await ctx.stage('preprocess', () => toModerationInput(input.image, size));
	const outputs = await model.run({
		[model.inputNames[0]!]: { dtype: 'float32', dims: [1, size, size, 3], data: pixels }
	});
	return ctx.stage('postprocess', () => {
		const scores = outputs[model.outputNames[0]!];
		if (!(scores?.data instanceof Float32Array))
			throw new ModerationModelError('it gave no float32 scores');
		if (scores.data.length !== labels.length)
			throw new ModerationModelError(
				`it scores ${scores.data.length} classes but names ${labels.length}`
			);
		const probabilities = toProbabilities(scores.data);
		const classes = labels
			.map((label, i) => ({ label, probability: probabilities[i]! }))
			.sort((a, b) => b.probability - a.probability);
		return { classes, top: classes[0]!.label, width, height };
	});
}
