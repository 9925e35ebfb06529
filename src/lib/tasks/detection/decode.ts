/**
 * Decodes NanoDet's heads. Per stride the model gives, for every cell of a square grid (row by
 * row), sigmoid scores for the 80 classes and a GFL box: for each side (left, top, right,
 * bottom) a distribution over 11 bins of the distance from the cell's centre, in strides. The
 * distance is the distribution's expectation (softmax, then sum of bin x probability).
 */
import { nonMaxSuppression, type Box } from '../vision/nms';

export const NANODET_STRIDES = [8, 16, 32] as const;
export const GFL_BINS = 11;
/** Boxes of one class overlapping more than this are one object. */
export const NMS_IOU = 0.5;
/** Most objects reported per picture. */
export const MAX_DETECTIONS = 100;

export interface RawDetection {
	/** In the model input's pixels. */
	box: Box;
	score: number;
	classId: number;
}

/** The expected bin of one side's distribution: a softmax over its logits, then the mean. */
export function expectedBin(logits: Float32Array, start: number, bins = GFL_BINS): number {
	let max = -Infinity;
	for (let k = 0; k < bins; k++) max = Math.max(max, logits[start + k]!);
	let total = 0;
	let weighted = 0;
	for (let k = 0; k < bins; k++) {
		const p = Math.exp(logits[start + k]! - max);
		total += p;
		weighted += p * k;
	}
	return weighted / total;
}

/**
 * Every (cell, class) scoring at least `minScore` in one stride's heads, with its box. The
 * cell centre is (column + 0.5, row + 0.5) x stride: NanoDet's own head places it there, and
 * the converted model's boxes line up with the objects only so (see pipeline.spec.ts).
 */
export function decodeStride(
	scores: Float32Array,
	boxes: Float32Array,
	stride: number,
	inputSize: number,
	minScore: number,
	classes: number
): RawDetection[] {
	const grid = Math.ceil(inputSize / stride);
	const found: RawDetection[] = [];
	for (let cell = 0; cell < grid * grid; cell++) {
		let box: Box | null = null;
		for (let classId = 0; classId < classes; classId++) {
			const score = scores[cell * classes + classId]!;
			if (score < minScore) continue;
			if (!box) {
				const cx = ((cell % grid) + 0.5) * stride;
				const cy = (Math.floor(cell / grid) + 0.5) * stride;
				const side = (k: number) => expectedBin(boxes, cell * 4 * GFL_BINS + k * GFL_BINS) * stride;
				box = {
					x1: Math.max(0, cx - side(0)),
					y1: Math.max(0, cy - side(1)),
					x2: Math.min(inputSize, cx + side(2)),
					y2: Math.min(inputSize, cy + side(3))
				};
			}
			found.push({ box, score, classId });
		}
	}
	return found;
}

/** Class-aware NMS: boxes of different classes never suppress each other. */
export function keepDistinct(candidates: readonly RawDetection[]): RawDetection[] {
	const byClass = new Map<number, RawDetection[]>();
	for (const candidate of candidates) {
		const list = byClass.get(candidate.classId) ?? [];
		list.push(candidate);
		byClass.set(candidate.classId, list);
	}
	return [...byClass.values()]
		.flatMap((list) => nonMaxSuppression(list, NMS_IOU))
		.sort((a, b) => b.score - a.score)
		.slice(0, MAX_DETECTIONS);
}
