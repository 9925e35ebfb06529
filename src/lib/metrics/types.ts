/**
 * What the Monitor keeps about each inference, and the settings and alert rules around it. The
 * record is flat (no nested objects) so that CSV export and import are as lossless as JSON.
 */

/** Who asked for an inference: a Hearth page, an embedding host page, Compare or the benchmark. */
export type InferenceSource = 'page' | 'widget' | 'compare' | 'bench';
export const INFERENCE_SOURCES: readonly InferenceSource[] = ['page', 'widget', 'compare', 'bench'];

/**
 * How the memory figure was measured, by the page that asked for the run: 'agent' is
 * performance.measureUserAgentSpecificMemory() (all JavaScript and WebAssembly memory of the
 * page and its workers, the model's included; needs cross-origin isolation), 'js-heap' is
 * Chromium's performance.memory (the page's own JavaScript heap: the worker and WebAssembly
 * memory are left out).
 */
export type MemorySource = 'agent' | 'js-heap';
export const MEMORY_SOURCES: readonly MemorySource[] = ['agent', 'js-heap'];

export interface InferenceRecord {
	/** Unique across tabs and imports; records with the same id are the same inference. */
	id: string;
	/** When the inference started, in milliseconds since 1970 (Date.now()). */
	time: number;
	/** `${model}/${variant}`, the model store's install key. */
	installKey: string;
	model: string;
	variant: string;
	/** The task pipeline's name, or 'graph' for one ONNX graph run on its own (Inspect, test run). */
	task: string;
	/** The ONNX file of a 'graph' run; null for task runs, which may use several graphs. */
	graph: string | null;
	source: InferenceSource;
	/** The embedding host page's origin for widget runs; null otherwise. */
	origin: string | null;
	/** null when the run failed before a model was loaded. */
	backend: 'wasm' | 'webgpu' | null;
	threads: number | null;
	/** Bytes of the input: binary data as stored, text as UTF-8. */
	inputBytes: number;
	/** Wall-clock time of the whole request in the worker, every stage included. */
	latencyMs: number;
	loadMs: number;
	preprocessMs: number;
	inferenceMs: number;
	postprocessMs: number;
	ok: boolean;
	/** The HearthError code of a failed run; null when it succeeded. */
	errorCode: string | null;
	/** The latest memory sample when the run ended (sampled, not measured per run). */
	memoryBytes: number | null;
	memorySource: MemorySource | null;
}

export interface RetentionSettings {
	/** Keep at most this many records (the newest). */
	maxRecords: number;
	/** Drop records older than this many days. */
	maxDays: number;
	/** When false the worker records nothing. */
	recording: boolean;
}

/** The bounds on retention: the store never holds more than MAX_RECORDS_LIMIT records. */
export const MAX_RECORDS_LIMIT = 100_000;
export const MAX_DAYS_LIMIT = 366;

export const DEFAULT_RETENTION: RetentionSettings = {
	maxRecords: 10_000,
	maxDays: 30,
	recording: true
};

/** The most runs a rule looks back over: rules are evaluated after every write, so kept short. */
export const MAX_WINDOW_RUNS = 1000;

export type AlertMetric = 'p95-latency' | 'error-rate' | 'memory';
export const ALERT_METRICS: readonly AlertMetric[] = ['p95-latency', 'error-rate', 'memory'];

export interface AlertRule {
	id: string;
	metric: AlertMetric;
	/** Milliseconds for p95-latency, percent for error-rate, megabytes (MiB) for memory. */
	threshold: number;
	/** Evaluated over this many of the latest matching runs. */
	windowRuns: number;
	/** Only runs of this install key; null for every model. */
	installKey: string | null;
	enabled: boolean;
	createdAt: number;
}

/** Whether a rule is firing now, and the value it last saw. */
export interface AlertState {
	ruleId: string;
	firing: boolean;
	/** When it last changed between firing and clear. */
	since: number;
	value: number | null;
	runs: number;
}

export interface AlertEvent {
	id: string;
	ruleId: string;
	kind: 'fired' | 'cleared';
	time: number;
	metric: AlertMetric;
	threshold: number;
	value: number;
	windowRuns: number;
	/** The runs the value was computed over (fewer than windowRuns early on). */
	runs: number;
	installKey: string | null;
}
