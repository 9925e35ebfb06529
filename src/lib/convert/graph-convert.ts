/**
 * Converts a TensorFlow.js graph-model to ONNX (opset 18). Only the nodes the outputs depend on
 * are converted, in topological order, so a model can be cut before in-graph post-processing
 * (NMS, loops) that the tasks do in code. Every op the cut needs is checked first, and all that
 * cannot be converted are named at once. Ops live in graph-ops-*.ts; values, layouts and the
 * compact weight encoding in graph-context.ts.
 */
import type { TensorDType, TensorSpec } from '../catalog/manifest';
import { encodeModel } from '../optimize/onnx-writer';
import { TfjsConversionError, TfjsUnsupportedOpsError } from './errors';
import {
	ELEM,
	GraphContext,
	intA,
	TO_NCHW,
	made,
	tfDtypeOf,
	type OpConverter,
	type TfDtype,
	type Value
} from './graph-context';
import { ARRAY_OPS } from './graph-ops-array';
import { INDEX_OPS } from './graph-ops-index';
import { MATH_OPS } from './graph-ops-math';
import { NN_OPS } from './graph-ops-nn';
import type { TfGraphModel, TfNode } from './tfjs-model';
import type { ConversionResult, ConvertOptions } from './types';

const OPSET = 18;
export const GRAPH_OPS: Readonly<Record<string, OpConverter>> = {
	...MATH_OPS,
	...ARRAY_OPS,
	...INDEX_OPS,
	...NN_OPS
};

/** Whether the converter maps a TF op (Const and Placeholder are the graph's leaves). */
export const isSupportedOp = (op: string) =>
	op === 'Const' || op === 'Placeholder' || op in GRAPH_OPS;

/** "node:1" -> ["node", 1]; control inputs ("^node") are ordering only and have no data. */
function parseRef(ref: string): [string, number] {
	const colon = ref.lastIndexOf(':');
	if (colon > 0 && /^\d+$/.test(ref.slice(colon + 1)))
		return [ref.slice(0, colon), Number(ref.slice(colon + 1))];
	return [ref, 0];
}
const dataInputs = (node: TfNode) => node.input.filter((input) => !input.startsWith('^'));

/** The graph's own outputs: nodes whose results nothing reads. */
export function graphSinks(model: TfGraphModel): string[] {
	const read = new Set<string>();
	for (const node of model.nodes.values())
		for (const input of dataInputs(node)) read.add(parseRef(input)[0]);
	return [...model.nodes.values()]
		.filter(
			(n) => !read.has(n.name) && n.op !== 'Const' && n.op !== 'NoOp' && n.op !== 'Placeholder'
		)
		.map((n) => n.name);
}

/** The nodes the outputs depend on, inputs before the nodes that read them. */
export function dependencies(model: TfGraphModel, outputs: string[], source: string): TfNode[] {
	const order: TfNode[] = [];
	const state = new Map<string, 'open' | 'done'>();
	const nodes = new Map<string, TfNode>();
	const stack: [string, boolean][] = outputs.map((o) => [parseRef(o)[0], false]);
	while (stack.length > 0) {
		const [name, expanded] = stack.pop()!;
		if (expanded) {
			if (state.get(name) !== 'done') (state.set(name, 'done'), order.push(nodes.get(name)!));
			continue;
		}
		if (state.has(name)) continue;
		// A weight with no Const node of its own (hand-built graphs) is a constant all the same.
		const node =
			model.nodes.get(name) ??
			(model.constants.has(name) ? { name, op: 'Const', input: [], attr: {} } : undefined);
		if (!node)
			throw new TfjsConversionError(
				source,
				`tensor "${name}"`,
				'no node of the graph has that name'
			);
		state.set(name, 'open');
		nodes.set(name, node);
		stack.push([name, true]);
		for (const input of dataInputs(node)) {
			const [dep] = parseRef(input);
			if (!state.has(dep)) stack.push([dep, false]);
		}
	}
	return order;
}

function placeholder(
	node: TfNode,
	ctx: GraphContext,
	options: ConvertOptions,
	inputs: TensorSpec[],
	fallback?: TfDtype
): Value {
	const dtype = tfDtypeOf(node.attr.dtype?.type) ?? fallback;
	if (!dtype) ctx.fail(node, `inputs of type ${node.attr.dtype?.type} are not supported`);
	const declared = node.attr.shape?.shape as
		{ dim?: { size?: string }[]; unknownRank?: boolean } | undefined;
	const fixed = options.inputShapes?.[node.name];
	let shape: (number | null)[] | undefined =
		fixed ?? declared?.dim?.map((d) => (Number(d.size ?? -1) < 0 ? null : Number(d.size)));
	if (!shape && declared && !declared.unknownRank) shape = [];
	if (!shape) ctx.fail(node, 'its shape is unknown: give its size in inputShapes');
	const spec = options.specs?.[node.name];
	const name = spec?.name ?? node.name;
	const dims = spec?.dims ?? shape.map((d, i) => d ?? `${name}_${i}`);
	inputs.push({ name, dtype: dtype as TensorDType, dims });
	// Integer tensors are int64 inside the graph.
	const inner = dtype === 'int32' ? ctx.emit('Cast', [name], [intA('to', ELEM.int64)]) : name;
	return made(inner, dtype, shape);
}

