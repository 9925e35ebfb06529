/**
 * Each layer family is built with @tensorflow/tfjs (CPU backend), saved in memory as model.json
 * plus weights, read back with readTfjsModel, converted, and run with onnxruntime-node on the
 * same input as tfjs's own predict.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { TfjsUnsupportedOpsError } from './errors';
import { convertLayersModel } from './layers-to-onnx';
import { readTfjsModel, type TfLayersModel } from './tfjs-model';
import type { ConversionResult } from './types';

interface Saved {
	modelJson: { modelTopology: unknown; weightsManifest: unknown[] };
	weights: Uint8Array;
}

async function save(model: tf.LayersModel): Promise<Saved> {
	let saved: Saved | undefined;
	await model.save(
		tf.io.withSaveHandler(async (artifacts) => {
			const data = artifacts.weightData;
			const buffers = Array.isArray(data) ? data : data ? [data] : [];
			const weights = new Uint8Array(buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0));
			let offset = 0;
			for (const buffer of buffers) {
				weights.set(new Uint8Array(buffer), offset);
				offset += buffer.byteLength;
			}
			saved = {
				modelJson: {
					modelTopology: artifacts.modelTopology,
					weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }]
				},
				weights
			};
			return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
		})
	);
	return saved!;
}

function read(saved: Saved): TfLayersModel {
	const model = readTfjsModel({
		modelJson: JSON.stringify(saved.modelJson),
		shards: new Map([['weights.bin', saved.weights]])
	});
	if (model.format !== 'layers-model') throw new Error('expected a layers-model');
	return model;
}

/** Random weights (default initializers leave biases and BN statistics trivial). */
function randomize(model: tf.LayersModel, seed = 7): void {
	model.setWeights(
		model.weights.map((weight, i) =>
			weight.name.endsWith('variance')
				? tf.randomUniform(weight.shape as number[], 0.5, 1.5, 'float32', seed + i)
				: tf.randomUniform(weight.shape as number[], -1, 1, 'float32', seed + i)
		)
	);
}

async function runOnnx(result: ConversionResult, input: tf.Tensor): Promise<Float32Array> {
	const session = await ort.InferenceSession.create(result.onnx);
	try {
		const feeds = {
			[session.inputNames[0]!]: new ort.Tensor(
				'float32',
				input.dataSync() as Float32Array,
				input.shape
			)
		};
		const outputs = await session.run(feeds);
		return outputs[session.outputNames[0]!]!.data as Float32Array;
	} finally {
		await session.release();
	}
}

