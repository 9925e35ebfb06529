/**
 * Plane geometry for text boxes: convex hulls, minimum-area rotated rectangles (what OpenCV's
 * minAreaRect gives PaddleOCR), polygon area and perimeter, and the rounded outward offset that
 * PaddleOCR's "unclip" does with pyclipper.
 */
import type { Point, Quad } from './types';

function cross(o: Point, a: Point, b: Point): number {
	return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/** Convex hull by Andrew's monotone chain, counter-clockwise in y-up terms, no repeated points. */
export function convexHull(points: readonly Point[]): Point[] {
	const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
	if (sorted.length < 3) return sorted;
	const lower: Point[] = [];
	for (const point of sorted) {
		while (lower.length >= 2 && cross(lower.at(-2)!, lower.at(-1)!, point) <= 0) lower.pop();
		lower.push(point);
	}
	const upper: Point[] = [];
	for (let i = sorted.length - 1; i >= 0; i--) {
		const point = sorted[i]!;
		while (upper.length >= 2 && cross(upper.at(-2)!, upper.at(-1)!, point) <= 0) upper.pop();
		upper.push(point);
	}
	lower.pop();
	upper.pop();
	return [...lower, ...upper];
}

export interface RotatedRect {
	/** The four corners, ordered as `orderCorners` does. */
	corners: Quad;
	/** Length of the shorter side. */
	shortSide: number;
	/** Length of the longer side. */
	longSide: number;
}

/**
 * The smallest-area rectangle holding every point. One of its sides lies along an edge of the
 * convex hull, so trying each hull edge as a direction finds it (rotating calipers, O(n^2) here,
 * which is fine for the few hundred hull points of a text region).
 */
export function minAreaRect(points: readonly Point[]): RotatedRect {
	const hull = convexHull(points);
	if (hull.length === 0) throw new Error('minAreaRect needs at least one point');
	let best = { area: Infinity, ux: 1, uy: 0, minU: 0, maxU: 0, minV: 0, maxV: 0 };
	const directions = hull.length < 2 ? [{ x: 1, y: 0 }] : edgeDirections(hull);
	for (const { x: ux, y: uy } of directions) {
		let minU = Infinity;
		let maxU = -Infinity;
		let minV = Infinity;
		let maxV = -Infinity;
		for (const p of hull) {
			const u = p.x * ux + p.y * uy;
			const v = -p.x * uy + p.y * ux;
			minU = Math.min(minU, u);
			maxU = Math.max(maxU, u);
			minV = Math.min(minV, v);
			maxV = Math.max(maxV, v);
		}
		const area = (maxU - minU) * (maxV - minV);
		if (area < best.area - 1e-9) best = { area, ux, uy, minU, maxU, minV, maxV };
	}
	const { ux, uy, minU, maxU, minV, maxV } = best;
	const at = (u: number, v: number): Point => ({ x: u * ux - v * uy, y: u * uy + v * ux });
	const corners = orderCorners([at(minU, minV), at(maxU, minV), at(maxU, maxV), at(minU, maxV)]);
	const sides = [maxU - minU, maxV - minV];
	return { corners, shortSide: Math.min(...sides), longSide: Math.max(...sides) };
}

function edgeDirections(hull: readonly Point[]): Point[] {
	const directions: Point[] = [];
	for (let i = 0; i < hull.length; i++) {
		const a = hull[i]!;
		const b = hull[(i + 1) % hull.length]!;
		const length = Math.hypot(b.x - a.x, b.y - a.y);
		if (length > 0) directions.push({ x: (b.x - a.x) / length, y: (b.y - a.y) / length });
	}
	return directions;
}

/**
 * Orders four corners top-left, top-right, bottom-right, bottom-left the way PaddleOCR's
 * get_mini_boxes does: the two leftmost points are the left side, each side's upper point first.
 */
export function orderCorners(points: readonly Point[]): Quad {
	const byX = [...points].sort((a, b) => a.x - b.x);
	const [a, b, c, d] = byX as [Point, Point, Point, Point];
	const [topLeft, bottomLeft] = b.y > a.y ? [a, b] : [b, a];
	const [topRight, bottomRight] = d.y > c.y ? [c, d] : [d, c];
	return [topLeft, topRight, bottomRight, bottomLeft];
}

/** Signed area by the shoelace formula (positive when the y-down points run clockwise). */
export function signedArea(polygon: readonly Point[]): number {
	let sum = 0;
	for (let i = 0; i < polygon.length; i++) {
		const a = polygon[i]!;
		const b = polygon[(i + 1) % polygon.length]!;
		sum += a.x * b.y - b.x * a.y;
	}
	return sum / 2;
}

export function perimeter(polygon: readonly Point[]): number {
	let sum = 0;
	for (let i = 0; i < polygon.length; i++) {
		const a = polygon[i]!;
		const b = polygon[(i + 1) % polygon.length]!;
		sum += Math.hypot(b.x - a.x, b.y - a.y);
	}
	return sum;
}

/** Largest gap between an arc and its chords, as pyclipper's default ArcTolerance (pixels). */
const ARC_TOLERANCE = 0.25;

/**
 * Grows a convex polygon outward by `distance` with rounded corners: each edge moves out along
 * its normal and each corner becomes an arc, as Clipper's offset with round joins (Vatti's
 * clipping library) does for convex shapes. The boxes DB post-processing unclips are rectangles.
 */
export function offsetConvexPolygon(polygon: readonly Point[], distance: number): Point[] {
	const n = polygon.length;
	if (n < 3 || distance <= 0) return [...polygon];
	// Outward normal of an edge depends on the winding: rotate the edge direction away from the inside.
	const sign = signedArea(polygon) > 0 ? 1 : -1;
	const normal = (a: Point, b: Point): Point => {
		const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
		return { x: (sign * (b.y - a.y)) / length, y: (sign * -(b.x - a.x)) / length };
	};
	const step = 2 * Math.acos(Math.max(-1, 1 - ARC_TOLERANCE / distance));
	const result: Point[] = [];
	for (let i = 0; i < n; i++) {
		const prev = polygon[(i + n - 1) % n]!;
		const corner = polygon[i]!;
		const next = polygon[(i + 1) % n]!;
		const from = normal(prev, corner);
		const to = normal(corner, next);
		const start = Math.atan2(from.y, from.x);
		let sweep = Math.atan2(to.y, to.x) - start;
		// The turn at a convex corner goes the way of the winding, by less than half a circle.
		while (sweep * sign < 0) sweep += sign * 2 * Math.PI;
		const steps = Math.max(1, Math.ceil(Math.abs(sweep) / step));
		for (let s = 0; s <= steps; s++) {
			const angle = start + (sweep * s) / steps;
			result.push({
				x: corner.x + distance * Math.cos(angle),
				y: corner.y + distance * Math.sin(angle)
			});
		}
	}
	return result;
}

/**
 * A test for whether a point lies inside a convex polygon grown by `margin` (either winding).
 * The edges' normals are worked out once, since a box score tests every pixel of a box.
 */
export function convexContains(polygon: readonly Point[], margin = 0): (point: Point) => boolean {
	const sign = signedArea(polygon) > 0 ? 1 : -1;
	const edges: { x: number; y: number; nx: number; ny: number }[] = [];
	for (let i = 0; i < polygon.length; i++) {
		const a = polygon[i]!;
		const b = polygon[(i + 1) % polygon.length]!;
		const length = Math.hypot(b.x - a.x, b.y - a.y);
		// Inward unit normal: the signed distance of a point from the edge's line, positive inside.
		if (length > 0) {
			edges.push({
				x: a.x,
				y: a.y,
				nx: (-sign * (b.y - a.y)) / length,
				ny: (sign * (b.x - a.x)) / length
			});
		}
	}
	return (point) =>
		edges.every((edge) => (point.x - edge.x) * edge.nx + (point.y - edge.y) * edge.ny >= -margin);
}

export function insideConvex(polygon: readonly Point[], point: Point, margin = 0): boolean {
	return convexContains(polygon, margin)(point);
}
