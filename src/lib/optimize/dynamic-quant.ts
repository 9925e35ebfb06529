/**
 * Dynamic int8 quantization, as onnxruntime's quantize_dynamic does it: weights become uint8 ahead
 * of time, activations are quantized at run time by DynamicQuantizeLinear, and the integer product
 * (MatMulInteger, ConvInteger) is scaled back to float:
 *
 *   A -> DynamicQuantizeLinear -> (A_q, A_scale, A_zero) -> MatMulInteger(A_q, W_q, A_zero, W_zero)
 *     -> Cast(float) -> Mul(A_scale * W_scale) [-> Add(bias)]
 *
 * Weights are uint8 on both sides: onnxruntime's x86 kernel for uint8 x int8 saturates 16-bit
 * pair sums (wrong results in onnxruntime-node), while uint8 x uint8 is exact on every backend.
 * MatMul gets one scale and zero point per output column; ConvInteger supports only one per
 * tensor (onnxruntime refuses per-channel weight zero points).
 */
import type { onnx } from 'onnx-proto';
import { floatAttribute, intAttribute, makeNode, NameScope, removeWeight } from './model-graph';
import { DataType, float32Tensor, int64Tensor, uint8Tensor } from './onnx-tensors';
import { groupsOf, quantize, transpose, type Quantized } from './quant-math';
import { gemmBias } from './matmul-nbits';
import { nodeLabel, type WeightTarget } from './weight-targets';

/** One DynamicQuantizeLinear per activation tensor and graph, shared by every reader. */
export class ActivationQuantizers {
	private readonly made = new Map<onnx.IGraphProto, Map<string, [string, string, string]>>();

	constructor(private readonly names: NameScope) {}

	/** The quantized tensor, its scale and zero point; the node goes right after `input`'s producer. */
	of(graph: onnx.IGraphProto, input: string): [string, string, string] {
		const inGraph = this.made.get(graph) ?? new Map<string, [string, string, string]>();
		this.made.set(graph, inGraph);
		const existing = inGraph.get(input);
		if (existing) return existing;
		const outputs: [string, string, string] = [
			this.names.fresh(`${input}_quantized`),
			this.names.fresh(`${input}_scale`),
			this.names.fresh(`${input}_zero_point`)
		];
		const node = makeNode('DynamicQuantizeLinear', [input], outputs);
		const nodes = graph.node ?? [];
		const producer = nodes.findIndex((candidate) => candidate.output?.includes(input));
		graph.node = [...nodes.slice(0, producer + 1), node, ...nodes.slice(producer + 1)];
		inGraph.set(input, outputs);
		return outputs;
	}
}

function relativeError(values: Float32Array, quantized: Quantized, of: Int32Array): number {
	let error = 0;
	let energy = 0;
	for (let i = 0; i < values.length; i++) {
		const g = of[i]!;
		error +=
			((quantized.codes[i]! - quantized.zeroPoints[g]!) * quantized.scales[g]! - values[i]!) ** 2;
		energy += values[i]! ** 2;
	}
	return energy > 0 ? Math.sqrt(error / energy) : 0;
}

export interface DynamicResult {
	bytes: number;
	relativeError: number;
	nodes: string[];
}

function replaceNode(graph: onnx.IGraphProto, node: onnx.INodeProto, nodes: onnx.INodeProto[]) {
	const at = graph.node!.indexOf(node);
	graph.node = [...graph.node!.slice(0, at), ...nodes, ...graph.node!.slice(at + 1)];
}

/**
 * Rewrites every MatMul, Gemm (without transA) or Conv reading `target`. The caller checks the
 * uses fit (see `fitsDynamic`).
 */
