/// <reference lib="webworker" />
/** The model worker: ONNX parsing, inspection and file import, away from the page's thread. */
import { serializeError } from '$lib/errors';
import type { ModelWorkerReply, ModelWorkerRequest } from './model-worker-protocol';
import { checkDownloadedGraph, importLocalFile, inspectInstalledFile } from './user-import';

const scope = self as unknown as DedicatedWorkerGlobalScope;

async function handle(request: ModelWorkerRequest): Promise<ModelWorkerReply> {
	switch (request.type) {
		case 'inspect': {
			const { installKey, path } = request.payload;
			return {
				id: request.id,
				type: 'inspect',
				payload: await inspectInstalledFile(installKey, path)
			};
		}
		case 'importFile': {
			const { file, fileName } = request.payload;
			return { id: request.id, type: 'importFile', payload: await importLocalFile(file, fileName) };
		}
		case 'checkGraph': {
			const { bytes, path } = request.payload;
			return { id: request.id, type: 'checkGraph', payload: checkDownloadedGraph(bytes, path) };
		}
	}
}

scope.addEventListener('message', (event: MessageEvent<ModelWorkerRequest>) => {
	const request = event.data;
	handle(request).then(
		(reply) => scope.postMessage(reply),
		(error: unknown) =>
			scope.postMessage({ id: request.id, type: 'error', payload: serializeError(error) })
	);
});
