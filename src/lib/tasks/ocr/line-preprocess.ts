/**
 * Inputs for the direction classifier and the recogniser from 48-pixel line strips, as PaddleOCR
 * makes them: BGR scaled to [-1, 1], padded on the right with zeros (mid grey after scaling).
 */
import type { RgbaImage } from '../types';
import { LINE_HEIGHT } from './crop';
import { toPlanarBgr } from './detection-preprocess';
import { resampleRgba } from './resample';

const HALF = [0.5, 0.5, 0.5] as const;
/** The classifier's input width (cls_image_shape 3, 48, 192). */
export const ORIENTATION_WIDTH = 192;
/** The recogniser's smallest input width (rec_image_shape 3, 48, 320); longer lines widen it. */
export const RECOGNITION_MIN_WIDTH = 320;

/** Copies one [3, 48, w] line into a zero-filled [3, 48, width] slot of `out` at `offset`. */
function placeLine(line: RgbaImage, out: Float32Array, offset: number, width: number): void {
	const planar = toPlanarBgr(line, HALF, HALF);
	for (let c = 0; c < 3; c++) {
		for (let y = 0; y < line.height; y++) {
			const from = (c * line.height + y) * line.width;
			out.set(planar.subarray(from, from + line.width), offset + (c * LINE_HEIGHT + y) * width);
		}
	}
}

/** One batch [n, 3, 48, 192]: lines longer than 192 pixels are squeezed to fit, as PaddleOCR does. */
export function toOrientationInput(lines: readonly RgbaImage[]): Float32Array {
	const slot = 3 * LINE_HEIGHT * ORIENTATION_WIDTH;
	const out = new Float32Array(lines.length * slot);
	lines.forEach((line, i) => {
		const fitted =
			line.width > ORIENTATION_WIDTH ? resampleRgba(line, ORIENTATION_WIDTH, LINE_HEIGHT) : line;
		placeLine(fitted, out, i * slot, ORIENTATION_WIDTH);
	});
	return out;
}

export interface RecognitionInput {
	width: number;
	/** [1, 3, 48, width] */
	tensor: Float32Array;
}

export function toRecognitionInput(line: RgbaImage): RecognitionInput {
	const width = Math.max(RECOGNITION_MIN_WIDTH, line.width);
	const tensor = new Float32Array(3 * LINE_HEIGHT * width);
	placeLine(line, tensor, 0, width);
	return { width, tensor };
}

/** The classifier's verdict for each line: turned half a turn, with its probability. */
export function readOrientation(
	scores: Float32Array,
	count: number,
	threshold: number
): { upsideDown: boolean; probability: number }[] {
	return Array.from({ length: count }, (_, i) => {
		const upright = scores[i * 2]!;
		const turned = scores[i * 2 + 1]!;
		return { upsideDown: turned > upright && turned >= threshold, probability: turned };
	});
}
