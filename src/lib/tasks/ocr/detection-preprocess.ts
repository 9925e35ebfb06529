/**
 * What PP-OCRv4's detector expects (PaddleOCR's DetResizeForTest and NormalizeImage): the image
 * scaled so its longest side is at most `maxSide`, each side rounded to a multiple of 32 (the
 * network downsamples five times), channels in OpenCV's BGR order, normalised with the ImageNet
 * mean and standard deviation.
 */
import type { RgbaImage } from '../types';
import { resampleRgba } from './resample';
import type { Size } from './types';

/** PaddleOCR's det_limit_side_len for PP-OCRv4 with limit type "max". */
export const DETECTION_MAX_SIDE = 960;
const STRIDE = 32;
/** ImageNet statistics in B, G, R order, as PaddleOCR applies them to OpenCV's BGR images. */
const MEAN_BGR = [0.406, 0.456, 0.485] as const;
const STD_BGR = [0.225, 0.224, 0.229] as const;

export function detectionSize(size: Size, maxSide = DETECTION_MAX_SIDE): Size {
	const ratio = Math.min(1, maxSide / Math.max(size.width, size.height));
	const round = (side: number) => Math.max(STRIDE, Math.round((side * ratio) / STRIDE) * STRIDE);
	return { width: round(size.width), height: round(size.height) };
}

/** Planar BGR floats for one image, [3, height, width]. Transparent pixels count as white paper. */
export function toPlanarBgr(
	image: RgbaImage,
	mean: readonly number[],
	std: readonly number[]
): Float32Array {
	const plane = image.width * image.height;
	const out = new Float32Array(3 * plane);
	for (let i = 0; i < plane; i++) {
		const alpha = image.data[i * 4 + 3]! / 255;
		for (let c = 0; c < 3; c++) {
			// BGR: output channel 0 is the blue byte (RGBA offset 2).
			const value = (image.data[i * 4 + 2 - c]! * alpha + 255 * (1 - alpha)) / 255;
			out[c * plane + i] = (value - mean[c]!) / std[c]!;
		}
	}
	return out;
}

export interface DetectionInput {
	size: Size;
	/** [1, 3, height, width] */
	tensor: Float32Array;
}

export function toDetectionInput(image: RgbaImage, maxSide = DETECTION_MAX_SIDE): DetectionInput {
	const size = detectionSize(image, maxSide);
	const resized = resampleRgba(image, size.width, size.height);
	return { size, tensor: toPlanarBgr(resized, MEAN_BGR, STD_BGR) };
}
