/**
 * Test helpers for the optimizers: the bytes and graph of a built catalog file, and one run of
 * any ONNX bytes on onnxruntime-web's WASM backend (the engine the browser uses), with float32
 * outputs flattened for the fidelity math.
 */
import { readFile } from 'node:fs/promises';
import type { GraphSpec } from '../../src/lib/catalog/manifest';
import type { TensorData } from '../../src/lib/runtime/protocol';
import { builtFilePath, modelNamed, readBuiltCatalog } from '../../scripts/models/built-models';
import { runOnWasm } from './ort-web-node';

export interface CatalogFile {
	bytes: Uint8Array;
	graph: GraphSpec;
	path: string;
}

/** A built ONNX file of the catalog (the first variant holding `path`). */
export async function catalogFile(modelId: string, path: string): Promise<CatalogFile> {
	const model = modelNamed(await readBuiltCatalog(), modelId);
	const file = model.variants.flatMap((variant) => variant.files).find((f) => f.path === path);
	if (!file?.graph) throw new Error(`${modelId} has no ONNX file ${path}`);
	return {
		bytes: new Uint8Array(await readFile(builtFilePath(model, file))),
		graph: file.graph,
		path
	};
}

/** Runs the bytes once and returns each output's values as float32 with its dims. */
export async function runFloat(
	bytes: Uint8Array,
	inputs: Record<string, TensorData>
): Promise<Record<string, { dims: number[]; data: Float32Array }>> {
	const outputs = await runOnWasm(bytes, inputs);
	return Object.fromEntries(
		Object.entries(outputs).map(([name, tensor]) => [
			name,
			{ dims: tensor.dims, data: Float32Array.from(tensor.data as ArrayLike<number>) }
		])
	);
}

export function float32Input(data: Float32Array, dims: number[]): TensorData {
	return { dtype: 'float32', dims, data };
}
