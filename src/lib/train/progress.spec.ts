import { describe, expect, it } from 'vitest';
import { ProgressMeter } from './progress';
import type { BatchReport, EpochReport } from './trainer';

const batch = (index: number, loss: number): BatchReport => ({
	kind: 'batch',
	epoch: 0,
	batch: index,
	batches: 4,
	loss,
	accuracy: loss / 10
});

describe('ProgressMeter', () => {
	it('averages batches over each interval and always reports the last batch and the epoch', () => {
		let now = 0;
		const meter = new ProgressMeter(100, () => now);
		expect(meter.step({ phase: 'model', step: batch(0, 1) })).toBeNull();
		now = 50;
		expect(meter.step({ phase: 'model', step: batch(1, 3) })).toBeNull();
		now = 120;
		expect(meter.step({ phase: 'model', step: batch(2, 5) })).toMatchObject({
			kind: 'batches',
			position: 0.75,
			loss: 3,
			accuracy: 0.3
		});
		now = 130;
		expect(meter.step({ phase: 'model', step: batch(3, 2) })).toMatchObject({
			position: 1,
			loss: 2
		});
		meter.addPause(1000);
		now = 1200;
		const epoch = { kind: 'epoch', epoch: 0 } as EpochReport;
		expect(meter.step({ phase: 'model', step: epoch })).toMatchObject({
			kind: 'epoch',
			epochMs: 200
		});
	});
});
