/**
 * What recording every inference costs, measured two ways and printed per model:
 *
 * 1. In Chromium: the built site's runtime worker driven over its own protocol (configure, load,
 *    run), with recording on and off in alternating blocks of back-to-back runs (ABBA order, so
 *    drift of the machine cancels out). Each recorded block holds a multiple of the 50-record
 *    batch, so it writes its own batches; an idle second after each block lets the last write
 *    finish outside the next block's clock. Recording is switched as the Monitor page does it:
 *    the setting in the metrics database, then a 'settings' message on the metrics channel.
 * 2. In Node: the same recording code (src/lib/runtime/metrics.ts: the record, the batcher, the
 *    batched write with retention) around a run that does nothing, on fake-indexeddb, a pure
 *    JavaScript IndexedDB slower than a browser's: the CPU time one record costs, at most. On a
 *    busy machine this is the steadier number; divided by a model's run time it is the overhead.
 *
 * Tiny models are the worst case: their inference is so short that a fixed cost per run shows
 * most. Run it on a quiet machine (the load average is printed).
 *
 *   HEARTH_WORKSPACE=<name> npx tsx tests/support/build-sites.ts   # once
 *   HEARTH_WORKSPACE=<name> npx tsx bench/monitor-overhead.ts [--pairs 6]
 */
import 'fake-indexeddb/auto';
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH, SUB_PATH } from '../tests/support/chromium';
import { TestFileServer } from '../tests/support/file-server';
import { SUB_PATH_BUILD_DIR } from '../tests/support/workspace';
import { findRuntimeWorker } from './runtime-worker';
import { flushMetrics, recordGraphRun } from '$lib/runtime/metrics';
import type { RunRequest, RunResult } from '$lib/runtime/protocol';

interface Case {
	model: string;
	variant: string;
	path: string;
	inputs: { name: string; dims: number[]; dtype: 'float32' | 'int64'; value?: number }[];
	blockRuns: number;
}

const CASES: Case[] = [
	{
		model: 'mnist-mlp',
		variant: 'fp32',
		path: 'fp32/model.onnx',
		inputs: [{ name: 'pixels', dims: [1, 784], dtype: 'float32' }],
		blockRuns: 500
	},
	{
		model: 'silero-vad',
		variant: 'v5',
		path: 'v5/silero_vad_v5.onnx',
		inputs: [
			{ name: 'input', dims: [1, 576], dtype: 'float32' },
			{ name: 'state', dims: [2, 1, 128], dtype: 'float32' },
			{ name: 'sr', dims: [], dtype: 'int64', value: 16000 }
		],
		blockRuns: 250
	},
	{
		model: 'paddleocr-v4',
		variant: 'fp32',
		path: 'fp32/ch_PP-OCRv4_rec_infer.onnx',
		inputs: [{ name: 'x', dims: [1, 3, 48, 320], dtype: 'float32' }],
		blockRuns: 50
	}
];

const pairsArg = process.argv.indexOf('--pairs');
const PAIRS = pairsArg > 0 ? Number(process.argv[pairsArg + 1]) : 6;

const buildDir = resolve(SUB_PATH_BUILD_DIR);
const workersDir = join(buildDir, '_app/immutable/workers');
if (!existsSync(workersDir)) {
	console.error(
		`No built site in ${SUB_PATH_BUILD_DIR}/: run "npx tsx tests/support/build-sites.ts" first ` +
			'(with the same HEARTH_WORKSPACE).'
	);
	process.exit(1);
}
const workerFile = findRuntimeWorker(workersDir);

/** CPU microseconds per run over `runs` runs, with or without recording, every write done. */
async function nodeLoop(record: boolean, runs: number): Promise<number> {
	const inputs: RunRequest['inputs'] = {
		pixels: { dtype: 'float32', dims: [1, 784], data: new Float32Array(784) }
	};
	const result: RunResult = {
		outputs: {},
		backend: 'wasm',
		threads: 2,
		inferenceMs: 0.1,
		notes: []
	};
	const run = async () => result;
	const session = { installKey: 'mnist-mlp/fp32', path: 'fp32/model.onnx' };
	const cpu = process.cpuUsage();
	for (let index = 0; index < runs; index++) {
		const request: RunRequest = { sessionId: 's1', inputs };
		if (record) await recordGraphRun(request, session, run);
		else await run();
	}
	if (record) await flushMetrics();
	const used = process.cpuUsage(cpu);
	return (used.user + used.system) / runs;
}

console.log(
	`Load average ${loadavg()
		.map((n) => n.toFixed(1))
		.join(', ')}.`
);
const NODE_RUNS = 20_000;
const nodeOn: number[] = [];
const nodeOff: number[] = [];
for (let round = 0; round < 5; round++) {
	nodeOff.push(await nodeLoop(false, NODE_RUNS));
	nodeOn.push(await nodeLoop(true, NODE_RUNS));
}
// The least time is the one least disturbed by anything else running.
const recordCostUs = Math.min(...nodeOn) - Math.min(...nodeOff);
console.log(
	`Node, recording code on fake-indexeddb: ${recordCostUs.toFixed(1)} µs of CPU per run, ` +
		`writes and retention included (${NODE_RUNS.toLocaleString()} runs, least of 5 rounds).`
);

const server = new TestFileServer(buildDir, SUB_PATH);
await server.start();
const profile = await mkdtemp(join(tmpdir(), 'hearth-bench-'));
const context = await chromium.launchPersistentContext(profile, {
	executablePath: CHROMIUM_PATH,
	headless: true,
	args: CHROMIUM_ARGS
});

