import { describe, expect, it } from 'vitest';
import { clusters } from './clusters.fixture';
import { cloneMlp, createMlp, predictLogits } from './mlp';
import { createAdam, createSgd } from './optimizer';
import { createRandom } from './random';
import { evaluate, runToEnd, runTraining, type EpochReport } from './trainer';

const train = clusters(300, 1);
const validation = clusters(90, 2);

function options(overrides: Partial<Parameters<typeof runTraining>[2]> = {}) {
	return {
		epochs: 12,
		batchSize: 16,
		optimizer: createAdam({ learningRate: 0.01 }),
		random: createRandom(3),
		learningRate: () => 0.01,
		validation,
		...overrides
	};
}

describe('runTraining', () => {
	it('yields every batch, then the epoch with training and validation metrics', () => {
		const mlp = createMlp([4, 8, 3], createRandom(1));
		const steps = [...runTraining(mlp, train, options({ epochs: 2 }))];
		const batches = Math.ceil(300 / 16);
		expect(steps).toHaveLength(2 * (batches + 1));
		expect(steps[batches - 1]).toMatchObject({
			kind: 'batch',
			epoch: 0,
			batch: batches - 1,
			batches
		});
		expect(steps[batches]).toMatchObject({ kind: 'epoch', epoch: 0 });
		const last = steps.at(-1) as EpochReport;
		expect(last.validationAccuracy).toBeGreaterThan(0.8);
		expect(last.validationLoss).toBeCloseTo(evaluate(mlp, validation).loss, 12);
		expect(last.accuracy).toBeGreaterThan(0.8);
	});

	it('stops early when the validation loss stops improving, keeping the best weights', () => {
		// A tiny set that the model memorises: validation loss rises after a few epochs.
		const small = clusters(12, 4, 1.5);
		const noisyValidation = clusters(60, 5, 1.5);
		const mlp = createMlp([4, 64, 3], createRandom(1));
		let best: { loss: number; weights: ReturnType<typeof cloneMlp> } | null = null;
		const summary = runToEnd(
			runTraining(mlp, small, {
				...options({ epochs: 200, batchSize: 4, validation: noisyValidation }),
				optimizer: createAdam({ learningRate: 0.05 }),
				earlyStopping: { patience: 3, minDelta: 0 }
			}),
			(step) => {
				if (step.kind === 'epoch' && step.validationLoss! < (best?.loss ?? Infinity))
					best = { loss: step.validationLoss!, weights: cloneMlp(mlp) };
			}
		);
		expect(summary.stopReason).toBe('early-stopping');
		expect(summary.epochs.length).toBeLessThan(200);
		expect(summary.epochs.length - 1 - summary.keptEpoch!).toBe(3);
		expect(mlp).toEqual(best!.weights);
		expect(evaluate(mlp, noisyValidation).loss).toBeCloseTo(best!.loss, 10);
	});

	it('stops with a clear error when the loss becomes NaN, and suggests a lower rate', () => {
		const mlp = createMlp([4, 8, 3], createRandom(1));
		const absurd = { optimizer: createSgd({ learningRate: 1e6 }), learningRate: () => 1e6 };
		expect(() => runToEnd(runTraining(mlp, train, options(absurd)))).toThrow(
			expect.objectContaining({
				code: 'training-diverged',
				message: expect.stringMatching(/became (infinite|NaN).*lower one, such as 100000/)
			})
		);
	});

	it('learns from a teacher: a student distilled with alpha 1 copies its answers', () => {
		const teacher = createMlp([4, 16, 3], createRandom(7));
		runToEnd(runTraining(teacher, train, options()));
		const teacherLogits = Float32Array.from(predictLogits(teacher, train.inputs, 300));
		// Labels shuffled: with alpha 1 only the teacher's answers can be learnt.
		const wrongLabels = { ...train, labels: train.labels.map((l) => (l + 1) % 3) };
		const student = createMlp([4, 6, 3], createRandom(8));
		runToEnd(
			runTraining(student, wrongLabels, {
				...options({ epochs: 30 }),
				distillation: { temperature: 2, alpha: 1, teacherLogits }
			})
		);
		expect(evaluate(student, validation).accuracy).toBeGreaterThan(0.9);
	});
});
