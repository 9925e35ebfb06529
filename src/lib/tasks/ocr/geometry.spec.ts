import { describe, expect, it } from 'vitest';
import {
	convexHull,
	insideConvex,
	minAreaRect,
	offsetConvexPolygon,
	orderCorners,
	perimeter,
	signedArea
} from './geometry';
import type { Point } from './types';

function rotate(points: Point[], degrees: number, centre: Point = { x: 0, y: 0 }): Point[] {
	const r = (degrees * Math.PI) / 180;
	return points.map(({ x, y }) => ({
		x: centre.x + (x - centre.x) * Math.cos(r) - (y - centre.y) * Math.sin(r),
		y: centre.y + (x - centre.x) * Math.sin(r) + (y - centre.y) * Math.cos(r)
	}));
}

const rectangle = (w: number, h: number): Point[] => [
	{ x: 0, y: 0 },
	{ x: w, y: 0 },
	{ x: w, y: h },
	{ x: 0, y: h }
];

describe('convexHull', () => {
	it('keeps only the outer corners', () => {
		const inner = [
			{ x: 1, y: 1 },
			{ x: 2, y: 3 },
			{ x: 5, y: 0 } // on an edge: dropped
		];
		const hull = convexHull([...rectangle(10, 4), ...inner]);
		expect(hull).toHaveLength(4);
		expect(Math.abs(signedArea(hull))).toBeCloseTo(40);
	});
});

describe('minAreaRect', () => {
	it('finds a rotated rectangle from points scattered inside it', () => {
		const outline = rotate(
			[...rectangle(80, 12), { x: 40, y: 6 }, { x: 10, y: 3 }, { x: 70, y: 11 }],
			-4,
			{ x: 40, y: 6 }
		);
		const rect = minAreaRect(outline.map((p) => ({ x: p.x + 100, y: p.y + 50 })));
		expect(rect.longSide).toBeCloseTo(80, 6);
		expect(rect.shortSide).toBeCloseTo(12, 6);
		const [topLeft, topRight, bottomRight, bottomLeft] = rect.corners;
		// Turned 4 degrees counter-clockwise on screen: the right end rises.
		expect(topRight.y).toBeLessThan(topLeft.y);
		expect(topLeft.x).toBeLessThan(topRight.x);
		expect(bottomLeft.y).toBeGreaterThan(topLeft.y);
		expect(bottomRight.x).toBeGreaterThan(bottomLeft.x);
	});

	it('gives a zero-width rectangle for points on a line', () => {
		const rect = minAreaRect([
			{ x: 0, y: 0 },
			{ x: 5, y: 0 },
			{ x: 9, y: 0 }
		]);
		expect(rect.shortSide).toBe(0);
		expect(rect.longSide).toBeCloseTo(9);
	});
});

describe('orderCorners', () => {
	it('orders corners top-left, top-right, bottom-right, bottom-left from any order', () => {
		const [a, b, c, d] = rectangle(10, 4) as [Point, Point, Point, Point];
		expect(orderCorners([c, a, d, b])).toEqual([a, b, c, d]);
	});
});

describe('offsetConvexPolygon (unclip)', () => {
	it('moves every edge of a rectangle out by the distance, rounding the corners', () => {
		const grown = offsetConvexPolygon(rectangle(100, 10), 5);
		const xs = grown.map((p) => p.x);
		const ys = grown.map((p) => p.y);
		expect(Math.min(...xs)).toBeCloseTo(-5, 6);
		expect(Math.max(...xs)).toBeCloseTo(105, 6);
		expect(Math.min(...ys)).toBeCloseTo(-5, 6);
		expect(Math.max(...ys)).toBeCloseTo(15, 6);
		// Rounded corners cut off (4 - pi) r^2 of the 110 x 20 box; the arcs' chords at most
		// 0.25 px times the arcs' length (2 pi r) more.
		const exact = 110 * 20 - (4 - Math.PI) * 25;
		expect(Math.abs(signedArea(grown))).toBeGreaterThan(exact - 0.25 * 2 * Math.PI * 5);
		expect(Math.abs(signedArea(grown))).toBeLessThanOrEqual(exact + 1e-6);
		expect(perimeter(grown)).toBeCloseTo(2 * (100 + 10) + 2 * Math.PI * 5, 0);
	});

	it('works for either winding', () => {
		const reversed = offsetConvexPolygon([...rectangle(20, 20)].reverse(), 2);
		expect(Math.min(...reversed.map((p) => p.x))).toBeCloseTo(-2, 6);
		expect(Math.max(...reversed.map((p) => p.y))).toBeCloseTo(22, 6);
	});
});

describe('insideConvex', () => {
	it('tells inside from outside, with a margin', () => {
		const box = rotate(rectangle(10, 10), 30);
		expect(insideConvex(box, rotate([{ x: 5, y: 5 }], 30)[0]!)).toBe(true);
		const justOutside = rotate([{ x: 10.3, y: 5 }], 30)[0]!;
		expect(insideConvex(box, justOutside)).toBe(false);
		expect(insideConvex(box, justOutside, 0.5)).toBe(true);
	});
});
