import { describe, expect, it } from 'vitest';
import { createAdam, createOptimizer, createSgd } from './optimizer';

const step = (optimizer: ReturnType<typeof createSgd>, p: number[], g: number[], lr?: number) => {
	const parameter = Float64Array.from(p);
	optimizer.step([parameter], [Float64Array.from(g)], lr);
	return Array.from(parameter);
};

describe('createSgd', () => {
	it('moves against the gradient by the learning rate', () => {
		expect(step(createSgd({ learningRate: 0.5 }), [1, 2], [2, -4])).toEqual([0, 4]);
	});

	it('accumulates velocity with momentum', () => {
		const optimizer = createSgd({ learningRate: 0.1, momentum: 0.9 });
		const parameter = Float64Array.from([0]);
		optimizer.step([parameter], [Float64Array.from([1])]);
		expect(parameter[0]).toBeCloseTo(-0.1, 12);
		optimizer.step([parameter], [Float64Array.from([1])]);
		// velocity 0.9 * 1 + 1 = 1.9
		expect(parameter[0]).toBeCloseTo(-0.1 - 0.19, 12);
	});

	it('shrinks weights by learning rate * decay with a zero gradient', () => {
		expect(step(createSgd({ learningRate: 0.1, weightDecay: 0.5 }), [2], [0])[0]).toBeCloseTo(
			1.9,
			12
		);
	});

	it('uses the learning rate passed to step over the configured one', () => {
		expect(step(createSgd({ learningRate: 1 }), [0], [1], 0.25)).toEqual([-0.25]);
	});
});

describe('createAdam', () => {
	it('takes a first step of about the learning rate whatever the gradient scale', () => {
		for (const gradient of [1e-4, 1, 1e4]) {
			expect(step(createAdam({ learningRate: 0.01 }), [0], [gradient])[0]).toBeCloseTo(-0.01, 5);
		}
	});

	it('decays weights like SGD does', () => {
		expect(step(createAdam({ learningRate: 0.1, weightDecay: 0.5 }), [2], [0])[0]).toBeCloseTo(
			1.9,
			12
		);
	});
});

describe('createOptimizer', () => {
	it('builds each kind from one settings object', () => {
		const settings = { learningRate: 0.1, momentum: 0.9, weightDecay: 0 };
		const twice = (kind: 'sgd' | 'momentum' | 'adam') => {
			const optimizer = createOptimizer({ ...settings, kind });
			const parameter = Float64Array.from([0]);
			optimizer.step([parameter], [Float64Array.from([1])]);
			optimizer.step([parameter], [Float64Array.from([1])]);
			return parameter[0]!;
		};
		expect(twice('sgd')).toBeCloseTo(-0.2, 12);
		expect(twice('momentum')).toBeCloseTo(-0.29, 12);
		expect(twice('adam')).toBeCloseTo(-0.2, 6);
	});
});
