import type { RgbaImage } from '../types';

export interface SegmentationInput {
	image: RgbaImage;
}

export interface SegmentationResult {
	/** The input picture's size. */
	width: number;
	height: number;
	/**
	 * How likely each pixel is to belong to a person, 0-255, row by row at the model's size
	 * (maskWidth x maskHeight). It covers the whole picture, stretched: scale it to
	 * width x height to lay it over the picture.
	 */
	mask: Uint8Array;
	maskWidth: number;
	maskHeight: number;
	/** Share of the picture that is person, 0-1: the mean of the mask. */
	coverage: number;
}
