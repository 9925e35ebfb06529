/**
 * What can stop an import before or around the converter itself: the wrong files chosen, a
 * format this build cannot convert yet, the convert worker failing. The converter's own errors
 * (a missing shard, an unsupported op...) are in errors.ts.
 */
import { HearthError } from '../errors';

export class TfjsNoModelJsonError extends HearthError {
	constructor(given: string[]) {
		super(
			'convert-no-model-json',
			(given.length === 0
				? 'No files were given. '
				: `None of the files given (${given.join(', ')}) is a model.json. `) +
				"Choose the model.json that tfjs's converter wrote together with its .bin shards, or the " +
				'folder that holds them.'
		);
		this.name = 'TfjsNoModelJsonError';
	}
}

export class TfjsSeveralModelsError extends HearthError {
	constructor(candidates: string[]) {
		super(
			'convert-several-models',
			`The files hold ${candidates.length} models (${candidates.join(', ')}). Import one at a ` +
				'time: choose one model.json with its own shards.'
		);
		this.name = 'TfjsSeveralModelsError';
	}
}

/** A format whose converter is not part of this build. */
export class TfjsFormatUnavailableError extends HearthError {
	constructor(source: string, format: 'graph-model' | 'layers-model') {
		super(
			'convert-format-unavailable',
			`${source} is a TensorFlow.js ${format}, and this version of Hearth cannot convert ` +
				`${format}s yet. Convert it to ONNX elsewhere (tf2onnx) and add the .onnx on the Models page.`
		);
		this.name = 'TfjsFormatUnavailableError';
	}
}

export class ConvertWorkerCrashedError extends HearthError {
	constructor(why: string) {
		super(
			'convert-worker-crashed',
			`The conversion stopped because its background worker failed (${why}). The model may be ` +
				"too large for this device's memory; close other tabs and try again."
		);
		this.name = 'ConvertWorkerCrashedError';
	}
}

export class ConvertBusyError extends HearthError {
	constructor() {
		super(
			'convert-busy',
			'A conversion is already running. Wait for it to finish, then start again.'
		);
		this.name = 'ConvertBusyError';
	}
}
