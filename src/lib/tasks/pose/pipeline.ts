import { EmptyImageError } from '../ocr/errors';
import { fileForRole } from '../model-files';
import type { TaskContext } from '../types';
import { decodeMoveNet } from './decode';
import { ImageTooSmallError, MIN_IMAGE_SIDE, PoseModelError } from './errors';
import { letterboxFor, letterboxPixels, toPicture } from '../vision/letterbox';
import { KEYPOINT_NAMES, type PoseInput, type PoseResult } from './types';

const HEADS = ['heatmaps', 'centers', 'regression', 'offsets'] as const;

/** Finds the 17 keypoints of the most central person with MoveNet (any of its sizes). */
export async function estimatePose(input: PoseInput, ctx: TaskContext): Promise<PoseResult> {
	const { width, height } = input.image;
	if (width === 0 || height === 0) throw new EmptyImageError();
	if (width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE)
		throw new ImageTooSmallError(width, height);

	const file = fileForRole(ctx.files, 'pose', 'pose');
	const modelInput = file.graph?.inputs[0];
	const size = modelInput?.dims[1];
	if (typeof size !== 'number') throw new PoseModelError('its input has no fixed square size');
	const model = await ctx.session(file.path);
	const missing = HEADS.filter((name) => !model.outputNames.includes(name));
	if (missing.length > 0) throw new PoseModelError(`missing ${missing.join(', ')}`);

	const box = letterboxFor(width, height, size);
	const pixels = await ctx.stage('preprocess', () => {
		const data = new Int32Array(size * size * 3);
		letterboxPixels(input.image, box, (index, value) => (data[index] = Math.round(value)));
		return data;
	});
	const outputs = await model.run({
		[model.inputNames[0]!]: { dtype: 'int32', dims: [1, size, size, 3], data: pixels }
	});
	return ctx.stage('postprocess', () => {
		const head = (name: (typeof HEADS)[number]) => outputs[name]!.data as Float32Array;
		const square = decodeMoveNet({
			grid: outputs.heatmaps!.dims[2]!,
			heatmaps: head('heatmaps'),
			centers: head('centers'),
			regression: head('regression'),
			offsets: head('offsets')
		});
		const keypoints = square.map((point, k) => ({
			name: KEYPOINT_NAMES[k]!,
			...toPicture(box, point.x, point.y),
			score: point.score
		}));
		const score = keypoints.reduce((sum, point) => sum + point.score, 0) / keypoints.length;
		return { keypoints, score, width, height };
	});
}
