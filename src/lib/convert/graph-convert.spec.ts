/**
 * The graph converter's convolution ops against tfjs (CPU), its compact weights, its report and
 * every way it refuses a graph.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
	b64,
	checkAgainstTfjs,
	constant,
	ints,
	op,
	placeholder,
	strings,
	tinyModel,
	values
} from '../../../scripts/models/tfjs/tiny-check';
import { decodeModel } from '../optimize/onnx-graph';
import { TfjsConversionError, TfjsUnsupportedOpsError } from './errors';
import { convertGraphModel, graphSinks } from './graph-convert';

const image = { name: 'img', dtype: 'float32' as const, shape: [1, 6, 7, 3], data: values(126) };
const conv = (padding: string, stride = 1) => ({
	padding: { s: b64(padding) },
	strides: ints(1, stride, stride, 1),
	dilations: ints(1, 1, 1, 1),
	data_format: { s: b64('NHWC') }
});

describe('convolution-family ops', () => {
	it('runs convolutions (uint8 and float16 filters), pools, pads and resizes like tfjs', async () => {
		const filter = constant('filter', 'float32', [3, 3, 3, 4], values(108, -1, 1, 2), 'uint8');
		const depth = constant('depth', 'float32', [3, 3, 4, 2], values(72, -1, 1, 3), 'float16');
		const bias = constant('bias', 'float32', [4], [0.1, -0.2, 0.3, 0]);
		const alpha = constant('alpha', 'float32', [8], values(8, 0, 0.5, 4));
		const pads = constant('pads', 'int32', [4, 2], [0, 0, 1, 2, 2, 1, 0, 0]);
		const size = constant('size', 'int32', [2], [9, 5]);
		const axesHW = constant('axesHW', 'int32', [2], [1, 2]);
		const stats = ['scale', 'offset', 'mean', 'variance'].map((name, i) =>
			constant(name, 'float32', [8], values(8, 0.5, 1.5, 30 + i))
		);
		await checkAgainstTfjs(
			[
				placeholder('img', 'float32', [1, 6, 7, 3]),
				op('conv', '_FusedConv2D', ['img', 'filter', 'bias'], {
					...conv('SAME'),
					num_args: { i: '1' },
					fused_ops: strings('BiasAdd', 'Relu6')
				}),
				op('dw', 'DepthwiseConv2dNative', ['conv', 'depth'], conv('VALID')),
				op('prelu', 'Prelu', ['dw', 'alpha']),
				op('bn', 'FusedBatchNormV3', ['prelu', 'scale', 'offset', 'mean', 'variance'], {
					epsilon: { f: 0.001 }
				}),
				op('max', 'MaxPool', ['conv'], { ...conv('SAME', 2), ksize: ints(1, 2, 2, 1) }),
				op('avg', 'AvgPool', ['conv'], { ...conv('VALID', 1), ksize: ints(1, 3, 3, 1) }),
				op('pad', 'Pad', ['max', 'pads']),
				op('mirror', 'MirrorPad', ['conv', 'pads'], { mode: { s: b64('REFLECT') } }),
				op('up', 'ResizeBilinear', ['bn', 'size'], { half_pixel_centers: { b: true } }),
				op('upA', 'ResizeBilinear', ['bn', 'size'], { align_corners: { b: true } }),
				op('meanHW', 'Mean', ['bn', 'axesHW'], { keep_dims: { b: false } }),
				op('d2s', 'DepthToSpace', ['bn'], {
					block_size: { i: '2' },
					data_format: { s: b64('NHWC') }
				})
			],
			[filter, depth, bias, alpha, pads, size, axesHW, ...stats],
			[image],
			['conv', 'bn', 'max', 'avg', 'pad', 'mirror', 'up', 'upA', 'meanHW', 'd2s'],
			1e-5
		);
	});

	it('runs a transposed convolution (Conv2DBackpropInput) like tfjs', async () => {
		const filter = constant('filter', 'float32', [3, 3, 2, 3], values(54, -1, 1, 5));
		const outSize = constant('outSize', 'int32', [4], [1, 12, 14, 2]);
		await checkAgainstTfjs(
			[
				placeholder('img', 'float32', [1, 6, 7, 3]),
				op('up', 'Conv2DBackpropInput', ['outSize', 'filter', 'img'], conv('SAME', 2))
			],
			[filter, outSize],
			[image],
			['up'],
			1e-5
		);
	});

	it('keeps uint8 and float16 weights compact and reports the conversion', async () => {
		const w = values(64 * 32, -1, 1, 9);
		const build = (quantize?: 'uint8' | 'float16') =>
			tinyModel(
				[placeholder('x', 'float32', [-1, 64]), op('y', 'MatMul', ['x', 'w'])],
				[constant('w', 'float32', [64, 32], w, quantize)]
			).model;
		const progress: [number, number][] = [];
		const plain = convertGraphModel(build(), { name: 'plain' });
		const uint8 = convertGraphModel(build('uint8'), {
			name: 'uint8',
			onProgress: (done, total) => progress.push([done, total])
		});
		const half = convertGraphModel(build('float16'), { name: 'half' });
		expect(uint8.onnx.byteLength).toBeLessThan(plain.onnx.byteLength * 0.3);
		expect(half.onnx.byteLength).toBeLessThan(plain.onnx.byteLength * 0.55);
		const types = decodeModel(uint8.onnx).graph!.initializer!.map((t) => t.dataType);
		expect(types).toContain(2); // UINT8
		expect(decodeModel(half.onnx).graph!.initializer!.map((t) => t.dataType)).toContain(10);
		expect(progress).toEqual([
			[1, 3],
			[2, 3],
			[3, 3]
		]);
		expect(uint8.report).toMatchObject({
			format: 'graph-model',
			sourceOps: { Placeholder: 1, Const: 1, MatMul: 1 },
			onnxOps: { Cast: 1, Mul: 1, Add: 1, MatMul: 1, Identity: 1 },
			parameters: 64 * 32,
			sourceBytes: 64 * 32,
			onnxBytes: uint8.onnx.byteLength,
			inputs: [{ name: 'x', dtype: 'float32', dims: ['x_0', 64] }],
			outputs: [{ name: 'y', dtype: 'float32', dims: ['y_0', 32] }]
		});
		// Outputs were inferred from the graph's sinks; the report says so.
		expect(uint8.report.notes.join(' ')).toContain('Outputs chosen automatically');
		// The affine uint8 map (q * scale + min) is reproduced exactly.
		const session = await ort.InferenceSession.create(uint8.onnx);
		const x = Float32Array.from(values(64, -1, 1, 10));
		const y = (await session.run({ x: new ort.Tensor('float32', x, [1, 64]) })).y!.data;
		const model = build('uint8');
		const dq = model.constants.get('w')!.values;
		const expected = Array.from({ length: 32 }, (_, j) =>
			x.reduce((sum, xi, i) => sum + xi * dq[i * 32 + j]!, 0)
		);
		expected.forEach((v, j) => expect(y[j]).toBeCloseTo(v, 4));
	});
});

describe('what the converter refuses', () => {
	const post = () =>
		tinyModel(
			[
				placeholder('x', 'float32', [4, 4]),
				op('features', 'Relu', ['x']),
				op('loop', 'Switch', ['features', 'flag']),
				op('merged', 'Merge', ['loop', 'features']),
				op('nms', 'NonMaxSuppressionV5', ['merged', 'features']),
				op('list', 'TensorListReserve', ['nms']),
				op('odd', 'Cumprod', ['features'])
			],
			[constant('flag', 'int32', [], [1])]
		).model;

	it('lists every unsupported op the outputs need, at once', () => {
		const error = (() => {
			try {
				convertGraphModel(post(), { name: 'detector' });
			} catch (caught) {
				return caught;
			}
		})();
		expect(error).toBeInstanceOf(TfjsUnsupportedOpsError);
		expect((error as TfjsUnsupportedOpsError).unsupported).toEqual([
			'Cumprod',
			'Merge',
			'NonMaxSuppressionV5',
			'Switch',
			'TensorListReserve'
		]);
		expect((error as Error).message).toContain('cut the graph at the named outputs');
		expect(graphSinks(post()).sort()).toEqual(['list', 'odd']);
	});

	it('converts a graph cut at named outputs before the unsupported ops', () => {
		const { report } = convertGraphModel(post(), { name: 'detector', outputs: ['features'] });
		expect(report.sourceOps).toEqual({ Placeholder: 1, Relu: 1 });
		expect(report.outputs).toEqual([{ name: 'features', dtype: 'float32', dims: [4, 4] }]);
	});

	it('names an output that is not in the graph', () => {
		expect(() => convertGraphModel(post(), { name: 'detector', outputs: ['nope'] })).toThrow(
			TfjsConversionError
		);
	});

	it('explains an op it cannot map here (a computed convolution filter)', () => {
		const { model } = tinyModel(
			[
				placeholder('x', 'float32', [1, 4, 4, 1]),
				placeholder('f', 'float32', [1, 1, 1, 1]),
				op('y', 'Conv2D', ['x', 'f'], conv('SAME'))
			],
			[]
		);
		expect(() => convertGraphModel(model, { name: 'm' })).toThrow(
			/node "y" \(Conv2D\) cannot be converted: the filter must be a constant/
		);
	});
});
