/**
 * onnxruntime-web in Node, on its WASM backend: the same engine and the same wasm binary
 * (`onnxruntime-web/webgpu`, the asyncify build the site serves) that runs models in the browser,
 * so unit tests can check that what Hearth writes runs where it will run. One thread keeps runs
 * steady on a two-core machine.
 */
import * as ort from 'onnxruntime-web/webgpu';
import type { TensorData, TensorValues } from '../../src/lib/runtime/protocol';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

export type WebSession = ort.InferenceSession;

export function createWebSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
	return ort.InferenceSession.create(bytes, {
		executionProviders: ['wasm'],
		graphOptimizationLevel: 'all'
	});
}

function toTensor(tensor: TensorData): ort.Tensor {
	if (Array.isArray(tensor.data)) return new ort.Tensor('string', tensor.data, tensor.dims);
	return new ort.Tensor(
		tensor.dtype as ort.Tensor.Type,
		tensor.data as ort.Tensor.DataType,
		tensor.dims
	);
}

export async function runWebSession(
	session: ort.InferenceSession,
	inputs: Record<string, TensorData>
): Promise<Record<string, TensorData>> {
	const feeds = Object.fromEntries(
		Object.entries(inputs).map(([name, tensor]) => [name, toTensor(tensor)])
	);
	const results = await session.run(feeds);
	return Object.fromEntries(
		Object.entries(results).map(([name, tensor]): [string, TensorData] => [
			name,
			{
				dtype: tensor.type as TensorData['dtype'],
				dims: [...tensor.dims],
				data: tensor.data as TensorValues
			}
		])
	);
}

/** Loads the bytes, runs them once on the inputs, releases the session. */
export async function runOnWasm(
	bytes: Uint8Array,
	inputs: Record<string, TensorData>
): Promise<Record<string, TensorData>> {
	const session = await createWebSession(bytes);
	try {
		return await runWebSession(session, inputs);
	} finally {
		await session.release();
	}
}
