/**
 * What the Inspect page shows about an ONNX model: its inputs and outputs in any element type
 * (not only the ones Hearth can feed), IR version and opsets, how often each operator is used,
 * and the weights: parameter count, bytes per element type, and every initializer. Pure and
 * DOM-free, so it runs in a worker for large models and in Node for the unit tests.
 */
import type { onnx } from 'onnx-proto';
import { int64ToNumber, parseOnnxModel } from './onnx-graph';

/** ONNX TensorProto.DataType: the name Hearth shows and the bits one element takes. */
const ELEMENT_TYPES: ReadonlyMap<number, { name: string; bits: number }> = new Map([
	[1, { name: 'float32', bits: 32 }],
	[2, { name: 'uint8', bits: 8 }],
	[3, { name: 'int8', bits: 8 }],
	[4, { name: 'uint16', bits: 16 }],
	[5, { name: 'int16', bits: 16 }],
	[6, { name: 'int32', bits: 32 }],
	[7, { name: 'int64', bits: 64 }],
	[8, { name: 'string', bits: 0 }],
	[9, { name: 'bool', bits: 8 }],
	[10, { name: 'float16', bits: 16 }],
	[11, { name: 'float64', bits: 64 }],
	[12, { name: 'uint32', bits: 32 }],
	[13, { name: 'uint64', bits: 64 }],
	[14, { name: 'complex64', bits: 64 }],
	[15, { name: 'complex128', bits: 128 }],
	[16, { name: 'bfloat16', bits: 16 }],
	[17, { name: 'float8e4m3fn', bits: 8 }],
	[18, { name: 'float8e4m3fnuz', bits: 8 }],
	[19, { name: 'float8e5m2', bits: 8 }],
	[20, { name: 'float8e5m2fnuz', bits: 8 }],
	[21, { name: 'uint4', bits: 4 }],
	[22, { name: 'int4', bits: 4 }],
	[23, { name: 'float4e2m1', bits: 4 }]
]);

export function elementTypeName(elemType: number): string {
	return ELEMENT_TYPES.get(elemType)?.name ?? `type ${elemType}`;
}

export interface ValueDescription {
	name: string;
	/** 'tensor' is the only kind the runner can fill or show. */
	kind: 'tensor' | 'sequence' | 'map' | 'optional' | 'sparse' | 'unknown';
	/** The element type's name ("float32", "string", "bfloat16"); the kind for non-tensors. */
	dtype: string;
	/** Numbers for fixed dims, names for symbolic ones, '?' for unnamed; null when the rank is unknown. */
	dims: (number | string)[] | null;
}

export interface InitializerDescription {
	name: string;
	dtype: string;
	dims: number[];
	elements: number;
	/** Elements times the element size (string tensors: their characters). */
	bytes: number;
	/** Stored in a side file (external data) rather than inside the model. */
	external: boolean;
	/** A Constant node's value rather than a graph initializer (older exporters store weights so). */
	constant: boolean;
}

export interface DtypeTotal {
	dtype: string;
	tensors: number;
	elements: number;
	bytes: number;
}

export interface ModelInspection {
	fileBytes: number;
	irVersion: number;
	opsets: { domain: string; version: number }[];
	producer: string;
	graphName: string;
	docString: string;
	metadata: { key: string; value: string }[];
	inputs: ValueDescription[];
	outputs: ValueDescription[];
	/** Nodes in the graph and in every subgraph (If, Loop, Scan bodies). */
	nodeCount: number;
	/** Node count per operator, most used first; custom domains prefix the name ("com.microsoft.Attention"). */
	operators: { op: string; count: number }[];
	/** Elements of every initializer and Constant node tensor. */
	parameters: number;
	parameterBytes: number;
	byDtype: DtypeTotal[];
	initializers: InitializerDescription[];
}

export function describeValue(value: onnx.IValueInfoProto): ValueDescription {
	const name = value.name ?? '';
	const type = value.type;
	if (type?.tensorType) {
		const shape = type.tensorType.shape;
		return {
			name,
			kind: 'tensor',
			dtype: elementTypeName(type.tensorType.elemType ?? 0),
			dims: shape ? (shape.dim ?? []).map(dimOf) : null
		};
	}
	const kind: ValueDescription['kind'] = type?.sequenceType
		? 'sequence'
		: type?.mapType
			? 'map'
			: type?.optionalType
				? 'optional'
				: type?.sparseTensorType
					? 'sparse'
					: 'unknown';
	return { name, kind, dtype: kind, dims: null };
}

function dimOf(dim: onnx.TensorShapeProto.IDimension): number | string {
	if (dim.dimParam) return dim.dimParam;
	if (dim.dimValue !== null && dim.dimValue !== undefined) return int64ToNumber(dim.dimValue);
	return '?';
}

