/** What can stop an optimization, each with what the user can do about it. */
import { HearthError } from '../errors';

export class AlreadyQuantizedError extends HearthError {
	constructor(fileName: string, ops: string[]) {
		super(
			'optimize-already-quantized',
			`${fileName} is already quantized (${ops.join(', ')}): its weights are integers, so ` +
				'quantizing or pruning it again would only add error. Choose the float32 variant of the ' +
				'model as the source instead.'
		);
		this.name = 'AlreadyQuantizedError';
	}
}

export class AlreadyHalfPrecisionError extends HearthError {
	constructor(fileName: string) {
		super(
			'optimize-already-fp16',
			`${fileName} already stores its weights in float16, so Hearth would optimize rounded ` +
				'weights. Choose the float32 variant of the model as the source instead.'
		);
		this.name = 'AlreadyHalfPrecisionError';
	}
}

export class NothingToOptimizeError extends HearthError {
	constructor(fileName: string, method: string, why: string) {
		super(
			'optimize-nothing-covered',
			`${method} found nothing to change in ${fileName}: ${why}. Select other operator types, ` +
				'or choose another method.'
		);
		this.name = 'NothingToOptimizeError';
	}
}

export class ModelTooLargeError extends HearthError {
	constructor(fileName: string, bytes: number, neededBytes: number, budgetBytes: number) {
		const mb = (value: number) => `${Math.round(value / 1e6).toLocaleString('en-US')} MB`;
		super(
			'optimize-too-large',
			`${fileName} (${mb(bytes)}) is too large to optimize in this browser: it needs about ` +
				`${mb(neededBytes)} of memory while working, and Hearth allows itself ${mb(budgetBytes)} ` +
				'on this device. Optimize it with a desktop browser on a machine with more memory, or ' +
				'with onnxruntime tools offline and add the result as your own model.'
		);
		this.name = 'ModelTooLargeError';
	}
}

export class OptimizeOutOfMemoryError extends HearthError {
	constructor(fileName: string) {
		super(
			'optimize-out-of-memory',
			`The browser ran out of memory while optimizing ${fileName}. Close other tabs and try ` +
				'again, or optimize the model on a machine with more memory.'
		);
		this.name = 'OptimizeOutOfMemoryError';
	}
}

export class OptimizeWorkerCrashedError extends HearthError {
	constructor(detail: string) {
		super(
			'optimize-worker-crashed',
			`The optimizer stopped unexpectedly (${detail}); nothing was stored. Reload the page and ` +
				'try again; if it happens again, the model may be too large for this device.'
		);
		this.name = 'OptimizeWorkerCrashedError';
	}
}