function constant(node: TfNode, ctx: GraphContext, model: TfGraphModel): Value {
	const weight = model.constants.get(node.name);
	if (!weight) return ctx.fail(node, 'its value is not in the weight shards');
	const dtype = tfDtypeOf(node.attr.dtype?.type) ?? weight.dtype;
	return {
		dtype,
		shape: weight.shape,
		data: weight.values,
		weight: { key: node.name, constant: weight },
		nchw: false
	};
}

const count = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);

/** What only the build's own callers ask for (see graph-to-onnx.ts). */
export interface GraphExtras {
	/** Outputs to give in NCHW, as ONNX convolutions leave them (the tasks decode them so). */
	nchwOutputs?: ReadonlySet<string>;
	docString?: string;
	/** Element types of placeholders whose node does not say (hand-built graphs). */
	inputDtypes?: Record<string, TfDtype>;
}

export function convertGraphModel(
	model: TfGraphModel,
	options: ConvertOptions,
	extras: GraphExtras = {}
): ConversionResult {
	const source = options.name;
	const notes: string[] = [];
	const outputs = options.outputs ?? graphSinks(model);
	if (!options.outputs)
		notes.push(`Outputs chosen automatically (nodes nothing else reads): ${outputs.join(', ')}.`);
	const order = dependencies(model, outputs, source);
	const unsupported = [
		...new Set(order.map((n) => n.op).filter((op) => !isSupportedOp(op)))
	].sort();
	if (unsupported.length > 0) throw new TfjsUnsupportedOpsError(source, 'op', unsupported);

	const ctx = new GraphContext(source);
	const tensors = new Map<string, Value>();
	const inputs: TensorSpec[] = [];
	const sourceOps: Record<string, number> = {};
	order.forEach((node, done) => {
		count(sourceOps, node.op);
		let values: Value[];
		if (node.op === 'Placeholder')
			values = [placeholder(node, ctx, options, inputs, extras.inputDtypes?.[node.name])];
		else if (node.op === 'Const') values = [constant(node, ctx, model)];
		else {
			const args = dataInputs(node).map((input) => {
				const [name, index] = parseRef(input);
				const value = tensors.get(`${name}:${index}`);
				if (!value) return ctx.fail(node, `its input ${input} has no output ${index}`);
				return value;
			});
			values = GRAPH_OPS[node.op]!(node, ctx, args);
		}
		values.forEach((value, index) => tensors.set(`${node.name}:${index}`, value));
		options.onProgress?.(done + 1, order.length, 'converting');
	});

	const outputSpecs: TensorSpec[] = outputs.map((tensor) => {
		const [node, index] = parseRef(tensor);
		const value = tensors.get(`${node}:${index}`);
		if (!value)
			throw new TfjsConversionError(source, `output "${tensor}"`, 'the node has no such output');
		const spec = options.specs?.[tensor];
		const name = spec?.name ?? tensor;
		const ints = value.dtype === 'int32';
		const nchw = extras.nchwOutputs?.has(tensor) === true;
		const from = nchw ? ctx.nchwName(value) : ctx.name(value);
		ctx.emit(ints ? 'Cast' : 'Identity', [from], ints ? [intA('to', ELEM.int32)] : [], [name]);
		const shape = nchw && value.shape ? TO_NCHW.map((a) => value.shape![a]!) : value.shape;
		const dims = spec?.dims ?? (shape ?? []).map((d, i) => d ?? `${name}_${i}`);
		if (!spec?.dims && !value.shape)
			notes.push(`The rank of output ${name} is not known statically.`);
		return { name, dtype: value.dtype as TensorDType, dims };
	});

	const onnx = encodeModel({
		graphName: options.name,
		inputs,
		outputs: outputSpecs,
		initializers: ctx.initializers,
		nodes: ctx.nodes,
		opset: OPSET,
		producer: 'hearth',
		docString:
			extras.docString ??
			`${options.name}: converted from a TensorFlow.js graph-model (${model.generatedBy || 'unknown converter'}) by Hearth`
	});
	const onnxOps: Record<string, number> = {};
	for (const node of ctx.nodes) count(onnxOps, node.opType!);
	let sourceBytes = 0;
	let compact = 0;
	for (const c of model.constants.values()) {
		sourceBytes += c.quantization?.bytes.byteLength ?? c.values.length * 4;
		if (c.quantization) compact++;
	}
	if (compact > 0)
		notes.push(
			`${compact} weights stay in their stored precision (uint8 or float16) and are widened at load.`
		);
	return {
		onnx,
		report: {
			format: 'graph-model',
			sourceOps,
			onnxOps,
			parameters: ctx.parameters,
			sourceBytes,
			onnxBytes: onnx.byteLength,
			inputs,
			outputs: outputSpecs,
			notes
		}
	};
}
