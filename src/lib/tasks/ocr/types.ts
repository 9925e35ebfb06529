import type { RgbaImage } from '../types';

export interface Point {
	x: number;
	y: number;
}

/** A text box as four corners: top-left, top-right, bottom-right, bottom-left of the text. */
export type Quad = [Point, Point, Point, Point];

export interface Size {
	width: number;
	height: number;
}

export interface OcrInput {
	image: RgbaImage;
	/**
	 * The size of the picture before the page scaled it down to send it (a huge photo), so the
	 * boxes come back in the picture's own coordinates and the result can say it was scaled.
	 */
	originalSize?: Size;
}

export interface OcrLine {
	text: string;
	/** Mean probability of the characters the recogniser kept, in [0, 1]. */
	confidence: number;
	/** Where the line is, in the coordinates of the original picture. */
	box: Quad;
	/** The direction classifier found the line upside down and turned it before reading. */
	rotated: boolean;
}

export interface OcrResult {
	/** Lines in reading order: top to bottom, then left to right. */
	lines: OcrLine[];
	/** The picture's own size, which the boxes refer to. */
	originalSize: Size;
	/** The image the pipeline read (smaller than the original when it was scaled down). */
	imageSize: Size;
	/** The size the text detector saw (multiples of 32). */
	detectionSize: Size;
	/** What the pipeline did that the user should know (scaling, lines it dropped). */
	notes: string[];
}
