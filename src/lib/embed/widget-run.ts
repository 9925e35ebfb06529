/**
 * The widget's `run`: turns a checked input into the task the model does (decoding Blobs into
 * pixels or samples first), runs it in the runtime worker, and shapes the typed result. Runs are
 * recorded by the worker for the Monitor as widget runs of the host's origin.
 */
import type { ModelManifest } from '$lib/catalog/manifest';
import type { RuntimeClient } from '$lib/runtime';
import {
	tensorTransferables,
	type BackendPreference,
	type InferenceCaller
} from '$lib/runtime/protocol';
import { decodeImage } from '$lib/tasks/ocr/decode-image';
import { decodeAudioFile } from '$lib/tasks/vad/decode-audio';
import { cosine } from '$lib/tasks/embeddings/search';
import type { EmbedResult } from '$lib/tasks/embeddings/types';
import type { TaskRun } from '$lib/tasks/types';
import { badParams, type EmbeddingsResult, type RunOutput } from './protocol';
import { parseTaskInput, type TaskInputOf } from './task-input';

export interface RunTarget {
	manifest: ModelManifest;
	variantId: string;
	installKey: string;
	backend: BackendPreference;
}

/** Rate WebAudio decodes files at; the pipeline resamples to the model's own rate. */
const DECODE_RATE = 48_000;

async function imageOf(input: TaskInputOf) {
	if (input.kind === 'image') return { image: input.image };
	if (input.kind === 'image-blob') return decodeImage(input.blob, 'the picture');
	throw new Error(`not a picture: ${input.kind}`);
}

async function audioOf(input: TaskInputOf) {
	if (input.kind === 'audio') return { samples: input.samples, sampleRate: input.sampleRate };
	if (input.kind !== 'audio-blob') throw new Error(`not audio: ${input.kind}`);
	const decoded = await decodeAudioFile(
		new OfflineAudioContext(1, 1, DECODE_RATE),
		input.blob,
		'the audio'
	);
	return { samples: decoded.samples, sampleRate: decoded.sampleRate };
}

/** The texts' vectors, and each one's similarity to the query (embedded with them). */
function withScores(run: EmbedResult, count: number, hasQuery: boolean): EmbeddingsResult {
	if (!hasQuery) return { ...run, scores: null };
	const { dims } = run;
	const query = run.vectors.subarray(count * dims, (count + 1) * dims);
	const scores = Array.from({ length: count }, (_, i) =>
		cosine(run.vectors.subarray(i * dims, (i + 1) * dims), query)
	);
	return {
		vectors: run.vectors.slice(0, count * dims),
		dims,
		tokenCounts: run.tokenCounts.slice(0, count),
		truncated: run.truncated.filter((i) => i < count),
		unknown: run.unknown.filter((i) => i < count),
		maxTokens: run.maxTokens,
		tokenUnit: run.tokenUnit,
		scores
	};
}

function stats<R>(target: RunTarget, run: TaskRun<R>) {
	return {
		model: target.manifest.id,
		variant: target.variantId,
		timings: run.timings,
		backend: run.backend,
		threads: run.threads,
		notes: run.notes
	};
}

