/**
 * The Monitor's numbers, computed from raw records only, so the dashboard can always be checked
 * against them.
 */
import type { InferenceRecord, InferenceSource } from './types';

/**
 * The q-quantile (0..1) of values sorted ascending, interpolating linearly between the two
 * closest ranks: position (n - 1)·q, as numpy's default, R's type 7 and spreadsheet
 * PERCENTILE.INC do. NaN for no values.
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
	if (sorted.length === 0) return NaN;
	const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
	const lower = Math.floor(position);
	const upper = Math.ceil(position);
	const low = sorted[lower]!;
	return low + (sorted[upper]! - low) * (position - lower);
}

export function sortedAscending(values: Iterable<number>): number[] {
	return [...values].sort((a, b) => a - b);
}

export interface Percentiles {
	p50: number;
	p95: number;
	p99: number;
}

export function percentiles(values: Iterable<number>): Percentiles {
	const sorted = sortedAscending(values);
	return {
		p50: quantileSorted(sorted, 0.5),
		p95: quantileSorted(sorted, 0.95),
		p99: quantileSorted(sorted, 0.99)
	};
}

export interface MonitorFilter {
	/** Records that started at or after this time (ms since 1970); null for all. */
	since: number | null;
	installKey: string | null;
	source: InferenceSource | null;
}

export function filterRecords(
	records: readonly InferenceRecord[],
	filter: MonitorFilter
): InferenceRecord[] {
	return records.filter(
		(record) =>
			(filter.since === null || record.time >= filter.since) &&
			(filter.installKey === null || record.installKey === filter.installKey) &&
			(filter.source === null || record.source === filter.source)
	);
}

export interface GroupSummary {
	installKey: string;
	model: string;
	variant: string;
	count: number;
	errors: number;
	/** errors / count, 0..1. */
	errorRate: number;
	/**
	 * Runs per second while running: count over the span from the first run's start to the last
	 * run's end. NaN for one run with no measurable duration.
	 */
	throughput: number;
	/** Latency percentiles of the runs that succeeded (failed runs often end early). */
	latency: Percentiles;
	/** Runs per backend ('none' for runs that failed before one was chosen). */
	backends: Record<string, number>;
	/** Memory samples seen on these runs: the latest and the largest, in bytes. */
	memoryLatest: number | null;
	memoryMax: number | null;
}

/** Runs per second from the first start to the last end; NaN when that span is zero. */
export function throughput(records: readonly InferenceRecord[]): number {
	if (records.length === 0) return 0;
	let first = Infinity;
	let last = -Infinity;
	for (const record of records) {
		first = Math.min(first, record.time);
		last = Math.max(last, record.time + record.latencyMs);
	}
	const seconds = (last - first) / 1000;
	return seconds > 0 ? records.length / seconds : NaN;
}

export function summarize(records: readonly InferenceRecord[]): GroupSummary {
	const first = records[0];
	const okLatencies: number[] = [];
	const backends: Record<string, number> = {};
	let errors = 0;
	let memoryLatest: number | null = null;
	let memoryLatestTime = -Infinity;
	let memoryMax: number | null = null;
	for (const record of records) {
		if (record.ok) okLatencies.push(record.latencyMs);
		else errors++;
		const backend = record.backend ?? 'none';
		backends[backend] = (backends[backend] ?? 0) + 1;
		if (record.memoryBytes !== null) {
			memoryMax = Math.max(memoryMax ?? 0, record.memoryBytes);
			if (record.time >= memoryLatestTime) {
				memoryLatestTime = record.time;
				memoryLatest = record.memoryBytes;
			}
		}
	}
	return {
		installKey: first?.installKey ?? '',
		model: first?.model ?? '',
		variant: first?.variant ?? '',
		count: records.length,
		errors,
		errorRate: records.length === 0 ? 0 : errors / records.length,
		throughput: throughput(records),
		latency: percentiles(okLatencies),
		backends,
		memoryLatest,
		memoryMax
	};
}

/** One summary per model variant, busiest first. */
export function summarizeByVariant(records: readonly InferenceRecord[]): GroupSummary[] {
	const groups = new Map<string, InferenceRecord[]>();
	for (const record of records) {
		const group = groups.get(record.installKey);
		if (group) group.push(record);
		else groups.set(record.installKey, [record]);
	}
	return [...groups.values()]
		.map(summarize)
		.sort((a, b) => b.count - a.count || a.installKey.localeCompare(b.installKey));
}

export interface SeriesPoint extends Percentiles {
	/** Start of the bucket, ms since 1970. */
	start: number;
	end: number;
	count: number;
}

/**
 * Latency percentiles over time: the span from `from` to `to` cut into `buckets` equal buckets,
 * each with the percentiles of the successful runs that started in it. Empty buckets are left
 * out, so a chart draws gaps as straight lines and the table has no empty rows.
 */
export function latencySeries(
	records: readonly InferenceRecord[],
	from: number,
	to: number,
	buckets: number
): SeriesPoint[] {
	if (records.length === 0 || !(to > from) || buckets < 1) return [];
	const width = (to - from) / buckets;
	const latencies: number[][] = Array.from({ length: buckets }, () => []);
	for (const record of records) {
		if (!record.ok || record.time < from || record.time > to) continue;
		const index = Math.min(buckets - 1, Math.floor((record.time - from) / width));
		latencies[index]!.push(record.latencyMs);
	}
	const points: SeriesPoint[] = [];
	latencies.forEach((values, index) => {
		if (values.length === 0) return;
		const start = from + index * width;
		points.push({ start, end: start + width, count: values.length, ...percentiles(values) });
	});
	return points;
}
