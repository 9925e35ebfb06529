/**
 * The page's handle on the model worker. It starts on first use; if it dies, waiting calls fail
 * with a clear error and the next call starts a fresh one.
 */
import { reviveError } from '$lib/errors';
import { WorkerCrashedError } from '$lib/runtime/errors';
import type {
	ModelCommand,
	ModelWorkerCommands,
	ModelWorkerReply,
	ModelWorkerRequest
} from './model-worker-protocol';

type Pending = { resolve(value: unknown): void; reject(error: unknown): void };

let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 1;

function fail(error: Error): void {
	worker?.terminate();
	worker = null;
	for (const waiting of pending.values()) waiting.reject(error);
	pending.clear();
}

function ensureWorker(): Worker {
	if (worker) return worker;
	const started = new Worker(new URL('./model-worker.ts', import.meta.url), {
		type: 'module',
		name: 'hearth-models'
	});
	started.addEventListener('message', (event: MessageEvent<ModelWorkerReply>) => {
		const reply = event.data;
		const waiting = pending.get(reply.id);
		if (!waiting) return;
		pending.delete(reply.id);
		if (reply.type === 'error') waiting.reject(reviveError(reply.payload));
		else waiting.resolve(reply.payload);
	});
	started.addEventListener('error', (event) => {
		event.preventDefault();
		fail(new WorkerCrashedError(event.message || 'the model worker script failed'));
	});
	worker = started;
	return started;
}

export function askModelWorker<K extends ModelCommand>(
	type: K,
	payload: ModelWorkerCommands[K]['request'],
	transfer: Transferable[] = []
): Promise<ModelWorkerCommands[K]['reply']> {
	const target = ensureWorker();
	const id = nextId++;
	return new Promise((resolve, reject) => {
		pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
		target.postMessage({ id, type, payload } as ModelWorkerRequest, transfer);
	});
}
