import { describe, expect, it } from 'vitest';
import { contentRangeStart, TransferMeter } from './progress';

describe('TransferMeter', () => {
	it('measures speed over the window and ignores older samples', () => {
		const meter = new TransferMeter(1000);
		meter.record(0, 0);
		meter.record(10_000_000, 500); // a fast burst long ago
		meter.record(10_000_000, 3000);
		meter.record(10_100_000, 3500);
		meter.record(10_200_000, 4000);
		// Only samples within the last second (plus one anchor) count: 200 kB in 1 s.
		expect(meter.bytesPerSecond()).toBeCloseTo(200_000, -2);
		expect(meter.secondsLeft(400_000)).toBeCloseTo(2, 1);
	});

	it('reports an unknown time left while nothing has arrived yet', () => {
		const meter = new TransferMeter();
		meter.record(0, 0);
		expect(meter.bytesPerSecond()).toBe(0);
		expect(meter.secondsLeft(100)).toBe(Number.POSITIVE_INFINITY);
		expect(meter.secondsLeft(0)).toBe(0);
	});
});

describe('contentRangeStart', () => {
	it('reads the first byte of a partial answer', () => {
		expect(contentRangeStart('bytes 1048576-2097151/4745517')).toBe(1048576);
		expect(contentRangeStart('bytes 0-9/*')).toBe(0);
	});

	it('rejects missing or malformed headers', () => {
		expect(contentRangeStart(null)).toBeNull();
		expect(contentRangeStart('bytes */4745517')).toBeNull();
		expect(contentRangeStart('items 0-9/10')).toBeNull();
	});
});
