/**
 * int4 block-wise MatMul through onnxruntime's MatMulNBits (com.microsoft): the weight is stored
 * transposed as [N, blocks, blockSize / 2] bytes of packed 4-bit codes, with one scale (and, for
 * asymmetric codes, one packed 4-bit zero point) per block. Without zero points ORT takes 8, so
 * symmetric codes are stored as code + 8. Gemm becomes MatMulNBits plus an Add of its bias.
 */
import type { onnx } from 'onnx-proto';
import { floatAttribute, intAttribute, makeNode, NameScope, removeWeight } from './model-graph';
import { dimsOf, float32Tensor, packNibbles, readFloat32, uint8Tensor } from './onnx-tensors';
import { groupsOf, quantize, transpose } from './quant-math';
import { nodeLabel, type WeightTarget } from './weight-targets';

export const MATMUL_NBITS_DOMAIN = 'com.microsoft';

/** Whether every node reading the weight can become MatMulNBits (Gemm only without transA). */
export function fitsMatMulNBits(target: WeightTarget): boolean {
	if (target.op === 'MatMul') return true;
	if (target.op !== 'Gemm') return false;
	return target.uses.every((use) => intAttribute(use.node, 'transA', 0) === 0);
}

export interface NBitsResult {
	bytes: number;
	relativeError: number;
	nodes: string[];
}

/** Rewrites every MatMul/Gemm reading `target` into MatMulNBits; the float weight goes away. */
export function toMatMulNBits(
	target: WeightTarget,
	blockSize: number,
	symmetric: boolean,
	names: NameScope
): NBitsResult {
	const { values, dims, graph } = target;
	const [rows, cols] = dims as [number, number];
	// MatMulNBits wants the weight as [N, K]: one row per output column.
	const byOutput =
		target.reductionAxis === 0 ? transpose(values, rows, cols) : Float32Array.from(values);
	const n = target.reductionAxis === 0 ? cols : rows;
	const k = target.reductionAxis === 0 ? rows : cols;
	const blocks = Math.ceil(k / blockSize);
	const padded = new Float32Array(n * blocks * blockSize);
	for (let row = 0; row < n; row++) {
		padded.set(byOutput.subarray(row * k, (row + 1) * k), row * blocks * blockSize);
	}
	const groups = groupsOf([n, blocks * blockSize], { kind: 'block', axis: 1, size: blockSize });
	const quantized = quantize(padded, groups, 4, symmetric);
	const codes = symmetric ? quantized.codes.map((code) => code + 8) : quantized.codes;

	let error = 0;
	let energy = 0;
	for (let row = 0; row < n; row++) {
		for (let col = 0; col < k; col++) {
			const i = row * blocks * blockSize + col;
			const g = groups.of[i]!;
			const back = (quantized.codes[i]! - quantized.zeroPoints[g]!) * quantized.scales[g]!;
			error += (back - padded[i]!) ** 2;
			energy += padded[i]! ** 2;
		}
	}

	const base = target.weight.name;
	const packedName = names.fresh(`${base}_q4`);
	const scalesName = names.fresh(`${base}_scales`);
	const initializers: onnx.ITensorProto[] = [
		uint8Tensor(packedName, [n, blocks, blockSize / 2], packNibbles(codes)),
		float32Tensor(scalesName, [n * blocks], quantized.scales)
	];
	const inputs = [packedName, scalesName];
	if (!symmetric) {
		const zeroName = names.fresh(`${base}_zero_points`);
		const perRow = Math.ceil(blocks / 2);
		const zeros = new Uint8Array(n * perRow);
		for (let row = 0; row < n; row++) {
			zeros.set(
				packNibbles(quantized.zeroPoints.subarray(row * blocks, (row + 1) * blocks)),
				row * perRow
			);
		}
		initializers.push(uint8Tensor(zeroName, [n * perRow], zeros));
		inputs.push(zeroName);
	}
	graph.initializer = [...(graph.initializer ?? []), ...initializers];

	const rewritten: string[] = [];
	for (const use of target.uses) {
		const node = use.node;
		const output = node.output![0]!;
		const alpha = node.opType === 'Gemm' ? floatAttribute(node, 'alpha', 1) : 1;
		let scaleInput = scalesName;
		if (alpha !== 1) {
			scaleInput = names.fresh(`${base}_scales_alpha`);
			const scaled = quantized.scales.map((scale) => scale * alpha);
			graph.initializer.push(float32Tensor(scaleInput, [n * blocks], scaled));
		}
		const bias = node.opType === 'Gemm' ? node.input?.[2] : undefined;
		const product = bias ? names.fresh(`${output}_matmul`) : output;
		const replacement = [
			makeNode(
				'MatMulNBits',
				[node.input![0]!, inputs[0]!, scaleInput, ...inputs.slice(2)],
				[product],
				{ K: { int: k }, N: { int: n }, bits: { int: 4 }, block_size: { int: blockSize } },
				MATMUL_NBITS_DOMAIN
			)
		];
		if (bias) replacement.push(...gemmBias(graph, node, bias, product, output, names));
		// The reading node may sit in an If/Loop body; the new weights stay in the outer scope.
		const host = use.graph;
		const at = host.node!.indexOf(node);
		host.node = [...host.node!.slice(0, at), ...replacement, ...host.node!.slice(at + 1)];
		rewritten.push(nodeLabel(node));
	}
	removeWeight(graph, target.weight);
	const bytes = initializers.reduce((sum, tensor) => sum + (tensor.rawData?.byteLength ?? 0), 0);
	return { bytes, relativeError: energy > 0 ? Math.sqrt(error / energy) : 0, nodes: rewritten };
}

/** Gemm's `beta * C`, added after the product (folded into a new constant when C is one). */
export function gemmBias(
	graph: onnx.IGraphProto,
	node: onnx.INodeProto,
	bias: string,
	product: string,
	output: string,
	names: NameScope
): onnx.INodeProto[] {
	const beta = floatAttribute(node, 'beta', 1);
	if (beta === 1) return [makeNode('Add', [product, bias], [output])];
	const constant = graph.initializer?.find((tensor) => tensor.name === bias);
	const values = constant ? readFloat32(constant) : null;
	if (constant && values) {
		const scaled = names.fresh(`${bias}_beta`);
		graph.initializer!.push(
			float32Tensor(
				scaled,
				dimsOf(constant),
				values.map((v) => v * beta)
			)
		);
		return [makeNode('Add', [product, scaled], [output])];
	}
	const betaName = names.fresh(`${output}_beta`);
	const scaledBias = names.fresh(`${output}_bias`);
	graph.initializer!.push(float32Tensor(betaName, [], [beta]));
	return [
		makeNode('Mul', [bias, betaName], [scaledBias]),
		makeNode('Add', [product, scaledBias], [output])
	];
}
