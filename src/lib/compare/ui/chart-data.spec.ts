import { describe, expect, it } from 'vitest';
import type { CompareRun, VariantResult } from '../types';
import { latencyBarData, sizeQualityData } from './chart-data';

const MB = 1024 * 1024;

function variant(id: string, bytes: number, accuracy: number, backends: number[]): VariantResult {
	const names = ['wasm-1', 'wasm-all', 'webgpu'] as const;
	return {
		variantId: id,
		name: id,
		precision: 'fp32',
		origin: 'catalog',
		onnxBytes: bytes,
		downloadBytes: bytes,
		loadMs: 1,
		readMs: 0,
		createMs: 1,
		latency: backends.map((p50, i) => ({
			backend: names[i]!,
			threads: 1,
			runs: 1,
			p50,
			p95: p50,
			mean: p50
		})),
		memory: null,
		quality: [
			{ id: 'accuracy', label: 'Accuracy', value: accuracy, against: 'truth', higherIsBetter: true }
		],
		notes: []
	};
}

const run = {
	headline: 'accuracy',
	variants: [variant('fp32', 4 * MB, 0.96, [3, 2]), variant('int8', 1 * MB, 0.95, [2, 1])]
} as CompareRun;

describe('chart data', () => {
	it('puts each variant at its size, sizes ascending', () => {
		const { data, names, metricLabel } = sizeQualityData(run);
		expect(data[0]).toEqual([1, 4]);
		expect(data[1]).toEqual([null, 0.96]);
		expect(data[2]).toEqual([0.95, null]);
		expect(names).toEqual(['fp32', 'int8']);
		expect(metricLabel).toBe('Accuracy');
	});

	it('groups latency bars by variant, one series per measured backend', () => {
		const { data, backends } = latencyBarData(run);
		expect(backends).toEqual(['wasm-1', 'wasm-all']);
		expect(data[0]).toHaveLength(4);
		expect(data[0]![0]).toBeLessThan(0);
		expect(data[0]![3]).toBeGreaterThan(1);
		expect(data[1]).toEqual([3, null, 2, null]);
		expect(data[2]).toEqual([null, 2, null, 1]);
	});
});
