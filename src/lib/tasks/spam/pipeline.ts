/**
 * Classifies texts with a variant that carries a sentence embedder and a classifier head over
 * its vectors (the catalog spam filter, or a text classifier trained on the Train page): embed
 * with the embedder's own files, run the head, name the classes from the variant's labels file.
 */
import { HearthError } from '$lib/errors';
import { TEXT_MAX_TOKENS } from '$lib/train/data/text-dataset';
import { embedTexts } from '../embeddings/pipeline';
import { fileForRole } from '../model-files';
import type { TaskContext } from '../types';
import type { SpamInput, SpamResult } from './types';

const HEAD_ROLES = new Set(['classifier', 'labels']);

export class LabelsFileError extends HearthError {
	constructor(detail: string) {
		super(
			'bad-labels',
			`The model's class names cannot be read (${detail}). Delete this variant on the Models page and train or download it again.`
		);
		this.name = 'LabelsFileError';
	}
}

export function parseLabels(bytes: Uint8Array): string[] {
	let parsed: unknown;
	try {
		parsed = JSON.parse(new TextDecoder().decode(bytes));
	} catch {
		throw new LabelsFileError('it is not JSON');
	}
	const names = (parsed as { classNames?: unknown } | null)?.classNames;
	if (!Array.isArray(names) || names.length < 2 || !names.every((name) => typeof name === 'string'))
		throw new LabelsFileError('it has no list of at least two class names');
	return names as string[];
}

export async function classifyTexts(input: SpamInput, ctx: TaskContext): Promise<SpamResult> {
	const headFile = fileForRole(ctx.files, 'spam', 'classifier');
	const labelsFile = fileForRole(ctx.files, 'spam', 'labels');
	// The embedder sees only its own files, so it picks its graph and tokenizer, not the head.
	const embedder: TaskContext = {
		installKey: ctx.installKey,
		files: ctx.files.filter((file) => !HEAD_ROLES.has(file.role)),
		session: (path) => ctx.session(path),
		readFile: (path) => ctx.readFile(path),
		memo: (name, build) => ctx.memo(name, build),
		stage: (name, work) => ctx.stage(name, work)
	};
	const embedded = await embedTexts({ texts: input.texts, maxTokens: TEXT_MAX_TOKENS }, embedder);
	const classNames = await ctx.memo('labels', async () =>
		parseLabels(await ctx.readFile(labelsFile.path))
	);
	const head = await ctx.session(headFile.path);
	const count = input.texts.length;
	const outputs = await head.run({
		[head.inputNames[0]!]: {
			dtype: 'float32',
			dims: [count, embedded.dims],
			data: embedded.vectors
		}
	});
	return ctx.stage('postprocess', () => {
		const scores = outputs.probabilities ?? outputs[head.outputNames[0]!];
		const values = scores?.data;
		if (!scores || !(values instanceof Float32Array))
			throw new Error('the head returned no scores');
		const classes = scores.dims[scores.dims.length - 1] ?? 0;
		if (classes !== classNames.length) {
			throw new LabelsFileError(`${classNames.length} names for ${classes} classes`);
		}
		const predictions = Array.from({ length: count }, (_, row) => {
			let probabilities = Array.from(values.subarray(row * classes, (row + 1) * classes), Number);
			if (!outputs.probabilities) {
				const max = Math.max(...probabilities);
				const exps = probabilities.map((value) => Math.exp(value - max));
				const total = exps.reduce((a, b) => a + b, 0);
				probabilities = exps.map((value) => value / total);
			}
			const best = probabilities.indexOf(Math.max(...probabilities));
			return {
				label: classNames[best] as string,
				probabilities,
				noKnownWords: embedded.unknown.includes(row),
				truncated: embedded.truncated.includes(row)
			};
		});
		return { classNames, predictions };
	});
}
