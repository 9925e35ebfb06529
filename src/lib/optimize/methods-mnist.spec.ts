/**
 * Every method on the MNIST MLP, judged on the 2,000 real test digits (the 20% of each digit the
 * model never trained on): top-1 agreement with the float32 model, size, and for pruning the
 * sparsity and the compressed size. Optimized graphs run on onnxruntime-web's WASM backend.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistSplit, PIXELS } from '../../../scripts/models/mnist/mnist-data';
import {
	catalogFile,
	float32Input,
	runFloat,
	type CatalogFile
} from '../../../tests/support/optimize-models';
import { argmaxRows, cosineSimilarity } from './fidelity';
import type { OptimizeSettings } from './methods';
import { optimizeOnnx, type OptimizeResult } from './optimize';
import { decodeModel } from './onnx-graph';
import { operatorHistogram } from './onnx-inspect';

let source: CatalogFile;
let digits: Float32Array;
let count: number;
let reference: { logits: Float32Array; top1: Int32Array };

async function classify(bytes: Uint8Array) {
	const outputs = await runFloat(bytes, { pixels: float32Input(digits, [count, PIXELS]) });
	const logits = outputs.logits!.data;
	return { logits, top1: argmaxRows(logits, 10) };
}

function agreement(top1: Int32Array): number {
	let same = 0;
	for (let i = 0; i < count; i++) if (top1[i] === reference.top1[i]) same++;
	return same / count;
}

async function judge(settings: OptimizeSettings) {
	const result = optimizeOnnx(source.bytes, source.path, settings);
	const run = await classify(result.bytes);
	return {
		result,
		ratio: result.report.bytesAfter / result.report.bytesBefore,
		agreement: agreement(run.top1),
		cosine: cosineSimilarity(reference.logits, run.logits),
		ops: new Map(operatorHistogram(decodeModel(result.bytes).graph!).map((e) => [e.op, e.count]))
	};
}

const ALL_OPS = ['MatMul', 'Gemm', 'Conv', 'Gather'] as const;

beforeAll(async () => {
	source = await catalogFile('mnist-mlp', 'fp32/model.onnx');
	const test = loadMnistSplit().test;
	digits = test.inputs;
	count = test.labels.length;
	reference = await classify(source.bytes);
}, 120_000);

describe('optimizing the MNIST MLP', () => {
	it('fp16 weights: half the size, cosine >= 0.999, top-1 agreement >= 99%', async () => {
		const { ratio, cosine, agreement, result } = await judge({
			method: 'fp16',
			activations: false
		});
		expect(ratio).toBeLessThan(0.55);
		expect(cosine).toBeGreaterThanOrEqual(0.999);
		expect(agreement).toBeGreaterThanOrEqual(0.99);
		expect(result.report.weightsChanged).toBeGreaterThan(0);
	});

	it('fp16 activations: float32 in and out, Casts inside, cosine >= 0.999', async () => {
		const { cosine, agreement, ops } = await judge({ method: 'fp16', activations: true });
		expect(ops.get('Cast')).toBeGreaterThanOrEqual(2);
		expect(cosine).toBeGreaterThanOrEqual(0.999);
		expect(agreement).toBeGreaterThanOrEqual(0.99);
	});

	for (const symmetric of [true, false]) {
		it(`int8 weight-only ${symmetric ? 'symmetric' : 'asymmetric'}: <= 0.3x, agreement >= 99%`, async () => {
			const judged = await judge({
				method: 'int8-weight-only',
				ops: [...ALL_OPS],
				symmetric,
				perChannel: true
			});
			expect(judged.ratio).toBeLessThanOrEqual(0.3);
			expect(judged.agreement).toBeGreaterThanOrEqual(0.99);
			expect(judged.ops.get('DequantizeLinear')).toBe(judged.result.report.weightsChanged);
		});
	}

	it('int8 dynamic: MatMulInteger with DynamicQuantizeLinear, agreement >= 99%', async () => {
		const judged = await judge({ method: 'int8-dynamic', ops: ['MatMul', 'Gemm', 'Conv'] });
		expect(judged.ops.get('MatMulInteger')).toBeGreaterThan(0);
		expect(judged.ops.get('DynamicQuantizeLinear')).toBeGreaterThan(0);
		expect(judged.ratio).toBeLessThanOrEqual(0.3);
		expect(judged.agreement).toBeGreaterThanOrEqual(0.99);
	});

	for (const blockSize of [32, 64, 128] as const) {
		it(`int4 block ${blockSize}: MatMulNBits, about 1/6 of the size, agreement >= 95%`, async () => {
			const judged = await judge({ method: 'int4', ops: [...ALL_OPS], blockSize, symmetric: true });
			expect(judged.ops.get('com.microsoft.MatMulNBits')).toBeGreaterThan(0);
			expect(judged.ratio).toBeLessThanOrEqual(0.2);
			expect(judged.agreement).toBeGreaterThanOrEqual(0.95);
		});
	}

	it('L1 magnitude pruning to 50%: half the weights zero, same file size, far smaller compressed', async () => {
		const judged = await judge({
			method: 'prune-magnitude',
			ops: ['MatMul', 'Gemm'],
			sparsity: 0.5
		});
		const report = judged.result.report;
		expect(report.sparsity).toBeCloseTo(0.5, 2);
		expect(judged.ratio).toBeGreaterThan(0.95);
		expect(report.compressedBytes).toBeLessThan(report.bytesAfter * 0.75);
		expect(judged.agreement).toBeGreaterThanOrEqual(0.97);
	});

	it('L2 channel pruning: the hidden layers shrink and the file with them', async () => {
		const judged = await judge({
			method: 'prune-channels',
			ops: ['MatMul', 'Gemm'],
			sparsity: 0.25
		});
		expect(judged.result.report.parametersAfter).toBeLessThan(
			judged.result.report.parametersBefore * 0.85
		);
		expect(judged.ratio).toBeLessThan(0.85);
		expect(judged.agreement).toBeGreaterThanOrEqual(0.85);
	});

	for (const levels of ['binary', 'ternary'] as const) {
		it(`${levels} (experimental): runs, int8 storage, better than chance`, async () => {
			const judged = await judge({ method: 'low-bit', ops: [...ALL_OPS], levels });
			expect(judged.ratio).toBeLessThanOrEqual(0.3);
			expect(judged.agreement).toBeGreaterThan(0.3);
		});
	}
});

export type { OptimizeResult };
