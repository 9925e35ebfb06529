import { HearthError } from '$lib/errors';

export class ModelLoadError extends HearthError {
	constructor(path: string, detail: string) {
		super(
			'model-load',
			`${path} could not be loaded by ONNX Runtime (${detail}). The file may not be a valid ONNX ` +
				'model, or it uses operators this browser build does not support: try another variant.'
		);
		this.name = 'ModelLoadError';
	}
}

export class InferenceError extends HearthError {
	constructor(detail: string) {
		super(
			'inference',
			`Running the model failed: ${detail}. Check that the inputs have the names, types and ` +
				'shapes the model expects (the Models page lists them), or try the WASM backend.'
		);
		this.name = 'InferenceError';
	}
}

export class SessionNotFoundError extends HearthError {
	constructor(sessionId: string) {
		super(
			'session-not-found',
			`No loaded model has the id ${sessionId}; it was unloaded or the worker restarted. Load the model again.`
		);
		this.name = 'SessionNotFoundError';
	}
}

export class WorkerCrashedError extends HearthError {
	constructor(detail: string) {
		super(
			'worker-crashed',
			`The model worker stopped unexpectedly (${detail}). This often means the device ran out of ` +
				'memory: close other tabs or pick a smaller variant, then try again.'
		);
		this.name = 'WorkerCrashedError';
	}
}
