/**
 * NanoDet's input: the picture letterboxed into 416x416, as BGR planes (NCHW) normalised with
 * the mean and spread NanoDet was trained with. Measured on the converted model: /255 scaling
 * finds the drawn clock as well but gives the drawn stop sign 0.41-0.47 instead of 0.67, so the
 * model expects NanoDet's own normalisation (see pipeline.spec.ts).
 */
import type { RgbaImage } from '../types';
import { letterboxPixels, type Letterbox } from '../vision/letterbox';

export const NANODET_MEAN_BGR = [103.53, 116.28, 123.675] as const;
export const NANODET_STD_BGR = [57.375, 57.12, 58.395] as const;

export function nanoDetPixels(image: RgbaImage, box: Letterbox): Float32Array {
	const plane = box.size * box.size;
	// Zero is the mean colour, so the letterbox bars are a neutral grey to the model.
	const data = new Float32Array(3 * plane);
	letterboxPixels(image, box, (index, value) => {
		const pixel = Math.floor(index / 3);
		const channel = 2 - (index % 3);
		data[channel * plane + pixel] =
			(value - NANODET_MEAN_BGR[channel]!) / NANODET_STD_BGR[channel]!;
	});
	return data;
}
