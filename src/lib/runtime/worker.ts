/// <reference lib="webworker" />
/**
 * The runtime worker: owns every onnxruntime-web session, so inference never blocks the page.
 * It answers each request with the reply of the same `type` and `id`, or an `error` reply.
 */
import { trackWasmMemories, wasmHeapBytes } from './wasm-heap';
import { serializeError } from '$lib/errors';
import type { WorkerReply, WorkerRequest } from './protocol';
import { tensorTransferables } from './protocol';
import { recordGraphRun } from './metrics';
import { forgetMemoryInstall, registerMemoryInstall } from './memory-installs';
import { forgetInstall } from './task-context';
import { runTask } from './task-handlers';
import {
	configureOrt,
	describeEnvironment,
	describeSession,
	loadSession,
	runSession,
	unloadSessions
} from './sessions';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// Before ONNX Runtime creates its memory (on the first session), so its size can be reported.
trackWasmMemories();

async function handle(
	request: WorkerRequest
): Promise<{ reply: WorkerReply; transfer: Transferable[] }> {
	switch (request.type) {
		case 'configure': {
			configureOrt(request.payload.ortBaseUrl, request.payload.threads);
			return {
				reply: { id: request.id, type: 'configure', payload: await describeEnvironment() },
				transfer: []
			};
		}
		case 'load':
			return {
				reply: { id: request.id, type: 'load', payload: await loadSession(request.payload) },
				transfer: []
			};
		case 'run': {
			const session = describeSession(request.payload.sessionId);
			const payload = await recordGraphRun(request.payload, session, runSession);
			return {
				reply: { id: request.id, type: 'run', payload },
				transfer: tensorTransferables(payload.outputs)
			};
		}
		case 'task': {
			const payload = await runTask(request.payload);
			return { reply: { id: request.id, type: 'task', payload }, transfer: [] };
		}
		case 'unload': {
			if ('installKey' in request.payload) forgetInstall(request.payload.installKey);
			const unloaded = await unloadSessions(request.payload);
			if ('installKey' in request.payload) forgetMemoryInstall(request.payload.installKey);
			return { reply: { id: request.id, type: 'unload', payload: { unloaded } }, transfer: [] };
		}
		case 'wasm-memory':
			return {
				reply: { id: request.id, type: 'wasm-memory', payload: { bytes: wasmHeapBytes() } },
				transfer: []
			};
		case 'register-memory-install': {
			const payload = registerMemoryInstall(request.payload);
			// Sessions and memos made from bytes held before under the same key are stale now.
			forgetInstall(payload.installKey);
			await unloadSessions({ installKey: payload.installKey });
			return {
				reply: { id: request.id, type: 'register-memory-install', payload },
				transfer: []
			};
		}
	}
}

scope.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
	const request = event.data;
	handle(request).then(
		({ reply, transfer }) => scope.postMessage(reply, transfer),
		(error: unknown) => {
			const reply: WorkerReply = { id: request.id, type: 'error', payload: serializeError(error) };
			scope.postMessage(reply);
		}
	);
});
