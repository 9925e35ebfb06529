/**
 * BlazeFace post-processing: a sigmoid on each anchor's logit, the box as an offset from the
 * anchor's centre plus a width and height, and six landmarks as offsets too, all in input
 * pixels; then NMS, as MediaPipe does (it blends overlapping boxes; plain NMS keeps the best).
 */
import { nonMaxSuppression, type Box } from '../vision/nms';

export interface RawFace {
	box: Box;
	score: number;
	landmarks: { x: number; y: number }[];
}

const LANDMARKS = 6;

export function decodeAnchors(
	logits: Float32Array,
	values: Float32Array,
	anchors: readonly { x: number; y: number }[],
	minScore: number
): RawFace[] {
	const faces: RawFace[] = [];
	// Compared as logits, so the sigmoid is taken only for the few anchors that pass.
	const minLogit = Math.log(minScore / (1 - minScore));
	anchors.forEach((anchor, i) => {
		const logit = logits[i]!;
		if (!(logit >= minLogit)) return;
		const v = values.subarray(i * 16, i * 16 + 16);
		const cx = anchor.x + v[0]!;
		const cy = anchor.y + v[1]!;
		const halfWidth = v[2]! / 2;
		const halfHeight = v[3]! / 2;
		const landmarks = Array.from({ length: LANDMARKS }, (_, k) => ({
			x: anchor.x + v[4 + k * 2]!,
			y: anchor.y + v[5 + k * 2]!
		}));
		faces.push({
			box: { x1: cx - halfWidth, y1: cy - halfHeight, x2: cx + halfWidth, y2: cy + halfHeight },
			score: 1 / (1 + Math.exp(-logit)),
			landmarks
		});
	});
	return faces;
}

export function keepDistinctFaces(faces: RawFace[], maxFaces = 20): RawFace[] {
	return nonMaxSuppression(faces, 0.3, maxFaces);
}
