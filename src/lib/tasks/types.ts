/**
 * What a task pipeline (OCR, voice activity, ...) may use while it runs inside the runtime
 * worker. Pipelines are plain functions of their input and this context, so they never touch
 * onnxruntime-web themselves and the same code runs under vitest with onnxruntime-node.
 */
import type { ModelFile } from '$lib/catalog/manifest';
import type { Backend, TensorData } from '$lib/runtime/protocol';

/** One loaded ONNX graph. `run` is timed as inference by the context that made it. */
export interface InferenceRunner {
	readonly inputNames: readonly string[];
	readonly outputNames: readonly string[];
	run(inputs: Record<string, TensorData>): Promise<Record<string, TensorData>>;
}

export interface TaskContext {
	/** Which model variant this is (model id / variant id), e.g. to name what it memoizes. */
	readonly installKey: string;
	/** The files of the model variant the task runs on, as its manifest lists them. */
	readonly files: readonly ModelFile[];
	/** A session for one ONNX file of the variant the task runs on (loaded once, then reused). */
	session(path: string): Promise<InferenceRunner>;
	/** Any other file of the variant (keys, tokenizer), from the model store. */
	readFile(path: string): Promise<Uint8Array>;
	/**
	 * A value built once per model install and kept while the worker lives (a parsed keys file, a
	 * tokenizer), so later runs skip the work. Its build time counts as loading.
	 */
	memo<T>(name: string, build: () => Promise<T>): Promise<T>;
	/** Runs pre- or post-processing and adds its time to that stage. */
	stage<T>(name: 'preprocess' | 'postprocess', work: () => T | Promise<T>): Promise<T>;
}

export interface StageTimings {
	/** Loading sessions and files the task had not loaded before (0 when all were warm). */
	loadMs: number;
	preprocessMs: number;
	inferenceMs: number;
	postprocessMs: number;
}

/** A task's result with how it ran, for the page to show next to it. */
export interface TaskRun<Result> {
	result: Result;
	timings: StageTimings;
	backend: Backend;
	threads: number;
	notes: string[];
}

/** An RGBA image as ImageData holds it, without needing the DOM class (workers, Node). */
export interface RgbaImage {
	width: number;
	height: number;
	data: Uint8ClampedArray;
}

export function emptyTimings(): StageTimings {
	return { loadMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 };
}

/** Runs `work` and adds its duration to `timings[stage]`, whether it succeeds or throws. */
export async function timeStage<T>(
	timings: StageTimings,
	stage: keyof StageTimings,
	work: () => T | Promise<T>
): Promise<T> {
	const start = performance.now();
	try {
		return await work();
	} finally {
		timings[stage] += performance.now() - start;
	}
}
