/**
 * Describes a trained model as a stored variant: its files (the ONNX graph with its signature
 * and a test-run sample, the class names, and any files it runs with, such as an embedder), its
 * metrics, and its provenance (the whole set-up, the curves and the checks). Pure, so the shape
 * of what the Train page stores is unit-tested.
 */
import type {
	GraphSpec,
	ModelFile,
	ModelVariant,
	SampleTensor,
	VariantProvenance
} from '../catalog/manifest';
import { decodeModel, graphSignature } from '../optimize/onnx-graph';
import type { JobOutcome, ParityRows, TrainedModel } from './job';
import { argmaxRows } from './mlp';
import type { BatchPoint } from './protocol';

export interface FileBytes {
	path: string;
	data: Uint8Array;
}

export interface TrainedVariantInput {
	variantId: string;
	name: string;
	description: string;
	model: TrainedModel;
	classNames: string[];
	inputName: string;
	/** A graph of the model the variant joins, whose sample (and answer) may fit this one. */
	sourceGraph: GraphSpec | null;
	sourceClassNames: string[] | null;
	/** Files the variant runs with (an embedder and its tokenizer), already at their paths. */
	companions: { file: ModelFile; data: Uint8Array }[];
	provenance: VariantProvenance;
	outcome: JobOutcome;
}

const MAX_CURVE_POINTS = 300;

/** Every k-th point, so a long run's curve stays a few kilobytes in the provenance. */
export function thinPoints<T>(points: readonly T[], limit = MAX_CURVE_POINTS): T[] {
	if (points.length <= limit) return [...points];
	const step = points.length / limit;
	return Array.from(
		{ length: limit },
		(_, k) => points[Math.min(points.length - 1, Math.round((k + 1) * step) - 1)] as T
	);
}

export function curvesOf(model: TrainedModel, points: readonly BatchPoint[]) {
	return {
		epochs: model.epochs.map(
			({ epoch, learningRate, loss, accuracy, validationLoss, validationAccuracy }) => ({
				epoch,
				learningRate,
				loss,
				accuracy,
				validationLoss,
				validationAccuracy
			})
		),
		batches: thinPoints(points).map(({ position, loss, accuracy }) => ({
			position,
			loss,
			accuracy
		}))
	};
}

function sampleFor(
	input: TrainedVariantInput,
	parity: ParityRows
): Pick<GraphSpec, 'sample' | 'expect'> {
	const width = parity.inputs.length / Math.max(1, parity.count);
	const source = input.sourceGraph;
	const fits =
		source?.sample.length === 1 &&
		source.sample[0]!.name === input.inputName &&
		source.sample[0]!.dims.join() === `1,${width}`;
	if (fits) {
		const sameClasses = input.sourceClassNames?.join('\n') === input.classNames.join('\n');
		return sameClasses && source.expect
			? { sample: source.sample, expect: source.expect }
			: { sample: source.sample };
	}
	// Otherwise the first parity row, with the answer the engine gave for it.
	const sample: SampleTensor = {
		name: input.inputName,
		dtype: 'float32',
		dims: [1, width],
		data: Array.from(parity.inputs.subarray(0, width))
	};
	const argmax = argmaxRows(
		parity.probabilities.subarray(0, input.classNames.length),
		input.classNames.length
	)[0]!;
	return {
		sample: [sample],
		expect: { output: 'probabilities', argmax, label: input.classNames[argmax] }
	};
}

export function buildTrainedVariant(input: TrainedVariantInput): {
	variant: ModelVariant;
	files: FileBytes[];
} {
	const { variantId, model } = input;
	const { inputs, outputs } = graphSignature(decodeModel(model.onnx));
	const classifier: ModelFile = {
		path: `${variantId}/model.onnx`,
		bytes: model.onnx.byteLength,
		sha256: '',
		kind: 'onnx',
		role: 'classifier',
		graph: { inputs, outputs, ...sampleFor(input, model.parity) }
	};
	const labelsData = new TextEncoder().encode(
		`${JSON.stringify({ classNames: input.classNames })}\n`
	);
	const labels: ModelFile = {
		path: `${variantId}/labels.json`,
		bytes: labelsData.byteLength,
		sha256: '',
		kind: 'config',
		role: 'labels'
	};
	const metrics: Record<string, number> = {
		trainExamples: input.outcome.trainExamples,
		validationExamples: input.outcome.validationExamples,
		epochs: model.epochs.length,
		parameters: model.parameters
	};
	if (model.validationAccuracy !== null) metrics.validationAccuracy = model.validationAccuracy;
	return {
		variant: {
			id: variantId,
			name: input.name,
			description: input.description,
			precision: 'fp32',
			files: [classifier, labels, ...input.companions.map((c) => c.file)],
			metrics,
			provenance: input.provenance
		},
		files: [
			{ path: classifier.path, data: model.onnx },
			{ path: labels.path, data: labelsData },
			...input.companions.map((c) => ({ path: c.file.path, data: c.data }))
		]
	};
}

/** A variant id that sorts by time and does not clash with another made the same millisecond. */
export function newVariantId(
	prefix: 'trained' | 'distilled',
	now = Date.now(),
	random = Math.random
): string {
	return `${prefix}-${now.toString(36)}${Math.floor(random() * 36 ** 3)
		.toString(36)
		.padStart(3, '0')}`;
}

/** Largest absolute difference between two runs' outputs (for the ONNX parity check). */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
	if (a.length !== b.length) return Infinity;
	let worst = 0;
	for (let i = 0; i < a.length; i++)
		worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
	return worst;
}
