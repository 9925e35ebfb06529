/**
 * Runs a comparison in the browser: each variant, one after the other, through the runtime
 * worker on the eval set. For each it measures the load (IndexedDB to ready sessions), the
 * latency of every request on WASM with all threads (these runs also give the outputs scored
 * for quality), on WASM with one thread (a second worker configured so) and on WebGPU when a
 * hardware adapter exists, and the peak WebAssembly memory of the worker. Each variant runs in
 * fresh workers, so one variant's memory or warm caches never count for another.
 */
import type { ModelManifest, ModelVariant } from '../catalog/manifest';
import type { RuntimeClient } from '../runtime/client';
import type { BackendPreference, RuntimeEnvironment } from '../runtime/protocol';
import { installKeyOf } from '../store/db';
import type { TaskRequest } from '../tasks/registry';
import { latencyStats } from './latency';
import { collectOutputs, scoreOutputs, type EvalOutputs, type EvalPlan } from './plan';
import type { CompareRun, LatencyStats, VariantResult } from './types';

export interface CompareProgress {
	done: number;
	total: number;
	/** What runs now, in words. */
	step: string;
}

export interface CompareClients {
	/** A runtime worker with one WASM thread per core (when isolated), and WebGPU. */
	all: RuntimeClient;
	/** A second worker configured with one WASM thread. */
	single: RuntimeClient;
}

function originOf(model: ModelManifest, variant: ModelVariant): VariantResult['origin'] {
	if (variant.provenance) return variant.provenance.kind;
	return model.origin ? 'user' : 'catalog';
}

/** One timed request: wall time minus what the worker spent loading (not latency). */
async function timed(
	client: RuntimeClient,
	installKey: string,
	backend: BackendPreference,
	request: TaskRequest
) {
	const start = performance.now();
	const run = await client.runTask(installKey, backend, request.name, request.input as never, {
		source: 'compare'
	});
	const ms = performance.now() - start - run.timings.loadMs;
	return { run, ms };
}

export function hardwareWebGpu(environment: RuntimeEnvironment): boolean {
	return environment.webgpu.available && !environment.webgpu.fallbackAdapter;
}

/** Requests each variant runs, for the progress bar. */
export function plannedSteps(plan: EvalPlan, variants: number, webgpu: boolean): number {
	const extra = Math.min(plan.latencyItems, plan.requests.length) + 1; // timed + warm-up
	return variants * (2 + plan.requests.length + extra * (webgpu ? 2 : 1));
}

