/**
 * What a `run` request's input means for the model it names (pure, no DOM): pictures for OCR and
 * digits, audio for voice activity, texts for embeddings, and tensors for any model's graph.
 * Anything else is a `bad-params` error that says what the model takes.
 */
import type { TaskKind, TensorDType } from '$lib/catalog/manifest';
import type { TensorData } from '$lib/runtime/protocol';
import type { RgbaImage } from '$lib/tasks/types';
import { badParams, type WidgetProtocolError } from './protocol';

export type TaskInputOf =
	| { kind: 'image'; image: RgbaImage }
	| { kind: 'image-blob'; blob: Blob }
	| { kind: 'audio'; samples: Float32Array; sampleRate: number }
	| { kind: 'audio-blob'; blob: Blob }
	| { kind: 'texts'; texts: string[]; query: string | null; maxTokens?: number }
	| { kind: 'graph'; tensors: Record<string, TensorData>; file: string | null };

/** What each task accepts, for error messages. */
const ACCEPTS: Record<TaskKind, string> = {
	ocr: 'an ImageData, a Blob holding a picture, or { width, height, data: Uint8ClampedArray }',
	digits: 'an ImageData, a Blob holding a picture, or { width, height, data: Uint8ClampedArray }',
	pose: 'an ImageData, a Blob holding a picture, or { width, height, data: Uint8ClampedArray }',
	face: 'an ImageData, a Blob holding a picture, or { width, height, data: Uint8ClampedArray }',
	vad: '{ samples: Float32Array, sampleRate } (mono) or a Blob holding an audio file',
	embeddings: 'a string, an array of strings, or { texts: string[], query?: string }',
	classification: '{ tensors: { <input name>: { dtype, dims, data } } }',
	moderation:
		'an ImageData, a Blob holding a picture, or { width, height, data: Uint8ClampedArray }',
	detection:
		'an ImageData, a Blob holding a picture, or { width, height, data: Uint8ClampedArray }',
	segmentation:
		'an ImageData, a Blob holding a picture, or { width, height, data: Uint8ClampedArray }',
	custom: '{ tensors: { <input name>: { dtype, dims, data } } }'
};

/** Typed arrays per dtype, as the runtime's TensorData carries them. */
const ARRAYS: Record<TensorDType, (data: unknown) => boolean> = {
	float32: (data) => data instanceof Float32Array,
	float16: (data) => data instanceof Uint16Array,
	int64: (data) => data instanceof BigInt64Array,
	int32: (data) => data instanceof Int32Array,
	int8: (data) => data instanceof Int8Array,
	uint8: (data) => data instanceof Uint8Array,
	bool: (data) => data instanceof Uint8Array,
	string: (data) => Array.isArray(data) && data.every((item) => typeof item === 'string')
};

const MAX_TEXTS = 10_000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const isBlob = (value: unknown): value is Blob =>
	typeof Blob !== 'undefined' && value instanceof Blob;

function fail(task: TaskKind, detail: string): WidgetProtocolError {
	return badParams('run', `${detail} This model (${task}) takes ${ACCEPTS[task]}.`);
}

/** Checks `input` for a model of `task`; throws a `bad-params` error when it does not fit. */
export function parseTaskInput(task: TaskKind, input: unknown): TaskInputOf {
	if (isRecord(input) && 'tensors' in input) return parseGraph(task, input);
	switch (task) {
		case 'ocr':
		case 'digits':
		case 'pose':
		case 'face':
		case 'moderation':
		case 'detection':
		case 'segmentation':
			return parseImage(task, input);
		case 'vad':
			return parseAudio(task, input);
		case 'embeddings':
			return parseTexts(task, input);
		case 'classification':
		case 'custom':
			throw fail(task, 'This model has no task pipeline, so its graph is run on tensors.');
	}
}

