/**
 * The page's handle on the training worker: `train` resolves with the outcome and calls
 * `onProgress` for every progress message on the way; pause, resume and stop act on the running
 * job. If the worker dies, the waiting calls fail with a clear error and the next call starts a
 * fresh worker.
 */
import { reviveError } from '../errors';
import { TrainingWorkerCrashedError } from './errors';
import type { JobOutcome, TrainJob } from './job';
import type {
	TrainCommand,
	TrainCommandReply,
	TrainCommandRequest,
	TrainProgress,
	TrainWorkerReply,
	TrainWorkerRequest
} from './protocol';

interface Pending {
	resolve(value: unknown): void;
	reject(error: unknown): void;
	onProgress?: (progress: TrainProgress) => void;
}

export class TrainClient {
	private worker: Worker | null = null;
	private readonly pending = new Map<number, Pending>();
	private nextId = 1;

	constructor(
		private readonly createWorker: () => Worker = () =>
			new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'hearth-train' })
	) {}

	/** The job's arrays are copied to the worker, so the page keeps its data for another run. */
	train(job: TrainJob, onProgress: (progress: TrainProgress) => void): Promise<JobOutcome> {
		return this.send('train', job, onProgress);
	}

	pause(): Promise<TrainCommandReply<'pause'>> {
		return this.send('pause', {});
	}

	resume(): Promise<TrainCommandReply<'resume'>> {
		return this.send('resume', {});
	}

	stop(): Promise<TrainCommandReply<'stop'>> {
		return this.send('stop', {});
	}

	terminate(): void {
		this.fail(new TrainingWorkerCrashedError('it was stopped'));
	}

	private send<K extends TrainCommand>(
		type: K,
		payload: TrainCommandRequest<K>,
		onProgress?: (progress: TrainProgress) => void
	): Promise<TrainCommandReply<K>> {
		const worker = this.ensureWorker();
		const id = this.nextId++;
		return new Promise<TrainCommandReply<K>>((resolve, reject) => {
			this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress });
			worker.postMessage({ id, type, payload } as TrainWorkerRequest);
		});
	}

	private ensureWorker(): Worker {
		if (this.worker) return this.worker;
		const worker = this.createWorker();
		worker.addEventListener('message', (event: MessageEvent<TrainWorkerReply>) =>
			this.settle(event.data)
		);
		worker.addEventListener('error', (event) => {
			event.preventDefault();
			this.fail(new TrainingWorkerCrashedError(event.message || 'the training worker failed'));
		});
		worker.addEventListener('messageerror', () =>
			this.fail(new TrainingWorkerCrashedError('a message could not be read'))
		);
		this.worker = worker;
		return worker;
	}

	private settle(reply: TrainWorkerReply): void {
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
