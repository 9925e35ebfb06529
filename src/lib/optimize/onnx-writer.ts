/**
 * Small builders for writing ONNX graphs with onnx-proto: initializers, nodes, attributes and
 * typed graph inputs/outputs. Pure, so models made in the browser (a freshly trained MLP) are
 * written the same way as those made by the build step.
 */
import type { onnx } from 'onnx-proto';
import type { TensorDType, TensorSpec } from '../catalog/manifest';
import { ELEM_TYPE_BY_DTYPE } from './onnx-graph';
import { onnxProto } from './onnx-proto';

/** IR version 8 goes with opsets up to 18 and is the newest this onnx-proto release knows. */
export const IR_VERSION = 8;

function elemTypeOf(dtype: TensorDType): number {
	const elemType = ELEM_TYPE_BY_DTYPE.get(dtype);
	if (elemType === undefined) throw new Error(`No ONNX element type for ${dtype}`);
	return elemType;
}

function checkElementCount(name: string, dims: readonly number[], length: number): void {
	const expected = dims.reduce((product, dim) => product * dim, 1);
	if (expected !== length) {
		throw new Error(
			`Initializer "${name}" has ${length} values but dims [${dims}] need ${expected}`
		);
	}
}

/** ONNX raw data is little-endian whatever the machine, so bytes are written explicitly. */
export function float32Initializer(
	name: string,
	dims: readonly number[],
	values: ArrayLike<number>
): onnx.ITensorProto {
	checkElementCount(name, dims, values.length);
	const raw = new Uint8Array(values.length * 4);
	const view = new DataView(raw.buffer);
	for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] ?? 0, true);
	return { name, dims: [...dims], dataType: elemTypeOf('float32'), rawData: raw };
}

export function int64Initializer(
	name: string,
	dims: readonly number[],
	values: readonly number[]
): onnx.ITensorProto {
	checkElementCount(name, dims, values.length);
	const raw = new Uint8Array(values.length * 8);
	const view = new DataView(raw.buffer);
	values.forEach((value, i) => view.setBigInt64(i * 8, BigInt(value), true));
	return { name, dims: [...dims], dataType: elemTypeOf('int64'), rawData: raw };
}

/**
 * Integers and floats look alike in JavaScript, so the kind is explicit: `int(1)` for axis-like
 * attributes and `float(1e-12)` for the rest.
 */
export type TypedAttribute =
	| { kind: 'int'; value: number }
	| { kind: 'ints'; value: number[] }
	| { kind: 'float'; value: number };

export const int = (value: number): TypedAttribute => ({ kind: 'int', value });
export const ints = (value: number[]): TypedAttribute => ({ kind: 'ints', value });
export const float = (value: number): TypedAttribute => ({ kind: 'float', value });

function attributeProto(name: string, attribute: TypedAttribute): onnx.IAttributeProto {
	const types = onnxProto.AttributeProto.AttributeType;
	switch (attribute.kind) {
		case 'int':
			return { name, type: types.INT, i: attribute.value };
		case 'ints':
			return { name, type: types.INTS, ints: attribute.value };
		case 'float':
			return { name, type: types.FLOAT, f: attribute.value };
	}
}

export function node(
	opType: string,
	inputs: string[],
	outputs: string[],
	attributes: Record<string, TypedAttribute> = {}
): onnx.INodeProto {
	return {
		opType,
		name: `${opType}_${outputs[0] ?? ''}`,
		input: inputs,
		output: outputs,
		attribute: Object.entries(attributes).map(([name, value]) => attributeProto(name, value))
	};
}

export function valueInfo(spec: TensorSpec): onnx.IValueInfoProto {
	return {
		name: spec.name,
		type: {
			tensorType: {
				elemType: elemTypeOf(spec.dtype),
				shape: {
					dim: spec.dims.map((dim) =>
						typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim }
					)
				}
			}
		}
	};
}

export interface ModelDefinition {
	graphName: string;
	inputs: TensorSpec[];
	outputs: TensorSpec[];
	initializers: onnx.ITensorProto[];
	nodes: onnx.INodeProto[];
	opset: number;
	/** Who made the file, recorded as producer_name ("hearth"). */
	producer: string;
	docString?: string;
}

/** Encodes the model; the same definition always gives the same bytes. */
export function encodeModel(definition: ModelDefinition): Uint8Array {
	const model = onnxProto.ModelProto.create({
		irVersion: IR_VERSION,
		producerName: definition.producer,
		docString: definition.docString ?? '',
		opsetImport: [{ domain: '', version: definition.opset }],
		graph: {
			name: definition.graphName,
			input: definition.inputs.map(valueInfo),
			output: definition.outputs.map(valueInfo),
			initializer: definition.initializers,
			node: definition.nodes
		}
	});
	return onnxProto.ModelProto.encode(model).finish();
}
