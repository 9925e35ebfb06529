import { describe, expect, it } from 'vitest';
import { makeRecord } from './record.fixture';
import {
	filterRecords,
	latencySeries,
	percentiles,
	quantileSorted,
	summarize,
	summarizeByVariant,
	throughput
} from './stats';

describe('quantileSorted', () => {
	it('interpolates linearly between the closest ranks (numpy default, type 7)', () => {
		// Values from numpy.percentile with its default linear method.
		expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
		expect(quantileSorted([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48, 12);
		expect(quantileSorted([10, 20, 30, 40, 50], 0.99)).toBeCloseTo(49.6, 12);
		expect(quantileSorted([7], 0.95)).toBe(7);
		expect(quantileSorted([1, 100], 0)).toBe(1);
		expect(quantileSorted([1, 100], 1)).toBe(100);
		expect(quantileSorted([], 0.5)).toBeNaN();
	});

	it('agrees with the textbook definition on random data', () => {
		let seed = 7;
		const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 1000;
		const values = Array.from({ length: 257 }, random);
		const sorted = [...values].sort((a, b) => a - b);
		for (const q of [0.5, 0.95, 0.99]) {
			const h = (sorted.length - 1) * q;
			const expected =
				sorted[Math.floor(h)]! +
				(h - Math.floor(h)) * (sorted[Math.ceil(h)]! - sorted[Math.floor(h)]!);
			expect(quantileSorted(sorted, q)).toBeCloseTo(expected, 9);
		}
		expect(percentiles(values).p95).toBe(quantileSorted(sorted, 0.95));
	});
});

describe('summaries', () => {
	const records = [
		makeRecord({ time: 1000, latencyMs: 10 }),
		makeRecord({ time: 2000, latencyMs: 20, backend: 'webgpu' }),
		makeRecord({ time: 3000, latencyMs: 30, memoryBytes: 5e6, memorySource: 'agent' }),
		makeRecord({ time: 4000, latencyMs: 1, ok: false, errorCode: 'inference', backend: null }),
		makeRecord({ time: 5000, latencyMs: 40, memoryBytes: 4e6, memorySource: 'agent' }),
		makeRecord({ time: 500, latencyMs: 3, model: 'silero-vad', variant: 'v5', task: 'vad' })
	];

	it('counts runs and errors and takes percentiles of the successful runs', () => {
		const mnist = summarize(records.slice(0, 5));
		expect(mnist.count).toBe(5);
		expect(mnist.errors).toBe(1);
		expect(mnist.errorRate).toBe(0.2);
		expect(mnist.latency.p50).toBe(25);
		expect(mnist.latency.p95).toBeCloseTo(38.5, 12);
		expect(mnist.backends).toEqual({ wasm: 3, webgpu: 1, none: 1 });
		expect(mnist.memoryLatest).toBe(4e6);
		expect(mnist.memoryMax).toBe(5e6);
	});

	it('throughput is runs over the span from the first start to the last end', () => {
		// From 1000 ms to 5040 ms: 5 runs in 4.04 s.
		expect(throughput(records.slice(0, 5))).toBeCloseTo(5 / 4.04, 12);
		expect(throughput([makeRecord({ latencyMs: 0 })])).toBeNaN();
		expect(throughput([])).toBe(0);
	});

	it('groups by model variant, busiest first', () => {
		const groups = summarizeByVariant(records);
		expect(groups.map((group) => [group.installKey, group.count])).toEqual([
			['mnist-mlp/fp32', 5],
			['silero-vad/v5', 1]
		]);
	});

	it('filters by time, model and source', () => {
		const mixed = [
			...records,
			makeRecord({ time: 6000, source: 'widget', origin: 'https://a.example' })
		];
		expect(filterRecords(mixed, { since: 3000, installKey: null, source: null })).toHaveLength(4);
		expect(
			filterRecords(mixed, { since: null, installKey: 'silero-vad/v5', source: null })
		).toHaveLength(1);
		expect(filterRecords(mixed, { since: null, installKey: null, source: 'widget' })).toHaveLength(
			1
		);
	});

	it('latency series buckets the successful runs by start time', () => {
		const series = latencySeries(records.slice(0, 5), 0, 6000, 3);
		// Buckets [0, 2000), [2000, 4000), [4000, 6000]: 1, 2 and 1 successful runs.
		expect(series.map((point) => point.count)).toEqual([1, 2, 1]);
		expect(series[1]!.p50).toBe(25);
		expect(series[2]!.start).toBe(4000);
		expect(latencySeries(records, 10, 10, 5)).toEqual([]);
	});
});
