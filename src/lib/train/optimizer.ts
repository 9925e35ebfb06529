/**
 * Adam with decoupled weight decay (AdamW), stepping any list of parameter arrays in place.
 */

export interface AdamOptions {
	learningRate: number;
	beta1?: number;
	beta2?: number;
	epsilon?: number;
	/** Decoupled L2 shrinkage per step, scaled by the learning rate; 0 turns it off. */
	weightDecay?: number;
}

export interface Optimizer {
	/** Applies one update; `learningRate` overrides the configured one (for schedules). */
	step(parameters: Float64Array[], gradients: Float64Array[], learningRate?: number): void;
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
			if (parameters.length !== gradients.length) {
				throw new Error(`${parameters.length} parameters but ${gradients.length} gradients`);
			}
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
