import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistSplit } from '../../../scripts/models/mnist/mnist-data';
import { clusters } from './clusters.fixture';
import type { LabelledSet } from './fit';
import { runTrainJob, type JobStep, type TrainJob, type TrainedModel } from './job';
import { ACTIVATIONS } from './mlp';
import { selectRows } from './preprocess';
import { DEFAULT_SETUP, type TrainingSetup } from './setup';

let mnist: LabelledSet;
beforeAll(() => {
	const { train } = loadMnistSplit();
	// Every 8th digit: 1,000 examples over all ten classes.
	mnist = selectRows(
		train,
		Array.from({ length: 1000 }, (_, i) => i * 8)
	);
});

function mnistJob(setup: Partial<TrainingSetup> = {}): TrainJob {
	return {
		features: mnist.inputs,
		labels: mnist.labels,
		featureSize: 784,
		classNames: Array.from({ length: 10 }, (_, i) => String(i)),
		inputName: 'pixels',
		setup: {
			...DEFAULT_SETUP,
			epochs: 2,
			model: { ...DEFAULT_SETUP.model, hidden: [32] },
			...setup
		}
	};
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
	expect(a.length).toBe(b.length);
	let worst = 0;
	for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
	return worst;
}

/** Runs the exported file in onnxruntime-node on the job's parity rows. */
async function ortOutputs(model: TrainedModel, inputName: string) {
	const session = await ort.InferenceSession.create(model.onnx);
	try {
		const { count, inputs } = model.parity;
		const width = inputs.length / count;
		const result = await session.run({
			[inputName]: new ort.Tensor('float32', inputs, [count, width])
		});
		return {
			logits: result.logits!.data as Float32Array,
			probabilities: result.probabilities!.data as Float32Array
		};
	} finally {
		await session.release();
	}
}

