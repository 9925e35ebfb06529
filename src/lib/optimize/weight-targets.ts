/**
 * Finds the weights a method can work on: float32 initializers and Constant-node tensors (in the
 * main graph and in If/Loop bodies) read by the weight input of a covered operator. Everything
 * else worth mentioning is listed as skipped, with the reason, so the user sees what stayed.
 */
import type { onnx } from 'onnx-proto';
import { graphsOf } from './onnx-inspect';
import { GraphIndex, intAttribute, type Use, type Weight } from './model-graph';
import { dimsOf, readFloat32 } from './onnx-tensors';

export const WEIGHT_OPS = ['MatMul', 'Gemm', 'Conv', 'Gather'] as const;
export type WeightOp = (typeof WEIGHT_OPS)[number];

/** Smaller tensors (biases, scalars) are never worth a scale of their own. */
export const MIN_TARGET_ELEMENTS = 16;
/** Skipped tensors at least this large are listed; smaller ones only counted. */
export const MIN_LISTED_ELEMENTS = 1024;

export interface WeightTarget {
	graph: onnx.IGraphProto;
	weight: Weight;
	values: Float32Array;
	dims: number[];
	op: WeightOp;
	/** Every node reading the weight (all of the same op, through the same input). */
	uses: Use[];
	/** The axis of output channels (one scale each, per channel). */
	channelAxis: number;
	/** The axis a dot product runs over (blocks lie along it). */
	reductionAxis: number;
}

export interface SkippedNode {
	/** The node's name, or its first output when it has none. */
	node: string;
	op: string;
	reason: string;
}

export interface TargetSearch {
	targets: WeightTarget[];
	skipped: SkippedNode[];
	/** Float weights left as they were because they are small (biases, norms). */
	smallKept: { tensors: number; bytes: number };
}

export function nodeLabel(node: onnx.INodeProto): string {
	return node.name || node.output?.[0] || node.opType || '?';
}

/** Which axes of a weight read through input `index` of `node` hold channels and sums. */
function weightSlot(
	node: onnx.INodeProto,
	index: number,
	rank: number
): { op: WeightOp; channelAxis: number; reductionAxis: number } | string {
	const op = node.opType ?? '';
	if (node.domain && node.domain !== 'ai.onnx') return `${node.domain}.${op} is not covered`;
	switch (op) {
		case 'MatMul':
			if (index !== 1) return 'the weight is the left operand of MatMul';
			if (rank !== 2) return `a ${rank}-D MatMul weight is not covered (2-D only)`;
			return { op, channelAxis: 1, reductionAxis: 0 };
		case 'Gemm': {
			if (index === 2) return 'Gemm biases stay float';
			if (index !== 1) return 'the weight is the left operand of Gemm';
			const transposed = intAttribute(node, 'transB', 0) === 1;
			return { op, channelAxis: transposed ? 0 : 1, reductionAxis: transposed ? 1 : 0 };
		}
		case 'Conv':
			if (index === 2) return 'Conv biases stay float';
			if (rank < 3) return 'a Conv weight needs at least 3 dims';
			return { op, channelAxis: 0, reductionAxis: 1 };
		case 'Gather':
			if (index !== 0) return 'Gather indices are not weights';
			if (intAttribute(node, 'axis', 0) !== 0 || rank !== 2) {
				return 'only row lookups (axis 0) in a 2-D table are covered';
			}
			return { op, channelAxis: 0, reductionAxis: 1 };
		default:
			return `${op} is not covered by this method`;
	}
}

/**
 * Every float32 weight read by a chosen op, with each other sizeable weight and why it stays.
 * `ops` are the op types the user chose; `covers` those the method can handle at all.
 */
export function findWeightTargets(
	model: onnx.IModelProto,
	ops: readonly WeightOp[],
	covers: readonly WeightOp[] = WEIGHT_OPS
): TargetSearch {
	const targets: WeightTarget[] = [];
	const skipped: SkippedNode[] = [];
	const smallKept = { tensors: 0, bytes: 0 };
	if (!model.graph) return { targets, skipped, smallKept };
	for (const graph of graphsOf(model.graph)) {
		const index = new GraphIndex(graph);
		for (const weight of index.weights.values()) {
			const dims = dimsOf(weight.tensor);
			const elements = dims.reduce((a, b) => a * b, 1);
			const uses = index.deepConsumers.get(weight.name) ?? [];
			if (weight.tensor.dataType !== 1 || uses.length === 0) continue;
			const skip = (reason: string, use: Use | undefined = uses[0]) => {
				if (elements >= MIN_LISTED_ELEMENTS && use) {
					skipped.push({ node: nodeLabel(use.node), op: use.node.opType ?? '?', reason });
				} else {
					smallKept.tensors++;
					smallKept.bytes += elements * 4;
				}
			};
			const slots = uses.map((use) => weightSlot(use.node, use.index, dims.length));
			const problem = slots.findIndex((slot) => typeof slot === 'string');
			if (problem >= 0) {
				skip(slots[problem] as string, uses[problem]);
				continue;
			}
			const slot = slots[0] as Exclude<(typeof slots)[number], string>;
			const agree = slots.every(
				(other) =>
					typeof other !== 'string' &&
					other.op === slot.op &&
					other.channelAxis === slot.channelAxis
			);
			if (!agree) {
				skip('the weight is shared by nodes that read it differently');
				continue;
			}
			if (!covers.includes(slot.op)) {
				skip(`${slot.op} is not covered by this method`);
				continue;
			}
			if (!ops.includes(slot.op)) {
				skip(`${slot.op} was not selected`);
				continue;
			}
			if (index.graphOutputs.has(weight.name)) {
				skip('the weight is also a graph output');
				continue;
			}
			if (elements < MIN_TARGET_ELEMENTS) {
				smallKept.tensors++;
				smallKept.bytes += elements * 4;
				continue;
			}
			const values = readFloat32(weight.tensor);
			if (!values) {
				skip('its data could not be read (external or malformed)');
				continue;
			}
			targets.push({ graph, weight, values, dims, uses, ...slot });
		}
	}
	return { targets, skipped, smallKept };
}
