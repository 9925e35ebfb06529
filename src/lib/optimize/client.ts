/**
 * The page's handle on the optimize worker: `optimize` resolves with the optimized files and
 * calls `onProgress` on the way. The files' buffers are handed over, not copied: pass copies of
 * bytes you still need. If the worker dies, the waiting call fails with a clear error and the
 * next call starts a fresh worker.
 */
import { reviveError } from '../errors';
import { OptimizeWorkerCrashedError } from './errors';
import {
	fileTransferables,
	type OptimizeCommand,
	type OptimizeCommandReply,
	type OptimizeCommandRequest,
	type OptimizeJob,
	type OptimizeJobProgress,
	type OptimizeOutcome,
	type OptimizeWorkerReply,
	type OptimizeWorkerRequest
} from './protocol';

interface Pending {
	resolve(value: unknown): void;
	reject(error: unknown): void;
	onProgress?: (progress: OptimizeJobProgress) => void;
}

export class OptimizeClient {
	private worker: Worker | null = null;
	private readonly pending = new Map<number, Pending>();
	private nextId = 1;

	constructor(
		private readonly createWorker: () => Worker = () =>
			new Worker(new URL('./worker.ts', import.meta.url), {
				type: 'module',
				name: 'hearth-optimize'
			})
	) {}

	optimize(
		job: OptimizeJob,
		onProgress: (progress: OptimizeJobProgress) => void
	): Promise<OptimizeOutcome> {
		return this.send('optimize', job, onProgress, fileTransferables(job.files));
	}

	terminate(): void {
		this.fail(new OptimizeWorkerCrashedError('it was stopped'));
	}

	private send<K extends OptimizeCommand>(
		type: K,
		payload: OptimizeCommandRequest<K>,
		onProgress?: (progress: OptimizeJobProgress) => void,
		transfer: Transferable[] = []
	): Promise<OptimizeCommandReply<K>> {
		const worker = this.ensureWorker();
		const id = this.nextId++;
		return new Promise<OptimizeCommandReply<K>>((resolve, reject) => {
			this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress });
			worker.postMessage({ id, type, payload } as OptimizeWorkerRequest, transfer);
		});
	}

	private ensureWorker(): Worker {
		if (this.worker) return this.worker;
		const worker = this.createWorker();
		worker.addEventListener('message', (event: MessageEvent<OptimizeWorkerReply>) =>
			this.settle(event.data)
		);
		worker.addEventListener('error', (event) => {
			event.preventDefault();
			this.fail(new OptimizeWorkerCrashedError(event.message || 'the worker script failed'));
		});
		worker.addEventListener('messageerror', () =>
			this.fail(new OptimizeWorkerCrashedError('a message could not be read'))
		);
		this.worker = worker;
		return worker;
	}

	private settle(reply: OptimizeWorkerReply): void {
		const pending = this.pending.get(reply.id);
		if (!pending) return;
		if (reply.type === 'progress') {
			pending.onProgress?.(reply.payload);
			return;
		}
		this.pending.delete(reply.id);
		if (reply.type === 'error') pending.reject(reviveError(reply.payload));
		else pending.resolve(reply.payload);
	}

	private fail(error: Error): void {
		this.worker?.terminate();
		this.worker = null;
		for (const pending of this.pending.values()) pending.reject(error);
		this.pending.clear();
	}
}

let shared: OptimizeClient | null = null;

/** The one optimize worker client of the page. */
export function getOptimizer(): OptimizeClient {
	shared ??= new OptimizeClient();
	return shared;
}
