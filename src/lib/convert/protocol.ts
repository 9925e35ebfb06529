/**
 * The contract between the Import page and the convert worker, in one file both import. Each
 * command pairs its request with its reply; a `convert` command also streams `progress`
 * messages with its own id until its reply (or an `error`) ends it. The files' buffers are
 * handed over both ways, never copied.
 */
import type { GraphSpec } from '../catalog/manifest';
import type { RpcReply, RpcRequest } from '../worker-rpc';
import type { ImportFile } from './import-files';
import type { ConversionResult, ConvertOptions } from './types';

export interface ConvertJob {
	/** model.json and its shards, as the user gave them (loose, a folder, or fetched). */
	files: ImportFile[];
	/** For messages: the URL or the file name the model came from. */
	source?: string;
	/** The converter's options, less the progress callback, which cannot cross a worker. */
	options: Omit<ConvertOptions, 'onProgress'>;
}

export interface ConvertProgress {
	stage: string;
	done: number;
	total: number;
	/** 0..1 over the whole job. */
	overall: number;
}

/** The converter's result, plus the graph as the ONNX file declares it (decoded off the page). */
export interface ConvertOutcome extends ConversionResult {
	graph?: GraphSpec;
}

export type ConvertCommands = {
	convert: { request: ConvertJob; reply: ConvertOutcome };
};

export type ConvertWorkerRequest = RpcRequest<ConvertCommands>;
export type ConvertWorkerReply = RpcReply<ConvertCommands, ConvertProgress>;

/** Each distinct buffer behind the given byte arrays once, to transfer with postMessage. */
export function bufferTransferables(arrays: readonly Uint8Array[]): ArrayBuffer[] {
	const buffers = new Set<ArrayBuffer>();
	for (const bytes of arrays) {
		if (bytes.buffer instanceof ArrayBuffer) buffers.add(bytes.buffer);
	}
	return [...buffers];
}

/** Reading the files is the first tenth of the bar; the converter's own steps are the rest. */
export function overallProgress(stage: string, done: number, total: number): ConvertProgress {
	const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
	const overall = stage === 'reading' ? 0.1 * fraction : 0.1 + 0.9 * fraction;
	return { stage, done, total, overall };
}
