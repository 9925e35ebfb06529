/**
 * Weight-only quantization through DequantizeLinear: each covered weight is replaced by its
 * integer codes, a scale (per channel, per tensor or per block) and, for asymmetric codes, a
 * zero point, and a DequantizeLinear node that recreates the float tensor under the weight's own
 * name. The consumers are not touched, so this works for any op and inside If/Loop bodies.
 */
import type { onnx } from 'onnx-proto';
import { makeNode, NameScope, removeWeight, type AttributeValue, type Weight } from './model-graph';
import {
	float32Tensor,
	int4Tensor,
	int64Tensor,
	int8Tensor,
	uint4Tensor,
	uint8Tensor
} from './onnx-tensors';
import { groupsOf, lowBit, quantize, type Grouping, type Quantized } from './quant-math';
import type { WeightTarget } from './weight-targets';

/**
 * Puts `nodes` (which compute the weight's name from `initializers`) where the weight was: in
 * place of its Constant node, or at the start of the graph for an initializer.
 */
export function replaceWeight(
	graph: onnx.IGraphProto,
	weight: Weight,
	initializers: onnx.ITensorProto[],
	nodes: onnx.INodeProto[]
): void {
	graph.initializer = [...(graph.initializer ?? []), ...initializers];
	if (weight.kind === 'constant') {
		const at = (graph.node ?? []).indexOf(weight.node!);
		graph.node = [...graph.node!.slice(0, at), ...nodes, ...graph.node!.slice(at + 1)];
	} else {
		removeWeight(graph, weight);
		graph.node = [...nodes, ...(graph.node ?? [])];
	}
}

function codesTensor(
	name: string,
	dims: number[],
	codes: Int32Array,
	bits: 4 | 8,
	signed: boolean
) {
	if (bits === 8) {
		return signed
			? int8Tensor(name, dims, Int8Array.from(codes))
			: uint8Tensor(name, dims, Uint8Array.from(codes));
	}
	return signed
		? int4Tensor(name, dims, Int8Array.from(codes))
		: uint4Tensor(name, dims, Uint8Array.from(codes));
}

export interface DequantizePlan {
	bits: 4 | 8;
	symmetric: boolean;
	grouping: 'tensor' | 'channel' | { block: number };
	/** Binary or ternary codes (kept as int8 or int4) instead of evenly spaced levels. */
	lowBit?: 'binary' | 'ternary';
}

export interface DequantizedWeight {
	/** Bytes of codes, scales and zero points written in place of the float32 weight. */
	bytes: number;
	/** Root-mean-square error of the dequantized weight, relative to the weight's own RMS. */
	relativeError: number;
}

function relativeError(values: Float32Array, quantized: Quantized, of: Int32Array): number {
	let error = 0;
	let energy = 0;
	for (let i = 0; i < values.length; i++) {
		const g = of[i]!;
		const back = (quantized.codes[i]! - quantized.zeroPoints[g]!) * quantized.scales[g]!;
		error += (back - values[i]!) ** 2;
		energy += values[i]! ** 2;
	}
	return energy > 0 ? Math.sqrt(error / energy) : 0;
}

/**
 * Replaces one target weight by DequantizeLinear. Blocks run along the weight's reduction axis;
 * a weight of more than 2 dims (a convolution kernel) is blocked as the 2-D matrix
 * [out channels, everything else] and reshaped back, so a block spans the whole receptive field.
 */
export function dequantizeWeight(
	target: WeightTarget,
	plan: DequantizePlan,
	names: NameScope
): DequantizedWeight {
	const { weight, dims } = target;
	let quantDims = dims;
	let grouping: Grouping;
	if (plan.grouping === 'tensor') grouping = { kind: 'tensor' };
	else if (plan.grouping === 'channel') grouping = { kind: 'axis', axis: target.channelAxis };
	else {
		let axis = target.reductionAxis;
		if (dims.length > 2) {
			quantDims = [dims[0]!, dims.slice(1).reduce((a, b) => a * b, 1)];
			axis = 1;
		}
		grouping = { kind: 'block', axis, size: plan.grouping.block };
	}
	const groups = groupsOf(quantDims, grouping);
	const quantized = plan.lowBit
		? lowBit(target.values, groups, plan.lowBit)
		: quantize(target.values, groups, plan.bits, plan.symmetric);
	const base = weight.name;
	const codesName = names.fresh(`${base}_quantized`);
	const scaleName = names.fresh(`${base}_scale`);
	const initializers = [
		codesTensor(codesName, quantDims, quantized.codes, plan.bits, quantized.signed),
		float32Tensor(scaleName, groups.scaleDims, quantized.scales)
	];
	const inputs = [codesName, scaleName];
	if (!quantized.signed) {
		const zeroName = names.fresh(`${base}_zero_point`);
		initializers.push(
			codesTensor(zeroName, groups.scaleDims, quantized.zeroPoints, plan.bits, false)
		);
		inputs.push(zeroName);
	}
	const attributes: Record<string, AttributeValue> =
		grouping.kind === 'axis'
			? { axis: { int: grouping.axis } }
			: grouping.kind === 'block'
				? { axis: { int: grouping.axis }, block_size: { int: grouping.size } }
				: {};
	const reshaped = quantDims !== dims;
	const dequantized = reshaped ? names.fresh(`${base}_2d`) : base;
	const nodes = [makeNode('DequantizeLinear', inputs, [dequantized], attributes)];
	if (reshaped) {
		const shapeName = names.fresh(`${base}_shape`);
		initializers.push(int64Tensor(shapeName, [dims.length], dims));
		nodes.push(makeNode('Reshape', [dequantized, shapeName], [base]));
	}
	replaceWeight(target.graph, weight, initializers, nodes);
	const bytes = initializers.reduce((sum, tensor) => sum + (tensor.rawData?.byteLength ?? 0), 0);
	return { bytes, relativeError: relativeError(target.values, quantized, groups.of) };
}
