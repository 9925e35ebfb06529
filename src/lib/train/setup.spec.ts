import { describe, expect, it } from 'vitest';
import {
	DEFAULT_SETUP,
	layerSizes,
	learningRateSchedule,
	parseHiddenSizes,
	validateDistillation,
	validateSetup
} from './setup';

describe('parseHiddenSizes', () => {
	it('reads sizes separated by commas, spaces or x', () => {
		expect(parseHiddenSizes('128, 64')).toEqual([128, 64]);
		expect(parseHiddenSizes(' 256x32 ')).toEqual([256, 32]);
		expect(parseHiddenSizes('')).toEqual([]);
	});

	it('refuses sizes that are not whole numbers from 1 to 4096', () => {
		for (const text of ['0', '12.5', 'abc', '5000']) {
			expect(() => parseHiddenSizes(text), text).toThrow(
				expect.objectContaining({ code: 'invalid-setting' })
			);
		}
	});
});

describe('validateSetup', () => {
	it('accepts the defaults and names the setting that is wrong', () => {
		expect(() => validateSetup(DEFAULT_SETUP)).not.toThrow();
		const cases: [Partial<typeof DEFAULT_SETUP>, RegExp][] = [
			[{ learningRate: 0 }, /learning rate/],
			[{ learningRate: Number.NaN }, /learning rate/],
			[{ batchSize: 0 }, /batch size/],
			[{ epochs: 1.5 }, /epochs/],
			[{ validationShare: 0.9 }, /validation share/],
			[{ weightDecay: -1 }, /Weight decay/],
			[{ earlyStopping: { patience: 0, minDelta: 0 } }, /patience/]
		];
		for (const [change, message] of cases) {
			expect(() => validateSetup({ ...DEFAULT_SETUP, ...change })).toThrow(message);
		}
		expect(() =>
			validateSetup({ ...DEFAULT_SETUP, model: { ...DEFAULT_SETUP.model, hidden: [] } })
		).toThrow(/hidden layer/);
		expect(() => validateDistillation({ temperature: 0, alpha: 0.5 })).toThrow(/temperature/);
		expect(() => validateDistillation({ temperature: 2, alpha: 1.5 })).toThrow(/Alpha/);
	});
});

describe('layerSizes and learningRateSchedule', () => {
	it('gives logistic regression no hidden layer', () => {
		const model = { ...DEFAULT_SETUP.model, hidden: [32, 16] };
		expect(layerSizes(model, 784, 10)).toEqual([784, 32, 16, 10]);
		expect(layerSizes({ ...model, kind: 'logistic' }, 100, 2)).toEqual([100, 2]);
	});

	it('decays the rate to near zero with the cosine schedule', () => {
		const schedule = learningRateSchedule({ ...DEFAULT_SETUP, schedule: 'cosine', epochs: 10 });
		expect(schedule(0)).toBe(DEFAULT_SETUP.learningRate);
		expect(schedule(9)).toBeLessThan(DEFAULT_SETUP.learningRate * 0.05);
		expect(learningRateSchedule(DEFAULT_SETUP)(9)).toBe(DEFAULT_SETUP.learningRate);
	});
});