/** Runs `raw` on the target model; the result and the buffers to move back with it. */
export async function runOnModel(
	runtime: RuntimeClient,
	target: RunTarget,
	raw: unknown,
	caller: InferenceCaller
): Promise<{ output: RunOutput; transfer: Transferable[] }> {
	const input = parseTaskInput(target.manifest.task, raw);
	const { installKey, backend } = target;
	if (input.kind === 'graph') return runGraph(runtime, target, input, caller);
	switch (target.manifest.task) {
		case 'ocr': {
			const run = await runtime.runTask(installKey, backend, 'ocr', await imageOf(input), caller);
			return { output: { task: 'ocr', result: run.result, ...stats(target, run) }, transfer: [] };
		}
		case 'digits': {
			const { image } = await imageOf(input);
			const run = await runtime.runTask(installKey, backend, 'digits', { image }, caller);
			return {
				output: { task: 'digits', result: run.result, ...stats(target, run) },
				transfer: []
			};
		}
		case 'pose': {
			const { image } = await imageOf(input);
			const run = await runtime.runTask(installKey, backend, 'pose', { image }, caller);
			return { output: { task: 'pose', result: run.result, ...stats(target, run) }, transfer: [] };
		}
		case 'face': {
			const { image } = await imageOf(input);
			const run = await runtime.runTask(installKey, backend, 'face', { image }, caller);
			return { output: { task: 'face', result: run.result, ...stats(target, run) }, transfer: [] };
		}
		case 'moderation': {
			const { image } = await imageOf(input);
			const run = await runtime.runTask(installKey, backend, 'moderation', { image }, caller);
			return {
				output: { task: 'moderation', result: run.result, ...stats(target, run) },
				transfer: []
			};
		}
		case 'detection': {
			const { image } = await imageOf(input);
			const run = await runtime.runTask(installKey, backend, 'detection', { image }, caller);
			return {
				output: { task: 'detection', result: run.result, ...stats(target, run) },
				transfer: []
			};
		}
		case 'segmentation': {
			const { image } = await imageOf(input);
			const run = await runtime.runTask(installKey, backend, 'segmentation', { image }, caller);
			return {
				output: { task: 'segmentation', result: run.result, ...stats(target, run) },
				// The mask is the one large part of the answer: hand it over rather than copy it.
				transfer: [run.result.mask.buffer as ArrayBuffer]
			};
		}
		case 'vad': {
			const run = await runtime.runTask(installKey, backend, 'vad', await audioOf(input), caller);
			return { output: { task: 'vad', result: run.result, ...stats(target, run) }, transfer: [] };
		}
		case 'embeddings': {
			if (input.kind !== 'texts') throw new Error(`not texts: ${input.kind}`);
			const texts = input.query === null ? input.texts : [...input.texts, input.query];
			const request = { texts, ...(input.maxTokens ? { maxTokens: input.maxTokens } : {}) };
			const run = await runtime.runTask(installKey, backend, 'embed', request, caller);
			const result = withScores(run.result, input.texts.length, input.query !== null);
			return {
				output: { task: 'embeddings', result, ...stats(target, run) },
				transfer: [result.vectors.buffer as ArrayBuffer]
			};
		}
		default:
			// parseTaskInput accepts only tensors for models without a pipeline.
			throw new Error(`no pipeline for ${target.manifest.task}`);
	}
}

async function runGraph(
	runtime: RuntimeClient,
	target: RunTarget,
	input: Extract<TaskInputOf, { kind: 'graph' }>,
	caller: InferenceCaller
): Promise<{ output: RunOutput; transfer: Transferable[] }> {
	const variant = target.manifest.variants.find((v) => v.id === target.variantId)!;
	const graphs = variant.files.filter((file) => file.kind === 'onnx');
	const file = input.file === null ? graphs[0] : graphs.find((g) => g.path === input.file);
	if (!file) {
		throw badParams(
			'run',
			`"file" must be one of this variant's ONNX files: ${graphs.map((g) => g.path).join(', ')}.`
		);
	}
	const session = await runtime.load(target.installKey, file.path, target.backend);
	const missing = session.inputNames.filter((name) => !(name in input.tensors));
	if (missing.length > 0) {
		throw badParams(
			'run',
			`${file.path} needs the inputs ${session.inputNames.join(', ')}; missing ${missing.join(', ')}.`
		);
	}
	const run = await runtime.run(session.sessionId, input.tensors, caller);
	return {
		output: {
			task: 'graph',
			result: { file: file.path, outputs: run.outputs },
			model: target.manifest.id,
			variant: target.variantId,
			timings: {
				loadMs: session.reused ? 0 : session.readMs + session.createMs,
				preprocessMs: 0,
				inferenceMs: run.inferenceMs,
				postprocessMs: 0
			},
			backend: run.backend,
			threads: run.threads,
			notes: run.notes
		},
		transfer: tensorTransferables(run.outputs)
	};
}