export function describeInitializer(tensor: onnx.ITensorProto): InitializerDescription {
	const dims = (tensor.dims ?? []).map((dim) => int64ToNumber(dim));
	const elements = dims.reduce((product, dim) => product * dim, 1);
	const type = ELEMENT_TYPES.get(tensor.dataType ?? 0);
	const externalLength = tensor.externalData?.find((entry) => entry.key === 'length')?.value;
	const external = tensor.dataLocation === 1 || (tensor.externalData ?? []).length > 0;
	let bytes: number;
	if (type?.name === 'string') {
		bytes = (tensor.stringData ?? []).reduce((sum, value) => sum + value.byteLength, 0);
	} else if (external && externalLength) {
		bytes = Number(externalLength);
	} else {
		bytes = Math.ceil((elements * (type?.bits ?? 0)) / 8);
	}
	return {
		name: tensor.name ?? '',
		dtype: elementTypeName(tensor.dataType ?? 0),
		dims,
		elements,
		bytes,
		external,
		constant: false
	};
}

/** The tensor a Constant node holds, in the shape of an initializer; null for other nodes. */
function constantTensor(node: onnx.INodeProto): InitializerDescription | null {
	if (node.opType !== 'Constant' || (node.domain && node.domain !== 'ai.onnx')) return null;
	const name = node.output?.[0] ?? node.name ?? '';
	for (const attribute of node.attribute ?? []) {
		const list = (dtype: string, length: number, bytesEach: number, scalar = false) => ({
			name,
			dtype,
			dims: scalar ? [] : [length],
			elements: length,
			bytes: length * bytesEach,
			external: false,
			constant: true
		});
		switch (attribute.name) {
			case 'value':
				return attribute.t ? { ...describeInitializer(attribute.t), name, constant: true } : null;
			case 'value_float':
				return list('float32', 1, 4, true);
			case 'value_floats':
				return list('float32', attribute.floats?.length ?? 0, 4);
			case 'value_int':
				return list('int64', 1, 8, true);
			case 'value_ints':
				return list('int64', attribute.ints?.length ?? 0, 8);
		}
	}
	return null;
}

/** Every graph of the model: the main one, then the bodies of If, Loop and Scan nodes. */
export function* graphsOf(graph: onnx.IGraphProto): Generator<onnx.IGraphProto> {
	yield graph;
	for (const node of graph.node ?? []) {
		for (const attribute of node.attribute ?? []) {
			if (attribute.g) yield* graphsOf(attribute.g);
			for (const subgraph of attribute.graphs ?? []) yield* graphsOf(subgraph);
		}
	}
}

export function operatorHistogram(graph: onnx.IGraphProto): { op: string; count: number }[] {
	const counts = new Map<string, number>();
	for (const each of graphsOf(graph)) {
		for (const node of each.node ?? []) {
			const domain = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.` : '';
			const op = `${domain}${node.opType ?? '?'}`;
			counts.set(op, (counts.get(op) ?? 0) + 1);
		}
	}
	return [...counts]
		.map(([op, count]) => ({ op, count }))
		.sort((a, b) => b.count - a.count || a.op.localeCompare(b.op));
}

export function dtypeTotals(initializers: InitializerDescription[]): DtypeTotal[] {
	const totals = new Map<string, DtypeTotal>();
	for (const tensor of initializers) {
		const total = totals.get(tensor.dtype) ?? {
			dtype: tensor.dtype,
			tensors: 0,
			elements: 0,
			bytes: 0
		};
		total.tensors++;
		total.elements += tensor.elements;
		total.bytes += tensor.bytes;
		totals.set(tensor.dtype, total);
	}
	return [...totals.values()].sort((a, b) => b.bytes - a.bytes || a.dtype.localeCompare(b.dtype));
}

export function inspectModel(model: onnx.IModelProto, fileBytes: number): ModelInspection {
	const graph = model.graph ?? {};
	const initializers = [...graphsOf(graph)].flatMap((each) => [
		...(each.initializer ?? []).map(describeInitializer),
		...(each.node ?? []).map(constantTensor).filter((tensor) => tensor !== null)
	]);
	// Graphs exported with IR < 4 list their weights among the inputs; a caller never feeds those.
	const weights = new Set((graph.initializer ?? []).map((tensor) => tensor.name));
	const operators = operatorHistogram(graph);
	return {
		fileBytes,
		irVersion: int64ToNumber(model.irVersion),
		opsets: (model.opsetImport ?? []).map((opset) => ({
			domain: opset.domain || 'ai.onnx',
			version: int64ToNumber(opset.version)
		})),
		producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
		graphName: graph.name ?? '',
		docString: model.docString ?? '',
		metadata: (model.metadataProps ?? []).map((entry) => ({
			key: entry.key ?? '',
			value: entry.value ?? ''
		})),
		inputs: (graph.input ?? []).filter((input) => !weights.has(input.name)).map(describeValue),
		outputs: (graph.output ?? []).map(describeValue),
		nodeCount: operators.reduce((sum, entry) => sum + entry.count, 0),
		operators,
		parameters: initializers.reduce((sum, tensor) => sum + tensor.elements, 0),
		parameterBytes: initializers.reduce((sum, tensor) => sum + tensor.bytes, 0),
		byDtype: dtypeTotals(initializers),
		initializers
	};
}

/** Checks the bytes are an ONNX model, then inspects it. */
export function inspectOnnxBytes(bytes: Uint8Array, fileName: string): ModelInspection {
	return inspectModel(parseOnnxModel(bytes, fileName), bytes.byteLength);
}
