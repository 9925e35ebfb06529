/**
 * Structured pruning by the L2 norm of output channels (Conv filters, MatMul/Gemm columns): the
 * weakest channels of a layer are removed, and the graph shrinks with them. That is only sound
 * when everything between the layer and the next weighted layers works channel by channel
 * (activations, per-channel constants, batch norm, depthwise convolutions, pooling); the next
 * layers then lose the matching input channels. Layers whose channels reach anything else (a
 * residual Add, a Reshape, a graph output) are left whole and listed.
 */
import type { onnx } from 'onnx-proto';
import { GraphIndex, intAttribute, type Weight } from './model-graph';
import { dimsOf, float32Tensor, readFloat32 } from './onnx-tensors';
import { nodeLabel, type SkippedNode, type WeightTarget } from './weight-targets';

const UNARY = new Set([
	'Relu',
	'Sigmoid',
	'Tanh',
	'LeakyRelu',
	'Elu',
	'Selu',
	'HardSigmoid',
	'HardSwish',
	'Softplus',
	'Softsign',
	'Identity',
	'Neg',
	'Abs',
	'Exp',
	'Log',
	'Sqrt',
	'Erf',
	'Gelu',
	'Mish',
	'Clip',
	'Dropout',
	'Cast',
	'Reciprocal',
	'Floor',
	'Ceil',
	'Round'
]);
const BINARY = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'PRelu']);
const POOLS = new Set(['MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'LpPool']);

/** A weight to cut along one axis, keeping the listed indices. */
interface Cut {
	weight: Weight;
	axis: number;
	/** The node input to rewire to the cut copy (constants may be shared with other nodes). */
	node: onnx.INodeProto;
	index: number;
}

interface Region {
	cuts: Cut[];
	depthwise: onnx.INodeProto[];
	tensors: Set<string>;
}

/** Which axis of a tensor in the region holds channels: 1 (NCHW) or the last. */
type ChannelAxis = 'second' | 'last';

function channelIndexIn(dims: number[], rank: number | undefined, axis: ChannelAxis): number {
	if (axis === 'last') return dims.length - 1;
	if (rank === undefined) return -1;
	return dims.length - (rank - 1);
}

/**
 * Follows the producer's output through channel-wise nodes. Returns the edits, or why the
 * channels cannot be removed.
 */
function traceRegion(
	index: GraphIndex,
	start: string,
	axis: ChannelAxis,
	rank: number | undefined,
	channels: number
): Region | string {
	const region: Region = { cuts: [], depthwise: [], tensors: new Set([start]) };
	const queue = [start];
	const handled = new Set<onnx.INodeProto>();
	/** Binary nodes waiting for their other operand to join the region (x * hardsigmoid(x)). */
	const waiting = new Set<onnx.INodeProto>();
	const joins = (node: onnx.INodeProto) => {
		handled.add(node);
		waiting.delete(node);
		const output = node.output![0]!;
		region.tensors.add(output);
		queue.push(output);
	};
	/** A constant operand: null when it broadcasts as a scalar, a cut when per channel. */
	const constantCut = (node: onnx.INodeProto, i: number): Cut | null | string => {
		const weight = index.weights.get(node.input![i]!)!;
		const dims = dimsOf(weight.tensor);
		if (dims.reduce((a, b) => a * b, 1) === 1) return null;
		const at = channelIndexIn(dims, rank, axis);
		const perChannel =
			at >= 0 && dims[at] === channels && dims.every((dim, d) => d === at || dim === 1);
		if (!perChannel)
			return `a ${node.opType} constant of shape [${dims}] does not follow the channels`;
		return { weight, axis: at, node, index: i };
	};
	/** 'wait' while an operand may still join; an error when one never can. */
	const tryBinary = (node: onnx.INodeProto): 'joined' | 'wait' | string => {
		const cuts: Cut[] = [];
		for (const [i, name] of (node.input ?? []).entries()) {
			if (region.tensors.has(name)) continue;
			if (!index.weights.has(name)) {
				return index.producers.has(name)
					? 'wait'
					: `${node.opType} mixes the channels with a model input`;
			}
			const cut = constantCut(node, i);
			if (typeof cut === 'string') return cut;
			if (cut) cuts.push(cut);
		}
		region.cuts.push(...cuts);
		joins(node);
		return 'joined';
	};
	const visit = (node: onnx.INodeProto, tensor: string): string | null => {
		const op = node.opType ?? '';
		const inputs = node.input ?? [];
		if (UNARY.has(op) || POOLS.has(op)) {
			if (inputs[0] !== tensor) return `${op} reads the channels as a parameter`;
			joins(node);
		} else if (BINARY.has(op)) {
			const outcome = tryBinary(node);
			if (outcome === 'wait') waiting.add(node);
			else if (outcome !== 'joined') return outcome;
		} else if (op === 'BatchNormalization' || op === 'InstanceNormalization') {
			if (inputs[0] !== tensor) return `${op} reads the channels as a parameter`;
			for (let i = 1; i < inputs.length; i++) {
				const weight = index.weights.get(inputs[i]!);
				if (!weight) return `${op} parameters are not constants`;
				region.cuts.push({ weight, axis: 0, node, index: i });
			}
			joins(node);
		} else if (op === 'Conv') {
			const weight = index.weights.get(inputs[1] ?? '');
			if (inputs[0] !== tensor || !weight || axis !== 'second') {
				return 'a Conv reads the channels in another way';
			}
			const group = intAttribute(node, 'group', 1);
			const dims = dimsOf(weight.tensor);
			if (group === 1) {
				handled.add(node);
				region.cuts.push({ weight, axis: 1, node, index: 1 });
			} else if (group === channels && dims[0] === channels && dims[1] === 1) {
				region.cuts.push({ weight, axis: 0, node, index: 1 });
				const bias = index.weights.get(inputs[2] ?? '');
				if (inputs[2] && !bias) return 'a depthwise Conv bias is not a constant';
				if (bias) region.cuts.push({ weight: bias, axis: 0, node, index: 2 });
				region.depthwise.push(node);
				joins(node);
			} else return 'a grouped Conv follows';
		} else if (op === 'MatMul' || op === 'Gemm') {
			const weight = index.weights.get(inputs[1] ?? '');
			const transA = op === 'Gemm' && intAttribute(node, 'transA', 0) === 1;
			if (inputs[0] !== tensor || !weight || axis !== 'last' || transA) {
				return `a ${op} reads the channels in another way`;
			}
			const transB = op === 'Gemm' && intAttribute(node, 'transB', 0) === 1;
			handled.add(node);
			region.cuts.push({ weight, axis: transB ? 1 : 0, node, index: 1 });
		} else return `${op} reads the channels`;
		return null;
	};
	for (;;) {
		while (queue.length > 0) {
			const tensor = queue.shift()!;
			if (index.readElsewhere(tensor)) return 'its channels reach a graph output or a subgraph';
			for (const { node } of index.usesOf(tensor)) {
				if (handled.has(node)) continue;
				const problem = visit(node, tensor);
				if (problem) return problem;
			}
		}
		const ready = [...waiting].filter((node) => tryBinary(node) === 'joined');
		if (ready.length === 0) break;
	}
	const stuck = [...waiting][0];
	return stuck ? `${stuck.opType} mixes the channels with another branch` : region;
}

function cutAlong(values: Float32Array, dims: number[], axis: number, keep: number[]) {
	const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
	const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
	const size = dims[axis]!;
	const out = new Float32Array(outer * keep.length * inner);
	let o = 0;
	for (let a = 0; a < outer; a++) {
		for (const k of keep) {
			const from = (a * size + k) * inner;
			out.set(values.subarray(from, from + inner), o);
			o += inner;
		}
	}
	const newDims = dims.map((dim, d) => (d === axis ? keep.length : dim));
	return { values: out, dims: newDims };
}

/** L2 norm of each slice along `axis`. */
export function channelNorms(values: Float32Array, dims: number[], axis: number): Float64Array {
	const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
	const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
	const size = dims[axis]!;
	const norms = new Float64Array(size);
	for (let a = 0; a < outer; a++) {
		for (let c = 0; c < size; c++) {
			const from = (a * size + c) * inner;
			for (let i = from; i < from + inner; i++) norms[c]! += values[i]! ** 2;
		}
	}
	return norms.map(Math.sqrt);
}

export interface ChannelPruning {
	layers: { node: string; kept: number; of: number }[];
	skipped: SkippedNode[];
	parametersRemoved: number;
}

/**
 * Removes `fraction` of the output channels of every target layer whose channels can be traced,
 * weakest first by L2 norm. Targets are visited in graph order; each reads the weights as earlier
 * cuts left them.
 */
export function pruneChannels(
	graph: onnx.IGraphProto,
	targets: WeightTarget[],
	fraction: number
): ChannelPruning {
	const result: ChannelPruning = { layers: [], skipped: [], parametersRemoved: 0 };
	let counter = 0;
	for (const target of targets) {
		const node = target.uses[0]!.node;
		const skip = (reason: string) =>
			result.skipped.push({ node: nodeLabel(node), op: node.opType ?? '?', reason });
		if (target.graph !== graph || target.uses.length !== 1 || target.uses[0]!.graph !== graph) {
			skip('the weight is shared or inside a subgraph');
			continue;
		}
		if (node.opType === 'Conv' && intAttribute(node, 'group', 1) !== 1) {
			skip('grouped convolutions follow their input channels');
			continue;
		}
		if (node.opType === 'Gemm' && intAttribute(node, 'transA', 0) === 1) {
			skip('Gemm with a transposed input');
			continue;
		}
		const index = new GraphIndex(graph);
		// An earlier cut may have replaced this layer's weight (its input channels): read the current one.
		const weight = index.weights.get(node.input![1]!);
		if (!weight) {
			skip('its weight is not a constant');
			continue;
		}
		const values = readFloat32(weight.tensor)!;
		const dims = dimsOf(weight.tensor);
		const outAxis = target.channelAxis;
		const channels = dims[outAxis]!;
		const remove = Math.min(channels - 1, Math.round(channels * fraction));
		if (remove <= 0) {
			skip('too few channels to remove any');
			continue;
		}
		const axis: ChannelAxis = node.opType === 'Conv' ? 'second' : 'last';
		const region = traceRegion(
			index,
			node.output![0]!,
			axis,
			node.opType === 'Conv' ? dims.length : undefined,
			channels
		);
		if (typeof region === 'string') {
			skip(region);
			continue;
		}
		const bias = index.weights.get(node.input?.[2] ?? '');
		if (node.input?.[2] && !bias) {
			skip('its bias is not a constant');
			continue;
		}
		const norms = channelNorms(values, dims, outAxis);
		const order = [...norms.keys()].sort((a, b) => norms[a]! - norms[b]! || a - b);
		const dropped = new Set(order.slice(0, remove));
		const keep = [...norms.keys()].filter((c) => !dropped.has(c));
		const cuts: Cut[] = [{ weight, axis: outAxis, node, index: 1 }, ...region.cuts];
		if (bias) {
			const biasDims = dimsOf(bias.tensor);
			if (biasDims.reduce((a, b) => a * b, 1) === channels) {
				cuts.push({ weight: bias, axis: biasDims.length - 1, node, index: 2 });
			}
		}
		for (const cut of cuts) {
			const source = readFloat32(cut.weight.tensor);
			if (!source) continue;
			const before = source.length;
			const shrunk = cutAlong(source, dimsOf(cut.weight.tensor), cut.axis, keep);
			// A fresh initializer per cut: a constant may be shared with nodes outside the region.
			const name = `${cut.weight.name}_pruned_${counter++}`;
			graph.initializer = [
				...(graph.initializer ?? []),
				float32Tensor(name, shrunk.dims, shrunk.values)
			];
			cut.node.input![cut.index] = name;
			result.parametersRemoved += before - shrunk.values.length;
		}
		for (const depthwise of region.depthwise) {
			const group = depthwise.attribute!.find((entry) => entry.name === 'group')!;
			group.i = keep.length;
		}
		// Shapes recorded for the region's tensors are now wrong; ORT infers them again.
		graph.valueInfo = (graph.valueInfo ?? []).filter(
			(info) => !region.tensors.has(info.name ?? '')
		);
		result.layers.push({ node: nodeLabel(node), kept: keep.length, of: channels });
	}
	return result;
}
