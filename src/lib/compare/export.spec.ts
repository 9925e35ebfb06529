import { describe, expect, it } from 'vitest';
import { csvField, runToCsv, runToJson } from './export';
import type { CompareRun, VariantResult } from './types';

function variant(id: string, accuracy: number): VariantResult {
	return {
		variantId: id,
		name: id,
		precision: 'fp32',
		origin: 'catalog',
		onnxBytes: 1000,
		downloadBytes: 1200,
		loadMs: 12.3456,
		readMs: 2,
		createMs: 10.3456,
		latency: [{ backend: 'wasm-1', threads: 1, runs: 10, p50: 1.5, p95: 2.5, mean: 1.7 }],
		memory: null,
		quality: [
			{ id: 'accuracy', label: 'Accuracy', value: accuracy, against: 'truth', higherIsBetter: true }
		],
		notes: []
	};
}

const run: CompareRun = {
	id: 'r1',
	createdAt: 0,
	modelId: 'mnist-mlp',
	modelName: 'MNIST MLP',
	task: 'digits',
	evalSet: '300 digits',
	headline: 'accuracy',
	environment: {
		ortVersion: '1.30.0',
		crossOriginIsolated: true,
		hardwareConcurrency: 2,
		wasmThreads: 2,
		webgpu: 'none',
		userAgent: 'test'
	},
	variants: [variant('fp32', 0.96), variant('int8, "small"', 0.95)],
	durationMs: 1000
};

describe('exports', () => {
	it('quotes CSV fields that need it', () => {
		expect(csvField('plain')).toBe('plain');
		expect(csvField('a,"b"')).toBe('"a,""b"""');
		expect(csvField(null)).toBe('');
		expect(csvField(NaN)).toBe('');
	});

	it('writes one CSV row per variant with every backend column', () => {
		const lines = runToCsv(run).trimEnd().split('\r\n');
		expect(lines).toHaveLength(3);
		const header = lines[0]!.split(',');
		expect(header).toContain('wasm-all_p50_ms');
		expect(header.at(-1)).toBe('accuracy');
		expect(lines[1]).toBe(
			'mnist-mlp,fp32,yes,fp32,catalog,1000,1200,12.346,1.5,2.5,10,,,,,,,,,0.96'
		);
		expect(lines[2]!.startsWith('mnist-mlp,"int8, ""small""",no,')).toBe(true);
	});

	it('writes the whole run as JSON', () => {
		const parsed = JSON.parse(runToJson(run));
		expect(parsed.format).toBe('hearth-compare');
		expect(parsed.variants[1].quality[0].value).toBe(0.95);
	});
});
