/** A box in pixels: left, top, right, bottom. */
export interface Box {
	x1: number;
	y1: number;
	x2: number;
	y2: number;
}

export function intersectionOverUnion(a: Box, b: Box): number {
	const width = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
	const height = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
	if (width <= 0 || height <= 0) return 0;
	const intersection = width * height;
	const area = (box: Box) => (box.x2 - box.x1) * (box.y2 - box.y1);
	return intersection / (area(a) + area(b) - intersection);
}

/**
 * Greedy non-maximum suppression: the best-scoring candidates are kept, and any candidate that
 * overlaps a kept one by more than `iouThreshold` is dropped. At most `limit` are returned.
 */
export function nonMaxSuppression<T extends { box: Box; score: number }>(
	candidates: readonly T[],
	iouThreshold: number,
	limit = Infinity
): T[] {
	const sorted = [...candidates].sort((a, b) => b.score - a.score);
	const kept: T[] = [];
	for (const candidate of sorted) {
		if (kept.length >= limit) break;
		if (kept.every((other) => intersectionOverUnion(other.box, candidate.box) <= iouThreshold)) {
			kept.push(candidate);
		}
	}
	return kept;
}
