/**
 * A whole variant through the optimize job and into a derived variant's description: every ONNX
 * file optimized with the same settings, a file with nothing to change kept as it was (with the
 * reason), the companions copied, the source graph and sample carried over, and the provenance.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { modelNamed, readBuiltCatalog } from '../../../scripts/models/built-models';
import { catalogFile, runFloat } from '../../../tests/support/optimize-models';
import type { ModelManifest } from '../catalog/manifest';
import { makeSampleInputs } from '../catalog/sample';
import { runOptimizeJob } from './job';
import type { OptimizeJobProgress } from './protocol';
import { buildOptimizedVariant, optimizedVariantId } from './variant';

let paddle: ModelManifest;
let mnist: ModelManifest;
beforeAll(async () => {
	const catalog = await readBuiltCatalog();
	paddle = modelNamed(catalog, 'paddleocr-v4');
	mnist = modelNamed(catalog, 'mnist-mlp');
});

describe('runOptimizeJob', () => {
	it('optimizes every file, keeps one with nothing to change, and reports progress in order', async () => {
		const paths = ['fp32/ch_PP-OCRv4_det_infer.onnx', 'fp32/ch_ppocr_mobile_v2.0_cls_infer.onnx'];
		const files = await Promise.all(paths.map((path) => catalogFile('paddleocr-v4', path)));
		const progress: OptimizeJobProgress[] = [];
		const outcome = runOptimizeJob(
			{
				files: files.map((file) => ({ path: file.path, bytes: file.bytes })),
				settings: { method: 'int8-dynamic', ops: ['MatMul', 'Gemm'] }
			},
			(step) => progress.push(step)
		);
		const [det, cls] = outcome.files;
		expect(det!.report).toBeNull();
		expect(det!.keptBecause).toMatch(/Conv was not selected/);
		expect(det!.bytes).toBe(files[0]!.bytes);
		expect(cls!.report!.changes.join(' ')).toContain('MatMulInteger');
		expect(progress.map((step) => step.overall)).toEqual(
			[...progress.map((step) => step.overall)].sort((a, b) => a - b)
		);
		expect(progress.at(-1)!.overall).toBe(1);
	});

	it('fails with the first reason when no file changes', async () => {
		const file = await catalogFile('mnist-mlp', 'fp32/model.onnx');
		expect(() =>
			runOptimizeJob({
				files: [{ path: file.path, bytes: file.bytes }],
				settings: { method: 'int4', ops: ['Conv'], blockSize: 32, symmetric: true }
			})
		).toThrow(/Gemm was not selected/);
	});
});

describe('buildOptimizedVariant', () => {
	it('describes a runnable variant with the source graph, its companions and provenance', async () => {
		const file = await catalogFile('mnist-mlp', 'fp32/model.onnx');
		const settings = {
			method: 'int8-weight-only',
			ops: ['Gemm'],
			symmetric: true,
			perChannel: true
		} as const;
		const outcome = runOptimizeJob({
			files: [{ path: file.path, bytes: file.bytes }],
			settings: { ...settings, ops: ['Gemm'] }
		});
		const source = mnist.variants[0]!;
		const variantId = optimizedVariantId(mnist, source.id, { ...settings, ops: ['Gemm'] });
		expect(variantId).toBe('fp32-int8');
		const taken = { ...mnist, variants: [...mnist.variants, { ...source, id: 'fp32-int8' }] };
		expect(optimizedVariantId(taken, source.id, { ...settings, ops: ['Gemm'] })).toBe(
			'fp32-int8-2'
		);
		const fidelity = [{ path: 'fp32-int8/model.onnx', outputs: [] }];
		const { variant, files } = buildOptimizedVariant({
			model: mnist,
			source,
			variantId,
			settings: { ...settings, ops: ['Gemm'] },
			outcome,
			companions: [],
			fidelity,
			createdAt: 1_700_000_000_000
		});
		expect(variant.precision).toBe('int8');
		expect(variant.files).toHaveLength(1);
		const onnx = variant.files[0]!;
		expect(onnx.path).toBe('fp32-int8/model.onnx');
		expect(onnx.graph).toEqual(source.files[0]!.graph);
		expect(onnx.bytes).toBe(files[0]!.data.byteLength);
		expect(variant.provenance).toMatchObject({
			kind: 'optimized',
			sourceInstallKey: 'mnist-mlp/fp32',
			method: 'int8-weight-only',
			parameters: { symmetric: true, perChannel: true, ops: ['Gemm'] },
			createdAt: 1_700_000_000_000,
			details: { fidelity }
		});
		// The stored graph runs the source's sample and gives the source's answer.
		const outputs = await runFloat(files[0]!.data, makeSampleInputs(onnx.graph!));
		const probabilities = Array.from(outputs.probabilities!.data);
		expect(probabilities.indexOf(Math.max(...probabilities))).toBe(onnx.graph!.expect!.argmax);
	});

	it('marks pruned files for compressed storage, and only those', async () => {
		const file = await catalogFile('mnist-mlp', 'fp32/model.onnx');
		const variantOf = (settings: Parameters<typeof runOptimizeJob>[0]['settings']) =>
			buildOptimizedVariant({
				model: mnist,
				source: mnist.variants[0]!,
				variantId: 'v',
				settings,
				outcome: runOptimizeJob({ files: [{ path: file.path, bytes: file.bytes }], settings }),
				companions: [],
				fidelity: [],
				createdAt: 0
			});
		const pruned = variantOf({ method: 'prune-magnitude', ops: ['Gemm'], sparsity: 0.5 });
		expect(pruned.files[0]!.compress).toBe(true);
		const fp16 = variantOf({ method: 'fp16', activations: false });
		expect(fp16.files[0]!.compress).toBeUndefined();
	});

	it('copies the files that are not ONNX (the OCR keys) unchanged', () => {
		const source = paddle.variants[0]!;
		const keys = { path: 'ppocr_keys_v1.txt', data: new TextEncoder().encode('a\nb\n') };
		const outcome = {
			milliseconds: 1,
			files: source.files
				.filter((f) => f.kind === 'onnx')
				.map((f) => ({ path: f.path, bytes: new Uint8Array(4), report: null, keptBecause: 'x' }))
		};
		const { variant, files } = buildOptimizedVariant({
			model: paddle,
			source,
			variantId: 'fp32-fp16',
			settings: { method: 'fp16', activations: false },
			outcome,
			companions: [keys],
			fidelity: [],
			createdAt: 0
		});
		expect(variant.files.map((f) => f.role).sort()).toEqual(source.files.map((f) => f.role).sort());
		expect(files.find((f) => f.path === 'ppocr_keys_v1.txt')!.data).toBe(keys.data);
		expect(() =>
			buildOptimizedVariant({
				model: paddle,
				source,
				variantId: 'x',
				settings: { method: 'fp16', activations: false },
				outcome,
				companions: [],
				fidelity: [],
				createdAt: 0
			})
		).toThrow(/No bytes for ppocr_keys_v1.txt/);
	});
});
