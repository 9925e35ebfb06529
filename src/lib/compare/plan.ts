/**
 * What a comparison runs for each task: the eval set turned into task requests, the task results
 * turned back into outputs, and the outputs scored against the ground truth and the reference
 * variant. Pure: the page fetches and decodes the files, the worker runs the requests.
 */
import type { TaskRequest, TaskResult } from '../tasks/registry';
import type { RgbaImage } from '../tasks/types';
import { digitImage, pcm16ToFloat, type EvalSet } from './eval-set';
import {
	accuracy,
	exactLineRate,
	frameAgreement,
	meanRowCosine,
	recallAtK,
	segmentF1,
	setCharacterErrorRate,
	topOneAgreement,
	type Interval
} from './quality';
import type { QualityMetric } from './types';

export type EvalOutputs =
	| { task: 'digits'; predictions: number[] }
	| { task: 'ocr'; texts: string[] }
	| { task: 'vad'; segments: Interval[][] }
	| { task: 'embeddings'; vectors: Float32Array; dims: number };

export interface EvalPlan {
	set: EvalSet;
	/** What the set holds, in words. */
	description: string;
	/** The metric the scatter plots. */
	headline: string;
	requests: TaskRequest[];
	/** How many of the first requests are timed on the extra backends (1 thread, WebGPU). */
	latencyItems: number;
}

/** Texts embedded per request: the unit the embeddings latency is measured in. */
export const EMBED_BATCH = 25;

/**
 * The requests for an eval set. `files` holds the set's binary files by path; `images` the OCR
 * pictures decoded to pixels (decoding needs the page's canvas).
 */
export function planEval(
	set: EvalSet,
	files: ReadonlyMap<string, Uint8Array>,
	images: ReadonlyMap<string, RgbaImage> = new Map()
): EvalPlan {
	const file = (path: string) => {
		const bytes = files.get(path);
		if (!bytes) throw new RangeError(`eval file ${path} was not loaded`);
		return bytes;
	};
	switch (set.task) {
		case 'digits': {
			const pixels = file(set.images.path);
			return {
				set,
				description: `${set.labels.length} MNIST test digits`,
				headline: 'accuracy',
				requests: set.labels.map((_, i) => ({
					name: 'digits',
					input: { image: digitImage(pixels, i, set.width, set.height) }
				})),
				latencyItems: 60
			};
		}
		case 'ocr':
			return {
				set,
				description: `${set.lines.length} rendered text lines`,
				headline: 'cer',
				requests: set.lines.map((line) => {
					const image = images.get(line.image.path);
					if (!image) throw new RangeError(`picture ${line.image.path} was not decoded`);
					return { name: 'ocr', input: { image } };
				}),
				latencyItems: 3
			};
		case 'vad':
			return {
				set,
				description: `${set.recordings.length} speech recordings (${set.recordings
					.reduce((sum, r) => sum + r.duration, 0)
					.toFixed(1)} s)`,
				headline: 'segment-f1',
				requests: set.recordings.map((recording) => ({
					name: 'vad',
					input: { samples: pcm16ToFloat(file(recording.audio.path)), sampleRate: set.sampleRate }
				})),
				latencyItems: set.recordings.length
			};
		case 'embeddings': {
			const texts = [...set.corpus, ...set.queries];
			const requests: TaskRequest[] = [];
			for (let start = 0; start < texts.length; start += EMBED_BATCH) {
				requests.push({ name: 'embed', input: { texts: texts.slice(start, start + EMBED_BATCH) } });
			}
			return {
				set,
				description: `${set.corpus.length} texts and ${set.queries.length} queries`,
				headline: 'cosine',
				requests,
				latencyItems: 4
			};
		}
	}
}

