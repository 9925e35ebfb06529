/**
 * The page's handle on the convert worker: `convert` resolves with the ONNX bytes and the
 * report, calling `onProgress` on the way. The files' buffers are handed over, not copied: the
 * caller must not use them afterwards. If the worker dies, the waiting call fails with a clear
 * error and the next call starts a fresh worker.
 */
import { WorkerRpcClient } from '../worker-rpc';
import { ConvertWorkerCrashedError } from './import-errors';
import {
	bufferTransferables,
	type ConvertCommands,
	type ConvertJob,
	type ConvertOutcome,
	type ConvertProgress
} from './protocol';

export class ConvertClient {
	private readonly rpc: WorkerRpcClient<ConvertCommands, ConvertProgress>;

	constructor(
		createWorker: () => Worker = () =>
			new Worker(new URL('./worker.ts', import.meta.url), {
				type: 'module',
				name: 'hearth-convert'
			})
	) {
		this.rpc = new WorkerRpcClient(createWorker, (why) => new ConvertWorkerCrashedError(why));
	}

	convert(
		job: ConvertJob,
		onProgress: (progress: ConvertProgress) => void
	): Promise<ConvertOutcome> {
		const transfer = bufferTransferables(job.files.map((file) => file.bytes));
		return this.rpc.send('convert', job, { onProgress, transfer });
	}

	terminate(): void {
		this.rpc.terminate();
	}
}

let shared: ConvertClient | null = null;

/** The one convert worker client of the page. */
export function getConverter(): ConvertClient {
	shared ??= new ConvertClient();
	return shared;
}
