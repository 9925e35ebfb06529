/**
 * The page's handle on the training worker: `train` resolves with the outcome and calls
 * `onProgress` for every progress message on the way; pause, resume and stop act on the running
 * job. If the worker dies, the waiting calls fail with a clear error and the next call starts a
 * fresh worker.
 */
import { WorkerRpcClient } from '../worker-rpc';
import { TrainingWorkerCrashedError } from './errors';
import type { JobOutcome, TrainJob } from './job';
import type { TrainCommands, TrainProgress } from './protocol';

export class TrainClient {
	private readonly rpc: WorkerRpcClient<TrainCommands, TrainProgress>;

	constructor(
		createWorker: () => Worker = () =>
			new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'hearth-train' })
	) {
		this.rpc = new WorkerRpcClient(createWorker, (why) => new TrainingWorkerCrashedError(why));
	}

	/** The job's arrays are copied to the worker, so the page keeps its data for another run. */
	train(job: TrainJob, onProgress: (progress: TrainProgress) => void): Promise<JobOutcome> {
		return this.rpc.send('train', job, { onProgress });
	}

	pause(): Promise<{ paused: boolean }> {
		return this.rpc.send('pause', {});
	}

	resume(): Promise<{ resumed: boolean }> {
		return this.rpc.send('resume', {});
	}

	stop(): Promise<{ stopping: boolean }> {
		return this.rpc.send('stop', {});
	}

	terminate(): void {
		this.rpc.terminate();
	}
}
