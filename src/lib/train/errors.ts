/** What can go wrong with training data and training itself, each with a way out for the user. */
import { HearthError } from '../errors';

export class TrainingDivergedError extends HearthError {
	constructor(epoch: number, batch: number, learningRate: number, loss: number) {
		const what = Number.isNaN(loss) ? 'NaN (not a number)' : 'infinite';
		super(
			'training-diverged',
			`The loss became ${what} in epoch ${epoch + 1}, batch ${batch + 1}, so training ` +
				`stopped. The learning rate (${learningRate}) is probably too high: try a lower one, ` +
				`such as ${formatRate(learningRate / 10)}.`
		);
		this.name = 'TrainingDivergedError';
	}
}

function formatRate(rate: number): string {
	return Number(rate.toPrecision(2)).toString();
}

export class EmptyDatasetError extends HearthError {
	constructor(what = 'The data set') {
		super(
			'empty-dataset',
			`${what} has no examples. Choose a file with at least two labelled examples per class.`
		);
		this.name = 'EmptyDatasetError';
	}
}

export class SingleClassError extends HearthError {
	constructor(label: string) {
		super(
			'single-class',
			`Every example has the same label ("${label}"), so there is nothing to tell apart. ` +
				'Add examples of at least one other class.'
		);
		this.name = 'SingleClassError';
	}
}

export class MissingLabelError extends HearthError {
	constructor(rows: number[]) {
		const shown = rows.slice(0, 5).join(', ') + (rows.length > 5 ? ', …' : '');
		super(
			'missing-label',
			`${rows.length === 1 ? 'Row' : 'Rows'} ${shown} of the CSV ${rows.length === 1 ? 'has' : 'have'} ` +
				'no label. Every row needs the text, a comma and its label (text,label); fill in the ' +
				'missing labels or remove those rows.'
		);
		this.name = 'MissingLabelError';
	}
}

export class CsvFormatError extends HearthError {
	constructor(detail: string) {
		super('csv-format', `The CSV cannot be read: ${detail}. Save it as text,label rows.`);
		this.name = 'CsvFormatError';
	}
}

export class TeacherMismatchError extends HearthError {
	constructor(detail: string) {
		super(
			'teacher-mismatch',
			`The teacher does not fit this data: ${detail}. Pick a teacher trained on the same classes.`
		);
		this.name = 'TeacherMismatchError';
	}
}

export class InvalidSettingError extends HearthError {
	constructor(setting: string, rule: string) {
		super('invalid-setting', `${setting} ${rule}. Change it and start again.`);
		this.name = 'InvalidSettingError';
	}
}

export class TooFewExamplesError extends HearthError {
	constructor(detail: string) {
		super('too-few-examples', `${detail} Add examples or lower the validation share.`);
		this.name = 'TooFewExamplesError';
	}
}

export class TrainingWorkerCrashedError extends HearthError {
	constructor(detail: string) {
		super(
			'training-worker-crashed',
			`The training worker stopped unexpectedly (${detail}). This often means the device ran out ` +
				'of memory: train on fewer examples or a smaller model, then try again.'
		);
		this.name = 'TrainingWorkerCrashedError';
	}
}

export class BadFeatureError extends HearthError {
	constructor(example: number) {
		super(
			'bad-features',
			`Example ${example + 1} has a feature that is not a finite number. Check the data: every ` +
				'value must be a number.'
		);
		this.name = 'BadFeatureError';
	}
}
