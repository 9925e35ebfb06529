/**
 * Starting set-ups for the Train page's data kinds. The text preset is the one the build step
 * trains the catalog spam filter with, so retraining it in the page gives the same kind of model.
 */
import { DEFAULT_SETUP, type TrainingSetup } from './setup';

export const PIXELS_SETUP: TrainingSetup = DEFAULT_SETUP;

export const TEXT_SETUP: TrainingSetup = {
	...DEFAULT_SETUP,
	seed: 2024,
	validationShare: 0.2,
	normalization: 'z-score',
	model: { kind: 'logistic', hidden: [], activation: 'relu', dropout: 0 },
	optimizer: 'adam',
	learningRate: 0.003,
	weightDecay: 1e-4,
	batchSize: 32,
	epochs: 40,
	earlyStopping: { patience: 5, minDelta: 0.0005 }
};

/** A deep copy the page can edit. */
export function presetFor(kind: 'pixels' | 'text'): TrainingSetup {
	return structuredClone(kind === 'text' ? TEXT_SETUP : PIXELS_SETUP);
}
