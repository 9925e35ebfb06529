/**
 * Optimizers that step any list of parameter arrays in place: plain SGD, SGD with (heavy-ball)
 * momentum, and Adam. Weight decay is decoupled (AdamW-style): each step also shrinks every
 * parameter by learningRate * weightDecay * parameter, the same rule for all three, so a decay
 * setting means the same thing whichever optimizer is chosen.
 */

export type OptimizerKind = 'sgd' | 'momentum' | 'adam';
export const OPTIMIZERS: readonly OptimizerKind[] = ['sgd', 'momentum', 'adam'];

export interface AdamOptions {
	learningRate: number;
	beta1?: number;
	beta2?: number;
	epsilon?: number;
	/** Decoupled L2 shrinkage per step, scaled by the learning rate; 0 turns it off. */
	weightDecay?: number;
}

export interface SgdOptions {
	learningRate: number;
	/** 0 is plain SGD; 0.9 is the usual heavy-ball value. */
	momentum?: number;
	weightDecay?: number;
}

export interface Optimizer {
	/** Applies one update; `learningRate` overrides the configured one (for schedules). */
	step(parameters: Float64Array[], gradients: Float64Array[], learningRate?: number): void;
}

function checkShapes(parameters: Float64Array[], gradients: Float64Array[]): void {
	if (parameters.length !== gradients.length) {
		throw new Error(`${parameters.length} parameters but ${gradients.length} gradients`);
	}
}

export function createAdam(options: AdamOptions): Optimizer {
	const beta1 = options.beta1 ?? 0.9;
	const beta2 = options.beta2 ?? 0.999;
	const epsilon = options.epsilon ?? 1e-8;
	const weightDecay = options.weightDecay ?? 0;
	let firstMoments: Float64Array[] = [];
	let secondMoments: Float64Array[] = [];
	let stepCount = 0;
	return {
		step(parameters, gradients, learningRate = options.learningRate) {
			checkShapes(parameters, gradients);
			if (stepCount === 0) {
				firstMoments = parameters.map((p) => new Float64Array(p.length));
				secondMoments = parameters.map((p) => new Float64Array(p.length));
			}
			stepCount++;
			const correction1 = 1 - beta1 ** stepCount;
			const correction2 = 1 - beta2 ** stepCount;
			parameters.forEach((parameter, k) => {
				const gradient = gradients[k] as Float64Array;
				const m = firstMoments[k] as Float64Array;
				const v = secondMoments[k] as Float64Array;
				if (gradient.length !== parameter.length || m.length !== parameter.length) {
					throw new Error(`Parameter ${k} changed size between steps`);
				}
				for (let i = 0; i < parameter.length; i++) {
					const g = gradient[i] as number;
					m[i] = beta1 * m[i]! + (1 - beta1) * g;
					v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
					const update = m[i]! / correction1 / (Math.sqrt(v[i]! / correction2) + epsilon);
					parameter[i] = parameter[i]! - learningRate * (update + weightDecay * parameter[i]!);
				}
			});
		}
	};
}

/** velocity = momentum * velocity + gradient; parameter -= lr * (velocity + decay * parameter). */
export function createSgd(options: SgdOptions): Optimizer {
	const momentum = options.momentum ?? 0;
	const weightDecay = options.weightDecay ?? 0;
	let velocities: Float64Array[] | null = null;
	return {
		step(parameters, gradients, learningRate = options.learningRate) {
			checkShapes(parameters, gradients);
			if (momentum > 0) velocities ??= parameters.map((p) => new Float64Array(p.length));
			parameters.forEach((parameter, k) => {
				const gradient = gradients[k] as Float64Array;
				const velocity = velocities?.[k];
				if (
					gradient.length !== parameter.length ||
					(velocity && velocity.length !== gradient.length)
				) {
					throw new Error(`Parameter ${k} changed size between steps`);
				}
				for (let i = 0; i < parameter.length; i++) {
					let update = gradient[i] as number;
					if (velocity) update = velocity[i] = momentum * velocity[i]! + update;
					parameter[i] = parameter[i]! - learningRate * (update + weightDecay * parameter[i]!);
				}
			});
		}
	};
}

export interface OptimizerSettings {
	kind: OptimizerKind;
	learningRate: number;
	/** Used by 'momentum' only. */
	momentum: number;
	weightDecay: number;
}

export function createOptimizer(settings: OptimizerSettings): Optimizer {
	const { kind, learningRate, momentum, weightDecay } = settings;
	if (kind === 'adam') return createAdam({ learningRate, weightDecay });
	return createSgd({ learningRate, weightDecay, momentum: kind === 'momentum' ? momentum : 0 });
}
