/**
 * The widget's postMessage API, version 1: what a host page sends to the Hearth iframe and what
 * comes back. The method table pairs each method's params with its result, so the widget's
 * dispatcher and the JS client are checked against the same types (parse-message.ts reads
 * what arrives).
 *
 * Request: { hearth: 1, id, method, params }
 * Answer:  { hearth: 1, id, ok: true, result } | { hearth: 1, id, ok: false, error: { code, message } }
 * Event:   { hearth: 1, id, event: 'progress' | 'ready' | 'log', data }  (id of the request)
 */
import type { TaskKind } from '$lib/catalog/manifest';
import { HearthError } from '$lib/errors';
import type { InferenceRecord } from '$lib/metrics/types';
import type { Backend, BackendPreference, TensorData } from '$lib/runtime/protocol';
import type { DigitsResult } from '$lib/tasks/digits/types';
import type { EmbedResult } from '$lib/tasks/embeddings/types';
import type { FaceResult } from '$lib/tasks/face/types';
import type { ModerationResult } from '$lib/tasks/moderation/types';
import type { DetectionResult } from '$lib/tasks/detection/types';
import type { SegmentationResult } from '$lib/tasks/segmentation/types';
import type { OcrResult } from '$lib/tasks/ocr/types';
import type { PoseResult } from '$lib/tasks/pose/types';
import type { RgbaImage, StageTimings } from '$lib/tasks/types';
import type { VadResult } from '$lib/tasks/vad/types';

export const PROTOCOL_VERSION = 1;

export type RequestId = string | number;

// ---- Methods: params and results

export interface VariantSummary {
	id: string;
	name: string;
	precision: string;
	bytes: number;
	/** Loaded in this widget (memory or store), ready to run. */
	loaded: boolean;
}

export interface ModelSummary {
	id: string;
	name: string;
	task: TaskKind;
	description: string;
	/** SPDX identifier of the weights' licence. */
	licence: string;
	variants: VariantSummary[];
}

export interface LoadParams {
	model: string;
	/** The model's first variant when left out. */
	variant?: string;
	backend?: BackendPreference;
}

/** Where a loaded model's bytes live: the browser's model store, or this widget's memory. */
export type StorageMode = 'indexeddb' | 'memory';

export interface LoadResult {
	model: string;
	variant: string;
	task: TaskKind;
	storage: StorageMode;
	/** The files were already there (stored earlier, or loaded in this widget): nothing downloaded. */
	cached: boolean;
	bytes: number;
	backend: Backend;
	threads: number;
	/** Each ONNX graph of the variant, with its input and output names. */
	graphs: { file: string; inputNames: string[]; outputNames: string[] }[];
	notes: string[];
}

/** ImageData, a Blob holding a picture (PNG, JPEG, ...), or raw RGBA pixels. */
export type ImageInput = ImageData | Blob | RgbaImage;
/** Mono samples in [-1, 1] with their rate, or a Blob holding an audio file. */
export type AudioInput = { samples: Float32Array; sampleRate: number } | Blob;
/**
 * One text, several, or texts with a query: the result then scores each text against the query
 * (cosine similarity), which is how two texts are compared.
 */
export type TextInput = string | string[] | { texts: string[]; query?: string; maxTokens?: number };
/** Any model's ONNX graph, run on tensors (`file`: which graph, the first by default). */
export interface GraphInput {
	tensors: Record<string, TensorData>;
	file?: string;
}
export type RunInput = ImageInput | AudioInput | TextInput | GraphInput;

export interface RunParams {
	model: string;
	variant?: string;
	backend?: BackendPreference;
	input: RunInput;
}

export interface EmbeddingsResult extends EmbedResult {
	/** Cosine similarity of each text to the query, in order; null without a query. */
	scores: number[] | null;
}

export interface GraphResult {
	file: string;
	outputs: Record<string, TensorData>;
}

interface RunStats {
	model: string;
	variant: string;
	timings: StageTimings;
	backend: Backend;
	threads: number;
	notes: string[];
}

export type RunOutput = RunStats &
	(
		| { task: 'ocr'; result: OcrResult }
		| { task: 'vad'; result: VadResult }
		| { task: 'embeddings'; result: EmbeddingsResult }
		| { task: 'digits'; result: DigitsResult }
		| { task: 'pose'; result: PoseResult }
		| { task: 'face'; result: FaceResult }
		| { task: 'moderation'; result: ModerationResult }
		| { task: 'detection'; result: DetectionResult }
		| { task: 'segmentation'; result: SegmentationResult }
		| { task: 'graph'; result: GraphResult }
	);

export interface UnloadParams {
	/** Every loaded model when left out. */
	model?: string;
	variant?: string;
}

