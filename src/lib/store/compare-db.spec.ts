import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { CompareRun } from '$lib/compare/types';
import { deleteCompareRun, KEPT_RUNS, listCompareRuns, saveCompareRun } from './compare-db';

function run(id: string, createdAt: number): CompareRun {
	return {
		id,
		createdAt,
		modelId: 'mnist-mlp',
		modelName: 'MNIST MLP',
		task: 'digits',
		evalSet: '300 MNIST test digits',
		headline: 'accuracy',
		environment: {
			ortVersion: '1.30.0',
			crossOriginIsolated: true,
			hardwareConcurrency: 2,
			wasmThreads: 2,
			webgpu: 'none',
			userAgent: 'test'
		},
		variants: [],
		durationMs: 1
	};
}

describe('compare results store', () => {
	it('keeps runs newest first, drops the oldest beyond the limit, deletes one', async () => {
		for (let i = 0; i < KEPT_RUNS + 2; i++) await saveCompareRun(run(`r${i}`, 1000 + i));
		const runs = await listCompareRuns();
		expect(runs).toHaveLength(KEPT_RUNS);
		expect(runs[0]!.id).toBe(`r${KEPT_RUNS + 1}`);
		expect(runs.some((r) => r.id === 'r0' || r.id === 'r1')).toBe(false);
		await deleteCompareRun(`r${KEPT_RUNS + 1}`);
		expect((await listCompareRuns())[0]!.id).toBe(`r${KEPT_RUNS}`);
	});
});