export function toDynamicInt8(
	target: WeightTarget,
	activations: ActivationQuantizers,
	names: NameScope
): DynamicResult {
	const { graph, dims, op } = target;
	const base = target.weight.name;
	const isConv = op === 'Conv';
	// MatMulInteger wants [K, N]; Gemm with transB keeps [N, K].
	const matrix =
		!isConv && target.reductionAxis === 1
			? transpose(target.values, dims[0]!, dims[1]!)
			: target.values;
	const matrixDims = !isConv && target.reductionAxis === 1 ? [dims[1]!, dims[0]!] : dims;
	const groups = groupsOf(matrixDims, isConv ? { kind: 'tensor' } : { kind: 'axis', axis: 1 });
	const quantized = quantize(matrix, groups, 8, false);
	const weightName = names.fresh(`${base}_quantized`);
	const zeroName = names.fresh(`${base}_zero_point`);
	const scaleName = names.fresh(`${base}_scale`);
	const initializers = [
		uint8Tensor(weightName, matrixDims, Uint8Array.from(quantized.codes)),
		uint8Tensor(zeroName, groups.scaleDims, Uint8Array.from(quantized.zeroPoints)),
		float32Tensor(scaleName, groups.scaleDims, quantized.scales)
	];
	graph.initializer = [...(graph.initializer ?? []), ...initializers];

	const rewritten: string[] = [];
	for (const use of target.uses) {
		const node = use.node;
		const host = use.graph;
		const output = node.output![0]!;
		const [quantizedInput, inputScale, inputZero] = activations.of(host, node.input![0]!);
		const integer = names.fresh(`${output}_int32`);
		const asFloat = names.fresh(`${output}_float`);
		const scale = names.fresh(`${output}_scale`);
		const nodes: onnx.INodeProto[] = [];
		if (isConv) {
			nodes.push({
				...makeNode('ConvInteger', [quantizedInput, weightName, inputZero, zeroName], [integer]),
				attribute: node.attribute ?? []
			});
		} else {
			nodes.push(
				makeNode('MatMulInteger', [quantizedInput, weightName, inputZero, zeroName], [integer])
			);
		}
		nodes.push(makeNode('Cast', [integer], [asFloat], { to: { int: DataType.FLOAT } }));
		let weightScale = scaleName;
		const alpha = op === 'Gemm' ? floatAttribute(node, 'alpha', 1) : 1;
		if (alpha !== 1) {
			weightScale = names.fresh(`${base}_scale_alpha`);
			graph.initializer.push(
				float32Tensor(
					weightScale,
					groups.scaleDims,
					quantized.scales.map((s) => s * alpha)
				)
			);
		}
		nodes.push(makeNode('Mul', [inputScale, weightScale], [scale]));
		const bias = node.input?.[2];
		const product = bias ? names.fresh(`${output}_product`) : output;
		nodes.push(makeNode('Mul', [asFloat, scale], [product]));
		if (bias && op === 'Gemm') nodes.push(...gemmBias(graph, node, bias, product, output, names));
		if (bias && isConv) {
			// Conv adds its bias per output channel: [C] reshaped to [C, 1, ...] to broadcast.
			const shape = names.fresh(`${output}_bias_shape`);
			const shaped = names.fresh(`${output}_bias`);
			const ones = new Array<number>(dims.length - 2).fill(1);
			graph.initializer.push(int64Tensor(shape, [ones.length + 1], [dims[0]!, ...ones]));
			nodes.push(
				makeNode('Reshape', [bias, shape], [shaped]),
				makeNode('Add', [product, shaped], [output])
			);
		}
		replaceNode(host, node, nodes);
		rewritten.push(nodeLabel(node));
	}
	removeWeight(graph, target.weight);
	const bytes = initializers.reduce((sum, tensor) => sum + (tensor.rawData?.byteLength ?? 0), 0);
	return { bytes, relativeError: relativeError(matrix, quantized, groups.of), nodes: rewritten };
}

/** Gemm with a transposed left operand has no MatMulInteger form. */
export function fitsDynamic(target: WeightTarget): boolean {
	if (target.op === 'Gather') return false;
	return target.uses.every(
		(use) =>
			use.index === 1 && (use.node.opType !== 'Gemm' || intAttribute(use.node, 'transA', 0) === 0)
	);
}
