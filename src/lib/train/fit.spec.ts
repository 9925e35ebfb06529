import { describe, expect, it } from 'vitest';
import { clusters } from './clusters.fixture';
import { accuracyOf, trainClassifier } from './fit';
import { createMlp } from './mlp';
import { createAdam } from './optimizer';
import { createRandom } from './random';

function train(seed: number) {
	const mlp = createMlp([4, 8, 3], createRandom(seed));
	const reports = trainClassifier(mlp, clusters(300, 1), {
		epochs: 15,
		batchSize: 16,
		optimizer: createAdam({ learningRate: 0.01 }),
		random: createRandom(seed + 1),
		learningRate: () => 0.01
	});
	return { mlp, reports };
}

describe('trainClassifier', () => {
	it('lowers the loss and classifies held-out points', () => {
		const { mlp, reports } = train(5);
		expect(reports.at(-1)!.loss).toBeLessThan(reports[0]!.loss / 3);
		expect(accuracyOf(mlp, clusters(150, 2))).toBeGreaterThan(0.95);
	});

	it('gives identical weights for the same seed and different ones for another', () => {
		expect(train(5).mlp).toEqual(train(5).mlp);
		expect(train(5).mlp.layers[0]!.weights).not.toEqual(train(6).mlp.layers[0]!.weights);
	});

	it('refuses data of the wrong width', () => {
		const mlp = createMlp([5, 3], createRandom(1));
		expect(() =>
			trainClassifier(mlp, clusters(3, 1), {
				epochs: 1,
				batchSize: 2,
				optimizer: createAdam({ learningRate: 0.1 }),
				random: createRandom(1),
				learningRate: () => 0.1
			})
		).toThrow(/takes 5 features/);
	});
});
