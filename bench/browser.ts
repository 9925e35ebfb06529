/**
 * The bench's two measurements inside Chromium, each on a fresh page: Hearth's runtime worker
 * driven over its own protocol (configure with a thread count, load, run: what every Hearth page
 * does), and bare onnxruntime-web on the page's main thread with the model's bytes in memory.
 * Both run the same sample inputs; times are round trips measured on the page.
 */
import type { Page } from '@playwright/test';

export interface SampleInput {
	name: string;
	/** The sample's tensor type (bool travels as 0/1 bytes). */
	dtype: 'float32' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';
	dims: number[];
	values: number[];
}

export interface GraphCase {
	installKey: string;
	path: string;
	/** URL of the graph file on the bench server (bare ORT fetches it into memory). */
	url: string;
	inputs: SampleInput[];
}

export interface BrowserTimes {
	/** Session from bytes: Hearth's IndexedDB read + create, or bare ORT's create from memory. */
	loadMs: number[];
	readMs: number[];
	runMs: number[];
}

/** Runs until this many runs or this many milliseconds, whichever comes first (after warm-up). */
export const RUN_LIMITS = { maxRuns: 200, maxMs: 2_000, minRuns: 10, warmup: 3, loads: 3 };

/** Hearth: a runtime worker configured with `threads`, every graph loaded (3 times) and run. */
export async function hearthTimes(
	page: Page,
	workerUrl: string,
	ortBaseUrl: string,
	threads: number,
	cases: GraphCase[]
): Promise<BrowserTimes[]> {
	return page.evaluate(
		async ({ workerUrl, ortBaseUrl, threads, cases, limits }) => {
			const worker = new Worker(workerUrl, { type: 'module', name: 'hearth-bench' });
			let nextId = 1;
			const pending = new Map<number, (reply: { type: string; payload: unknown }) => void>();
			worker.onmessage = (event) => {
				pending.get(event.data.id)?.(event.data);
				pending.delete(event.data.id);
			};
			const send = async (type: string, payload: unknown) => {
				const reply = await new Promise<{ type: string; payload: unknown }>((done) => {
					const id = nextId++;
					pending.set(id, done);
					worker.postMessage({ id, type, payload });
				});
				if (reply.type === 'error') throw new Error(JSON.stringify(reply.payload));
				return reply.payload as Record<string, unknown>;
			};
			// Defined in the page: functions passed to evaluate cannot see the bench's own.
			const typed = (dtype: string, values: number[]) =>
				dtype === 'int64'
					? BigInt64Array.from(values, (v) => BigInt(v))
					: dtype === 'int32'
						? Int32Array.from(values)
						: dtype === 'int8'
							? Int8Array.from(values)
							: dtype === 'uint8' || dtype === 'bool'
								? Uint8Array.from(values)
								: Float32Array.from(values);
			const feedsOf = (inputs: (typeof cases)[number]['inputs']) =>
				Object.fromEntries(
					inputs.map((input) => [
						input.name,
						{
							dtype: input.dtype,
							dims: input.dims,
							data: typed(input.dtype, input.values)
						}
					])
				);
			await send('configure', { ortBaseUrl, threads });
			// ONNX Runtime compiles its WebAssembly on the first session: not part of any load.
			const first = cases[0]!;
			const warm = await send('load', {
				installKey: first.installKey,
				path: first.path,
				backend: 'wasm'
			});
			await send('unload', { sessionId: warm.sessionId });
			const results = [];
			for (const item of cases) {
				const times = { loadMs: [] as number[], readMs: [] as number[], runMs: [] as number[] };
				let sessionId = '';
				for (let i = 0; i < limits.loads; i++) {
					const info = await send('load', {
						installKey: item.installKey,
						path: item.path,
						backend: 'wasm'
					});
					times.loadMs.push((info.readMs as number) + (info.createMs as number));
					times.readMs.push(info.readMs as number);
					sessionId = info.sessionId as string;
					if (i < limits.loads - 1) await send('unload', { sessionId });
				}
				const feeds = feedsOf(item.inputs);
				for (let i = 0; i < limits.warmup; i++) await send('run', { sessionId, inputs: feeds });
				const started = performance.now();
				while (
					times.runMs.length < limits.minRuns ||
					(times.runMs.length < limits.maxRuns && performance.now() - started < limits.maxMs)
				) {
					const start = performance.now();
					await send('run', { sessionId, inputs: feeds });
					times.runMs.push(performance.now() - start);
				}
				await send('unload', { sessionId });
				results.push(times);
			}
			worker.terminate();
			return results;
		},
		{ workerUrl, ortBaseUrl, threads, cases, limits: RUN_LIMITS }
	);
}

/** Bare onnxruntime-web on the main thread: bytes fetched first, then sessions and runs timed. */
export async function bareOrtTimes(
	page: Page,
	ortModuleUrl: string,
	ortBaseUrl: string,
	threads: number,
	cases: GraphCase[]
): Promise<BrowserTimes[]> {
	return page.evaluate(
		async ({ ortModuleUrl, ortBaseUrl, threads, cases, limits }) => {
			type Ort = typeof import('onnxruntime-web');
			const ort = (await import(/* @vite-ignore */ ortModuleUrl)) as Ort;
			ort.env.wasm.wasmPaths = ortBaseUrl;
			ort.env.wasm.numThreads = threads;
			ort.env.logLevel = 'error';
			const options = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' } as const;
			const bytesOf = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());
			// ONNX Runtime compiles its WebAssembly on the first session: not part of any load.
			await (await ort.InferenceSession.create(await bytesOf(cases[0]!.url), options)).release();
			const results = [];
			for (const item of cases) {
				const bytes = await bytesOf(item.url);
				const times = { loadMs: [] as number[], readMs: [] as number[], runMs: [] as number[] };
				let session: Awaited<ReturnType<typeof ort.InferenceSession.create>> | null = null;
				for (let i = 0; i < limits.loads; i++) {
					await session?.release();
					const start = performance.now();
					session = await ort.InferenceSession.create(bytes, options);
					times.loadMs.push(performance.now() - start);
					times.readMs.push(0);
				}
				// Tensors are made for every run, as Hearth's worker makes them from each request.
				const typed = (dtype: string, values: number[]) =>
					dtype === 'int64'
						? BigInt64Array.from(values, (v) => BigInt(v))
						: dtype === 'int32'
							? Int32Array.from(values)
							: dtype === 'int8'
								? Int8Array.from(values)
								: dtype === 'uint8' || dtype === 'bool'
									? Uint8Array.from(values)
									: Float32Array.from(values);
				const feeds = () =>
					Object.fromEntries(
						item.inputs.map((input) => [
							input.name,
							new ort.Tensor(input.dtype, typed(input.dtype, input.values), input.dims)
						])
					);
				const run = async () => {
					const outputs = await session!.run(feeds());
					// Read every output, as Hearth's worker does to send it back.
					for (const tensor of Object.values(outputs)) {
						void tensor.data;
						tensor.dispose();
					}
				};
				for (let i = 0; i < limits.warmup; i++) await run();
				const started = performance.now();
				while (
					times.runMs.length < limits.minRuns ||
					(times.runMs.length < limits.maxRuns && performance.now() - started < limits.maxMs)
				) {
					const start = performance.now();
					await run();
					times.runMs.push(performance.now() - start);
				}
				await session!.release();
				results.push(times);
			}
			return results;
		},
		{ ortModuleUrl, ortBaseUrl, threads, cases, limits: RUN_LIMITS }
	);
}
