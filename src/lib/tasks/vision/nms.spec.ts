import { describe, expect, it } from 'vitest';
import { intersectionOverUnion, nonMaxSuppression } from './nms';

const box = (x1: number, y1: number, x2: number, y2: number) => ({ x1, y1, x2, y2 });

describe('intersectionOverUnion', () => {
	it('is 1 for the same box, 0 for disjoint ones and the overlap ratio otherwise', () => {
		expect(intersectionOverUnion(box(0, 0, 10, 10), box(0, 0, 10, 10))).toBe(1);
		expect(intersectionOverUnion(box(0, 0, 10, 10), box(20, 20, 30, 30))).toBe(0);
		// 5x10 overlap of two 10x10 boxes: 50 / 150.
		expect(intersectionOverUnion(box(0, 0, 10, 10), box(5, 0, 15, 10))).toBeCloseTo(1 / 3, 9);
	});
});

describe('nonMaxSuppression', () => {
	it('keeps the best of overlapping boxes and every box that stands apart', () => {
		const kept = nonMaxSuppression(
			[
				{ box: box(0, 0, 10, 10), score: 0.8, id: 'a' },
				{ box: box(1, 1, 11, 11), score: 0.9, id: 'b' },
				{ box: box(50, 50, 60, 60), score: 0.5, id: 'c' },
				{ box: box(5, 0, 15, 10), score: 0.7, id: 'd' }
			],
			0.5
		);
		// a overlaps b by 81/119 and goes; d overlaps b by 54/146 and stays.
		expect(kept.map((k) => k.id)).toEqual(['b', 'd', 'c']);
		expect(nonMaxSuppression(kept, 0.5, 2)).toHaveLength(2);
	});
});