export async function runComparison(options: {
	model: ModelManifest;
	variants: ModelVariant[];
	plan: EvalPlan;
	/** Fresh workers for one variant; the runner terminates them when the variant is done. */
	createClients: () => CompareClients;
	onProgress: (progress: CompareProgress) => void;
}): Promise<CompareRun> {
	const { model, variants, plan, onProgress } = options;
	const started = performance.now();
	const probe = options.createClients();
	const environment = await probe.all.environment().finally(() => {
		probe.all.terminate();
		probe.single.terminate();
	});
	const webgpu = hardwareWebGpu(environment);
	const total = plannedSteps(plan, variants.length, webgpu);
	let done = 0;
	const step = (text: string) => onProgress({ done: done++, total, step: text });
	const timedCount = Math.min(plan.latencyItems, plan.requests.length);

	const partial: { result: VariantResult; outputs: EvalOutputs }[] = [];
	for (const variant of variants) {
		const clients = options.createClients();
		try {
			partial.push(await runVariant(variant, clients));
		} finally {
			clients.all.terminate();
			clients.single.terminate();
		}
	}

	async function runVariant(variant: ModelVariant, clients: CompareClients) {
		const installKey = installKeyOf(model.id, variant.id);
		const notes = new Set<string>();
		// ONNX Runtime compiles its WebAssembly on a worker's first session: not part of the load.
		step(`${variant.name}: starting ONNX Runtime`);
		const firstGraph = variant.files.find((f) => f.kind === 'onnx');
		if (firstGraph) {
			await clients.all.load(installKey, firstGraph.path, 'wasm');
			await clients.all.unload({ installKey });
		}

		step(`${variant.name}: loading`);
		let readMs = 0;
		let createMs = 0;
		for (const file of variant.files.filter((f) => f.kind === 'onnx')) {
			const info = await clients.all.load(installKey, file.path, 'wasm');
			readMs += info.readMs;
			createMs += info.createMs;
			info.notes.forEach((note) => notes.add(note));
		}

		const results: unknown[] = [];
		const allTimes: number[] = [];
		for (const [i, request] of plan.requests.entries()) {
			step(`${variant.name}: item ${i + 1} of ${plan.requests.length}, all threads`);
			const { run, ms } = await timed(clients.all, installKey, 'wasm', request);
			results.push(run.result);
			allTimes.push(ms);
			run.notes.forEach((note) => notes.add(note));
		}
		const latency: LatencyStats[] = [latencyStats('wasm-all', environment.wasmThreads, allTimes)];

		const timeOn = async (client: RuntimeClient, backend: BackendPreference, label: string) => {
			const times: number[] = [];
			for (let i = -1; i < timedCount; i++) {
				step(`${variant.name}: ${label}`);
				// Index -1 is the warm-up run: it loads the sessions on this backend.
				const { run, ms } = await timed(
					client,
					installKey,
					backend,
					plan.requests[Math.max(0, i)]!
				);
				if (i >= 0) times.push(ms);
				if (backend === 'webgpu' && run.backend !== 'webgpu') {
					run.notes.forEach((note) => notes.add(note));
					return null;
				}
			}
			return times;
		};
		const single = await timeOn(clients.single, 'wasm', '1 thread');
		if (single) latency.unshift(latencyStats('wasm-1', 1, single));
		if (webgpu) {
			const gpu = await timeOn(clients.all, 'webgpu', 'WebGPU');
			if (gpu) latency.push(latencyStats('webgpu', 0, gpu));
		} else {
			notes.add(`No WebGPU timing: ${environment.webgpu.description || 'no hardware adapter'}.`);
		}
		// The all-threads worker ran every request of this variant and nothing else: its memory's
		// size is this variant's peak (WebGPU buffers not included).
		const wasmBytes = await clients.all.wasmMemory();

		return {
			outputs: collectOutputs(plan.set, results),
			result: {
				variantId: variant.id,
				name: variant.name,
				precision: variant.precision,
				origin: originOf(model, variant),
				onnxBytes: variant.files.filter((f) => f.kind === 'onnx').reduce((s, f) => s + f.bytes, 0),
				downloadBytes: variant.files.reduce((sum, file) => sum + file.bytes, 0),
				loadMs: readMs + createMs,
				readMs,
				createMs,
				latency,
				memory: wasmBytes === null ? null : { bytes: wasmBytes, source: 'wasm-heap' as const },
				quality: [],
				notes: [...notes]
			}
		};
	}
	onProgress({ done: total, total, step: 'Scoring' });
	const reference = partial[0]!.outputs;
	return {
		id: crypto.randomUUID(),
		createdAt: Date.now(),
		modelId: model.id,
		modelName: model.name,
		task: plan.set.task,
		evalSet: plan.description,
		headline: plan.headline,
		environment: {
			ortVersion: environment.ortVersion,
			crossOriginIsolated: environment.crossOriginIsolated,
			hardwareConcurrency: environment.hardwareConcurrency,
			wasmThreads: environment.wasmThreads,
			webgpu: webgpu ? environment.webgpu.description : 'none',
			userAgent: navigator.userAgent
		},
		variants: partial.map(({ result, outputs }) => ({
			...result,
			quality: scoreOutputs(plan.set, outputs, reference)
		})),
		durationMs: performance.now() - started
	};
}
