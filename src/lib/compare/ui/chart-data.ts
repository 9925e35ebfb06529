/**
 * The two comparison charts' data, in uPlot's aligned form (x values ascending, one array per
 * series with null where a series has no point). Pure, so it is unit-tested.
 */
import { BACKEND_LABELS, type CompareRun, type LatencyBackend } from '../types';

/** Size (MB of ONNX) against the headline metric: one series per variant, one point each. */
export function sizeQualityData(run: CompareRun): {
	data: (number | null)[][];
	names: string[];
	metricLabel: string;
} {
	const points = run.variants.map((variant) => ({
		name: variant.name,
		x: variant.onnxBytes / (1024 * 1024),
		y: variant.quality.find((metric) => metric.id === run.headline)?.value ?? null
	}));
	const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
	const series = points.map((point) => xs.map((x) => (x === point.x ? point.y : null)));
	const metricLabel =
		run.variants[0]?.quality.find((metric) => metric.id === run.headline)?.label ?? run.headline;
	return { data: [xs, ...series], names: points.map((p) => p.name), metricLabel };
}

/** Bars of p50 latency, grouped by variant: one series per backend measured. */
export function latencyBarData(run: CompareRun): {
	data: (number | null)[][];
	backends: LatencyBackend[];
	slots: number;
} {
	const order = Object.keys(BACKEND_LABELS) as LatencyBackend[];
	const backends = order.filter((backend) =>
		run.variants.some((variant) => variant.latency.some((entry) => entry.backend === backend))
	);
	const width = 1 / (backends.length + 1);
	const xs: number[] = [];
	const series: (number | null)[][] = backends.map(() => []);
	run.variants.forEach((variant, v) => {
		backends.forEach((backend, b) => {
			xs.push(v + (b - (backends.length - 1) / 2) * width);
			series.forEach((values, s) => {
				values.push(
					s === b ? (variant.latency.find((entry) => entry.backend === backend)?.p50 ?? null) : null
				);
			});
		});
	});
	return { data: [xs, ...series], backends, slots: run.variants.length };
}
