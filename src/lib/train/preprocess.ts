/**
 * Data preparation before training: a seeded, stratified train/validation split, seeded
 * shuffling, and feature normalisation fitted on the training split only (so nothing about the
 * validation examples leaks into the model). The normaliser is exported into the ONNX graph.
 */
import {
	BadFeatureError,
	EmptyDatasetError,
	SingleClassError,
	TooFewExamplesError
} from './errors';
import type { LabelledSet } from './fit';
import { shuffleInPlace, type Random } from './random';

export type NormalizationKind = 'none' | 'z-score' | 'min-max';
export const NORMALIZATIONS: readonly NormalizationKind[] = ['none', 'z-score', 'min-max'];

/** normalised = (x - offset) * scale, per feature, in float32 like the exported graph. */
export interface Normalizer {
	kind: NormalizationKind;
	offset: Float32Array;
	scale: Float32Array;
}

/** A feature that hardly varies keeps scale 1 rather than being blown up by a tiny spread. */
const MIN_SPREAD = 1e-6;

export function fitNormalizer(kind: NormalizationKind, data: LabelledSet): Normalizer {
	const { featureSize, inputs } = data;
	const count = data.labels.length;
	const offset = new Float32Array(featureSize);
	const scale = new Float32Array(featureSize).fill(1);
	if (kind === 'none' || count === 0) return { kind, offset, scale };
	for (let f = 0; f < featureSize; f++) {
		if (kind === 'z-score') {
			let sum = 0;
			for (let i = 0; i < count; i++) sum += inputs[i * featureSize + f]!;
			const mean = sum / count;
			let squares = 0;
			for (let i = 0; i < count; i++) squares += (inputs[i * featureSize + f]! - mean) ** 2;
			const spread = Math.sqrt(squares / count);
			offset[f] = mean;
			scale[f] = spread > MIN_SPREAD ? 1 / spread : 1;
		} else {
			let min = Infinity;
			let max = -Infinity;
			for (let i = 0; i < count; i++) {
				const value = inputs[i * featureSize + f]!;
				if (value < min) min = value;
				if (value > max) max = value;
			}
			offset[f] = min;
			scale[f] = max - min > MIN_SPREAD ? 1 / (max - min) : 1;
		}
	}
	return { kind, offset, scale };
}

/**
 * A normalised copy. Each step is rounded to float32 as onnxruntime's Sub and Mul round it, so
 * the engine and the exported model see bit-identical inputs.
 */
export function normalize(normalizer: Normalizer, data: LabelledSet): LabelledSet {
	if (normalizer.kind === 'none') return data;
	const { featureSize } = data;
	const inputs = new Float32Array(data.inputs.length);
	for (let k = 0; k < inputs.length; k++) {
		const f = k % featureSize;
		inputs[k] = Math.fround(data.inputs[k]! - normalizer.offset[f]!) * normalizer.scale[f]!;
	}
	return { inputs, labels: data.labels, featureSize };
}

/** The rows of `data` at `indices`, in that order. */
export function selectRows(data: LabelledSet, indices: ArrayLike<number>): LabelledSet {
	const { featureSize } = data;
	const inputs = new Float32Array(indices.length * featureSize);
	const labels = new Uint8Array(indices.length);
	for (let row = 0; row < indices.length; row++) {
		const index = indices[row] as number;
		inputs.set(
			data.inputs.subarray(index * featureSize, (index + 1) * featureSize),
			row * featureSize
		);
		labels[row] = data.labels[index] as number;
	}
	return { inputs, labels, featureSize };
}

export interface Split {
	train: number[];
	validation: number[];
}

/**
 * Stratified: each class gives about `validationShare` of its examples (at least one when it has
 * two or more) to validation, so a small class is not left out of either side by chance. Both
 * sides are then shuffled with the same seeded random.
 */
export function splitIndices(
	labels: ArrayLike<number>,
	validationShare: number,
	random: Random
): Split {
	const byClass = new Map<number, number[]>();
	for (let i = 0; i < labels.length; i++) {
		const label = labels[i] as number;
		let members = byClass.get(label);
		if (!members) byClass.set(label, (members = []));
		members.push(i);
	}
	const train: number[] = [];
	const validation: number[] = [];
	for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
		const members = shuffleInPlace(byClass.get(label) as number[], random);
		let held = Math.round(members.length * validationShare);
		if (validationShare > 0 && members.length >= 2)
			held = Math.min(members.length - 1, Math.max(1, held));
		validation.push(...members.slice(0, held));
		train.push(...members.slice(held));
	}
	return { train: shuffleInPlace(train, random), validation: shuffleInPlace(validation, random) };
}

/** Refuses data that cannot train a classifier, with the reason in the user's terms. */
export function checkTrainable(labels: ArrayLike<number>, classNames: readonly string[]): void {
	if (labels.length === 0) throw new EmptyDatasetError();
	const seen = new Set<number>();
	for (let i = 0; i < labels.length; i++) seen.add(labels[i] as number);
	if (seen.size < 2)
		throw new SingleClassError(classNames[labels[0] as number] ?? String(labels[0]));
	if (labels.length < 4) {
		throw new TooFewExamplesError(`Only ${labels.length} examples: training needs at least 4.`);
	}
}

/** Refuses NaN or infinite features, which would otherwise surface as a diverging loss. */
export function checkFeatures(features: ArrayLike<number>, featureSize: number): void {
	for (let k = 0; k < features.length; k++) {
		if (!Number.isFinite(features[k] as number))
			throw new BadFeatureError(Math.floor(k / featureSize));
	}
}

/** A seeded subset of at most `limit` examples, keeping the order of the data. */
export function sampleIndices(count: number, limit: number, random: Random): number[] {
	const all = Array.from({ length: count }, (_, i) => i);
	if (limit >= count) return all;
	return shuffleInPlace(all, random)
		.slice(0, limit)
		.sort((a, b) => a - b);
}
