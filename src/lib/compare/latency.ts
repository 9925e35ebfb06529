/** Latency figures of a series of timed runs, with the Monitor's percentile definition. */
import { quantileSorted, sortedAscending } from '../metrics/stats';
import type { LatencyBackend, LatencyStats } from './types';

export function latencyStats(
	backend: LatencyBackend,
	threads: number,
	milliseconds: readonly number[]
): LatencyStats {
	const sorted = sortedAscending(milliseconds);
	const mean = sorted.length ? sorted.reduce((sum, value) => sum + value, 0) / sorted.length : NaN;
	return {
		backend,
		threads,
		runs: sorted.length,
		p50: quantileSorted(sorted, 0.5),
		p95: quantileSorted(sorted, 0.95),
		mean
	};
}
