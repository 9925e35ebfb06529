import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeModel, graphSignature } from '../optimize/onnx-graph';
import { cloneMlp, createMlp, forward, logitsOf, softmax, type Mlp } from './mlp';
import { mlpToOnnx } from './mlp-onnx';
import { createRandom } from './random';

/** The exported file holds float32 weights; the JS reference has to use the same values. */
function roundedToFloat32(mlp: Mlp): Mlp {
	const copy = cloneMlp(mlp);
	for (const layer of copy.layers) {
		layer.weights.set(Float32Array.from(layer.weights));
		layer.bias.set(Float32Array.from(layer.bias));
	}
	return copy;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
	expect(a.length).toBe(b.length);
	let worst = 0;
	for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
	return worst;
}

describe('mlpToOnnx', () => {
	const random = createRandom(11);
	const mlp = createMlp([784, 32, 16, 10], random);
	for (const layer of mlp.layers)
		layer.bias.forEach((_, i) => (layer.bias[i] = random.normal() * 0.1));

	it('declares pixels in and logits and probabilities out, with a symbolic batch', () => {
		const signature = graphSignature(decodeModel(mlpToOnnx(mlp)));
		expect(signature.inputs).toEqual([{ name: 'pixels', dtype: 'float32', dims: ['batch', 784] }]);
		expect(signature.outputs).toEqual([
			{ name: 'logits', dtype: 'float32', dims: ['batch', 10] },
			{ name: 'probabilities', dtype: 'float32', dims: ['batch', 10] }
		]);
	});

	it('computes what the JavaScript forward pass computes, in onnxruntime', async () => {
		const batch = 5;
		const pixels = Float32Array.from({ length: batch * 784 }, () =>
			random.next() < 0.7 ? 0 : random.next()
		);
		const session = await ort.InferenceSession.create(mlpToOnnx(mlp));
		try {
			const result = await session.run({ pixels: new ort.Tensor('float32', pixels, [batch, 784]) });
			const expectedLogits = logitsOf(forward(roundedToFloat32(mlp), pixels, batch));
			expect(result.logits!.dims).toEqual([batch, 10]);
			expect(
				maxAbsDifference(result.logits!.data as Float32Array, expectedLogits)
			).toBeLessThanOrEqual(1e-5);
			expect(
				maxAbsDifference(result.probabilities!.data as Float32Array, softmax(expectedLogits, 10))
			).toBeLessThanOrEqual(1e-5);
		} finally {
			await session.release();
		}
	});

	it('writes byte-identical files for identical weights', () => {
		const first = Buffer.from(mlpToOnnx(mlp));
		expect(first.equals(Buffer.from(mlpToOnnx(cloneMlp(mlp))))).toBe(true);
		const changed = cloneMlp(mlp);
		changed.layers[1]!.bias[0]! += 1;
		expect(first.equals(Buffer.from(mlpToOnnx(changed)))).toBe(false);
	});

	it('puts the normalisation and the chosen activation into the graph, named as asked', () => {
		const tanh = createMlp([3, 4, 2], createRandom(2), 'tanh');
		const normalizer = {
			kind: 'z-score' as const,
			offset: Float32Array.from([0.5, 1, 2]),
			scale: Float32Array.from([2, 1, 0.5])
		};
		const model = decodeModel(mlpToOnnx(tanh, { inputName: 'embedding', normalizer }));
		expect(model.graph!.node!.map((n) => n.opType)).toEqual([
			'Sub',
			'Mul',
			'Gemm',
			'Tanh',
			'Gemm',
			'Softmax'
		]);
		expect(graphSignature(model).inputs[0]!.name).toBe('embedding');
		expect(() =>
			mlpToOnnx(tanh, { normalizer: { ...normalizer, offset: new Float32Array(2) } })
		).toThrow(/normaliser has 2 features/);
	});
});
