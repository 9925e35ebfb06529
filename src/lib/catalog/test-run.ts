import type { RuntimeClient } from '$lib/runtime/client';
import type { Backend, BackendPreference, TensorData } from '$lib/runtime/protocol';
import { installKeyOf } from '$lib/store/db';
import type { ModelManifest, ModelVariant } from './manifest';
import { checkExpectation, makeSampleInputs, type ExpectationCheck } from './sample';

export interface GraphRunReport {
	role: string;
	path: string;
	backend: Backend;
	threads: number;
	readMs: number;
	createMs: number;
	/** Already loaded by an earlier run. */
	reused: boolean;
	inferenceMs: number;
	outputs: { name: string; dtype: string; dims: number[] }[];
	check: ExpectationCheck | null;
	/** The first values of the first output, so two runs can be compared by eye (or by a test). */
	preview: number[];
	notes: string[];
}

const PREVIEW_LENGTH = 6;

function previewOf(tensor: TensorData | undefined): number[] {
	if (!tensor || Array.isArray(tensor.data)) return [];
	return Array.from(tensor.data.subarray(0, PREVIEW_LENGTH), Number);
}

/**
 * Runs every graph of an installed variant once on its built-in sample, so a user sees that the
 * download works and what the model returns. The sessions stay loaded, so a second run shows the
 * inference time alone; deleting the model releases them.
 */
export async function testRunVariant(
	runtime: RuntimeClient,
	manifest: ModelManifest,
	variant: ModelVariant,
	backend: BackendPreference
): Promise<GraphRunReport[]> {
	const installKey = installKeyOf(manifest.id, variant.id);
	const reports: GraphRunReport[] = [];
	for (const file of variant.files) {
		if (!file.graph) continue;
		const session = await runtime.load(installKey, file.path, backend);
		const result = await runtime.run(session.sessionId, makeSampleInputs(file.graph));
		reports.push({
			role: file.role,
			path: file.path,
			backend: result.backend,
			threads: result.threads,
			readMs: session.readMs,
			createMs: session.createMs,
			reused: session.reused,
			inferenceMs: result.inferenceMs,
			outputs: Object.entries(result.outputs).map(([name, tensor]) => ({
				name,
				dtype: tensor.dtype,
				dims: tensor.dims
			})),
			check: file.graph.expect ? checkExpectation(file.graph.expect, result.outputs) : null,
			preview: previewOf(Object.values(result.outputs)[0]),
			notes: result.notes
		});
	}
	return reports;
}
