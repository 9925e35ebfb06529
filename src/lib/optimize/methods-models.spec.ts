/**
 * The methods on the other catalog graphs, run on onnxruntime-web's WASM backend with their
 * built-in samples: Silero VAD (weights inside If branches, an LSTM the methods do not cover) and
 * the GloVe embedder (a Gather table and the MatMul of the common-component removal).
 */
import { describe, expect, it } from 'vitest';
import { makeSampleInputs } from '../catalog/sample';
import { catalogFile, runFloat } from '../../../tests/support/optimize-models';
import { cosineSimilarity } from './fidelity';
import type { OptimizeSettings } from './methods';
import { optimizeOnnx } from './optimize';

async function fidelity(modelId: string, path: string, settings: OptimizeSettings) {
	const file = await catalogFile(modelId, path);
	const result = optimizeOnnx(file.bytes, file.path, settings);
	const inputs = makeSampleInputs(file.graph);
	const [before, after] = [
		await runFloat(file.bytes, inputs),
		await runFloat(result.bytes, inputs)
	];
	const output = file.graph.outputs[0]!.name;
	return {
		report: result.report,
		cosine: cosineSimilarity(before[output]!.data, after[output]!.data),
		maxAbsDiff: Math.max(
			...before[output]!.data.map((v, i) => Math.abs(v - after[output]!.data[i]!))
		)
	};
}

const FP16: OptimizeSettings = { method: 'fp16', activations: false };
const INT8: OptimizeSettings = {
	method: 'int8-weight-only',
	ops: ['MatMul', 'Gemm', 'Conv', 'Gather'],
	symmetric: true,
	perChannel: true
};

describe('Silero VAD', () => {
	for (const path of ['v5/silero_vad_v5.onnx', 'legacy/silero_vad_legacy.onnx']) {
		it(
			`${path}: fp16 at cosine >= 0.999, int8 inside the If branches`,
			{ timeout: 60_000 },
			async () => {
				const fp16 = await fidelity('silero-vad', path, FP16);
				expect(fp16.cosine).toBeGreaterThanOrEqual(0.999);
				expect(fp16.report.bytesAfter).toBeLessThan(fp16.report.bytesBefore * 0.6);
				const int8 = await fidelity('silero-vad', path, INT8);
				expect(int8.report.weightsChanged).toBeGreaterThan(0);
				expect(int8.maxAbsDiff).toBeLessThan(0.05);
				// The LSTM's weights are not MatMul/Conv inputs: listed as skipped, not silently kept.
				expect(int8.report.skipped.some((s) => s.op === 'LSTM')).toBe(path.startsWith('legacy'));
			}
		);
	}
});

describe('GloVe embedder', () => {
	const path = 'fp32/model.onnx';
	for (const [settings, ratio, cosine] of [
		[FP16, 0.55, 0.9999],
		[INT8, 0.3, 0.995],
		[
			{ method: 'int4', ops: ['MatMul', 'Gemm', 'Gather'], blockSize: 32, symmetric: true },
			0.2,
			0.97
		],
		[{ method: 'prune-magnitude', ops: ['Gather'], sparsity: 0.3 }, 1.01, 0.95]
	] satisfies [OptimizeSettings, number, number][]) {
		it(
			`${settings.method}: size <= ${ratio}x, cosine >= ${cosine}`,
			{ timeout: 60_000 },
			async () => {
				const judged = await fidelity('glove-embedder', path, settings);
				expect(judged.report.bytesAfter).toBeLessThanOrEqual(judged.report.bytesBefore * ratio);
				expect(judged.cosine).toBeGreaterThanOrEqual(cosine);
			}
		);
	}
});
