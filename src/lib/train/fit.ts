/**
 * Mini-batch training of an MLP classifier in one call, for the build step and tests. It is the
 * training loop of trainer.ts run to its end, so the catalog models and the Train page share it.
 */
import { argmaxRows, classCountOf, logitsOf, forward, type Mlp } from './mlp';
import type { Optimizer } from './optimizer';
import type { Random } from './random';
import { runToEnd, runTraining, type EpochReport } from './trainer';

export interface LabelledSet {
	/** Row-major [count, featureSize]. */
	inputs: Float32Array;
	labels: Uint8Array;
	featureSize: number;
}

export interface TrainOptions {
	epochs: number;
	batchSize: number;
	optimizer: Optimizer;
	random: Random;
	/** The learning rate for an epoch (0-based), for decay schedules. */
	learningRate: (epoch: number) => number;
	/** Changes one training example in place (for example a small shift of an image). */
	augment?: (example: Float64Array, random: Random) => void;
	onEpoch?: (report: EpochReport) => void;
}

export function exampleCount(data: LabelledSet): number {
	return data.labels.length;
}

export function trainClassifier(mlp: Mlp, data: LabelledSet, options: TrainOptions): EpochReport[] {
	const summary = runToEnd(runTraining(mlp, data, options), (step) => {
		if (step.kind === 'epoch') options.onEpoch?.(step);
	});
	return summary.epochs;
}

/** Share of examples whose largest logit is the label, computed in JavaScript. */
export function accuracyOf(mlp: Mlp, data: LabelledSet): number {
	const count = exampleCount(data);
	const predicted = argmaxRows(logitsOf(forward(mlp, data.inputs, count)), classCountOf(mlp));
	let correct = 0;
	for (let i = 0; i < count; i++) if (predicted[i] === data.labels[i]) correct++;
	return count === 0 ? 0 : correct / count;
}

export type { EpochReport };