/** Converts `model` and checks ONNX against tfjs on a random batch of two. */
async function expectSameAsTfjs(
	model: tf.LayersModel,
	tolerance = 1e-5
): Promise<ConversionResult> {
	randomize(model);
	const progress: [number, number, string][] = [];
	const result = convertLayersModel(read(await save(model)), {
		name: 'test',
		onProgress: (done, total, stage) => progress.push([done, total, stage])
	});
	// Progress only goes forward and ends complete.
	const total = progress[0]![1];
	expect(progress.map(([done]) => done)).toEqual(
		progress.map(([done]) => done).sort((a, b) => a - b)
	);
	expect(progress.at(-1)).toEqual([total, total, 'done']);
	const inputShape = model.inputs[0]!.shape.slice(1) as number[];
	const x = tf.randomUniform([2, ...inputShape], -1, 1, 'float32', 3);
	const expected = (model.predict(x) as tf.Tensor).dataSync();
	const actual = await runOnnx(result, x);
	expect(actual.length).toBe(expected.length);
	let worst = 0;
	for (let i = 0; i < expected.length; i++)
		worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
	expect(worst).toBeLessThanOrEqual(tolerance);
	return result;
}

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe('convertLayersModel', () => {
	it('converts Conv2D (same/valid, strides, dilation), MaxPooling2D, Flatten and Dense', async () => {
		const model = tf.sequential({
			layers: [
				tf.layers.conv2d({
					inputShape: [9, 8, 3],
					filters: 4,
					kernelSize: 3,
					padding: 'same',
					activation: 'relu'
				}),
				tf.layers.conv2d({ filters: 5, kernelSize: [3, 2], strides: 2, padding: 'valid' }),
				tf.layers.conv2d({
					filters: 3,
					kernelSize: 2,
					dilationRate: 2,
					padding: 'same',
					useBias: false
				}),
				tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
				tf.layers.flatten(),
				tf.layers.dense({ units: 6, activation: 'softmax' })
			]
		});
		const { report } = await expectSameAsTfjs(model);
		expect(report.format).toBe('layers-model');
		expect(report.sourceOps).toEqual({ Conv2D: 3, MaxPooling2D: 1, Flatten: 1, Dense: 1 });
		expect(report.inputs[0]!.dims).toEqual(['batch', 9, 8, 3]);
		expect(report.outputs[0]!.dims).toEqual(['batch', 6]);
		expect(report.parameters).toBe(model.countParams());
		expect(report.onnxOps.Conv).toBe(3);
	});

	it('converts DepthwiseConv2D, SeparableConv2D, BatchNormalization, ReLU(max 6), ZeroPadding2D and pools', async () => {
		const model = tf.sequential({
			layers: [
				tf.layers.zeroPadding2d({
					inputShape: [8, 7, 3],
					padding: [
						[0, 1],
						[2, 1]
					]
				}),
				tf.layers.depthwiseConv2d({
					kernelSize: 3,
					depthMultiplier: 2,
					strides: 2,
					padding: 'same'
				}),
				tf.layers.batchNormalization({ epsilon: 1e-3 }),
				tf.layers.reLU({ maxValue: 6 }),
				tf.layers.separableConv2d({
					filters: 4,
					kernelSize: 3,
					padding: 'same',
					activation: 'relu6'
				}),
				tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
				tf.layers.globalAveragePooling2d({})
			]
		});
		const { report } = await expectSameAsTfjs(model);
		expect(report.outputs[0]!.dims).toEqual(['batch', 4]);
	});

	it('converts every activation, LeakyReLU, PReLU and the Activation layer', async () => {
		const names = [
			'relu',
			'relu6',
			'sigmoid',
			'tanh',
			'linear',
			'elu',
			'selu',
			'swish',
			'hardSigmoid',
			'softmax'
		] as const;
		const model = tf.sequential({
			layers: [
				tf.layers.dense({ inputShape: [5], units: 6 }),
				...names.map((activation) => tf.layers.dense({ units: 6, activation })),
				tf.layers.leakyReLU({ alpha: 0.2 }),
				tf.layers.prelu({}),
				tf.layers.activation({ activation: 'tanh' })
			]
		});
		const { report } = await expectSameAsTfjs(model);
		expect(report.onnxOps).toMatchObject({
			Selu: 1,
			HardSigmoid: 1,
			LeakyRelu: 1,
			PRelu: 1,
			Softmax: 1
		});
	});

	it('converts UpSampling2D (nearest, bilinear), GlobalMaxPooling2D, Reshape and Dropout', async () => {
		const model = tf.sequential({
			layers: [
				tf.layers.upSampling2d({ inputShape: [3, 4, 2], size: [2, 3] }),
				tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }),
				tf.layers.conv2d({ filters: 3, kernelSize: 1 }),
				tf.layers.reshape({ targetShape: [12, 24, 3] }),
				tf.layers.dropout({ rate: 0.5 }),
				tf.layers.globalMaxPooling2d({})
			]
		});
		await expectSameAsTfjs(model);
		const spatial = tf.sequential({
			layers: [
				tf.layers.conv2d({ inputShape: [4, 4, 2], filters: 3, kernelSize: 1 }),
				tf.layers.reshape({ targetShape: [-1, 3] })
			]
		});
		const { report } = await expectSameAsTfjs(spatial);
		// Reshape reads channels-last, as Keras does, whatever layout the convolution left.
		expect(report.outputs[0]!.dims).toEqual(['batch', 16, 3]);
	});

	it('converts a functional model with Add, Multiply, Concatenate and a nested Sequential', async () => {
		const input = tf.input({ shape: [6, 6, 3] });
		const a = tf.layers
			.conv2d({ filters: 4, kernelSize: 3, padding: 'same' })
			.apply(input) as tf.SymbolicTensor;
		const b = tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(input) as tf.SymbolicTensor;
		const sum = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
		const product = tf.layers.multiply().apply([sum, b]) as tf.SymbolicTensor;
		const joined = tf.layers
			.concatenate({ axis: -1 })
			.apply([product, a, input]) as tf.SymbolicTensor;
		const head = tf.sequential({
			layers: [
				tf.layers.globalAveragePooling2d({ inputShape: [6, 6, 11] }),
				tf.layers.dense({ units: 3, activation: 'softmax' })
			]
		});
		const out = head.apply(joined) as tf.SymbolicTensor;
		const flat = tf.layers.flatten().apply(joined) as tf.SymbolicTensor;
		const side = tf.layers.concatenate().apply([flat, out]) as tf.SymbolicTensor;
		const model = tf.model({ inputs: input, outputs: side });
		const { report } = await expectSameAsTfjs(model);
		expect(report.sourceOps).toMatchObject({ Add: 1, Multiply: 1, Concatenate: 2, Dense: 1 });
		expect(report.outputs[0]!.dims).toEqual(['batch', 6 * 6 * 11 + 3]);
	});

	it('keeps uint8-quantized kernels compact and dequantizes them as tfjs does', async () => {
		const model = tf.sequential({
			layers: [
				tf.layers.conv2d({ inputShape: [6, 6, 3], filters: 16, kernelSize: 3 }),
				tf.layers.flatten(),
				tf.layers.dense({ units: 4 })
			]
		});
		randomize(model);
		const saved = await save(model);
		const quantized = quantizeUint8(saved);
		const converted = convertLayersModel(read(quantized), { name: 'quantized' });
		expect(converted.onnx.byteLength).toBeLessThan(saved.weights.byteLength / 2);
		expect(converted.report.notes.join(' ')).toMatch(/quantized weights are kept/);
		const reference = await tf.loadLayersModel(
			tf.io.fromMemory({
				modelTopology: quantized.modelJson.modelTopology as object,
				weightSpecs: (
					quantized.modelJson.weightsManifest[0] as { weights: tf.io.WeightsManifestEntry[] }
				).weights,
				weightData: quantized.weights.slice().buffer
			})
		);
		const x = tf.randomUniform([1, 6, 6, 3], 0, 1, 'float32', 5);
		const expected = (reference.predict(x) as tf.Tensor).dataSync();
		const actual = await runOnnx(converted, x);
		for (let i = 0; i < expected.length; i++)
			expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-4);
	});

	it('names every unknown layer class before converting anything', () => {
		const model = tf.sequential({
			layers: [
				tf.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 3 }),
				tf.layers.lstm({ units: 2, returnSequences: true }),
				tf.layers.dense({ units: 2, activation: 'relu' }),
				tf.layers.lstm({ units: 2 })
			]
		});
		const topology = model.toJSON(undefined, false) as {
			config: { layers: { class_name: string; config: Record<string, unknown> }[] };
		};
		// An activation no converter knows counts as a gap too (written in, as tfjs lacks one).
		topology.config.layers[2]!.config.activation = 'mystery';
		const layers = {
			format: 'layers-model',
			topology,
			weights: new Map(),
			generatedBy: ''
		} as unknown as TfLayersModel;
		let error: unknown;
		try {
			convertLayersModel(layers, { name: 'rnn' });
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(TfjsUnsupportedOpsError);
		expect((error as TfjsUnsupportedOpsError).unsupported).toEqual([
			'Embedding',
			'LSTM',
			'mystery activation'
		]);
		expect((error as Error).message).toMatch(
			/rnn uses 3 TensorFlow\.js layers Hearth cannot convert: Embedding, LSTM, mystery activation/
		);
	});
});

/** Rewrites every float32 weight as tfjs's uint8 affine quantization (q * scale + min). */
function quantizeUint8(saved: Saved): Saved {
	const group = saved.modelJson.weightsManifest[0] as { weights: tf.io.WeightsManifestEntry[] };
	const floats = new Float32Array(saved.weights.slice().buffer);
	const bytes: number[] = [];
	let offset = 0;
	const weights = group.weights.map((entry) => {
		const count = entry.shape.reduce((a, b) => a * b, 1);
		const values = floats.subarray(offset, offset + count);
		offset += count;
		const min = Math.min(...values);
		const scale = (Math.max(...values) - min) / 255 || 1;
		for (const value of values) bytes.push(Math.round((value - min) / scale));
		return { ...entry, quantization: { dtype: 'uint8' as const, min, scale } };
	});
	return {
		modelJson: { ...saved.modelJson, weightsManifest: [{ paths: ['weights.bin'], weights }] },
		weights: Uint8Array.from(bytes)
	};
}
