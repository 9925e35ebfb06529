/**
 * The training loop as a generator: it yields after every mini-batch and after every epoch, so
 * the same code runs straight through in the build step and, in the browser's training worker,
 * hands control back between batches (to report progress, pause or stop) without threads.
 * Every random choice (data order, augmentation, dropout) comes from `random`: a seed fixes it.
 */
import type { LabelledSet } from './fit';
import { TrainingDivergedError } from './errors';
import { distillationLoss, type DistillationSettings } from './losses';
import {
	argmaxRows,
	backward,
	classCountOf,
	cloneMlp,
	forward,
	inputSizeOf,
	logitsOf,
	predictLogits,
	softmaxCrossEntropy,
	type Mlp
} from './mlp';
import type { Optimizer } from './optimizer';
import { shuffleInPlace, type Random } from './random';

export interface EarlyStopping {
	/** Epochs without improvement before training stops. */
	patience: number;
	/** A smaller drop in loss does not count as an improvement. */
	minDelta: number;
}

export interface TrainerOptions {
	epochs: number;
	batchSize: number;
	optimizer: Optimizer;
	random: Random;
	/** The learning rate for an epoch (0-based), for decay schedules. */
	learningRate: (epoch: number) => number;
	/** Changes one training example in place (for example a small shift of an image). */
	augment?: (example: Float64Array, random: Random) => void;
	/** Share of hidden units dropped in each training step. */
	dropout?: number;
	/** Teacher logits row-aligned with the training set, and how to weigh them. */
	distillation?: DistillationSettings & { teacherLogits: ArrayLike<number> };
	validation?: LabelledSet | null;
	/** Watches the validation loss (the training loss without a validation set). */
	earlyStopping?: EarlyStopping | null;
}

export interface BatchReport {
	kind: 'batch';
	epoch: number;
	/** 0-based index of the batch just trained, of `batches` per epoch. */
	batch: number;
	batches: number;
	loss: number;
	accuracy: number;
}

export interface EpochReport {
	kind: 'epoch';
	epoch: number;
	learningRate: number;
	/** Mean training loss over the epoch's batches (the distillation loss when distilling). */
	loss: number;
	accuracy: number;
	validationLoss: number | null;
	validationAccuracy: number | null;
}

export type StopReason = 'completed' | 'early-stopping' | 'stopped';

export interface TrainingSummary {
	stopReason: StopReason;
	epochs: EpochReport[];
	/** The epoch whose weights the model holds at the end (the best one under early stopping). */
	keptEpoch: number | null;
}

export interface Evaluation {
	loss: number;
	accuracy: number;
}

/** Cross-entropy and accuracy of the model on a whole set, without dropout. */
export function evaluate(mlp: Mlp, data: LabelledSet): Evaluation {
	const count = data.labels.length;
	if (count === 0) return { loss: NaN, accuracy: NaN };
	const classes = classCountOf(mlp);
	const logits = predictLogits(mlp, data.inputs, count);
	const { loss } = softmaxCrossEntropy(logits, data.labels, classes);
	return { loss, accuracy: accuracyOfLogits(logits, data.labels, classes) };
}

export function accuracyOfLogits(
	logits: ArrayLike<number>,
	labels: ArrayLike<number>,
	classes: number
): number {
	const predicted = argmaxRows(logits, classes);
	let correct = 0;
	for (let i = 0; i < predicted.length; i++) if (predicted[i] === labels[i]) correct++;
	return predicted.length === 0 ? 0 : correct / predicted.length;
}

function checkData(mlp: Mlp, data: LabelledSet, options: TrainerOptions): void {
	if (inputSizeOf(mlp) !== data.featureSize) {
		throw new Error(`The MLP takes ${inputSizeOf(mlp)} features, the data has ${data.featureSize}`);
	}
	const teacher = options.distillation?.teacherLogits;
	if (teacher && teacher.length !== data.labels.length * classCountOf(mlp)) {
		throw new Error(`${teacher.length} teacher logits for ${data.labels.length} examples`);
	}
}

