/**
 * The inputs an optimization refuses, each with its own error code and a message that says what
 * to do: nothing the method covers (with the skipped nodes named), an already quantized or fp16
 * model, weights in external data, a model too large for the memory budget, and bytes that are
 * not ONNX. The source bytes are never changed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogFile, type CatalogFile } from '../../../tests/support/optimize-models';
import { HearthError } from '../errors';
import { decodeModel } from './onnx-graph';
import { onnxProto } from './onnx-proto';
import { optimizeOnnx } from './optimize';
import type { OptimizeSettings } from './methods';

const INT8: OptimizeSettings = {
	method: 'int8-weight-only',
	ops: ['MatMul', 'Gemm', 'Conv', 'Gather'],
	symmetric: true,
	perChannel: true
};

let mnist: CatalogFile;
beforeAll(async () => {
	mnist = await catalogFile('mnist-mlp', 'fp32/model.onnx');
});

function failure(run: () => unknown): HearthError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(HearthError);
		return error as HearthError;
	}
	throw new Error('expected the optimization to fail');
}

describe('optimizeOnnx refuses', () => {
	it('a model with nothing the chosen ops cover, naming the skipped nodes', () => {
		const error = failure(() =>
			optimizeOnnx(mnist.bytes, 'model.onnx', { method: 'int8-dynamic', ops: ['Conv'] })
		);
		expect(error.code).toBe('optimize-nothing-covered');
		expect(error.message).toContain('Gemm was not selected (2 nodes)');
		expect(error.message).toContain('Select other operator types');
	});

	it('ops the method does not cover: the embedder table under int8 dynamic', async () => {
		const glove = await catalogFile('glove-embedder', 'fp32/model.onnx');
		const error = failure(() =>
			optimizeOnnx(glove.bytes, glove.path, { method: 'int8-dynamic', ops: ['MatMul', 'Gemm'] })
		);
		expect(error.code).toBe('optimize-nothing-covered');
		expect(error.message).toMatch(/Gather is not covered by this method \(1 node\)/);
	});

	it('a model that is already quantized, or already fp16', () => {
		const int8 = optimizeOnnx(mnist.bytes, 'model.onnx', INT8).bytes;
		const again = failure(() => optimizeOnnx(int8, 'int8.onnx', INT8));
		expect(again.code).toBe('optimize-already-quantized');
		expect(again.message).toContain('2 DequantizeLinear');
		expect(again.message).toContain('Choose the float32 variant');
		const fp16 = optimizeOnnx(mnist.bytes, 'model.onnx', { method: 'fp16', activations: false });
		const half = failure(() => optimizeOnnx(fp16.bytes, 'fp16.onnx', INT8));
		expect(half.code).toBe('optimize-already-fp16');
	});

	it('weights kept in external data', () => {
		const model = decodeModel(mnist.bytes);
		const weight = model.graph!.initializer!.find((t) => t.name === 'layer0.weights')!;
		weight.rawData = new Uint8Array();
		weight.dataLocation = 1;
		weight.externalData = [{ key: 'location', value: 'model.onnx_data' }];
		const bytes = onnxProto.ModelProto.encode(model).finish();
		const error = failure(() => optimizeOnnx(bytes, 'model.onnx', INT8));
		expect(error.code).toBe('onnx-external-data');
		expect(error.message).toContain('model.onnx_data');
	});

	it('a model too large for the memory it may use, before decoding it', () => {
		const error = failure(() =>
			optimizeOnnx(mnist.bytes, 'model.onnx', INT8, { memoryBudgetBytes: 1_000_000 })
		);
		expect(error.code).toBe('optimize-too-large');
		expect(error.message).toMatch(/too large to optimize in this browser.*2 MB/);
	});

	it('bytes that are not an ONNX model', () => {
		const error = failure(() =>
			optimizeOnnx(new TextEncoder().encode('{"not": "onnx"}'), 'config.json', INT8)
		);
		expect(error.code).toBe('onnx-invalid');
	});

	it('and leaves the source bytes as they were', () => {
		const copy = mnist.bytes.slice();
		optimizeOnnx(mnist.bytes, 'model.onnx', INT8);
		optimizeOnnx(mnist.bytes, 'model.onnx', {
			method: 'prune-magnitude',
			ops: ['Gemm'],
			sparsity: 0.5
		});
		expect(mnist.bytes).toEqual(copy);
	});
});
