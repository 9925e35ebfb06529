/// <reference lib="webworker" />
/**
 * The convert worker: reads a TensorFlow.js model and converts it to ONNX off the page's thread,
 * one job at a time, streaming progress (at most every PROGRESS_MS) for a live bar. It decodes
 * JSON and writes protobuf only; it never loads onnxruntime.
 */
import { serializeError } from '../errors';
import { convertTfjs } from './convert';
import { convertedGraph } from './converted-manifest';
import { gatherTfjsFiles } from './import-files';
import { ConvertBusyError } from './import-errors';
import {
	bufferTransferables,
	overallProgress,
	type ConvertWorkerReply,
	type ConvertWorkerRequest
} from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const PROGRESS_MS = 100;
let busy = false;

function post(reply: ConvertWorkerReply, transfer: Transferable[] = []): void {
	scope.postMessage(reply, transfer);
}

function convert(request: Extract<ConvertWorkerRequest, { type: 'convert' }>): void {
	const { id } = request;
	let lastPost = -Infinity;
	const onProgress = (done: number, total: number, stage: string) => {
		const now = performance.now();
		if (now - lastPost < PROGRESS_MS && done < total) return;
		lastPost = now;
		post({ id, type: 'progress', payload: overallProgress(stage, done, total) });
	};
	busy = true;
	try {
		const files = gatherTfjsFiles(request.payload.files, request.payload.source);
		const result = convertTfjs(files, { ...request.payload.options, onProgress });
		const payload = { ...result, graph: convertedGraph(result.onnx) };
		post({ id, type: 'convert', payload }, bufferTransferables([result.onnx]));
	} catch (error) {
		post({ id, type: 'error', payload: serializeError(error) });
	} finally {
		busy = false;
	}
}

scope.addEventListener('message', (event: MessageEvent<ConvertWorkerRequest>) => {
	const request = event.data;
	switch (request.type) {
		case 'convert':
			if (busy) {
				post({ id: request.id, type: 'error', payload: serializeError(new ConvertBusyError()) });
				return;
			}
			convert(request);
			return;
	}
});
