import { describe, expect, it } from 'vitest';
import { histogram, niceStep } from './histogram';

describe('histogram', () => {
	it('rounds bin widths up to 1, 2 or 5 times a power of ten', () => {
		expect(niceStep(0.3)).toBe(0.5);
		expect(niceStep(3)).toBe(5);
		expect(niceStep(6)).toBe(10);
		expect(niceStep(0.012)).toBe(0.02);
		expect(niceStep(2)).toBe(2);
	});

	it('uses equal round bins for values within a factor of twenty', () => {
		const values = [10, 11, 12.5, 14, 19.9, 20];
		const { scale, bins } = histogram(values, 10);
		expect(scale).toBe('linear');
		expect(bins[0]!.from).toBe(10);
		expect(bins.at(-1)!.to).toBe(20);
		for (const bin of bins) expect(bin.to - bin.from).toBeCloseTo(1, 12);
		expect(bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(values.length);
		// The top edge belongs to the last bin.
		expect(bins.at(-1)!.count).toBe(2);
		expect(bins[2]!.count).toBe(1); // 12.5 in [12, 13)
	});

	it('uses 1-2-5 edges when values span orders of magnitude', () => {
		const values = [0.3, 0.7, 1.5, 4, 40, 900];
		const { scale, bins } = histogram(values);
		expect(scale).toBe('log');
		expect(bins.map((bin) => bin.from)).toEqual([0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500]);
		expect(bins.at(-1)!.to).toBe(1000);
		expect(bins.map((bin) => bin.count)).toEqual([1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1]);
	});

	it('handles one value, zeros and no values', () => {
		expect(histogram([5]).bins).toEqual([{ from: 5, to: 5.5, count: 1 }]);
		expect(histogram([0, 0]).bins).toEqual([{ from: 0, to: 1, count: 2 }]);
		const withZero = histogram([0, 50, 100]);
		expect(withZero.scale).toBe('linear');
		expect(withZero.bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(3);
		expect(histogram([]).bins).toEqual([]);
		expect(histogram([NaN, Infinity]).bins).toEqual([]);
	});
});
