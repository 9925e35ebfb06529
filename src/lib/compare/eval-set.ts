/**
 * The Compare page's built-in eval sets, as `npm run assets` writes them into static/evals/ (see
 * scripts/evals/build-evals.ts): one per task, made from real data by the build, never typed-in
 * outputs. This module holds their index format and the pure decoding the page needs.
 */
import type { TaskKind } from '../catalog/manifest';

export const EVALS_SCHEMA = 1;
export const EVALS_INDEX = 'index.json';

/** A file of an eval set, relative to static/evals/. */
export interface EvalFile {
	path: string;
	bytes: number;
	sha256: string;
}

export interface EvalSource {
	/** Where the data comes from, for people (package, fixture, corpus). */
	origin: string;
	licence: string;
}

/** MNIST test digits: 28x28 grayscale, one byte per pixel (white ink on black), row by row. */
export interface DigitsEvalSet {
	task: 'digits';
	source: EvalSource;
	width: number;
	height: number;
	labels: number[];
	images: EvalFile;
}

/** Text lines rendered as PNG pictures, each with the text it shows. */
export interface OcrEvalSet {
	task: 'ocr';
	source: EvalSource;
	lines: { text: string; font: string; image: EvalFile }[];
}

/** Speech recordings with their known speech intervals (seconds), as 16-bit PCM, mono. */
export interface VadEvalSet {
	task: 'vad';
	source: EvalSource;
	sampleRate: number;
	recordings: {
		name: string;
		duration: number;
		speech: { start: number; end: number }[];
		audio: EvalFile;
	}[];
}

/** A corpus to search and queries to rank it with. */
export interface EmbeddingsEvalSet {
	task: 'embeddings';
	source: EvalSource;
	corpus: string[];
	queries: string[];
	/** Neighbours compared per query (recall@k). */
	k: number;
}

export type EvalSet = DigitsEvalSet | OcrEvalSet | VadEvalSet | EmbeddingsEvalSet;
export type EvalTask = EvalSet['task'];

export interface EvalIndex {
	schema: typeof EVALS_SCHEMA;
	sets: { [K in EvalTask]: Extract<EvalSet, { task: K }> };
}

export const EVAL_TASKS: readonly EvalTask[] = ['digits', 'ocr', 'vad', 'embeddings'];

/** The eval set for a model's task, or null for tasks Compare has none for. */
export function evalTaskOf(task: TaskKind): EvalTask | null {
	return (EVAL_TASKS as readonly string[]).includes(task) ? (task as EvalTask) : null;
}

/** One MNIST digit as the RGBA picture the digits task takes (white on black, opaque). */
export function digitImage(
	pixels: Uint8Array,
	index: number,
	width: number,
	height: number
): { width: number; height: number; data: Uint8ClampedArray } {
	const size = width * height;
	const data = new Uint8ClampedArray(size * 4);
	for (let i = 0; i < size; i++) {
		const value = pixels[index * size + i]!;
		data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = value;
		data[i * 4 + 3] = 255;
	}
	return { width, height, data };
}

/** Little-endian 16-bit PCM as samples in [-1, 1]. */
export function pcm16ToFloat(bytes: Uint8Array): Float32Array {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const samples = new Float32Array(Math.floor(bytes.byteLength / 2));
	for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true) / 32768;
	return samples;
}

/** Samples in [-1, 1] as little-endian 16-bit PCM (rounded, clipped). */
export function floatToPcm16(samples: Float32Array): Uint8Array {
	const bytes = new Uint8Array(samples.length * 2);
	const view = new DataView(bytes.buffer);
	for (let i = 0; i < samples.length; i++) {
		const value = Math.round(Math.max(-1, Math.min(1, samples[i]!)) * 32767);
		view.setInt16(i * 2, value, true);
	}
	return bytes;
}
