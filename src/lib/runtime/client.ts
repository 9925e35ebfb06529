import { reviveError } from '$lib/errors';
import type { TaskInput, TaskName, TaskRequest, TaskResult } from '$lib/tasks/registry';
import type { TaskRun } from '$lib/tasks/types';
import { WorkerCrashedError } from './errors';
import { MemorySampler } from './memory-sampler';
import {
	tensorTransferables,
	type BackendPreference,
	type CommandReply,
	type CommandRequest,
	type CommandType,
	type InferenceCaller,
	type MemoryInstallRequest,
	type RunResult,
	type RuntimeEnvironment,
	type SessionInfo,
	type TensorData,
	type WorkerReply,
	type WorkerRequest
} from './protocol';

interface Pending {
	resolve(value: unknown): void;
	reject(error: unknown): void;
}

/**
 * The page's handle on the runtime worker: promises over the typed protocol. The worker starts
 * on first use; if it dies, every waiting call fails with a clear error (no spinner waits
 * forever) and the next call starts a fresh worker.
 */
export class RuntimeClient {
	private worker: Worker | null = null;
	private configured: Promise<RuntimeEnvironment> | null = null;
	private readonly pending = new Map<number, Pending>();
	private nextId = 1;
	private readonly memory = new MemorySampler();

	constructor(
		private readonly ortBaseUrl: string,
		private readonly createWorker: () => Worker = () =>
			new Worker(new URL('./worker.ts', import.meta.url), {
				type: 'module',
				name: 'hearth-runtime'
			}),
		/** WASM threads for this worker; one per core when absent (see ConfigureRequest). */
		private readonly threads?: number
	) {}

	/** Starts the worker and ONNX Runtime, and says what this browser offers. */
	environment(): Promise<RuntimeEnvironment> {
		this.configured ??= this.send('configure', {
			ortBaseUrl: this.ortBaseUrl,
			threads: this.threads
		});
		return this.configured;
	}

	async load(installKey: string, path: string, backend: BackendPreference): Promise<SessionInfo> {
		await this.environment();
		return this.send('load', { installKey, path, backend });
	}

	async run(
		sessionId: string,
		inputs: Record<string, TensorData>,
		caller: InferenceCaller = {}
	): Promise<RunResult> {
		await this.environment();
		const memory = this.memory.current();
		const request = { ...caller, memory, sessionId, inputs };
		return this.send('run', request, tensorTransferables(inputs));
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
		return (await this.send('task', command)) as TaskRun<TaskResult<K>>;
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
		return this.send('register-memory-install', request, [...buffers]);
	}

	/** The worker's WebAssembly memory in bytes (its peak), or null before ONNX Runtime starts. */
	async wasmMemory(): Promise<number | null> {
		if (!this.worker) return null;
		return (await this.send('wasm-memory', {})).bytes;
	}

	/** Releases one session, or every session of an install; a worker not started has none. */
	async unload(target: { sessionId: string } | { installKey: string }): Promise<number> {
		if (!this.worker) return 0;
		return (await this.send('unload', target)).unloaded;
	}

	terminate(): void {
		this.fail(new WorkerCrashedError('it was stopped'));
	}

	private send<K extends CommandType>(
		type: K,
		payload: CommandRequest<K>,
		transfer: Transferable[] = []
	): Promise<CommandReply<K>> {
		const worker = this.ensureWorker();
		const id = this.nextId++;
		return new Promise<CommandReply<K>>((resolve, reject) => {
			this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
			worker.postMessage({ id, type, payload } as WorkerRequest, transfer);
		});
	}

	private ensureWorker(): Worker {
		if (this.worker) return this.worker;
		const worker = this.createWorker();
		worker.addEventListener('message', (event: MessageEvent<WorkerReply>) =>
			this.settle(event.data)
		);
		worker.addEventListener('error', (event) => {
			event.preventDefault();
			this.fail(new WorkerCrashedError(event.message || 'the worker script failed'));
		});
		worker.addEventListener('messageerror', () =>
			this.fail(new WorkerCrashedError('a message could not be read'))
		);
		this.worker = worker;
		return worker;
	}

	private settle(reply: WorkerReply): void {
		const pending = this.pending.get(reply.id);
		if (!pending) return;
		this.pending.delete(reply.id);
		if (reply.type === 'error') pending.reject(reviveError(reply.payload));
		else pending.resolve(reply.payload);
	}

	private fail(error: Error): void {
		this.worker?.terminate();
		this.worker = null;
		this.configured = null;
		for (const pending of this.pending.values()) pending.reject(error);
		this.pending.clear();
	}
}
