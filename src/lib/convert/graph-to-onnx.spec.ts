import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { halfToFloat, type TfGraphModel, type TfNode } from './tfjs-model';
import { tfjsToOnnx } from './graph-to-onnx';

const b64 = (text: string) => Buffer.from(text).toString('base64');

function node(name: string, op: string, input: string[], attr: TfNode['attr'] = {}): TfNode {
	return { name, op, input, attr };
}

describe('halfToFloat', () => {
	it('decodes IEEE half floats', () => {
		expect(halfToFloat(0x3c00)).toBe(1);
		expect(halfToFloat(0xc000)).toBe(-2);
		expect(halfToFloat(0x3555)).toBeCloseTo(1 / 3, 3);
		expect(halfToFloat(0x0001)).toBeCloseTo(2 ** -24, 30);
	});
});

describe('tfjsToOnnx', () => {
	it('runs an NHWC convolution with bias and Relu6, a channel-wise add and a resize like TF', async () => {
		// x: [1, 2, 3, 2] (NHWC); a 1x1 convolution to 3 channels, then + [1, 1, 1, 3] and 2x resize.
		const x = Float32Array.from({ length: 12 }, (_, i) => i - 4);
		const filter = Float32Array.from([1, 0.5, -1, 2, -0.5, 1]); // [1, 1, 2, 3] HWIO
		const bias = Float32Array.from([0.5, 0, -1]);
		const shift = Float32Array.from([10, 20, 30]);
		const model: TfGraphModel = {
			format: 'graph-model',
			generatedBy: 'test',
			constants: new Map([
				['w', { dtype: 'float32', shape: [1, 1, 2, 3], values: filter }],
				['b', { dtype: 'float32', shape: [3], values: bias }],
				['shift', { dtype: 'float32', shape: [1, 1, 1, 3], values: shift }],
				['size', { dtype: 'int32', shape: [2], values: Int32Array.from([4, 6]) }]
			]),
			nodes: new Map(
				[
					node('x', 'Placeholder', []),
					node('conv', '_FusedConv2D', ['x', 'w', 'b'], {
						fused_ops: { list: { s: [b64('BiasAdd'), b64('Relu6')] } },
						padding: { s: b64('SAME') },
						strides: { list: { i: ['1', '1', '1', '1'] } },
						dilations: { list: { i: ['1', '1', '1', '1'] } }
					}),
					node('add', 'AddV2', ['conv', 'shift']),
					node('up', 'ResizeBilinear', ['add', 'size'], { half_pixel_centers: { b: true } })
				].map((n) => [n.name, n])
			)
		};
		const bytes = tfjsToOnnx(model, {
			graphName: 'test',
			docString: '',
			inputs: [{ placeholder: 'x', spec: { name: 'x', dtype: 'float32', dims: [1, 2, 3, 2] } }],
			outputs: [
				{
					tensor: 'add',
					layout: 'nhwc',
					spec: { name: 'sum', dtype: 'float32', dims: [1, 2, 3, 3] }
				},
				{ tensor: 'up', layout: 'nchw', spec: { name: 'up', dtype: 'float32', dims: [1, 3, 4, 6] } }
			]
		});
		const session = await ort.InferenceSession.create(bytes);
		const out = await session.run({ x: new ort.Tensor('float32', x, [1, 2, 3, 2]) });
		const sum = out.sum!.data as Float32Array;
		for (let pixel = 0; pixel < 6; pixel++) {
			for (let o = 0; o < 3; o++) {
				const conv = x[pixel * 2]! * filter[o]! + x[pixel * 2 + 1]! * filter[3 + o]! + bias[o]!;
				const expected = Math.min(6, Math.max(0, conv)) + shift[o]!;
				expect(sum[pixel * 3 + o]).toBeCloseTo(expected, 5);
			}
		}
		// Half-pixel bilinear upsampling keeps the corner values and the mean of each channel.
		const up = out.up!.data as Float32Array;
		expect(out.up!.dims).toEqual([1, 3, 4, 6]);
		for (let c = 0; c < 3; c++) {
			expect(up[c * 24]).toBeCloseTo(sum[c]!, 5);
			const mean = (values: number[]) => values.reduce((a, v) => a + v, 0) / values.length;
			const upMean = mean(Array.from(up.subarray(c * 24, c * 24 + 24)));
			const sumMean = mean(Array.from({ length: 6 }, (_, p) => sum[p * 3 + c]!));
			expect(upMean).toBeCloseTo(sumMean, 4);
		}
	});

	it('names an unsupported op', () => {
		const model: TfGraphModel = {
			format: 'graph-model',
			generatedBy: 'test',
			constants: new Map(),
			nodes: new Map([
				['x', node('x', 'Placeholder', [])],
				['odd', node('odd', 'Cumprod', ['x'])]
			])
		};
		expect(() =>
			tfjsToOnnx(model, {
				graphName: 'test',
				docString: '',
				inputs: [{ placeholder: 'x', spec: { name: 'x', dtype: 'float32', dims: [1, 2] } }],
				outputs: [
					{ tensor: 'odd', layout: 'nhwc', spec: { name: 'y', dtype: 'float32', dims: [1, 2] } }
				]
			})
		).toThrow('test uses 1 TensorFlow.js op Hearth cannot convert: Cumprod.');
	});
});
