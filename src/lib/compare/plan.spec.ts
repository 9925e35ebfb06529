/**
 * The eval sets as `npm run assets` built them (static/evals), run through the real task
 * pipelines with onnxruntime-node and scored: the numbers the Compare page shows must be in the
 * range these models are known to reach, and a variant compared with itself must agree fully.
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeTaskContext } from '../../../tests/support/node-task-context';
import { REPO_ROOT } from '../../../scripts/models/paths';
import { classifyDigit } from '../tasks/digits/pipeline';
import { embedTexts } from '../tasks/embeddings/pipeline';
import { recognizeText } from '../tasks/ocr/pipeline';
import type { TaskRequest } from '../tasks/registry';
import type { RgbaImage, TaskContext } from '../tasks/types';
import { detectVoiceActivity } from '../tasks/vad/pipeline';
import { optimizeOnnx } from '../optimize/optimize';
import { EVALS_INDEX, type EvalIndex, type EvalSet } from './eval-set';
import { collectOutputs, planEval, scoreOutputs } from './plan';

const EVALS = join(REPO_ROOT, 'static', 'evals');

async function readIndex(): Promise<EvalIndex> {
	return JSON.parse(await readFile(join(EVALS, EVALS_INDEX), 'utf8')) as EvalIndex;
}

async function readFiles(paths: string[]) {
	const files = new Map<string, Uint8Array>();
	for (const path of paths) files.set(path, new Uint8Array(await readFile(join(EVALS, path))));
	return files;
}

function run(request: TaskRequest, ctx: TaskContext): Promise<unknown> {
	switch (request.name) {
		case 'digits':
			return classifyDigit(request.input, ctx);
		case 'ocr':
			return recognizeText(request.input, ctx);
		case 'vad':
			return detectVoiceActivity(request.input, ctx);
		case 'embed':
			return embedTexts(request.input, ctx);
		default:
			throw new Error(`no eval for ${request.name}`);
	}
}

async function outputsOf(set: EvalSet, requests: TaskRequest[], ctx: TaskContext) {
	const results = [];
	for (const request of requests) results.push(await run(request, ctx));
	return collectOutputs(set, results);
}

const value = (metrics: { id: string; value: number }[], id: string) =>
	metrics.find((metric) => metric.id === id)!.value;

describe('eval sets on the catalog models', () => {
	it('MNIST: fp32 is about 95% accurate, int8 agrees with it on nearly every digit', async () => {
		const { digits } = (await readIndex()).sets;
		expect(digits.labels).toHaveLength(300);
		const plan = planEval(digits, await readFiles([digits.images.path]));
		const fp32 = await NodeTaskContext.forCatalogModel('mnist-mlp', 'fp32');
		const source = await readFile(
			join(REPO_ROOT, 'static', 'models', 'mnist-mlp', 'fp32', 'model.onnx')
		);
		const int8 = optimizeOnnx(new Uint8Array(source), 'model.onnx', {
			method: 'int8-weight-only',
			ops: ['MatMul', 'Gemm'],
			symmetric: true,
			perChannel: true
		});
		const quantized = await NodeTaskContext.forCatalogModel('mnist-mlp', 'fp32', {
			'fp32/model.onnx': int8.bytes
		});
		const reference = await outputsOf(digits, plan.requests, fp32);
		const self = scoreOutputs(digits, reference, reference);
		expect(value(self, 'accuracy')).toBeGreaterThan(0.9);
		expect(value(self, 'top1-agreement')).toBe(1);
		const scored = scoreOutputs(
			digits,
			await outputsOf(digits, plan.requests, quantized),
			reference
		);
		expect(value(scored, 'accuracy')).toBeGreaterThan(0.9);
		expect(value(scored, 'top1-agreement')).toBeGreaterThan(0.97);
	}, 60_000);

	it('voice activity: v5 finds the known phrases; v6 agrees with it frame by frame', async () => {
		const { vad } = (await readIndex()).sets;
		const plan = planEval(vad, await readFiles(vad.recordings.map((r) => r.audio.path)));
		const v5 = await outputsOf(
			vad,
			plan.requests,
			await NodeTaskContext.forCatalogModel('silero-vad', 'v5')
		);
		const v6 = await outputsOf(
			vad,
			plan.requests,
			await NodeTaskContext.forCatalogModel('silero-vad', 'v6')
		);
		const self = scoreOutputs(vad, v5, v5);
		expect(value(self, 'segment-f1')).toBeGreaterThan(0.8);
		expect(value(self, 'frame-accuracy')).toBeGreaterThan(0.9);
		expect(value(self, 'frame-agreement')).toBe(1);
		expect(value(scoreOutputs(vad, v6, v5), 'frame-agreement')).toBeGreaterThan(0.9);
	}, 60_000);

	it('embeddings: the reference agrees with itself exactly', async () => {
		const { embeddings } = (await readIndex()).sets;
		const plan = planEval(embeddings, new Map());
		const outputs = await outputsOf(
			embeddings,
			plan.requests,
			await NodeTaskContext.forCatalogModel('glove-embedder')
		);
		expect(outputs.task === 'embeddings' && outputs.dims).toBe(100);
		const self = scoreOutputs(embeddings, outputs, outputs);
		expect(value(self, 'cosine')).toBeCloseTo(1, 5);
		expect(value(self, `recall-at-${embeddings.k}`)).toBe(1);
	}, 60_000);

	it('OCR: the rendered lines are read back with a low character error rate', async () => {
		const { ocr } = (await readIndex()).sets;
		const images = new Map<string, RgbaImage>();
		for (const line of ocr.lines) {
			const picture = await loadImage(join(EVALS, line.image.path));
			const canvas = createCanvas(picture.width, picture.height);
			const context = canvas.getContext('2d');
			context.drawImage(picture, 0, 0);
			const { width, height, data } = context.getImageData(0, 0, picture.width, picture.height);
			images.set(line.image.path, { width, height, data: new Uint8ClampedArray(data) });
		}
		const plan = planEval(ocr, new Map(), images);
		const outputs = await outputsOf(
			ocr,
			plan.requests,
			await NodeTaskContext.forCatalogModel('paddleocr-v4')
		);
		const self = scoreOutputs(ocr, outputs, outputs);
		expect(value(self, 'cer')).toBeLessThan(0.1);
		expect(value(self, 'exact-lines')).toBeGreaterThanOrEqual(0.5);
		expect(value(self, 'cer-vs-reference')).toBe(0);
	}, 120_000);
});
