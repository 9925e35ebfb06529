/** A comparison as JSON (everything) and as CSV (one row per variant, for spreadsheets). */
import { BACKEND_LABELS, type CompareRun, type LatencyBackend } from './types';

export function runToJson(run: CompareRun): string {
	return JSON.stringify({ format: 'hearth-compare', version: 1, ...run }, null, 2);
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
export function csvField(value: string | number | null): string {
	if (value === null) return '';
	const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const BACKENDS = Object.keys(BACKEND_LABELS) as LatencyBackend[];

export function runToCsv(run: CompareRun): string {
	const metricIds = [...new Set(run.variants.flatMap((v) => v.quality.map((m) => m.id)))];
	const header = [
		'model',
		'variant',
		'reference',
		'precision',
		'origin',
		'onnx_bytes',
		'download_bytes',
		'load_ms',
		...BACKENDS.flatMap((backend) => [`${backend}_p50_ms`, `${backend}_p95_ms`, `${backend}_runs`]),
		'memory_bytes',
		'memory_source',
		...metricIds
	];
	const rows = run.variants.map((variant, index) => {
		const latency = (backend: LatencyBackend) =>
			variant.latency.find((entry) => entry.backend === backend);
		return [
			run.modelId,
			variant.variantId,
			index === 0 ? 'yes' : 'no',
			variant.precision,
			variant.origin,
			variant.onnxBytes,
			variant.downloadBytes,
			round(variant.loadMs),
			...BACKENDS.flatMap((backend) => {
				const stats = latency(backend);
				return stats ? [round(stats.p50), round(stats.p95), stats.runs] : [null, null, null];
			}),
			variant.memory?.bytes ?? null,
			variant.memory?.source ?? null,
			...metricIds.map((id) => variant.quality.find((m) => m.id === id)?.value ?? null)
		];
	});
	return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function round(ms: number): number {
	return Math.round(ms * 1000) / 1000;
}
