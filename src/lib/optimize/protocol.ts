/**
 * The contract between the Optimize page and the optimize worker, in one file both import. Each
 * command pairs its request with its reply; an `optimize` command also streams `progress`
 * messages with its own id until its reply (or an `error`) ends it. Nothing here imports
 * onnxruntime-web: the optimize worker never runs a model.
 */
import type { RpcReply, RpcRequest } from '../worker-rpc';
import type { OptimizeSettings } from './methods';
import type { OptimizeProgress, OptimizeReport } from './optimize';

export interface OptimizeFileInput {
	path: string;
	bytes: Uint8Array;
}

export interface OptimizeJob {
	/** The ONNX files of the source variant, each optimized with the same settings. */
	files: OptimizeFileInput[];
	settings: OptimizeSettings;
	/** How much memory one file's work may take (see optimizeOnnx). */
	memoryBudgetBytes?: number;
}

export interface OptimizedFile {
	path: string;
	bytes: Uint8Array;
	/** Null when the method found nothing to change in this file: it is kept as it was. */
	report: OptimizeReport | null;
	/** Why the file was kept, for the result card. */
	keptBecause?: string;
}

export interface OptimizeOutcome {
	files: OptimizedFile[];
	milliseconds: number;
}

export interface OptimizeJobProgress extends OptimizeProgress {
	path: string;
	fileIndex: number;
	fileCount: number;
	/** 0..1 over the whole job. */
	overall: number;
}

export type OptimizeCommands = {
	optimize: { request: OptimizeJob; reply: OptimizeOutcome };
};

export type OptimizeWorkerRequest = RpcRequest<OptimizeCommands>;
export type OptimizeWorkerReply = RpcReply<OptimizeCommands, OptimizeJobProgress>;

/** The buffers of the files, to hand over (not copy) through postMessage. */
export function fileTransferables(files: readonly { bytes: Uint8Array }[]): Transferable[] {
	const buffers = new Set<ArrayBuffer>();
	for (const file of files) {
		if (file.bytes.buffer instanceof ArrayBuffer) buffers.add(file.bytes.buffer);
	}
	return [...buffers];
}
