/**
 * Everything a training run is set up with, as plain data: it travels to the training worker,
 * is stored with the trained variant's provenance, and the same setup with the same seed gives
 * the same model.
 */
import { InvalidSettingError } from './errors';
import type { DistillationSettings } from './losses';
import { ACTIVATIONS, type Activation } from './mlp';
import { OPTIMIZERS, type OptimizerKind } from './optimizer';
import { NORMALIZATIONS, type NormalizationKind } from './preprocess';
import type { EarlyStopping } from './trainer';

export interface ModelSetup {
	/** Logistic regression is an MLP without hidden layers. */
	kind: 'logistic' | 'mlp';
	hidden: number[];
	activation: Activation;
	/** Share of hidden units dropped while training; ignored without hidden layers. */
	dropout: number;
}

export interface TrainingSetup {
	seed: number;
	/** Share of the examples held out for validation, per class. */
	validationShare: number;
	normalization: NormalizationKind;
	model: ModelSetup;
	optimizer: OptimizerKind;
	learningRate: number;
	/** Used by the 'momentum' optimizer. */
	momentum: number;
	weightDecay: number;
	batchSize: number;
	epochs: number;
	/** 'cosine' decays the learning rate to zero over the epochs. */
	schedule: 'constant' | 'cosine';
	earlyStopping: EarlyStopping | null;
}

export const DEFAULT_SETUP: TrainingSetup = {
	seed: 1,
	validationShare: 0.2,
	normalization: 'none',
	model: { kind: 'mlp', hidden: [128], activation: 'relu', dropout: 0 },
	optimizer: 'adam',
	learningRate: 0.002,
	momentum: 0.9,
	weightDecay: 1e-4,
	batchSize: 64,
	epochs: 10,
	schedule: 'constant',
	earlyStopping: { patience: 3, minDelta: 0.001 }
};

export function layerSizes(setup: ModelSetup, features: number, classes: number): number[] {
	return setup.kind === 'logistic' ? [features, classes] : [features, ...setup.hidden, classes];
}

/** "128, 64" -> [128, 64]; empty means no hidden layer. */
export function parseHiddenSizes(text: string): number[] {
	const parts = text
		.split(/[\s,;x×]+/)
		.map((part) => part.trim())
		.filter(Boolean);
	return parts.map((part) => {
		const size = Number(part);
		if (!Number.isInteger(size) || size < 1 || size > 4096) {
			throw new InvalidSettingError(
				`Hidden layer size "${part}"`,
				'must be a whole number from 1 to 4096'
			);
		}
		return size;
	});
}

function check(ok: boolean, setting: string, rule: string): void {
	if (!ok) throw new InvalidSettingError(setting, rule);
}

const inRange = (value: number, low: number, high: number) =>
	Number.isFinite(value) && value >= low && value <= high;

export function validateSetup(setup: TrainingSetup): void {
	check(Number.isInteger(setup.seed), 'The seed', 'must be a whole number');
	check(
		inRange(setup.validationShare, 0, 0.5),
		'The validation share',
		'must be between 0 and 0.5'
	);
	check(NORMALIZATIONS.includes(setup.normalization), 'The normalisation', 'is unknown');
	check(ACTIVATIONS.includes(setup.model.activation), 'The activation', 'is unknown');
	check(inRange(setup.model.dropout, 0, 0.9), 'Dropout', 'must be between 0 and 0.9');
	if (setup.model.kind === 'mlp') {
		check(setup.model.hidden.length > 0, 'An MLP', 'needs at least one hidden layer');
		for (const size of setup.model.hidden)
			check(
				Number.isInteger(size) && size >= 1 && size <= 4096,
				'Hidden sizes',
				'must be 1 to 4096'
			);
	}
	check(OPTIMIZERS.includes(setup.optimizer), 'The optimizer', 'is unknown');
	check(
		Number.isFinite(setup.learningRate) && setup.learningRate > 0,
		'The learning rate',
		'must be a number above 0'
	);
	check(inRange(setup.momentum, 0, 0.999), 'Momentum', 'must be between 0 and 0.999');
	check(inRange(setup.weightDecay, 0, 1), 'Weight decay', 'must be between 0 and 1');
	check(
		Number.isInteger(setup.batchSize) && setup.batchSize >= 1 && setup.batchSize <= 4096,
		'The batch size',
		'must be a whole number from 1 to 4096'
	);
	check(
		Number.isInteger(setup.epochs) && setup.epochs >= 1 && setup.epochs <= 1000,
		'The number of epochs',
		'must be a whole number from 1 to 1000'
	);
	if (setup.earlyStopping) {
		check(
			Number.isInteger(setup.earlyStopping.patience) && setup.earlyStopping.patience >= 1,
			'Early stopping patience',
			'must be a whole number of at least 1'
		);
		check(
			inRange(setup.earlyStopping.minDelta, 0, 10),
			'The minimum improvement',
			'must be 0 or more'
		);
	}
}

export function validateDistillation(settings: DistillationSettings): void {
	check(
		inRange(settings.temperature, 0.05, 100),
		'The temperature',
		'must be between 0.05 and 100'
	);
	check(inRange(settings.alpha, 0, 1), 'Alpha', 'must be between 0 and 1');
}

export function learningRateSchedule(setup: TrainingSetup): (epoch: number) => number {
	if (setup.schedule === 'constant') return () => setup.learningRate;
	// Cosine decay to zero: large steps early, fine ones at the end.
	return (epoch) => setup.learningRate * 0.5 * (1 + Math.cos((Math.PI * epoch) / setup.epochs));
}