function parseImage(task: TaskKind, input: unknown): TaskInputOf {
	if (isBlob(input)) return { kind: 'image-blob', blob: input };
	if (!isRecord(input) && !(typeof ImageData !== 'undefined' && input instanceof ImageData)) {
		throw fail(task, 'The input is not a picture.');
	}
	const { width, height, data } = input as { width?: unknown; height?: unknown; data?: unknown };
	if (
		typeof width !== 'number' ||
		typeof height !== 'number' ||
		!Number.isInteger(width) ||
		!Number.isInteger(height) ||
		width < 1 ||
		height < 1
	) {
		throw fail(task, 'The picture needs a whole width and height of at least 1.');
	}
	if (!(data instanceof Uint8ClampedArray) && !(data instanceof Uint8Array)) {
		throw fail(task, 'The picture\'s "data" must be a Uint8ClampedArray of RGBA bytes.');
	}
	if (data.length !== width * height * 4) {
		throw fail(task, `The picture's data has ${data.length} bytes, not width × height × 4.`);
	}
	const pixels =
		data instanceof Uint8ClampedArray
			? data
			: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
	return { kind: 'image', image: { width, height, data: pixels } };
}

function parseAudio(task: TaskKind, input: unknown): TaskInputOf {
	if (isBlob(input)) return { kind: 'audio-blob', blob: input };
	if (!isRecord(input)) throw fail(task, 'The input is not audio.');
	const { samples, sampleRate } = input;
	if (!(samples instanceof Float32Array)) throw fail(task, '"samples" must be a Float32Array.');
	if (samples.length === 0) throw fail(task, '"samples" is empty.');
	if (typeof sampleRate !== 'number' || !Number.isFinite(sampleRate)) {
		throw fail(task, '"sampleRate" must be a number (samples per second).');
	}
	if (sampleRate < 1000 || sampleRate > 384_000) {
		throw fail(task, `A sample rate of ${sampleRate} Hz is out of range (1,000 to 384,000).`);
	}
	return { kind: 'audio', samples, sampleRate };
}

function parseTexts(task: TaskKind, input: unknown): TaskInputOf {
	if (typeof input === 'string') return { kind: 'texts', texts: [input], query: null };
	const record = isRecord(input) ? input : { texts: input };
	const { texts, query, maxTokens } = record;
	if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string')) {
		throw fail(task, '"texts" must be an array of strings.');
	}
	if (texts.length === 0 || texts.length > MAX_TEXTS) {
		throw fail(task, `Give between 1 and ${MAX_TEXTS} texts (got ${texts.length}).`);
	}
	if (query !== undefined && typeof query !== 'string') {
		throw fail(task, '"query" must be a string.');
	}
	if (
		maxTokens !== undefined &&
		(typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)
	) {
		throw fail(task, '"maxTokens" must be a whole number of at least 1.');
	}
	return {
		kind: 'texts',
		texts: texts as string[],
		query: query ?? null,
		...(maxTokens === undefined ? {} : { maxTokens: maxTokens as number })
	};
}

function parseGraph(task: TaskKind, input: Record<string, unknown>): TaskInputOf {
	const { tensors, file } = input;
	if (file !== undefined && (typeof file !== 'string' || file === '')) {
		throw fail(task, '"file" must name one of the variant\'s ONNX files.');
	}
	if (!isRecord(tensors) || Object.keys(tensors).length === 0) {
		throw fail(task, '"tensors" must map each input name to { dtype, dims, data }.');
	}
	const parsed: Record<string, TensorData> = {};
	for (const [name, tensor] of Object.entries(tensors)) {
		if (!isRecord(tensor)) throw fail(task, `Tensor "${name}" is not { dtype, dims, data }.`);
		const { dtype, dims, data } = tensor;
		const check = ARRAYS[dtype as TensorDType];
		if (typeof dtype !== 'string' || !check) {
			throw fail(task, `Tensor "${name}" has an unknown dtype ${JSON.stringify(dtype)}.`);
		}
		if (!Array.isArray(dims) || dims.some((dim) => !Number.isInteger(dim) || dim < 0)) {
			throw fail(task, `Tensor "${name}" needs "dims": whole numbers of 0 or more.`);
		}
		if (!check(data)) {
			throw fail(task, `Tensor "${name}" (${dtype}) has data of the wrong array type.`);
		}
		const size = (dims as number[]).reduce((product, dim) => product * dim, 1);
		const length = (data as ArrayLike<unknown>).length;
		if (length !== size) {
			throw fail(task, `Tensor "${name}" has ${length} values, not the ${size} its dims hold.`);
		}
		parsed[name] = {
			dtype: dtype as TensorDType,
			dims: dims as number[],
			data: data as TensorData['data']
		};
	}
	return { kind: 'graph', tensors: parsed, file: (file as string | undefined) ?? null };
}
