/**
 * Checks what `npm run assets` wrote to static/models against the catalog: every file's size and
 * hash, and every ONNX graph's declared signature against what onnxruntime-node actually runs.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCatalog } from '../../src/lib/catalog/catalog';
import type { Catalog, ModelFile, ModelManifest } from '../../src/lib/catalog/manifest';
import { checkExpectation, makeSampleInputs } from '../../src/lib/catalog/sample';
import type { TensorData } from '../../src/lib/runtime/protocol';
import {
	builtFilePath,
	modelNamed,
	readBuiltCatalog,
	toOrtTensor,
	withSession
} from './built-models';
import { sha256File } from './files';
import { MODELS_DIR } from './paths';

let catalog: Catalog;
beforeAll(async () => {
	catalog = await readBuiltCatalog();
});

function graphFiles(model: ModelManifest): ModelFile[] {
	return model.variants.flatMap((variant) => variant.files.filter((file) => file.graph));
}

/** Runs a file's built-in sample and returns the outputs as plain TensorData. */
async function runSample(
	model: ModelManifest,
	file: ModelFile
): Promise<Record<string, TensorData>> {
	const inputs = makeSampleInputs(file.graph!);
	return withSession(builtFilePath(model, file), async (session) => {
		const feeds = Object.fromEntries(
			Object.entries(inputs).map(([name, t]) => [name, toOrtTensor(t)])
		);
		const results = await session.run(feeds);
		return Object.fromEntries(
			Object.entries(results).map(([name, tensor]) => [
				name,
				{ dtype: tensor.type, dims: [...tensor.dims], data: tensor.data } as TensorData
			])
		);
	});
}

describe('static/models/catalog.json', () => {
	it('lists the catalog models in order, in a shape the app accepts', () => {
		expect(parseCatalog(catalog).models.map((model) => model.id)).toEqual([
			'paddleocr-v4',
			'silero-vad',
			'glove-embedder',
			'mnist-mlp',
			'spam-classifier',
			'movenet',
			'blazeface',
			'nsfw-mobilenet-v2',
			'use-lite',
			'nanodet',
			'selfie'
		]);
	});

	it("matches each model's own manifest.json", async () => {
		for (const model of catalog.models) {
			const manifest = JSON.parse(
				await readFile(join(MODELS_DIR, model.id, 'manifest.json'), 'utf8')
			);
			expect(manifest).toEqual(model);
		}
	});

	it('records the size and SHA-256 of every file on disk', async () => {
		for (const model of catalog.models) {
			for (const file of model.variants.flatMap((variant) => variant.files)) {
				const bytes = await readFile(builtFilePath(model, file));
				expect(bytes.byteLength, file.path).toBe(file.bytes);
				expect(await sha256File(builtFilePath(model, file)), file.path).toBe(file.sha256);
			}
		}
	});

	it('fills in licence and source for every model', () => {
		for (const model of catalog.models) {
			expect(model.licence.spdx, model.id).toMatch(/^[A-Za-z0-9.-]+$/);
			expect(model.source.version, model.id).toMatch(/^\d+\.\d+\.\d+/);
			expect(model.source.upstream.length, model.id).toBeGreaterThan(10);
		}
	});
});

describe('every catalog graph', () => {
	it('runs its sample in onnxruntime-node with the outputs its manifest declares', async () => {
		let checked = 0;
		for (const model of catalog.models) {
			for (const file of graphFiles(model)) {
				const outputs = await runSample(model, file);
				const declared = file.graph!.outputs;
				expect(Object.keys(outputs).sort(), file.path).toEqual(declared.map((o) => o.name).sort());
				for (const spec of declared) {
					const actual = outputs[spec.name]!;
					expect(actual.dtype, `${file.path} ${spec.name}`).toBe(spec.dtype);
					expect(actual.dims.length, `${file.path} ${spec.name}`).toBe(spec.dims.length);
					spec.dims.forEach((dim, axis) => {
						if (typeof dim === 'number')
							expect(actual.dims[axis], `${file.path} ${spec.name}`).toBe(dim);
					});
					const values = Array.from(actual.data as Float32Array, Number);
					expect(values.every(Number.isFinite), `${file.path} ${spec.name} is finite`).toBe(true);
				}
				if (file.graph!.expect) {
					expect(checkExpectation(file.graph!.expect, outputs).passed, file.path).toBe(true);
				}
				checked++;
			}
		}
		// 3 OCR graphs, 3 VAD variants, the embedder (fp32, fp16, int8, int4), the digit classifier,
		// the spam head and its embedder, MoveNet's 2 graphs, BlazeFace, nsfwjs's MobileNetV2,
		// USE-lite, NanoDet and the selfie segmenter.
		expect(checked).toBe(20);
	});
});

