import type { RgbaImage } from '../types';

export interface DigitsInput {
	/** The drawing: any size, light strokes on a dark background or the other way round. */
	image: RgbaImage;
}

export interface DigitsResult {
	/** Softmax probability of each digit 0-9. */
	probabilities: number[];
	prediction: number;
	/** The 28x28 image the model saw, row by row in [0, 1], so the user can see it. */
	modelInput: number[];
	/** False when the canvas holds no ink, so there is nothing to classify. */
	hasInk: boolean;
}
