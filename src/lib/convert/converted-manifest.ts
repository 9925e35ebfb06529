/**
 * The user-model manifest of a converted model: the shape of any model added from a file, so
 * the Models page, Inspect and every store function treat it alike, plus what the conversion
 * was. Inputs with fixed sizes get a seeded random sample, so the Models page's Test run works.
 */
import type { GraphSpec, ModelManifest, SampleTensor, TensorSpec } from '../catalog/manifest';
import { graphSpecOf, manifestForFile } from '../catalog/user-manifest';
import { decodeModel } from '../optimize/onnx-graph';
import type { ConversionReport } from './types';

export const CONVERTED_PATH = 'model.onnx';
export const CONVERTED_VARIANT = 'model';

export interface ConvertedModelSource {
	/** The name the user gave (or the one taken from model.json's file or folder). */
	name: string;
	/** Where model.json came from: its URL, or its file name on this device. */
	label: string;
	kind: 'file' | 'url';
}

function sampleFor(inputs: TensorSpec[]): SampleTensor[] {
	const fixed = inputs.every((input) => input.dims.every((dim) => typeof dim === 'number'));
	if (!fixed) return [];
	return inputs.map((input) => ({
		name: input.name,
		dtype: input.dtype,
		dims: input.dims as number[],
		fill: input.dtype === 'float32' || input.dtype === 'float16' ? 'random' : 'zeros'
	}));
}

/** The graph as the ONNX file declares it; undefined where a tensor's rank is not declared. */
export function convertedGraph(onnx: Uint8Array): GraphSpec | undefined {
	const graph = graphSpecOf(decodeModel(onnx));
	return graph ? { ...graph, sample: sampleFor(graph.inputs) } : undefined;
}

/** `graph` is convertedGraph(onnx), which the convert worker works out off the page. */
export function manifestForConversion(
	source: ConvertedModelSource,
	report: ConversionReport,
	onnxBytes: number,
	sha256: string,
	graph: GraphSpec | undefined,
	addedAt = Date.now()
): ModelManifest {
	const base = manifestForFile(source.name, onnxBytes, sha256, graph, addedAt);
	const format = report.format === 'graph-model' ? 'graph-model' : 'layers-model';
	const ops = Object.values(report.sourceOps).reduce((sum, count) => sum + count, 0);
	const nodes = Object.values(report.onnxOps).reduce((sum, count) => sum + count, 0);
	const variant = base.variants[0]!;
	return {
		...base,
		name: source.name,
		description: `Converted in this browser from the TensorFlow.js ${format} ${source.label}.`,
		origin: { kind: source.kind, label: source.label, addedAt },
		source: {
			...base.source,
			build: `Converted from a TensorFlow.js ${format} to ONNX by Hearth's Import page.`
		},
		variants: [
			{
				...variant,
				id: CONVERTED_VARIANT,
				name: 'Converted',
				description: `ONNX converted from ${ops} TensorFlow.js ${report.format === 'graph-model' ? 'ops' : 'layers'} to ${nodes} ONNX nodes.`,
				metrics: { parameters: report.parameters, tfjsBytes: report.sourceBytes },
				files: variant.files.map((file) => ({ ...file, path: CONVERTED_PATH }))
			}
		]
	};
}