try {
	const page = context.pages()[0] ?? (await context.newPage());
	// tsx (esbuild, keepNames) wraps functions in the callbacks below in a __name(...) helper
	// that exists only in Node: give the page a do-nothing one.
	await page.addInitScript('globalThis.__name = (target) => target');
	page.on('pageerror', (error) => console.error('page error:', error.message));
	await page.goto(server.url('/models'));
	for (const { model, variant } of CASES) {
		const row = `[data-testid="variant-${model}-${variant}"]`;
		await page
			.locator(row)
			.getByRole('button', { name: /^Download / })
			.click();
		await page.locator(`${row}[data-state="ready"]`).waitFor({ timeout: 120_000 });
	}
	// A page of its own, so nothing else (the Models page's worker) runs beside the benchmark.
	await page.goto(server.url('/'));
	await page.evaluate(
		async ({ workerUrl, ortBaseUrl }) => {
			const worker = new Worker(workerUrl, { type: 'module', name: 'hearth-bench' });
			let nextId = 1;
			const pending = new Map<number, (reply: { type: string; payload: unknown }) => void>();
			worker.onmessage = (event) => {
				pending.get(event.data.id)?.(event.data);
				pending.delete(event.data.id);
			};
			const send = (type: string, payload: unknown) =>
				new Promise<{ type: string; payload: unknown }>((done) => {
					const id = nextId++;
					pending.set(id, done);
					worker.postMessage({ id, type, payload });
				});
			(globalThis as unknown as { bench: unknown }).bench = { send };
			await send('configure', { ortBaseUrl });
		},
		{
			workerUrl: server.url(`/_app/immutable/workers/${workerFile}`),
			ortBaseUrl: server.url('/ort/')
		}
	);

	const setRecording = (on: boolean) =>
		page.evaluate(async (recording) => {
			await new Promise<void>((done, fail) => {
				const open = indexedDB.open('hearth-metrics');
				open.onerror = () => fail(open.error);
				open.onsuccess = () => {
					const tx = open.result.transaction('settings', 'readwrite');
					tx.objectStore('settings').put({
						name: 'retention',
						value: { maxRecords: 100_000, maxDays: 30, recording }
					});
					tx.oncomplete = () => (open.result.close(), done());
					tx.onerror = () => fail(tx.error);
				};
			});
			new BroadcastChannel('hearth-metrics').postMessage({ type: 'settings' });
			await new Promise((done) => setTimeout(done, 300));
		}, on);

	console.log(`\nChromium, ${PAIRS} pairs of blocks per model, ms per run (round trip):`);
	console.log(
		'model                       off       on   A/B: median of pairs (range)    Node µs / off'
	);
	for (const item of CASES) {
		const installKey = `${item.model}/${item.variant}`;
		const sessionId = await page.evaluate(
			async ({ installKey, path }) => {
				const { send } = (globalThis as unknown as { bench: { send: Function } }).bench;
				const reply = await send('load', { installKey, path, backend: 'wasm' });
				if (reply.type === 'error') throw new Error(JSON.stringify(reply.payload));
				return (reply.payload as { sessionId: string }).sessionId;
			},
			{ installKey, path: item.path }
		);
		const block = (runs: number) =>
			page.evaluate(
				async ({ sessionId, inputs, runs }) => {
					const { send } = (globalThis as unknown as { bench: { send: Function } }).bench;
					// One set of inputs: each run sends a copy (structured clone), as a page does.
					const feeds = Object.fromEntries(
						inputs.map((input) => {
							const size = input.dims.reduce((a, b) => a * b, 1);
							const data =
								input.dtype === 'int64'
									? BigInt64Array.from({ length: size }, () => BigInt(input.value ?? 0))
									: Float32Array.from({ length: size }, () => input.value ?? Math.random());
							return [input.name, { dtype: input.dtype, dims: input.dims, data }];
						})
					);
					const start = performance.now();
					for (let run = 0; run < runs; run++) {
						const reply = await send('run', { sessionId, inputs: feeds });
						if (reply.type === 'error') throw new Error(JSON.stringify(reply.payload));
					}
					const ms = performance.now() - start;
					await new Promise((done) => setTimeout(done, 1000)); // the last batch's write
					return ms / runs;
				},
				{ sessionId, inputs: item.inputs, runs }
			);
		await setRecording(true);
		await block(Math.max(50, item.blockRuns / 5)); // warm-up: JIT, first write
		const off: number[] = [];
		const on: number[] = [];
		for (let pair = 0; pair < PAIRS; pair++) {
			// ABBA: on, off, off, on, ... so slow drift of the machine cancels out.
			for (const recording of pair % 2 === 0 ? [true, false] : [false, true]) {
				await setRecording(recording);
				(recording ? on : off).push(await block(item.blockRuns));
			}
		}
		const ratios = on.map((ms, index) => ms / off[index]! - 1).sort((a, b) => a - b);
		const median = ratios[Math.floor(ratios.length / 2)]!;
		const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
		const percent = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)}%`;
		const best = Math.min(...off);
		console.log(
			installKey.padEnd(24) +
				mean(off).toFixed(3).padStart(9) +
				mean(on).toFixed(3).padStart(9) +
				`   ${percent(median)} (${percent(ratios[0]!)} to ${percent(ratios.at(-1)!)})`.padEnd(34) +
				percent(recordCostUs / 1000 / best).padStart(10)
		);
	}
	await setRecording(true);
} finally {
	await context.close();
	await rm(profile, { recursive: true, force: true });
	await server.close();
}
// The recorder's metrics channel keeps this process alive; everything is done.
process.exit(0);
