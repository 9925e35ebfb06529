/**
 * The page and the model worker (parsing, inspecting, importing ONNX files) talk through this
 * table: each command's request and reply, so both sides narrow on `type`.
 */
import type { RpcReply, RpcRequest } from '$lib/worker-rpc';
import type { ModelInspection } from '$lib/optimize/onnx-inspect';
import type { GraphSpec } from './manifest';
import type { ImportResult } from './user-import';

export type ModelWorkerCommands = {
	inspect: { request: { installKey: string; path: string }; reply: ModelInspection };
	importFile: { request: { file: Blob; fileName: string }; reply: ImportResult };
	checkGraph: { request: { bytes: Uint8Array; path: string }; reply: { graph?: GraphSpec } };
};

export type ModelCommand = keyof ModelWorkerCommands;

export type ModelWorkerRequest = RpcRequest<ModelWorkerCommands>;
export type ModelWorkerReply = RpcReply<ModelWorkerCommands>;
