/** A comparison's results, as the page shows them, the store keeps them and the exports write them. */
import type { Precision } from '../catalog/manifest';
import type { EvalTask } from './eval-set';

/** WASM on one thread, WASM on every thread the page may use, and WebGPU on a hardware adapter. */
export type LatencyBackend = 'wasm-1' | 'wasm-all' | 'webgpu';

export const BACKEND_LABELS: Record<LatencyBackend, string> = {
	'wasm-1': 'WASM, 1 thread',
	'wasm-all': 'WASM, all threads',
	webgpu: 'WebGPU'
};

export interface LatencyStats {
	backend: LatencyBackend;
	threads: number;
	/** Items timed (each one run of the task: pre-processing, inference, post-processing). */
	runs: number;
	p50: number;
	p95: number;
	mean: number;
}

export interface QualityMetric {
	id: string;
	label: string;
	/** A fraction in [0, 1] for every metric here (error rates can exceed 1). */
	value: number;
	/** Ground truth of the eval set, or the reference variant's outputs. */
	against: 'truth' | 'reference';
	higherIsBetter: boolean;
}

export interface MemoryFigure {
	bytes: number;
	/** The peak WebAssembly memory of the worker that ran the variant (ONNX Runtime's heap). */
	source: 'wasm-heap';
}

export interface VariantResult {
	variantId: string;
	name: string;
	precision: Precision;
	/** Where the variant comes from: the catalog, the user's own, or made by Hearth. */
	origin: 'catalog' | 'user' | 'optimized' | 'trained' | 'distilled';
	/** The ONNX graphs' bytes, and everything the download fetches (tokenizer, keys...). */
	onnxBytes: number;
	downloadBytes: number;
	/** IndexedDB to ready session(s): reading the bytes and creating every session of the variant. */
	loadMs: number;
	readMs: number;
	createMs: number;
	latency: LatencyStats[];
	/** Memory with this variant loaded, where the browser can tell; null where it cannot. */
	memory: MemoryFigure | null;
	quality: QualityMetric[];
	notes: string[];
}

export interface CompareEnvironment {
	ortVersion: string;
	crossOriginIsolated: boolean;
	hardwareConcurrency: number;
	/** Threads of the "all threads" runs. */
	wasmThreads: number;
	webgpu: string;
	userAgent: string;
}

export interface CompareRun {
	id: string;
	createdAt: number;
	modelId: string;
	modelName: string;
	task: EvalTask;
	/** What the eval set holds ("300 MNIST test digits"). */
	evalSet: string;
	/** The metric the scatter plots and the table leads with. */
	headline: string;
	environment: CompareEnvironment;
	variants: VariantResult[];
	durationMs: number;
}

/** The metric a run is summed up by: the first one measured against ground truth, else the first. */
export function headlineMetric(result: VariantResult, id: string): QualityMetric | undefined {
	return result.quality.find((metric) => metric.id === id);
}
