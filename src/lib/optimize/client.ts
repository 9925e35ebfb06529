/**
 * The page's handle on the optimize worker: `optimize` resolves with the optimized files and
 * calls `onProgress` on the way. The files' buffers are handed over, not copied: pass copies of
 * bytes you still need. If the worker dies, the waiting call fails with a clear error and the
 * next call starts a fresh worker.
 */
import { WorkerRpcClient } from '../worker-rpc';
import { OptimizeWorkerCrashedError } from './errors';
import {
	fileTransferables,
	type OptimizeCommands,
	type OptimizeJob,
	type OptimizeJobProgress,
	type OptimizeOutcome
} from './protocol';

export class OptimizeClient {
	private readonly rpc: WorkerRpcClient<OptimizeCommands, OptimizeJobProgress>;

	constructor(
		createWorker: () => Worker = () =>
			new Worker(new URL('./worker.ts', import.meta.url), {
				type: 'module',
				name: 'hearth-optimize'
			})
	) {
		this.rpc = new WorkerRpcClient(createWorker, (why) => new OptimizeWorkerCrashedError(why));
	}

	optimize(
		job: OptimizeJob,
		onProgress: (progress: OptimizeJobProgress) => void
	): Promise<OptimizeOutcome> {
		return this.rpc.send('optimize', job, { onProgress, transfer: fileTransferables(job.files) });
	}

	terminate(): void {
		this.rpc.terminate();
	}
}

let shared: OptimizeClient | null = null;

/** The one optimize worker client of the page. */
export function getOptimizer(): OptimizeClient {
	shared ??= new OptimizeClient();
	return shared;
}
