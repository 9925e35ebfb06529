/**
 * The page's handle on the model worker. It starts on first use; if it dies, waiting calls fail
 * with a clear error and the next call starts a fresh one.
 */
import { WorkerCrashedError } from '$lib/runtime/errors';
import { WorkerRpcClient } from '$lib/worker-rpc';
import type { ModelCommand, ModelWorkerCommands } from './model-worker-protocol';

const client = new WorkerRpcClient<ModelWorkerCommands>(
	() =>
		new Worker(new URL('./model-worker.ts', import.meta.url), {
			type: 'module',
			name: 'hearth-models'
		}),
	(why) => new WorkerCrashedError(why)
);

export function askModelWorker<K extends ModelCommand>(
	type: K,
	payload: ModelWorkerCommands[K]['request'],
	transfer: Transferable[] = []
): Promise<ModelWorkerCommands[K]['reply']> {
	return client.send(type, payload, { transfer });
}
