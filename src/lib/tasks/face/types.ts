import type { RgbaImage } from '../types';
import type { Box } from '../vision/nms';

export interface FaceInput {
	image: RgbaImage;
	/** Faces scoring below this are left out; 0.5 when not given. */
	minScore?: number;
}

/** MediaPipe BlazeFace's six landmarks, in its order. */
export const LANDMARK_NAMES = [
	'right eye',
	'left eye',
	'nose tip',
	'mouth',
	'right ear',
	'left ear'
] as const;

export interface Face {
	/** In the input picture's pixels. */
	box: Box;
	score: number;
	landmarks: { name: (typeof LANDMARK_NAMES)[number]; x: number; y: number }[];
}

export interface FaceResult {
	faces: Face[];
	width: number;
	height: number;
}
