/**
 * The quick fidelity check of an optimized variant: each optimized ONNX file and its source run
 * the source's built-in sample in the runtime worker, on the same backend, and every float
 * output is compared (max abs difference, cosine, top-1 agreement along the last axis).
 */
import type { GraphSpec } from '../catalog/manifest';
import { makeSampleInputs } from '../catalog/sample';
import type { BackendPreference, RuntimeClient, TensorData } from '../runtime';
import { compareOutputs } from './fidelity';
import type { FileFidelity } from './variant';

export interface FidelityPair {
	sourcePath: string;
	candidatePath: string;
	graph: GraphSpec | undefined;
}

// float16 outputs travel as raw bits; the methods keep every graph output float32 anyway.
const FLOAT_TYPES = new Set(['float32', 'float64']);

function numbers(tensor: TensorData): ArrayLike<number> | null {
	if (!FLOAT_TYPES.has(tensor.dtype) || Array.isArray(tensor.data)) return null;
	return tensor.data as ArrayLike<number>;
}

async function runOnce(
	runtime: RuntimeClient,
	backend: BackendPreference,
	installKey: string,
	path: string,
	graph: GraphSpec
) {
	const session = await runtime.load(installKey, path, backend);
	try {
		return (await runtime.run(session.sessionId, makeSampleInputs(graph))).outputs;
	} finally {
		await runtime.unload({ sessionId: session.sessionId });
	}
}

export async function checkFidelity(
	runtime: RuntimeClient,
	backend: BackendPreference,
	sourceKey: string,
	candidateKey: string,
	pairs: FidelityPair[]
): Promise<FileFidelity[]> {
	const results: FileFidelity[] = [];
	for (const pair of pairs) {
		if (!pair.graph || pair.graph.sample.length === 0) {
			results.push({ path: pair.candidatePath, skipped: 'the file has no built-in sample' });
			continue;
		}
		const reference = await runOnce(runtime, backend, sourceKey, pair.sourcePath, pair.graph);
		const candidate = await runOnce(runtime, backend, candidateKey, pair.candidatePath, pair.graph);
		const outputs = Object.entries(reference).flatMap(([name, tensor]) => {
			const a = numbers(tensor);
			const b = candidate[name] ? numbers(candidate[name]) : null;
			return a && b ? [compareOutputs(name, tensor.dims, a, b)] : [];
		});
		results.push({ path: pair.candidatePath, outputs });
	}
	return results;
}