describe('runTrainJob', () => {
	it('trains, validates and exports an MNIST model whose ONNX matches the engine to 1e-5', async () => {
		for (const normalization of ['none', 'z-score', 'min-max'] as const) {
			const outcome = await runTrainJob(mnistJob({ normalization }));
			expect(outcome.trainExamples + outcome.validationExamples).toBe(1000);
			expect(Math.abs(outcome.validationExamples - 200)).toBeLessThanOrEqual(5);
			expect(outcome.model.validationAccuracy, normalization).toBeGreaterThan(0.7);
			expect(outcome.model.epochs).toHaveLength(2);
			const onnx = await ortOutputs(outcome.model, 'pixels');
			expect(maxAbsDifference(onnx.logits, outcome.model.parity.logits)).toBeLessThanOrEqual(1e-5);
			expect(
				maxAbsDifference(onnx.probabilities, outcome.model.parity.probabilities)
			).toBeLessThanOrEqual(1e-5);
		}
	});

	it('exports every activation and logistic regression faithfully', async () => {
		const data = clusters(200, 3);
		const base: TrainJob = {
			features: data.inputs,
			labels: data.labels,
			featureSize: 4,
			classNames: ['a', 'b', 'c'],
			inputName: 'features',
			setup: {
				...DEFAULT_SETUP,
				normalization: 'z-score',
				epochs: 10,
				batchSize: 16,
				learningRate: 0.01
			}
		};
		const models: TrainJob['setup']['model'][] = [
			...ACTIVATIONS.map((activation) => ({
				kind: 'mlp' as const,
				hidden: [8, 6],
				activation,
				dropout: 0.2
			})),
			{ kind: 'logistic', hidden: [], activation: 'relu', dropout: 0 }
		];
		for (const model of models) {
			const outcome = await runTrainJob({ ...base, setup: { ...base.setup, model } });
			expect(outcome.model.validationAccuracy, model.activation).toBeGreaterThan(0.9);
			const onnx = await ortOutputs(outcome.model, 'features');
			expect(maxAbsDifference(onnx.logits, outcome.model.parity.logits)).toBeLessThanOrEqual(1e-5);
		}
	});

	it('gives the same model, byte for byte, for the same seed, and another for another seed', async () => {
		const first = await runTrainJob(mnistJob({ seed: 4, epochs: 1 }));
		const again = await runTrainJob(mnistJob({ seed: 4, epochs: 1 }));
		const other = await runTrainJob(mnistJob({ seed: 5, epochs: 1 }));
		expect(Buffer.from(again.model.onnx).equals(Buffer.from(first.model.onnx))).toBe(true);
		expect(Buffer.from(other.model.onnx).equals(Buffer.from(first.model.onnx))).toBe(false);
	});

	it('is not changed by pausing, and stops with the model as it is when asked', async () => {
		const plain = await runTrainJob(mnistJob({ epochs: 1 }));
		const paused = await runTrainJob(mnistJob({ epochs: 1 }), async () => {
			await new Promise((resolve) => setTimeout(resolve, 0));
			return 'continue' as const;
		});
		expect(Buffer.from(paused.model.onnx).equals(Buffer.from(plain.model.onnx))).toBe(true);

		const steps: JobStep[] = [];
		const stopped = await runTrainJob(mnistJob({ epochs: 5 }), (step) => {
			steps.push(step);
			return steps.length === 3 ? 'stop' : 'continue';
		});
		expect(stopped.model.stopReason).toBe('stopped');
		expect(stopped.model.epochs).toHaveLength(0);
		expect(steps.every((step) => step.step.kind === 'batch')).toBe(true);
	});

	it('distils: the student, the same student without the teacher, and the teacher are compared', async () => {
		const teacherJob = mnistJob({
			validationShare: 0,
			epochs: 4,
			model: { ...DEFAULT_SETUP.model, hidden: [128] }
		});
		const teacher = await runTrainJob(teacherJob);
		const session = await ort.InferenceSession.create(teacher.model.onnx);
		const result = await session.run({
			pixels: new ort.Tensor('float32', mnist.inputs, [1000, 784])
		});
		await session.release();
		const teacherLogits = result.logits!.data as Float32Array;

		const student = { ...DEFAULT_SETUP.model, hidden: [8] };
		const distilled = await runTrainJob({
			...mnistJob({ model: student, epochs: 6 }),
			distillation: { temperature: 4, alpha: 0.7, teacherLogits }
		});
		const plain = await runTrainJob(mnistJob({ model: student, epochs: 6 }));
		expect(distilled.teacherValidationAccuracy).toBeGreaterThan(0.9);
		expect(distilled.model.validationAccuracy).toBeGreaterThan(0.6);
		// The baseline is exactly the student trained the ordinary way with the same seed.
		expect(Buffer.from(distilled.baseline!.onnx).equals(Buffer.from(plain.model.onnx))).toBe(true);
		expect(Buffer.from(distilled.model.onnx).equals(Buffer.from(plain.model.onnx))).toBe(false);
	});

	it('refuses a teacher with another number of classes, and data that cannot train', async () => {
		await expect(
			runTrainJob({
				...mnistJob(),
				distillation: { temperature: 2, alpha: 0.5, teacherLogits: new Float32Array(1000 * 2) }
			})
		).rejects.toMatchObject({
			code: 'teacher-mismatch',
			message: expect.stringMatching(/2 scores.*10 classes/)
		});
		await expect(
			runTrainJob({ ...mnistJob(), features: new Float32Array(0), labels: new Uint8Array(0) })
		).rejects.toMatchObject({ code: 'empty-dataset' });
		await expect(
			runTrainJob({ ...mnistJob(), labels: new Uint8Array(1000), classNames: ['7'] })
		).rejects.toMatchObject({ code: 'single-class' });
		const broken = mnist.inputs.slice();
		broken[784 * 3 + 5] = Number.NaN;
		await expect(runTrainJob({ ...mnistJob(), features: broken })).rejects.toMatchObject({
			code: 'bad-features',
			message: expect.stringContaining('Example 4')
		});
	});
});