export function* runTraining(
	mlp: Mlp,
	data: LabelledSet,
	options: TrainerOptions
): Generator<BatchReport | EpochReport, TrainingSummary, void> {
	checkData(mlp, data, options);
	const { featureSize } = data;
	const classes = classCountOf(mlp);
	const count = data.labels.length;
	const batches = Math.ceil(count / options.batchSize);
	const order = Array.from({ length: count }, (_, i) => i);
	const parameters = mlp.layers.flatMap((layer) => [layer.weights, layer.bias]);
	const buffer = new Float64Array(options.batchSize * featureSize);
	const labelBuffer = new Uint8Array(options.batchSize);
	const teacherBuffer = new Float64Array(options.distillation ? options.batchSize * classes : 0);
	const epochs: EpochReport[] = [];
	const stopping = options.earlyStopping ?? null;
	let best = { loss: Infinity, epoch: -1, weights: null as Mlp | null };

	for (let epoch = 0; epoch < options.epochs; epoch++) {
		const learningRate = options.learningRate(epoch);
		shuffleInPlace(order, options.random);
		let lossSum = 0;
		let correct = 0;
		for (let batch = 0; batch < batches; batch++) {
			const start = batch * options.batchSize;
			const rows = Math.min(options.batchSize, count - start);
			const inputs = buffer.subarray(0, rows * featureSize);
			const labels = labelBuffer.subarray(0, rows);
			for (let row = 0; row < rows; row++) {
				const index = order[start + row] as number;
				const example = inputs.subarray(row * featureSize, (row + 1) * featureSize);
				example.set(data.inputs.subarray(index * featureSize, (index + 1) * featureSize));
				options.augment?.(example, options.random);
				labels[row] = data.labels[index] as number;
				if (options.distillation) {
					const teacher = options.distillation.teacherLogits;
					for (let c = 0; c < classes; c++)
						teacherBuffer[row * classes + c] = teacher[index * classes + c] as number;
				}
			}
			const pass = forward(mlp, inputs, rows, { dropout: options.dropout, random: options.random });
			const logits = logitsOf(pass);
			const { loss, gradient } = options.distillation
				? distillationLoss(
						logits,
						teacherBuffer.subarray(0, rows * classes),
						labels,
						classes,
						options.distillation
					)
				: softmaxCrossEntropy(logits, labels, classes);
			if (!Number.isFinite(loss)) throw new TrainingDivergedError(epoch, batch, learningRate, loss);
			const gradients = backward(mlp, pass, gradient).flatMap((g) => [g.weights, g.bias]);
			options.optimizer.step(parameters, gradients, learningRate);
			const batchAccuracy = accuracyOfLogits(logits, labels, classes);
			lossSum += loss;
			correct += batchAccuracy * rows;
			yield { kind: 'batch', epoch, batch, batches, loss, accuracy: batchAccuracy };
		}

		const validation = options.validation?.labels.length ? evaluate(mlp, options.validation) : null;
		const report: EpochReport = {
			kind: 'epoch',
			epoch,
			learningRate,
			loss: lossSum / batches,
			accuracy: correct / count,
			validationLoss: validation?.loss ?? null,
			validationAccuracy: validation?.accuracy ?? null
		};
		epochs.push(report);
		yield report;

		if (stopping) {
			const watched = report.validationLoss ?? report.loss;
			if (watched < best.loss - stopping.minDelta) {
				best = { loss: watched, epoch, weights: cloneMlp(mlp) };
			} else if (epoch - best.epoch >= stopping.patience) {
				restore(mlp, best.weights);
				return { stopReason: 'early-stopping', epochs, keptEpoch: best.epoch };
			}
		}
	}
	if (stopping && best.weights && best.epoch !== epochs.length - 1) {
		restore(mlp, best.weights);
		return { stopReason: 'completed', epochs, keptEpoch: best.epoch };
	}
	return { stopReason: 'completed', epochs, keptEpoch: epochs.length - 1 };
}

function restore(mlp: Mlp, weights: Mlp | null): void {
	if (!weights) return;
	weights.layers.forEach((layer, l) => {
		mlp.layers[l]!.weights.set(layer.weights);
		mlp.layers[l]!.bias.set(layer.bias);
	});
}

/** Runs a training generator to its end and returns its summary. */
export function runToEnd<T, R>(generator: Generator<T, R, void>, onStep?: (step: T) => void): R {
	for (;;) {
		const next = generator.next();
		if (next.done) return next.value;
		onStep?.(next.value);
	}
}
