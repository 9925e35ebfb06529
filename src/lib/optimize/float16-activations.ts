/**
 * fp16 weights and activations: every float32 tensor of the graph becomes float16, with Casts at
 * the graph's inputs and outputs so callers still pass and receive float32. Operators without a
 * float16 kernel in onnxruntime, or whose float16 results are unreliable (Resize, Range, TopK,
 * Min/Max, ...: onnxconverter-common's block list), stay in float32 with Casts around them.
 * Needs each tensor's element type, inferred here per operator; graphs with If/Loop bodies are
 * left to the weights-only mode.
 */
import type { onnx } from 'onnx-proto';
import { NothingToOptimizeError } from './errors';
import {
	constantTensorOf,
	GraphIndex,
	intAttribute,
	isDefaultDomain,
	makeNode,
	NameScope,
	subgraphsOf,
	topologicalOrder
} from './model-graph';
import { DataType, dimsOf, float16Tensor, readFloat32 } from './onnx-tensors';
import type { SkippedNode } from './weight-targets';

/** Operators kept in float32 (onnxconverter-common's DEFAULT_OP_BLOCK_LIST, for ai.onnx). */
export const FLOAT32_ONLY_OPS = new Set([
	'Resize',
	'Upsample',
	'Range',
	'TopK',
	'NonMaxSuppression',
	'RoiAlign',
	'CumSum',
	'Min',
	'Max',
	'RandomUniform',
	'RandomNormal',
	'RandomUniformLike',
	'RandomNormalLike',
	'Multinomial',
	'EyeLike',
	'Bernoulli'
]);

const BOOL_OPS = new Set([
	'Equal',
	'Less',
	'Greater',
	'LessOrEqual',
	'GreaterOrEqual',
	'Not',
	'And',
	'Or',
	'Xor',
	'IsNaN',
	'IsInf'
]);
const INT64_OPS = new Set(['Shape', 'Size', 'NonZero', 'ArgMax', 'ArgMin']);

/** The element type of every tensor, from the file's declarations and per-operator rules. */
export function inferElementTypes(graph: onnx.IGraphProto): Map<string, number> {
	const types = new Map<string, number>();
	for (const value of [
		...(graph.input ?? []),
		...(graph.valueInfo ?? []),
		...(graph.output ?? [])
	]) {
		const elemType = value.type?.tensorType?.elemType;
		if (value.name && elemType) types.set(value.name, elemType);
	}
	for (const tensor of graph.initializer ?? []) types.set(tensor.name ?? '', tensor.dataType ?? 0);
	for (const node of topologicalOrder(graph)) {
		const op = node.opType ?? '';
		const inputType = (node.input ?? [])
			.map((name) => types.get(name))
			.find((type) => type !== undefined);
		const outputs = node.output ?? [];
		const set = (i: number, type: number | undefined) => {
			const name = outputs[i];
			if (name && type !== undefined && !types.has(name)) types.set(name, type);
		};
		if (op === 'Constant') {
			const tensor = constantTensorOf(node);
			const attribute = node.attribute?.[0]?.name ?? '';
			set(
				0,
				tensor
					? (tensor.dataType ?? 0)
					: attribute.startsWith('value_int')
						? DataType.INT64
						: DataType.FLOAT
			);
		} else if (op === 'Cast') set(0, intAttribute(node, 'to', 0));
		else if (op === 'CastLike') set(0, types.get(node.input?.[1] ?? ''));
		else if (INT64_OPS.has(op)) set(0, DataType.INT64);
		else if (BOOL_OPS.has(op)) set(0, DataType.BOOL);
		else if (op === 'ConstantOfShape') {
			const value = node.attribute?.find((entry) => entry.name === 'value')?.t;
			set(0, value?.dataType ?? DataType.FLOAT);
		} else if (op === 'TopK') {
			set(0, inputType);
			set(1, DataType.INT64);
		} else if (isDefaultDomain(node)) outputs.forEach((_, i) => set(i, inputType));
	}
	return types;
}

function castNode(input: string, output: string, to: number): onnx.INodeProto {
	return makeNode('Cast', [input], [output], { to: { int: to } });
}

function blocked(node: onnx.INodeProto): boolean {
	return !isDefaultDomain(node) || FLOAT32_ONLY_OPS.has(node.opType ?? '');
}

