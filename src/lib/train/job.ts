/**
 * One training job from raw features to an exported ONNX model: check the data, split it,
 * fit the normaliser on the training side, train (and, when distilling, train the same student
 * again without the teacher for comparison), export, and keep a few rows for the ONNX parity
 * check. Pure and environment-free: the training worker runs it with a control that reports
 * progress, pauses and stops; the build step runs it straight through.
 */
import { TeacherMismatchError } from './errors';
import type { LabelledSet } from './fit';
import type { DistillationSettings } from './losses';
import { classCountOf, createMlp, predictLogits, softmax, type Mlp } from './mlp';
import { mlpToOnnx } from './mlp-onnx';
import { createOptimizer } from './optimizer';
import {
	checkFeatures,
	checkTrainable,
	fitNormalizer,
	normalize,
	selectRows,
	splitIndices,
	type Normalizer,
	type Split
} from './preprocess';
import { createRandom } from './random';
import {
	layerSizes,
	learningRateSchedule,
	validateDistillation,
	validateSetup,
	type TrainingSetup
} from './setup';
import {
	accuracyOfLogits,
	evaluate,
	runTraining,
	type BatchReport,
	type EpochReport,
	type StopReason
} from './trainer';

export interface TrainJob {
	/** Raw features, row-major [count, featureSize], as the exported model will receive them. */
	features: Float32Array;
	labels: Uint8Array;
	featureSize: number;
	classNames: string[];
	setup: TrainingSetup;
	/** The exported graph's input name ('pixels' for MNIST-style models). */
	inputName: string;
	docString?: string;
	/** Teacher logits row-aligned with `features`, for knowledge distillation. */
	distillation?: DistillationSettings & { teacherLogits: Float32Array };
}

/** Which model of the job is training: the only one, the distilled student, or its baseline. */
export type Phase = 'model' | 'distilled' | 'baseline';

export interface JobStep {
	phase: Phase;
	step: BatchReport | EpochReport;
}

/** Called after every batch and epoch; answering 'stop' ends the phase with the model as it is. */
export type Checkpoint = (step: JobStep) => 'continue' | 'stop' | Promise<'continue' | 'stop'>;

export interface ParityRows {
	count: number;
	/** Raw feature rows, as fed to the exported graph. */
	inputs: Float32Array;
	/** What the engine computes for them (logits and softmax), to compare with onnxruntime. */
	logits: Float32Array;
	probabilities: Float32Array;
}

export interface TrainedModel {
	onnx: Uint8Array;
	stopReason: StopReason;
	epochs: EpochReport[];
	keptEpoch: number | null;
	validationAccuracy: number | null;
	validationLoss: number | null;
	trainAccuracy: number;
	parameters: number;
	layerSizes: number[];
	parity: ParityRows;
}

export interface JobOutcome {
	model: TrainedModel;
	/** The same student trained without the teacher (distillation only; null if stopped first). */
	baseline: TrainedModel | null;
	/** The teacher's accuracy on the same validation examples (distillation only). */
	teacherValidationAccuracy: number | null;
	trainExamples: number;
	validationExamples: number;
	normalizer: Normalizer;
	durationMs: number;
}

const PARITY_ROWS = 8;

function checkTeacher(job: TrainJob): void {
	const teacher = job.distillation?.teacherLogits;
	if (!teacher) return;
	const classes = job.classNames.length;
	const count = job.labels.length;
	if (teacher.length !== count * classes) {
		const perRow = count ? teacher.length / count : 0;
		throw new TeacherMismatchError(
			`it gives ${Number.isInteger(perRow) ? perRow : 'an uneven number of'} scores per ` +
				`example, but the data has ${classes} classes`
		);
	}
}

function parityRows(mlp: Mlp, raw: LabelledSet, normalizer: Normalizer): ParityRows {
	const count = Math.min(PARITY_ROWS, raw.labels.length);
	const rows = selectRows(
		raw,
		Array.from({ length: count }, (_, i) => i)
	);
	const logits = predictLogits(mlp, normalize(normalizer, rows).inputs, count);
	const classes = classCountOf(mlp);
	return {
		count,
		inputs: rows.inputs,
		logits: Float32Array.from(logits),
		probabilities: Float32Array.from(softmax(logits, classes))
	};
}

function parameterCount(mlp: Mlp): number {
	return mlp.layers.reduce((sum, layer) => sum + layer.weights.length + layer.bias.length, 0);
}

