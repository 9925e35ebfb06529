import { describe, expect, it } from 'vitest';
import {
	decodeModel,
	defaultOpset,
	graphSignature,
	int64ToNumber,
	tensorSpecOf,
	UnsupportedTensorError
} from './onnx-graph';
import { onnxProto } from './onnx-proto';
import { encodeModel, float32Initializer, node } from './onnx-writer';

function identityModel(): Uint8Array {
	return encodeModel({
		graphName: 'test',
		inputs: [
			{ name: 'x', dtype: 'float32', dims: ['batch', 3, '?'] },
			{ name: 'ids', dtype: 'int64', dims: [] }
		],
		outputs: [{ name: 'y', dtype: 'float32', dims: ['batch', 3, '?'] }],
		initializers: [float32Initializer('bias', [3, 1], [1, 2, 3])],
		nodes: [node('Add', ['x', 'bias'], ['y'])],
		opset: 17,
		producer: 'test'
	});
}

describe('graphSignature', () => {
	it('reads names, dtypes and fixed, named and unknown dims', () => {
		const model = decodeModel(identityModel());
		// Writers mark an unknown dim by leaving both dim_value and dim_param out.
		model.graph!.input![0]!.type!.tensorType!.shape!.dim![2] = {};
		expect(graphSignature(model)).toEqual({
			inputs: [
				{ name: 'x', dtype: 'float32', dims: ['batch', 3, '?'] },
				{ name: 'ids', dtype: 'int64', dims: [] }
			],
			outputs: [{ name: 'y', dtype: 'float32', dims: ['batch', 3, '?'] }]
		});
		expect(defaultOpset(model)).toBe(17);
	});

	it('leaves out weights that old exporters list as inputs', () => {
		const model = decodeModel(identityModel());
		model.graph!.input!.push({
			name: 'bias',
			type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 3 }, { dimValue: 1 }] } } }
		});
		expect(graphSignature(model).inputs.map((input) => input.name)).toEqual(['x', 'ids']);
	});

	it('names the tensor whose element type Hearth cannot handle', () => {
		const doubleInput = { name: 'd', type: { tensorType: { elemType: 11, shape: { dim: [] } } } };
		expect(() => tensorSpecOf(doubleInput)).toThrow(UnsupportedTensorError);
		expect(() => tensorSpecOf(doubleInput)).toThrow(/"d" has ONNX element type 11/);
		expect(() => tensorSpecOf({ name: 'n', type: { tensorType: { elemType: 1 } } })).toThrow(
			/declares no shape/
		);
	});
});

describe('int64ToNumber', () => {
	it('accepts numbers and protobufjs Long values', () => {
		const decoded = onnxProto.TensorProto.decode(
			onnxProto.TensorProto.encode({ dims: [123456789012] }).finish()
		);
		expect(int64ToNumber(decoded.dims[0])).toBe(123456789012);
		expect(int64ToNumber(7)).toBe(7);
		expect(int64ToNumber(undefined)).toBe(0);
	});
});
