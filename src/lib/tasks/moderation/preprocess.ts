/**
 * The picture as nsfwjs feeds its models: RGB divided by 255, then resized to the square input
 * with tfjs's bilinear resize with align_corners (a stretch that ignores the aspect ratio, as
 * nsfwjs's does). The arithmetic follows tfjs's CPU kernel (double precision, one float32
 * rounding per value), so the ONNX model sees the numbers tfjs would.
 */
import type { RgbaImage } from '../types';

export function toModerationInput(image: RgbaImage, size: number): Float32Array {
	const { width, height, data } = image;
	const normalized = new Float32Array(width * height * 3);
	for (let i = 0; i < width * height; i++)
		for (let c = 0; c < 3; c++) normalized[i * 3 + c] = data[i * 4 + c]! / 255;
	// nsfwjs resizes only when the picture is not already the model's size.
	if (width === size && height === size) return normalized;
	const out = new Float32Array(size * size * 3);
	const rowRatio = size > 1 ? (height - 1) / (size - 1) : height / size;
	const colRatio = size > 1 ? (width - 1) / (size - 1) : width / size;
	for (let y = 0; y < size; y++) {
		const sourceRow = rowRatio * y;
		const top = Math.max(0, Math.floor(sourceRow));
		const bottom = Math.min(height - 1, Math.ceil(sourceRow));
		const rowFrac = sourceRow - top;
		for (let x = 0; x < size; x++) {
			const sourceCol = colRatio * x;
			const left = Math.max(0, Math.floor(sourceCol));
			const right = Math.min(width - 1, Math.ceil(sourceCol));
			const colFrac = sourceCol - left;
			for (let c = 0; c < 3; c++) {
				const topLeft = normalized[(top * width + left) * 3 + c]!;
				const topRight = normalized[(top * width + right) * 3 + c]!;
				const bottomLeft = normalized[(bottom * width + left) * 3 + c]!;
				const bottomRight = normalized[(bottom * width + right) * 3 + c]!;
				const upper = topLeft + (topRight - topLeft) * colFrac;
				const lower = bottomLeft + (bottomRight - bottomLeft) * colFrac;
				out[(y * size + x) * 3 + c] = upper + (lower - upper) * rowFrac;
			}
		}
	}
	return out;
}