export interface StorageStatus {
	mode: StorageMode;
	/** Why models are kept in memory, when they are. */
	reason: string | null;
	/** document.hasStorageAccess() in the frame; 'unsupported' where the browser lacks it. */
	access: 'granted' | 'not-granted' | 'unsupported';
	/** The widget shows a button that asks the user for storage access (not in headless mode). */
	canRequest: boolean;
}

export interface StatusResult {
	protocol: typeof PROTOCOL_VERSION;
	/** The widget's own origin, and the host's as the widget saw it. */
	origin: string;
	host: string;
	ortVersion: string;
	crossOriginIsolated: boolean;
	/** WASM threads: one when the frame is not cross-origin isolated (see notes). */
	threads: number;
	webgpu: { available: boolean; fallbackAdapter: boolean };
	storage: StorageStatus;
	memory: {
		/** Model bytes this widget holds in memory (storage mode 'memory'). */
		modelBytes: number;
		/** The page's JavaScript heap, where the browser tells it (Chromium); else null. */
		jsHeapBytes: number | null;
	};
	loaded: { model: string; variant: string; storage: StorageMode }[];
	/** Messages from origins not on the allow-list, ignored since the widget started. */
	ignoredMessages: number;
	notes: string[];
}

export interface MetricsParams {
	/** Records that started at or after this time (ms since 1970). */
	since?: number;
	/** At most this many records, the newest. */
	limit?: number;
}

export interface SessionCounters {
	/** When this widget started (ms since 1970). */
	since: number;
	requests: number;
	errors: number;
	runs: number;
	failedRuns: number;
	ignoredMessages: number;
	/** Time of each successful run in this session, in the worker, milliseconds. */
	runMs: number[];
}

export interface MetricsResult {
	/**
	 * This host's runs as the Monitor stored them (this origin only, across sessions); null when
	 * the browser denies the widget storage, with the reason in `storedError`.
	 */
	stored: InferenceRecord[] | null;
	storedError: { code: string; message: string } | null;
	/** This widget session's own counters, always available. */
	session: SessionCounters;
}

export interface Methods {
	listModels: { params: undefined; result: { models: ModelSummary[] } };
	load: { params: LoadParams; result: LoadResult };
	run: { params: RunParams; result: RunOutput };
	unload: { params: UnloadParams; result: { unloaded: number } };
	status: { params: undefined; result: StatusResult };
	metrics: { params: MetricsParams; result: MetricsResult };
}

export type MethodName = keyof Methods;
export const METHODS: readonly MethodName[] = [
	'listModels',
	'load',
	'run',
	'unload',
	'status',
	'metrics'
];

export type WidgetRequest = {
	[K in MethodName]: { method: K; params: Methods[K]['params'] };
}[MethodName];

// ---- Events

export interface LoadProgress {
	phase: 'download' | 'sessions';
	loadedBytes: number;
	totalBytes: number;
	/** The file being fetched, during downloads. */
	file: string | null;
}

export interface EventData {
	progress: LoadProgress;
	ready: LoadResult;
	log: { level: 'info' | 'warning'; message: string };
}
export type EventName = keyof EventData;

// ---- Messages on the wire

export interface ErrorInfo {
	code: string;
	message: string;
}

export type AnswerMessage =
	| { hearth: typeof PROTOCOL_VERSION; id: RequestId | null; ok: true; result: unknown }
	| { hearth: typeof PROTOCOL_VERSION; id: RequestId | null; ok: false; error: ErrorInfo };

export type EventMessage = {
	[K in EventName]: {
		hearth: typeof PROTOCOL_VERSION;
		id: RequestId;
		event: K;
		data: EventData[K];
	};
}[EventName];

export type RequestMessage = {
	hearth: typeof PROTOCOL_VERSION;
	id: RequestId;
	method: string;
	params?: unknown;
};

export type ProtocolErrorCode =
	| 'bad-request'
	| 'unsupported-version'
	| 'unknown-method'
	| 'bad-params'
	| 'unknown-model'
	| 'unknown-variant';

export class WidgetProtocolError extends HearthError {
	constructor(code: ProtocolErrorCode, message: string) {
		super(code, message);
		this.name = 'WidgetProtocolError';
	}
}

export function answer(id: RequestId | null, result: unknown): AnswerMessage {
	return { hearth: PROTOCOL_VERSION, id, ok: true, result };
}

export function failure(id: RequestId | null, error: ErrorInfo): AnswerMessage {
	return {
		hearth: PROTOCOL_VERSION,
		id,
		ok: false,
		error: { code: error.code, message: error.message }
	};
}

export function eventMessage<K extends EventName>(
	id: RequestId,
	event: K,
	data: EventData[K]
): EventMessage {
	return { hearth: PROTOCOL_VERSION, id, event, data } as EventMessage;
}

export function badParams(method: string, detail: string): WidgetProtocolError {
	return new WidgetProtocolError('bad-params', `${method}: ${detail}`);
}
