/** Inference records for tests: plausible defaults, any field overridden. */
import type { InferenceRecord } from './types';

let next = 0;

export function makeRecord(overrides: Partial<InferenceRecord> = {}): InferenceRecord {
	const model = overrides.model ?? 'mnist-mlp';
	const variant = overrides.variant ?? 'fp32';
	return {
		id: `test-${next++}`,
		time: 1_700_000_000_000 + next * 1000,
		installKey: `${model}/${variant}`,
		model,
		variant,
		task: 'digits',
		graph: null,
		source: 'page',
		origin: null,
		backend: 'wasm',
		threads: 2,
		inputBytes: 3136,
		latencyMs: 1.5,
		loadMs: 0,
		preprocessMs: 0.25,
		inferenceMs: 1,
		postprocessMs: 0.125,
		ok: true,
		errorCode: null,
		memoryBytes: null,
		memorySource: null,
		...overrides
	};
}
