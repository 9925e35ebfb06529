import type { TaskInput, TaskName, TaskRequest, TaskResult } from '$lib/tasks/registry';
import type { TaskRun } from '$lib/tasks/types';
import { WorkerRpcClient } from '$lib/worker-rpc';
import { WorkerCrashedError } from './errors';
import { MemorySampler } from './memory-sampler';
import {
	tensorTransferables,
	type BackendPreference,
	type InferenceCaller,
	type MemoryInstallRequest,
	type RunResult,
	type RuntimeCommands,
	type RuntimeEnvironment,
	type SessionInfo,
	type TensorData
} from './protocol';

/**
 * The page's handle on the runtime worker: promises over the typed protocol. The worker starts
 * on first use; if it dies, every waiting call fails with a clear error (no spinner waits
 * forever) and the next call starts a fresh worker.
 */
export class RuntimeClient {
	private readonly rpc: WorkerRpcClient<RuntimeCommands>;
	private configured: Promise<RuntimeEnvironment> | null = null;
	private readonly memory = new MemorySampler();

	constructor(
		private readonly ortBaseUrl: string,
		createWorker: () => Worker = () =>
			new Worker(new URL('./worker.ts', import.meta.url), {
				type: 'module',
				name: 'hearth-runtime'
			}),
		/** WASM threads for this worker; one per core when absent (see ConfigureRequest). */
		private readonly threads?: number
	) {
		// A fresh worker must be configured again.
		this.rpc = new WorkerRpcClient(
			createWorker,
			(why) => new WorkerCrashedError(why),
			() => (this.configured = null)
		);
	}

	/** Starts the worker and ONNX Runtime, and says what this browser offers. */
	environment(): Promise<RuntimeEnvironment> {
		this.configured ??= this.rpc.send('configure', {
			ortBaseUrl: this.ortBaseUrl,
			threads: this.threads
		});
		return this.configured;
	}

	async load(installKey: string, path: string, backend: BackendPreference): Promise<SessionInfo> {
		await this.environment();
		return this.rpc.send('load', { installKey, path, backend });
	}

	async run(
		sessionId: string,
		inputs: Record<string, TensorData>,
		caller: InferenceCaller = {}
	): Promise<RunResult> {
		await this.environment();
		const memory = this.memory.current();
		const request = { ...caller, memory, sessionId, inputs };
		return this.rpc.send('run', request, { transfer: tensorTransferables(inputs) });
	}

	/** Runs a task pipeline (pre-processing, inference, post-processing) in the worker. */
	async runTask<K extends TaskName>(
		installKey: string,
		backend: BackendPreference,
		name: K,
		input: TaskInput<K>,
		caller: InferenceCaller = {}
	): Promise<TaskRun<TaskResult<K>>> {
		await this.environment();
		const task = { name, input } as TaskRequest;
		const command = { ...caller, memory: this.memory.current(), installKey, backend, task };
		return (await this.rpc.send('task', command)) as TaskRun<TaskResult<K>>;
	}

	/**
	 * Hands a variant's verified files to the worker, which then runs it from memory (where the
	 * model store is unavailable). The buffers are moved, not copied: the caller loses them.
	 */
	async registerMemoryInstall(
		request: MemoryInstallRequest
	): Promise<{ installKey: string; bytes: number }> {
		await this.environment();
		const buffers = new Set<ArrayBuffer>();
		for (const data of Object.values(request.files)) {
			if (data.buffer instanceof ArrayBuffer) buffers.add(data.buffer);
		}
		return this.rpc.send('register-memory-install', request, { transfer: [...buffers] });
	}

	/** The worker's WebAssembly memory in bytes (its peak), or null before ONNX Runtime starts. */
	async wasmMemory(): Promise<number | null> {
		if (!this.rpc.started) return null;
		return (await this.rpc.send('wasm-memory', {})).bytes;
	}

	/** Releases one session, or every session of an install; a worker not started has none. */
	async unload(target: { sessionId: string } | { installKey: string }): Promise<number> {
		if (!this.rpc.started) return 0;
		return (await this.rpc.send('unload', target)).unloaded;
	}

	terminate(): void {
		this.rpc.terminate();
	}
}
