/**
 * Selfie segmentation's input: the whole picture stretched to 256x256 (MediaPipe feeds it
 * without keeping the aspect ratio, so the mask maps straight back onto the picture), RGB in
 * 0..1, NHWC. Measured on the drawn figure (pipeline.spec.ts): 0..1 and -1..1 both give a mean
 * mask of about 0.9 on the person and under 0.01 on the background; 0..255 drops the person to
 * 0.66, so the model expects a small range, and 0..1 is what MediaPipe feeds it.
 */
import type { RgbaImage } from '../types';

export const SELFIE_SIZE = 256;

/** Bilinear resize of the RGB channels to size x size, scaled to 0..1. */
export function selfiePixels(image: RgbaImage, size = SELFIE_SIZE): Float32Array {
	const { width, height, data } = image;
	const out = new Float32Array(size * size * 3);
	for (let y = 0; y < size; y++) {
		const sy = Math.min(height - 1, Math.max(0, ((y + 0.5) * height) / size - 0.5));
		const y0 = Math.floor(sy);
		const y1 = Math.min(height - 1, y0 + 1);
		const fy = sy - y0;
		for (let x = 0; x < size; x++) {
			const sx = Math.min(width - 1, Math.max(0, ((x + 0.5) * width) / size - 0.5));
			const x0 = Math.floor(sx);
			const x1 = Math.min(width - 1, x0 + 1);
			const fx = sx - x0;
			for (let c = 0; c < 3; c++) {
				const top =
					data[(y0 * width + x0) * 4 + c]! * (1 - fx) + data[(y0 * width + x1) * 4 + c]! * fx;
				const bottom =
					data[(y1 * width + x0) * 4 + c]! * (1 - fx) + data[(y1 * width + x1) * 4 + c]! * fx;
				out[(y * size + x) * 3 + c] = (top * (1 - fy) + bottom * fy) / 255;
			}
		}
	}
	return out;
}

/** The model's probabilities as bytes, and their mean. */
export function maskBytes(probabilities: Float32Array): { mask: Uint8Array; coverage: number } {
	const mask = new Uint8Array(probabilities.length);
	let sum = 0;
	for (let i = 0; i < probabilities.length; i++) {
		const p = Math.min(1, Math.max(0, probabilities[i]!));
		sum += p;
		mask[i] = Math.round(p * 255);
	}
	return { mask, coverage: probabilities.length ? sum / probabilities.length : 0 };
}
