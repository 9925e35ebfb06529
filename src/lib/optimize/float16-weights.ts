/**
 * fp16 weights: every sizeable float32 weight (initializer or Constant, in every graph) is stored
 * as float16 and a Cast back to float32 recreates it under its own name. onnxruntime folds those
 * Casts when it loads the model, so the graph computes exactly as before, in float32, with weights
 * rounded to half precision: half the file, callers feed and read float32 as before.
 */
import { graphsOf } from './onnx-inspect';
import { GraphIndex, makeNode, NameScope } from './model-graph';
import { replaceWeight } from './dequantize-weights';
import { DataType, dimsOf, float16Tensor, readFloat32 } from './onnx-tensors';
import type { onnx } from 'onnx-proto';

/** The largest finite float16. */
export const FLOAT16_MAX = 65504;
/** Below this many elements a tensor is a scale, epsilon or shape: not worth the precision risk. */
export const MIN_FLOAT16_ELEMENTS = 16;

export interface Float16WeightsResult {
	converted: number;
	bytesBefore: number;
	bytesAfter: number;
	/** Weights kept in float32 because a value would overflow float16. */
	overflowing: string[];
}

export function convertWeightsToFloat16(
	model: onnx.IModelProto,
	names: NameScope,
	onWeight: (done: number, total: number) => void = () => undefined
): Float16WeightsResult {
	const result: Float16WeightsResult = {
		converted: 0,
		bytesBefore: 0,
		bytesAfter: 0,
		overflowing: []
	};
	const graphs = model.graph ? [...graphsOf(model.graph)] : [];
	const work = graphs.flatMap((graph) =>
		[...new GraphIndex(graph).weights.values()]
			.filter((weight) => weight.tensor.dataType === DataType.FLOAT)
			.map((weight) => ({ graph, weight }))
	);
	work.forEach(({ graph, weight }, done) => {
		onWeight(done, work.length);
		const dims = dimsOf(weight.tensor);
		const values = readFloat32(weight.tensor);
		if (!values || values.length < MIN_FLOAT16_ELEMENTS) return;
		if (values.some((value) => Math.abs(value) > FLOAT16_MAX)) {
			result.overflowing.push(weight.name);
			return;
		}
		const halfName = names.fresh(`${weight.name}_fp16`);
		replaceWeight(
			graph,
			weight,
			[float16Tensor(halfName, dims, values)],
			[makeNode('Cast', [halfName], [weight.name], { to: { int: DataType.FLOAT } })]
		);
		result.converted++;
		result.bytesBefore += values.length * 4;
		result.bytesAfter += values.length * 2;
	});
	return result;
}