describe('mnist-mlp', () => {
	it('recognises its sample digit and records a test accuracy of at least 95%', async () => {
		const model = modelNamed(catalog, 'mnist-mlp');
		const file = graphFiles(model)[0]!;
		const probabilities = (await runSample(model, file)).probabilities!.data as Float32Array;
		expect(probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 5);
		const predicted = probabilities.indexOf(Math.max(...probabilities));
		expect(predicted).toBe(file.graph!.expect!.argmax);
		expect(file.graph!.sample[0]!.data).toHaveLength(784);
		const metrics = model.variants[0]!.metrics!;
		expect(metrics.testAccuracy).toBeGreaterThanOrEqual(0.95);
		expect(metrics.trainExamples! + metrics.testExamples!).toBe(10_000);
	});
});

describe('paddleocr-v4 and silero-vad', () => {
	it('give probabilities in [0, 1] on their samples', async () => {
		for (const id of ['paddleocr-v4', 'silero-vad']) {
			const model = modelNamed(catalog, id);
			for (const file of graphFiles(model)) {
				const outputs = await runSample(model, file);
				const first = outputs[file.graph!.outputs[0]!.name]!.data as Float32Array;
				expect(Math.min(...first.subarray(0, 10_000)), file.path).toBeGreaterThanOrEqual(0);
				expect(Math.max(...first.subarray(0, 10_000)), file.path).toBeLessThanOrEqual(1);
			}
		}
	});
});

describe('spam-classifier', () => {
	it('calls its sample spam and records a validation accuracy of at least 90%', async () => {
		const model = modelNamed(catalog, 'spam-classifier');
		const variant = model.variants[0]!;
		const head = variant.files.find((file) => file.role === 'classifier')!;
		const probabilities = (await runSample(model, head)).probabilities!.data as Float32Array;
		expect(probabilities[1]).toBeGreaterThan(0.5);
		expect(variant.metrics!.validationAccuracy).toBeGreaterThanOrEqual(0.9);
		const labels = JSON.parse(
			await readFile(
				builtFilePath(
					model,
					variant.files.find((f) => f.role === 'labels')!
				),
				'utf8'
			)
		);
		expect(labels).toEqual({ classNames: ['ham', 'spam'] });
		expect(variant.files.map((file) => file.role)).toContain('tokenizer');
	});
});

describe('glove-embedder compressed variants', () => {
	it('are made by the optimizer, smaller, and embed the sample like fp32', async () => {
		const model = modelNamed(catalog, 'glove-embedder');
		expect(model.variants.map((variant) => [variant.id, variant.precision])).toEqual([
			['fp32', 'fp32'],
			['fp16', 'fp16'],
			['int8', 'int8'],
			['int4', 'int4']
		]);
		const [fp32, ...compressed] = model.variants.map((variant) => variant.files[0]!);
		const reference = (await runSample(model, fp32!)).sentence_embedding!.data as Float32Array;
		for (const [file, ratio, cosine] of [
			[compressed[0]!, 0.51, 0.9999],
			[compressed[1]!, 0.27, 0.999],
			[compressed[2]!, 0.18, 0.98]
		] as const) {
			expect(file.bytes / fp32!.bytes, file.path).toBeLessThanOrEqual(ratio);
			const embedding = (await runSample(model, file)).sentence_embedding!.data as Float32Array;
			const dot = embedding.reduce((sum, value, i) => sum + value * reference[i]!, 0);
			expect(dot, file.path).toBeGreaterThanOrEqual(cosine);
		}
		expect(model.variants[3]!.description).toContain("Hearth's optimizer");
	});
});