/** The job's train/validation split: stratified and seeded by the setup alone. */
export function jobSplit(job: Pick<TrainJob, 'labels' | 'setup'>): Split {
	return splitIndices(job.labels, job.setup.validationShare, createRandom(job.setup.seed));
}

export async function runTrainJob(job: TrainJob, checkpoint?: Checkpoint): Promise<JobOutcome> {
	const started = Date.now();
	validateSetup(job.setup);
	if (job.distillation) validateDistillation(job.distillation);
	checkTrainable(job.labels, job.classNames);
	checkFeatures(job.features, job.featureSize);
	checkTeacher(job);
	const { setup, featureSize } = job;
	const classes = job.classNames.length;
	const all: LabelledSet = { inputs: job.features, labels: job.labels, featureSize };
	const split = jobSplit(job);
	const rawTrain = selectRows(all, split.train);
	const rawValidation = selectRows(all, split.validation);
	const normalizer = fitNormalizer(setup.normalization, rawTrain);
	const train = normalize(normalizer, rawTrain);
	const validation = normalize(normalizer, rawValidation);
	const pick = (logits: Float32Array, indices: number[]) => {
		const picked = new Float32Array(indices.length * classes);
		indices.forEach((index, row) =>
			picked.set(logits.subarray(index * classes, (index + 1) * classes), row * classes)
		);
		return picked;
	};

	const trainOne = async (phase: Phase, distill: boolean): Promise<TrainedModel> => {
		const sizes = layerSizes(setup.model, featureSize, classes);
		const mlp = createMlp(sizes, createRandom(setup.seed + 1), setup.model.activation);
		const generator = runTraining(mlp, train, {
			epochs: setup.epochs,
			batchSize: setup.batchSize,
			optimizer: createOptimizer({ ...setup, kind: setup.optimizer }),
			random: createRandom(setup.seed + 2),
			learningRate: learningRateSchedule(setup),
			dropout: setup.model.kind === 'mlp' ? setup.model.dropout : 0,
			validation,
			earlyStopping: setup.earlyStopping,
			distillation:
				distill && job.distillation
					? {
							temperature: job.distillation.temperature,
							alpha: job.distillation.alpha,
							teacherLogits: pick(job.distillation.teacherLogits, split.train)
						}
					: undefined
		});
		const epochs: EpochReport[] = [];
		let summary: { stopReason: StopReason; keptEpoch: number | null } | null = null;
		for (;;) {
			const next = generator.next();
			if (next.done) {
				summary = next.value;
				break;
			}
			if (next.value.kind === 'epoch') epochs.push(next.value);
			let answer = checkpoint?.({ phase, step: next.value }) ?? 'continue';
			if (typeof answer !== 'string') answer = await answer;
			if (answer === 'stop') {
				summary = { stopReason: 'stopped', keptEpoch: epochs.length ? epochs.length - 1 : null };
				break;
			}
		}
		const final = validation.labels.length ? evaluate(mlp, validation) : null;
		return {
			onnx: mlpToOnnx(mlp, { inputName: job.inputName, normalizer, docString: job.docString }),
			stopReason: summary.stopReason,
			epochs,
			keptEpoch: summary.keptEpoch,
			validationAccuracy: final?.accuracy ?? null,
			validationLoss: final?.loss ?? null,
			trainAccuracy: evaluate(mlp, train).accuracy,
			parameters: parameterCount(mlp),
			layerSizes: sizes,
			parity: parityRows(mlp, rawValidation.labels.length ? rawValidation : rawTrain, normalizer)
		};
	};

	if (!job.distillation) {
		const model = await trainOne('model', false);
		return outcome(model, null, null);
	}
	const student = await trainOne('distilled', true);
	const baseline = student.stopReason === 'stopped' ? null : await trainOne('baseline', false);
	const teacherAccuracy = split.validation.length
		? accuracyOfLogits(
				pick(job.distillation.teacherLogits, split.validation),
				validation.labels,
				classes
			)
		: null;
	return outcome(student, baseline, teacherAccuracy);

	function outcome(
		model: TrainedModel,
		baseline: TrainedModel | null,
		teacherValidationAccuracy: number | null
	): JobOutcome {
		return {
			model,
			baseline,
			teacherValidationAccuracy,
			trainExamples: split.train.length,
			validationExamples: split.validation.length,
			normalizer,
			durationMs: Date.now() - started
		};
	}
}
