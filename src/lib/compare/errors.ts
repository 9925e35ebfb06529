/** What can stop a comparison, each with what the user can do about it. */
import { HearthError } from '../errors';

export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 6;

export class TooFewVariantsError extends HearthError {
	constructor(chosen: number) {
		super(
			'compare-too-few-variants',
			`Choose at least ${MIN_VARIANTS} variants to compare (${chosen} chosen): the first is the ` +
				'reference the others are measured against.'
		);
		this.name = 'TooFewVariantsError';
	}
}

export class TooManyVariantsError extends HearthError {
	constructor(chosen: number) {
		super(
			'compare-too-many-variants',
			`Choose at most ${MAX_VARIANTS} variants (${chosen} chosen), so a comparison stays quick; ` +
				'compare the rest against the same reference in a second run.'
		);
		this.name = 'TooManyVariantsError';
	}
}

export class UnknownModelError extends HearthError {
	constructor(modelId: string) {
		super(
			'compare-unknown-model',
			`There is no model "${modelId}" in the catalog or among your models in this browser. ` +
				'Choose one of the models listed, or add it on the Models page first.'
		);
		this.name = 'UnknownModelError';
	}
}

export class UnknownVariantError extends HearthError {
	constructor(modelName: string, variantIds: string[]) {
		super(
			'compare-unknown-variant',
			`${modelName} has no variant ${variantIds.map((id) => `"${id}"`).join(', ')} in this ` +
				'browser (a variant made on another device is not here). Choose among the variants listed.'
		);
		this.name = 'UnknownVariantError';
	}
}

export class NoEvalSetError extends HearthError {
	constructor(modelName: string, task: string) {
		super(
			'compare-no-eval-set',
			`Hearth has no eval set for ${modelName}'s task (${task}) yet. Compare works on OCR, ` +
				'voice activity, text embedding and handwritten digit models.'
		);
		this.name = 'NoEvalSetError';
	}
}

export class EvalSetError extends HearthError {
	constructor(path: string, detail: string) {
		super(
			'compare-eval-set-unavailable',
			`The eval set file ${path} could not be loaded (${detail}). Check the connection and run ` +
				'the comparison again.'
		);
		this.name = 'EvalSetError';
	}
}
