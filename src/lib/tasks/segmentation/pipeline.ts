import { EmptyImageError } from '../ocr/errors';
import { fileForRole, ModelMismatchError } from '../model-files';
import { ImageTooSmallError, MIN_IMAGE_SIDE } from '../pose/errors';
import type { TaskContext } from '../types';
import { maskBytes, SELFIE_SIZE, selfiePixels } from './preprocess';
import type { SegmentationInput, SegmentationResult } from './types';

/** Separates people from the background with MediaPipe Selfie Segmentation. */
export async function segmentPeople(
	input: SegmentationInput,
	ctx: TaskContext
): Promise<SegmentationResult> {
	const { width, height } = input.image;
	if (width === 0 || height === 0) throw new EmptyImageError();
	if (width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE)
		throw new ImageTooSmallError(width, height);

	const model = await ctx.session(fileForRole(ctx.files, 'segmentation', 'segmenter').path);
	if (!model.outputNames.includes('mask'))
		throw new ModelMismatchError('segmentation', '"mask" output');
	const pixels = await ctx.stage('preprocess', () => selfiePixels(input.image));
	const outputs = await model.run({
		[model.inputNames[0]!]: {
			dtype: 'float32',
			dims: [1, SELFIE_SIZE, SELFIE_SIZE, 3],
			data: pixels
		}
	});
	return ctx.stage('postprocess', () => {
		const probabilities = outputs['mask']!.data as Float32Array;
		if (probabilities.length !== SELFIE_SIZE * SELFIE_SIZE)
			throw new ModelMismatchError('segmentation', 'a 256x256 mask');
		const { mask, coverage } = maskBytes(probabilities);
		return { width, height, mask, maskWidth: SELFIE_SIZE, maskHeight: SELFIE_SIZE, coverage };
	});
}
