/// <reference lib="webworker" />
/**
 * The optimize worker: quantizes and prunes ONNX files off the page's thread, one job at a time,
 * and streams progress (at most every PROGRESS_MS) so the page can show a live bar. It decodes
 * and rewrites protobuf only; it never loads onnxruntime.
 */
import { HearthError, serializeError } from '../errors';
import { OptimizeOutOfMemoryError } from './errors';
import { runOptimizeJob } from './job';
import {
	fileTransferables,
	type OptimizeJobProgress,
	type OptimizeWorkerReply,
	type OptimizeWorkerRequest
} from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const PROGRESS_MS = 100;
let busy = false;

function post(reply: OptimizeWorkerReply, transfer: Transferable[] = []): void {
	scope.postMessage(reply, transfer);
}

function optimize(request: Extract<OptimizeWorkerRequest, { type: 'optimize' }>): void {
	const { id } = request;
	let lastPost = -Infinity;
	const progress = (payload: OptimizeJobProgress) => {
		const now = performance.now();
		if (now - lastPost < PROGRESS_MS && payload.fraction < 1) return;
		lastPost = now;
		post({ id, type: 'progress', payload });
	};
	busy = true;
	try {
		const outcome = runOptimizeJob(request.payload, progress);
		post({ id, type: 'optimize', payload: outcome }, fileTransferables(outcome.files));
	} catch (error) {
		// A failed allocation surfaces as a RangeError: say it is memory, not a bug.
		const failure =
			error instanceof RangeError
				? new OptimizeOutOfMemoryError(request.payload.files.map((f) => f.path).join(', '))
				: error;
		post({ id, type: 'error', payload: serializeError(failure) });
	} finally {
		busy = false;
	}
}

scope.addEventListener('message', (event: MessageEvent<OptimizeWorkerRequest>) => {
	const request = event.data;
	switch (request.type) {
		case 'optimize':
			if (busy) {
				const error = new HearthError(
					'optimize-busy',
					'An optimization is already running. Wait for it to finish, then start again.'
				);
				post({ id: request.id, type: 'error', payload: serializeError(error) });
				return;
			}
			optimize(request);
			return;
	}
});
