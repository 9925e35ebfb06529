import type { RgbaImage } from '../types';

export interface ModerationInput {
	/** Any size; it is stretched to the model's square input, as nsfwjs does. */
	image: RgbaImage;
}

export interface ModerationClass {
	label: string;
	probability: number;
}

export interface ModerationResult {
	/** Every class with its probability, most likely first. */
	classes: ModerationClass[];
	/** The most likely class's label. */
	top: string;
	width: number;
	height: number;
}
