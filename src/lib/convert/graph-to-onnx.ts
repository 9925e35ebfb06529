/**
 * The build's entry to the graph-model converter (scripts/models/movenet.ts, blazeface.ts):
 * declared inputs and outputs with their catalog names and dims, and heads that stay NCHW as
 * the tasks decode them. The conversion itself is convertGraphModel (graph-convert.ts), the
 * code the Import page runs, so catalog and user models are converted alike.
 */
import type { TensorSpec } from '../catalog/manifest';
import type { TfDtype } from './graph-context';
import { convertGraphModel } from './graph-convert';
import type { TfGraphModel } from './tfjs-model';

export interface ConvertedOutput {
	/** The TF tensor: "node" or "node:1". */
	tensor: string;
	spec: TensorSpec;
	layout: 'nchw' | 'nhwc';
}

export interface ConvertOptions {
	/** TF placeholder name -> the ONNX input (same element type, NHWC as in TF). */
	inputs: { placeholder: string; spec: TensorSpec }[];
	outputs: ConvertedOutput[];
	graphName: string;
	docString: string;
}

export function tfjsToOnnx(model: TfGraphModel, options: ConvertOptions): Uint8Array {
	const specs: Record<string, { name: string; dims: (number | string)[] }> = {};
	const inputShapes: Record<string, number[]> = {};
	for (const { placeholder, spec } of options.inputs) {
		specs[placeholder] = { name: spec.name, dims: spec.dims };
		if (spec.dims.every((d) => typeof d === 'number')) inputShapes[placeholder] = spec.dims;
	}
	for (const { tensor, spec } of options.outputs)
		specs[tensor] = { name: spec.name, dims: spec.dims };
	const { onnx } = convertGraphModel(
		model,
		{
			name: options.graphName,
			outputs: options.outputs.map((output) => output.tensor),
			specs,
			inputShapes
		},
		{
			nchwOutputs: new Set(options.outputs.flatMap((o) => (o.layout === 'nchw' ? [o.tensor] : []))),
			docString: options.docString,
			inputDtypes: Object.fromEntries(
				options.inputs.map(({ placeholder, spec }) => [placeholder, spec.dtype as TfDtype])
			)
		}
	);
	return onnx;
}
