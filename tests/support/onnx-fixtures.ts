/**
 * Small ONNX files made on the spot for tests of adding, inspecting and running user models:
 * one with every inspection feature (a Constant weight, an If with subgraphs, a custom-domain
 * node), one whose weights are external data, and one that takes strings.
 */
import type { onnx } from 'onnx-proto';
import { onnxProto } from '../../src/lib/optimize/onnx-proto';
import {
	encodeModel,
	float32Initializer,
	int64Initializer,
	node,
	valueInfo
} from '../../src/lib/optimize/onnx-writer';

const TENSOR = 4;
const GRAPH = 5;

function encode(model: onnx.IModelProto): Uint8Array {
	return onnxProto.ModelProto.encode(onnxProto.ModelProto.create(model)).finish();
}

/**
 * y = If(flag) then (x + bias) else (x * scale), with scale held by a Constant node, and a
 * com.example node that no runtime knows (inspection only). Parameters: bias 2x3, the Constant's
 * scale of 3, and an int64 "shift" inside the then-branch: 10 elements.
 */
export function inspectionModel(): Uint8Array {
	const branch = (name: string, op: string, weight: string): onnx.IGraphProto => ({
		name,
		node: [node(op, ['x', weight], [`${name}_out`])],
		output: [valueInfo({ name: `${name}_out`, dtype: 'float32', dims: [2, 3] })],
		initializer: name === 'then' ? [int64Initializer('shift', [1], [1])] : []
	});
	return encode({
		irVersion: 8,
		producerName: 'hearth-test',
		producerVersion: '1',
		opsetImport: [
			{ domain: '', version: 17 },
			{ domain: 'com.example', version: 1 }
		],
		metadataProps: [{ key: 'author', value: 'tests' }],
		graph: {
			name: 'inspection',
			input: [
				valueInfo({ name: 'x', dtype: 'float32', dims: [2, 3] }),
				valueInfo({ name: 'flag', dtype: 'bool', dims: [] })
			],
			output: [valueInfo({ name: 'y', dtype: 'float32', dims: [2, 3] })],
			initializer: [float32Initializer('bias', [2, 3], [1, 2, 3, 4, 5, 6])],
			node: [
				{
					opType: 'Constant',
					output: ['scale'],
					attribute: [
						{ name: 'value', type: TENSOR, t: float32Initializer('scale', [3], [2, 2, 2]) }
					]
				},
				{ opType: 'Relu', domain: 'com.example', input: ['x'], output: ['unused'] },
				{
					opType: 'If',
					input: ['flag'],
					output: ['y'],
					attribute: [
						{ name: 'then_branch', type: GRAPH, g: branch('then', 'Add', 'bias') },
						{ name: 'else_branch', type: GRAPH, g: branch('else', 'Mul', 'scale') }
					]
				}
			]
		}
	});
}

/** A 4-to-2 linear layer whose weights point to a side file, as large exports do. */
export function externalDataModel(): Uint8Array {
	const weights: onnx.ITensorProto = {
		name: 'w',
		dims: [4, 2],
		dataType: 1,
		dataLocation: 1,
		externalData: [
			{ key: 'location', value: 'model.onnx_data' },
			{ key: 'offset', value: '0' },
			{ key: 'length', value: '32' }
		]
	};
	return encode({
		irVersion: 8,
		opsetImport: [{ domain: '', version: 17 }],
		graph: {
			name: 'external',
			input: [valueInfo({ name: 'x', dtype: 'float32', dims: ['batch', 4] })],
			output: [valueInfo({ name: 'y', dtype: 'float32', dims: ['batch', 2] })],
			initializer: [weights],
			node: [node('MatMul', ['x', 'w'], ['y'])]
		}
	});
}

/** text -> Identity -> same text: valid ONNX that the runner cannot fill. */
export function stringInputModel(): Uint8Array {
	return encodeModel({
		graphName: 'strings',
		inputs: [{ name: 'text', dtype: 'string', dims: [1] }],
		outputs: [{ name: 'same', dtype: 'string', dims: [1] }],
		initializers: [],
		nodes: [node('Identity', ['text'], ['same'])],
		opset: 17,
		producer: 'hearth-test'
	});
}
