/**
 * How long Hearth's optimizer takes on PaddleOCR v4's 10.8 MB recognition model in Node: the
 * same pure code the optimize worker runs in the browser (decode, transform, encode), for each
 * method, one warm-up then RUNS timed runs. Prints a table; with --json the last line is one
 * JSON object for `npm run bench` (bench/extras.ts):
 *
 *   { "model": string, "bytes": number, "runs": number, "node": string, "cpus": number,
 *     "results": [{ "method": string, "settings": string, "medianMs": number, "minMs": number,
 *                   "maxMs": number, "bytesAfter": number, "ratio": number }] }
 *
 *   npx tsx bench/optimize-speed.ts [--json]
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { describeSettings, type OptimizeSettings } from '../src/lib/optimize/methods';
import { optimizeOnnx } from '../src/lib/optimize/optimize';

const ROOT = resolve(import.meta.dirname, '..');
const MODEL = 'paddleocr-v4/fp32/ch_PP-OCRv4_rec_infer.onnx';
const RUNS = 3;

const METHODS: OptimizeSettings[] = [
	{ method: 'fp16', activations: false },
	{
		method: 'int8-weight-only',
		ops: ['MatMul', 'Gemm', 'Conv', 'Gather'],
		symmetric: true,
		perChannel: true
	},
	{ method: 'int8-dynamic', ops: ['MatMul', 'Gemm'] },
	{ method: 'int4', ops: ['MatMul', 'Gemm', 'Gather'], blockSize: 32, symmetric: true },
	{ method: 'prune-magnitude', ops: ['MatMul', 'Gemm', 'Conv'], sparsity: 0.5 }
];

let bytes: Uint8Array;
try {
	bytes = new Uint8Array(readFileSync(join(ROOT, 'static/models', MODEL)));
} catch (error) {
	throw new Error(`static/models/${MODEL} is missing: run \`npm run assets\` first`, {
		cause: error
	});
}

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const results = METHODS.map((settings) => {
	optimizeOnnx(bytes, MODEL, settings);
	const times: number[] = [];
	let bytesAfter = 0;
	for (let run = 0; run < RUNS; run++) {
		const started = performance.now();
		bytesAfter = optimizeOnnx(bytes, MODEL, settings).bytes.byteLength;
		times.push(performance.now() - started);
	}
	return {
		method: settings.method,
		settings: describeSettings(settings),
		medianMs: Math.round(median(times)),
		minMs: Math.round(Math.min(...times)),
		maxMs: Math.round(Math.max(...times)),
		bytesAfter,
		ratio: Number((bytesAfter / bytes.byteLength).toFixed(3))
	};
});

console.log(
	`${MODEL}, ${(bytes.byteLength / 1e6).toFixed(1)} MB; Node ${process.version}, ${cpus().length} cores; median of ${RUNS} runs after a warm-up`
);
for (const result of results) {
	console.log(
		`${result.method.padEnd(18)} ${String(result.medianMs).padStart(6)} ms (${result.minMs}–${result.maxMs})  → ${(result.bytesAfter / 1e6).toFixed(2)} MB (${result.ratio}x)`
	);
}
if (process.argv.includes('--json')) {
	console.log(
		JSON.stringify({
			model: MODEL,
			bytes: bytes.byteLength,
			runs: RUNS,
			node: process.version,
			cpus: cpus().length,
			results
		})
	);
}
