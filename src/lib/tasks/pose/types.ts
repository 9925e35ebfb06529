import type { RgbaImage } from '../types';

export interface PoseInput {
	/** Any size; it is letterboxed into the model's square input, so nothing is cut off. */
	image: RgbaImage;
}

/** One body keypoint in the input image's pixels, with the model's confidence in [0, 1]. */
export interface Keypoint {
	name: KeypointName;
	x: number;
	y: number;
	score: number;
}

export interface PoseResult {
	/** The 17 COCO keypoints, always in KEYPOINT_NAMES order. */
	keypoints: Keypoint[];
	/** Mean keypoint confidence: low when no person is in view. */
	score: number;
	width: number;
	height: number;
}

/** COCO keypoint order, as MoveNet gives them. */
export const KEYPOINT_NAMES = [
	'nose',
	'left eye',
	'right eye',
	'left ear',
	'right ear',
	'left shoulder',
	'right shoulder',
	'left elbow',
	'right elbow',
	'left wrist',
	'right wrist',
	'left hip',
	'right hip',
	'left knee',
	'right knee',
	'left ankle',
	'right ankle'
] as const;

export type KeypointName = (typeof KEYPOINT_NAMES)[number];

/** Pairs of keypoint indices joined by a bone when the skeleton is drawn. */
export const SKELETON: readonly (readonly [number, number])[] = [
	[0, 1],
	[0, 2],
	[1, 3],
	[2, 4],
	[5, 6],
	[5, 7],
	[7, 9],
	[6, 8],
	[8, 10],
	[5, 11],
	[6, 12],
	[11, 12],
	[11, 13],
	[13, 15],
	[12, 14],
	[14, 16]
];
