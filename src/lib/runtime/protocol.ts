/**
 * The one contract between the pages and the runtime worker. Each command pairs its request
 * payload with its reply payload, and both unions below are derived from that table, so a
 * `switch (message.type)` narrows the payload on either side and a new command cannot be added
 * on one side only. Nothing here imports onnxruntime-web: the page never loads the engine.
 */
import type { ModelManifest, TensorDType } from '$lib/catalog/manifest';
import type { RpcReply, RpcRequest } from '$lib/worker-rpc';
import type { InferenceSource, MemorySource } from '$lib/metrics/types';
import type { TaskName, TaskRequest, TaskResult } from '$lib/tasks/registry';
import type { TaskRun } from '$lib/tasks/types';

export type BackendPreference = 'auto' | 'webgpu' | 'wasm';
export type Backend = 'webgpu' | 'wasm';

/** float16 travels as its raw bits; int64 as BigInt64Array, as onnxruntime-web expects. */
export type TensorValues =
	Float32Array | Uint16Array | BigInt64Array | Int32Array | Int8Array | Uint8Array | string[];

export interface TensorData {
	dtype: TensorDType;
	dims: number[];
	data: TensorValues;
}

export interface RuntimeEnvironment {
	ortVersion: string;
	crossOriginIsolated: boolean;
	hardwareConcurrency: number;
	wasmThreads: number;
	webgpu: { available: boolean; fallbackAdapter: boolean; description: string };
}

export interface ConfigureRequest {
	/** Absolute URL of the folder holding onnxruntime-web's .wasm and .mjs files. */
	ortBaseUrl: string;
	/** WASM threads to use (at most one per core); one per core when absent (Compare times 1). */
	threads?: number;
}

export interface LoadRequest {
	installKey: string;
	path: string;
	backend: BackendPreference;
}

export interface SessionInfo {
	sessionId: string;
	backend: Backend;
	threads: number;
	inputNames: string[];
	outputNames: string[];
	/** Reading the bytes from IndexedDB. */
	readMs: number;
	/** Creating the session from the bytes. */
	createMs: number;
	/** The model was already loaded by an earlier request; the times are from that load. */
	reused: boolean;
	/** Why the session is not on the backend that was asked for, for the user to see. */
	notes: string[];
}

/** Who asked for an inference, for the Monitor's records; absent fields mean a Hearth page. */
export interface InferenceCaller {
	source?: InferenceSource;
	/** The host page's origin, for widget runs: a host reads back only its own origin's runs. */
	origin?: string;
	/** The page's latest memory sample (workers cannot measure memory); the client fills it in. */
	memory?: { bytes: number; source: MemorySource };
}

export interface RunRequest extends InferenceCaller {
	sessionId: string;
	inputs: Record<string, TensorData>;
}

export interface RunResult {
	outputs: Record<string, TensorData>;
	backend: Backend;
	threads: number;
	inferenceMs: number;
	notes: string[];
}

export interface TaskCommand extends InferenceCaller {
	installKey: string;
	backend: BackendPreference;
	task: TaskRequest;
}

/**
 * A variant to hold in the worker's memory rather than read from the model store (the widget
 * where storage is denied). Every file by path, already checked against its SHA-256.
 */
export interface MemoryInstallRequest {
	manifest: ModelManifest;
	variantId: string;
	files: Record<string, Uint8Array>;
}

export type RuntimeCommands = {
	configure: { request: ConfigureRequest; reply: RuntimeEnvironment };
	load: { request: LoadRequest; reply: SessionInfo };
	run: { request: RunRequest; reply: RunResult };
	task: { request: TaskCommand; reply: TaskRun<TaskResult<TaskName>> };
	unload: { request: { sessionId: string } | { installKey: string }; reply: { unloaded: number } };
	/** Bytes of the worker's WebAssembly memory (its peak: it only grows); null before ORT starts. */
	'wasm-memory': { request: Record<string, never>; reply: { bytes: number | null } };
	'register-memory-install': {
		request: MemoryInstallRequest;
		reply: { installKey: string; bytes: number };
	};
};

export type CommandType = keyof RuntimeCommands;
export type WorkerRequest = RpcRequest<RuntimeCommands>;
export type WorkerReply = RpcReply<RuntimeCommands>;

/** The buffers of typed-array tensors, to hand over (not copy) through postMessage. */
export function tensorTransferables(tensors: Record<string, TensorData>): Transferable[] {
	const buffers = new Set<ArrayBuffer>();
	for (const tensor of Object.values(tensors)) {
		if (!Array.isArray(tensor.data) && tensor.data.buffer instanceof ArrayBuffer) {
			buffers.add(tensor.data.buffer);
		}
	}
	return [...buffers];
}