export function convertToFloat16Activations(
	model: onnx.IModelProto,
	fileName: string,
	progress: (fraction: number) => void
): { changes: string[]; skipped: SkippedNode[]; weightsChanged: number } {
	const graph = model.graph!;
	const label = 'fp16 (weights and activations)';
	if ((graph.node ?? []).some((node) => subgraphsOf(node).length > 0)) {
		throw new NothingToOptimizeError(
			fileName,
			label,
			'the graph has If/Loop bodies, which this mode does not convert; choose fp16 weights only'
		);
	}
	const types = inferElementTypes(graph);
	const index = new GraphIndex(graph);
	const untyped = (graph.node ?? []).flatMap((node) =>
		(node.output ?? []).filter((name) => name && !types.has(name))
	);
	if (untyped.length > 0) {
		throw new NothingToOptimizeError(
			fileName,
			label,
			`the element type of ${untyped.slice(0, 3).join(', ')} cannot be worked out; choose fp16 weights only`
		);
	}
	const isFloat = (name: string) => types.get(name) === DataType.FLOAT;
	const names = new NameScope(model);
	let weightsChanged = 0;
	// Weights read only by float32 operators stay float32 (Resize scales, Max floors).
	const keptFloat = (name: string) => {
		const uses = index.usesOf(name);
		return uses.length > 0 && uses.every((use) => blocked(use.node));
	};
	for (const tensor of graph.initializer ?? []) {
		const name = tensor.name ?? '';
		if (!isFloat(name) || index.graphInputs.has(name) || keptFloat(name)) continue;
		const values = readFloat32(tensor);
		if (!values) continue;
		Object.assign(tensor, float16Tensor(name, dimsOf(tensor), values), { floatData: [] });
		weightsChanged++;
	}
	const nodes: onnx.INodeProto[] = [];
	const outputs = new Set((graph.output ?? []).map((output) => output.name ?? ''));
	const renamedOutputs: onnx.INodeProto[] = [];
	for (const input of graph.input ?? []) {
		const name = input.name ?? '';
		if (!isFloat(name) || index.weights.has(name)) continue;
		const half = names.fresh(`${name}_fp16`);
		nodes.push(castNode(name, half, DataType.FLOAT16));
		for (const use of index.usesOf(name)) use.node.input![use.index] = half;
	}
	const all = graph.node ?? [];
	all.forEach((node, i) => {
		progress(i / all.length);
		const op = node.opType ?? '';
		const constant = constantTensorOf(node);
		if (constant && isFloat(node.output![0]!) && !keptFloat(node.output![0]!)) {
			const values = readFloat32(constant);
			if (values) {
				Object.assign(constant, float16Tensor(constant.name ?? '', dimsOf(constant), values), {
					floatData: []
				});
				weightsChanged++;
			}
		} else if (op === 'Cast' && intAttribute(node, 'to', 0) === DataType.FLOAT) {
			node.attribute!.find((entry) => entry.name === 'to')!.i = DataType.FLOAT16;
		} else if (op === 'ConstantOfShape') {
			const value = node.attribute?.find((entry) => entry.name === 'value');
			const values = value?.t ? readFloat32(value.t) : null;
			if (value?.t && values) value.t = float16Tensor(value.t.name ?? '', [1], values);
		}
		const before: onnx.INodeProto[] = [];
		const after: onnx.INodeProto[] = [];
		if (blocked(node)) {
			(node.input ?? []).forEach((name, at) => {
				if (!name || !isFloat(name) || (index.weights.has(name) && keptFloat(name))) return;
				const full = names.fresh(`${name}_fp32`);
				before.push(castNode(name, full, DataType.FLOAT));
				node.input![at] = full;
			});
			(node.output ?? []).forEach((name, at) => {
				if (!name || !isFloat(name)) return;
				const full = names.fresh(`${name}_fp32`);
				node.output![at] = full;
				after.push(castNode(full, name, DataType.FLOAT16));
			});
		}
		nodes.push(...before, node, ...after);
	});
	// Graph outputs keep float32: the last producer writes a float16 twin, cast back at the end.
	for (const name of outputs) {
		if (!isFloat(name)) continue;
		const half = names.fresh(`${name}_fp16`);
		for (const node of nodes) {
			node.output = (node.output ?? []).map((output) => (output === name ? half : output));
			node.input = (node.input ?? []).map((input) => (input === name ? half : input));
		}
		renamedOutputs.push(castNode(half, name, DataType.FLOAT));
	}
	graph.node = [...nodes, ...renamedOutputs];
	for (const info of graph.valueInfo ?? []) {
		const tensorType = info.type?.tensorType;
		if (tensorType?.elemType === DataType.FLOAT) tensorType.elemType = DataType.FLOAT16;
	}
	const kept = [...new Set(all.filter(blocked).map((node) => node.opType ?? '?'))];
	return {
		changes: [
			`${weightsChanged} float32 weights and every float32 activation → float16`,
			'Casts at the graph inputs and outputs: callers still pass and receive float32',
			...(kept.length > 0
				? [
						`${kept.join(', ')} kept in float32 (no reliable float16 kernel), with Casts around them`
					]
				: [])
		],
		skipped: [],
		weightsChanged
	};
}
