import type { RgbaImage } from '../types';
import type { Box } from '../vision/nms';

export interface DetectionInput {
	image: RgbaImage;
	/** Objects scoring below this are left out; 0.35 when not given. */
	minScore?: number;
}

export interface Detection {
	/** In the input picture's pixels. */
	box: Box;
	score: number;
	/** COCO class index (0-79) and its name. */
	classId: number;
	label: string;
}

export interface DetectionResult {
	detections: Detection[];
	width: number;
	height: number;
}
