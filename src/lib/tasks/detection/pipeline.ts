import { EmptyImageError } from '../ocr/errors';
import { fileForRole, ModelMismatchError } from '../model-files';
import { ImageTooSmallError, MIN_IMAGE_SIDE } from '../pose/errors';
import type { TaskContext } from '../types';
import { letterboxFor, toPicture } from '../vision/letterbox';
import { COCO_LABELS } from './coco-labels';
import { decodeStride, keepDistinct, NANODET_STRIDES, type RawDetection } from './decode';
import { nanoDetPixels } from './preprocess';
import type { DetectionInput, DetectionResult } from './types';

const SIZE = 416;
const DEFAULT_MIN_SCORE = 0.35;

/** Finds and boxes COCO objects with NanoDet. */
export async function detectObjects(
	input: DetectionInput,
	ctx: TaskContext
): Promise<DetectionResult> {
	const { width, height } = input.image;
	if (width === 0 || height === 0) throw new EmptyImageError();
	if (width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE)
		throw new ImageTooSmallError(width, height);
	const minScore = Math.min(0.99, Math.max(0.01, input.minScore ?? DEFAULT_MIN_SCORE));

	const model = await ctx.session(fileForRole(ctx.files, 'detection', 'detector').path);
	for (const stride of NANODET_STRIDES) {
		for (const name of [`scores_${stride}`, `boxes_${stride}`]) {
			if (!model.outputNames.includes(name))
				throw new ModelMismatchError('detection', `"${name}" output`);
		}
	}
	const box = letterboxFor(width, height, SIZE);
	const pixels = await ctx.stage('preprocess', () => nanoDetPixels(input.image, box));
	const outputs = await model.run({
		[model.inputNames[0]!]: { dtype: 'float32', dims: [1, 3, SIZE, SIZE], data: pixels }
	});
	return ctx.stage('postprocess', () => {
		const candidates: RawDetection[] = NANODET_STRIDES.flatMap((stride) =>
			decodeStride(
				outputs[`scores_${stride}`]!.data as Float32Array,
				outputs[`boxes_${stride}`]!.data as Float32Array,
				stride,
				SIZE,
				minScore,
				COCO_LABELS.length
			)
		);
		const detections = keepDistinct(candidates).map((found) => {
			const start = toPicture(box, found.box.x1 / SIZE, found.box.y1 / SIZE);
			const end = toPicture(box, found.box.x2 / SIZE, found.box.y2 / SIZE);
			const clampX = (x: number) => Math.min(width, Math.max(0, x));
			const clampY = (y: number) => Math.min(height, Math.max(0, y));
			return {
				box: { x1: clampX(start.x), y1: clampY(start.y), x2: clampX(end.x), y2: clampY(end.y) },
				score: found.score,
				classId: found.classId,
				label: COCO_LABELS[found.classId]!
			};
		});
		return { detections, width, height };
	});
}
