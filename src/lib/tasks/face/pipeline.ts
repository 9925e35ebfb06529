import { EmptyImageError } from '../ocr/errors';
import { fileForRole, ModelMismatchError } from '../model-files';
import { ImageTooSmallError, MIN_IMAGE_SIDE } from '../pose/errors';
import type { TaskContext } from '../types';
import { letterboxFor, letterboxPixels, toPicture } from '../vision/letterbox';
import { anchorCentres, BLAZEFACE_GRIDS } from './anchors';
import { decodeAnchors, keepDistinctFaces, type RawFace } from './decode';
import { LANDMARK_NAMES, type FaceInput, type FaceResult } from './types';

const SIZE = 256;
const DEFAULT_MIN_SCORE = 0.5;

/** Finds faces and their six landmarks with BlazeFace. */
export async function detectFaces(input: FaceInput, ctx: TaskContext): Promise<FaceResult> {
	const { width, height } = input.image;
	if (width === 0 || height === 0) throw new EmptyImageError();
	if (width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE)
		throw new ImageTooSmallError(width, height);
	const minScore = Math.min(0.99, Math.max(0.01, input.minScore ?? DEFAULT_MIN_SCORE));

	const model = await ctx.session(fileForRole(ctx.files, 'face', 'face').path);
	for (const name of ['scores_16', 'boxes_16', 'scores_32', 'boxes_32']) {
		if (!model.outputNames.includes(name)) throw new ModelMismatchError('face', `"${name}" output`);
	}
	const box = letterboxFor(width, height, SIZE);
	const pixels = await ctx.stage('preprocess', () => {
		const data = new Float32Array(SIZE * SIZE * 3).fill(-1);
		// RGB in [-1, 1], as MediaPipe feeds BlazeFace; the letterbox bars stay black (-1).
		letterboxPixels(input.image, box, (index, value) => (data[index] = value / 127.5 - 1));
		return data;
	});
	const outputs = await model.run({
		[model.inputNames[0]!]: { dtype: 'float32', dims: [1, SIZE, SIZE, 3], data: pixels }
	});
	return ctx.stage('postprocess', () => {
		const candidates: RawFace[] = [];
		for (const grid of BLAZEFACE_GRIDS) {
			candidates.push(
				...decodeAnchors(
					outputs[`scores_${grid.stride}`]!.data as Float32Array,
					outputs[`boxes_${grid.stride}`]!.data as Float32Array,
					anchorCentres(SIZE, grid),
					minScore
				)
			);
		}
		const back = (x: number, y: number) => toPicture(box, x / SIZE, y / SIZE);
		const faces = keepDistinctFaces(candidates).map((face) => {
			const start = back(face.box.x1, face.box.y1);
			const end = back(face.box.x2, face.box.y2);
			return {
				box: { x1: start.x, y1: start.y, x2: end.x, y2: end.y },
				score: face.score,
				landmarks: face.landmarks.map((point, k) => ({
					name: LANDMARK_NAMES[k]!,
					...back(point.x, point.y)
				}))
			};
		});
		return { faces, width, height };
	});
}
