/**
 * The page and the model worker (parsing, inspecting, importing ONNX files) talk through this
 * table: each command's request and reply, so both sides narrow on `type`.
 */
import type { SerializedError } from '$lib/errors';
import type { ModelInspection } from '$lib/optimize/onnx-inspect';
import type { GraphSpec } from './manifest';
import type { ImportResult } from './user-import';

export interface ModelWorkerCommands {
	inspect: { request: { installKey: string; path: string }; reply: ModelInspection };
	importFile: { request: { file: Blob; fileName: string }; reply: ImportResult };
	checkGraph: { request: { bytes: Uint8Array; path: string }; reply: { graph?: GraphSpec } };
}

export type ModelCommand = keyof ModelWorkerCommands;

export type ModelWorkerRequest = {
	[K in ModelCommand]: { id: number; type: K; payload: ModelWorkerCommands[K]['request'] };
}[ModelCommand];

export type ModelWorkerReply =
	| {
			[K in ModelCommand]: { id: number; type: K; payload: ModelWorkerCommands[K]['reply'] };
	  }[ModelCommand]
	| { id: number; type: 'error'; payload: SerializedError };
