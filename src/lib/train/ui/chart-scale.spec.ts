import { describe, expect, it } from 'vitest';
import { linearScale, linePath, niceTicks } from './chart-scale';

describe('chart scales', () => {
	it('maps a range onto pixels, flipped for y', () => {
		const y = linearScale(0, 2, 100, 0);
		expect(y(0)).toBe(100);
		expect(y(1)).toBe(50);
		expect(y.ticks).toEqual([0, 0.5, 1, 1.5, 2]);
	});

	it('picks round ticks', () => {
		expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
		expect(niceTicks(0.13, 0.92, 4)).toEqual([0.2, 0.4, 0.6, 0.8]);
		expect(niceTicks(3, 3, 4)).toEqual([3]);
	});

	it('draws a path that breaks at missing values', () => {
		expect(
			linePath([
				{ x: 0, y: 1 },
				{ x: 1, y: NaN },
				{ x: 2, y: 3 },
				{ x: 3, y: 4 }
			])
		).toBe('M0.0,1.0M2.0,3.0L3.0,4.0');
	});
});