/** The outputs of one variant from its task results, in request order. */
export function collectOutputs(set: EvalSet, results: readonly unknown[]): EvalOutputs {
	switch (set.task) {
		case 'digits':
			return {
				task: 'digits',
				predictions: (results as TaskResult<'digits'>[]).map((result) => result.prediction)
			};
		case 'ocr':
			return {
				task: 'ocr',
				// Each picture holds one line; a detector that splits it gives several, read in order.
				texts: (results as TaskResult<'ocr'>[]).map((result) =>
					result.lines.map((line) => line.text).join(' ')
				)
			};
		case 'vad':
			return {
				task: 'vad',
				segments: (results as TaskResult<'vad'>[]).map((result) => result.segments)
			};
		case 'embeddings': {
			const batches = results as TaskResult<'embed'>[];
			const dims = batches[0]?.dims ?? 0;
			const vectors = new Float32Array(batches.reduce((sum, b) => sum + b.vectors.length, 0));
			let offset = 0;
			for (const batch of batches) {
				vectors.set(batch.vectors, offset);
				offset += batch.vectors.length;
			}
			return { task: 'embeddings', vectors, dims };
		}
	}
}

function metric(
	id: string,
	label: string,
	value: number,
	against: QualityMetric['against'],
	higherIsBetter = true
): QualityMetric {
	return { id, label, value, against, higherIsBetter };
}

/** Quality of one variant's outputs, against the set's truth and the reference's outputs. */
export function scoreOutputs(
	set: EvalSet,
	outputs: EvalOutputs,
	reference: EvalOutputs
): QualityMetric[] {
	if (set.task === 'digits' && outputs.task === 'digits' && reference.task === 'digits') {
		return [
			metric('accuracy', 'Accuracy', accuracy(outputs.predictions, set.labels), 'truth'),
			metric(
				'top1-agreement',
				'Top-1 agreement',
				topOneAgreement(outputs.predictions, reference.predictions),
				'reference'
			)
		];
	}
	if (set.task === 'ocr' && outputs.task === 'ocr' && reference.task === 'ocr') {
		const truth = set.lines.map((line) => line.text);
		return [
			metric(
				'cer',
				'Character error rate',
				setCharacterErrorRate(outputs.texts, truth),
				'truth',
				false
			),
			metric('exact-lines', 'Exact lines', exactLineRate(outputs.texts, truth), 'truth'),
			metric(
				'cer-vs-reference',
				'CER against reference',
				setCharacterErrorRate(outputs.texts, reference.texts),
				'reference',
				false
			)
		];
	}
	if (set.task === 'vad' && outputs.task === 'vad' && reference.task === 'vad') {
		let matched = 0;
		let detected = 0;
		let truthCount = 0;
		let agreeTruth = 0;
		let agreeReference = 0;
		let duration = 0;
		set.recordings.forEach((recording, i) => {
			const segments = outputs.segments[i] ?? [];
			matched += segmentF1(segments, recording.speech).matched;
			detected += segments.length;
			truthCount += recording.speech.length;
			agreeTruth +=
				frameAgreement(segments, recording.speech, recording.duration) * recording.duration;
			agreeReference +=
				frameAgreement(segments, reference.segments[i] ?? [], recording.duration) *
				recording.duration;
			duration += recording.duration;
		});
		// Pooled over recordings, so a recording with more phrases weighs more.
		const precision = detected ? matched / detected : truthCount ? 0 : 1;
		const recall = truthCount ? matched / truthCount : 1;
		const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
		return [
			metric('segment-f1', 'Segment F1', f1, 'truth'),
			metric('frame-accuracy', 'Frame accuracy', agreeTruth / duration, 'truth'),
			metric('frame-agreement', 'Frame agreement', agreeReference / duration, 'reference')
		];
	}
	if (
		set.task === 'embeddings' &&
		outputs.task === 'embeddings' &&
		reference.task === 'embeddings'
	) {
		const { dims } = outputs;
		const split = (vectors: Float32Array) => ({
			corpus: vectors.subarray(0, set.corpus.length * dims),
			queries: vectors.subarray(set.corpus.length * dims)
		});
		return [
			metric(
				'cosine',
				'Cosine to reference',
				meanRowCosine(outputs.vectors, reference.vectors, dims),
				'reference'
			),
			metric(
				`recall-at-${set.k}`,
				`Recall@${set.k} against reference`,
				recallAtK(split(reference.vectors), split(outputs.vectors), dims, set.k),
				'reference'
			)
		];
	}
	throw new RangeError(`outputs of ${outputs.task} do not fit the ${set.task} eval set`);
}
