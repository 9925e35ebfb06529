/**
 * PaddleOCR in three models: DB text detection finds line boxes, the direction classifier turns
 * upside-down lines, and the CTC recogniser reads each line. Pre- and post-processing follow
 * PaddleOCR's own (see each module); the detector sees a copy at most 960 pixels on its longest
 * side, while lines are cut from the full image so small print keeps its detail.
 */
import type { TensorData } from '$lib/runtime/protocol';
import { fileForRole } from '../model-files';
import type { InferenceRunner, RgbaImage, TaskContext } from '../types';
import { cropLine, LINE_HEIGHT, rotateHalfTurn } from './crop';
import { detectBoxes, scaleBox, sortBoxes } from './db-postprocess';
import { toDetectionInput } from './detection-preprocess';
import { ctcGreedyDecode, parseKeys, plainPunctuation } from './ctc';
import { EmptyImageError, KeysMismatchError } from './errors';
import {
	ORIENTATION_WIDTH,
	readOrientation,
	toOrientationInput,
	toRecognitionInput
} from './line-preprocess';
import { fitWithin, resampleRgba } from './resample';
import type { OcrInput, OcrResult, Size } from './types';

/** Larger images are scaled down first: lines stay sharp, and memory stays bounded. */
export const MAX_IMAGE_SIDE = 4096;
/** PaddleOCR's cls_thresh: how sure the classifier must be to turn a line. */
const ORIENTATION_THRESHOLD = 0.9;
/** PaddleOCR's drop_score: lines read with less confidence are mostly noise. */
const MIN_LINE_CONFIDENCE = 0.5;
const ORIENTATION_BATCH = 32;
const TASK = 'OCR';

function float32(tensor: TensorData | undefined, what: string): Float32Array {
	if (!(tensor?.data instanceof Float32Array))
		throw new Error(`the ${what} gave no float32 output`);
	return tensor.data;
}

async function runSingle(
	model: InferenceRunner,
	dims: number[],
	data: Float32Array,
	what: string
): Promise<TensorData & { data: Float32Array }> {
	const outputs = await model.run({ [model.inputNames[0]!]: { dtype: 'float32', dims, data } });
	const output = outputs[model.outputNames[0]!];
	return { dtype: 'float32', dims: output?.dims ?? [], data: float32(output, what) };
}

function sizeText(size: Size): string {
	return `${size.width} × ${size.height}`;
}

/** The image, scaled down when its longest side is over MAX_IMAGE_SIDE. */
export function limitImage(image: RgbaImage): RgbaImage {
	const size = fitWithin(image, MAX_IMAGE_SIDE);
	return resampleRgba(image, size.width, size.height);
}

export async function recognizeText(input: OcrInput, ctx: TaskContext): Promise<OcrResult> {
	const source = input.image;
	if (
		source.width < 1 ||
		source.height < 1 ||
		source.data.length < source.width * source.height * 4
	)
		throw new EmptyImageError();
	const originalSize = input.originalSize ?? { width: source.width, height: source.height };
	const notes: string[] = [];

	const detectionFile = fileForRole(ctx.files, TASK, 'detection');
	const recognitionFile = fileForRole(ctx.files, TASK, 'recognition');
	const keysFile = fileForRole(ctx.files, TASK, 'keys');
	const orientationFile = ctx.files.find((file) => file.role === 'orientation');
	const keys = await ctx.memo(`keys:${keysFile.path}`, async () =>
		parseKeys(new TextDecoder().decode(await ctx.readFile(keysFile.path)))
	);

	const { image, detection } = await ctx.stage('preprocess', () => {
		const image = limitImage(source);
		return { image, detection: toDetectionInput(image) };
	});
	const imageSize = { width: image.width, height: image.height };
	if (imageSize.width !== originalSize.width || imageSize.height !== originalSize.height) {
		notes.push(
			`The image is ${sizeText(originalSize)} pixels; it was scaled down to ${sizeText(imageSize)} ` +
				`before reading (longest side at most ${MAX_IMAGE_SIDE}). Boxes are shown on the original.`
		);
	}

	const detector = await ctx.session(detectionFile.path);
	const { width: dw, height: dh } = detection.size;
	const probability = await runSingle(detector, [1, 3, dh, dw], detection.tensor, 'text detector');
	if (probability.data.length !== dw * dh) {
		throw new Error(
			`the text detector gave a ${probability.dims.join('x')} map for a ${dw}x${dh} image`
		);
	}
	const boxes = await ctx.stage('postprocess', () =>
		sortBoxes(
			detectBoxes({ width: dw, height: dh, data: probability.data }).map((found) => ({
				...found,
				box: scaleBox(found.box, detection.size, imageSize)
			}))
		)
	);
	const result: OcrResult = {
		lines: [],
		originalSize,
		imageSize,
		detectionSize: detection.size,
		notes
	};
	if (boxes.length === 0) {
		notes.push('No text was found in this image.');
		return result;
	}

	const strips = await ctx.stage('preprocess', () => boxes.map(({ box }) => cropLine(image, box)));
	const rotated = new Array<boolean>(strips.length).fill(false);
	if (orientationFile) {
		const classifier = await ctx.session(orientationFile.path);
		for (let start = 0; start < strips.length; start += ORIENTATION_BATCH) {
			const batch = strips.slice(start, start + ORIENTATION_BATCH);
			const tensor = await ctx.stage('preprocess', () => toOrientationInput(batch));
			const dims = [batch.length, 3, LINE_HEIGHT, ORIENTATION_WIDTH];
			const scores = await runSingle(classifier, dims, tensor, 'direction classifier');
			await ctx.stage('postprocess', () =>
				readOrientation(scores.data, batch.length, ORIENTATION_THRESHOLD).forEach((verdict, i) => {
					if (!verdict.upsideDown) return;
					rotated[start + i] = true;
					strips[start + i] = rotateHalfTurn(strips[start + i]!);
				})
			);
		}
	} else {
		notes.push(
			'This model has no direction classifier, so upside-down lines are read as they are.'
		);
	}

	const recognizer = await ctx.session(recognitionFile.path);
	let dropped = 0;
	for (const [i, strip] of strips.entries()) {
		const { width, tensor } = await ctx.stage('preprocess', () => toRecognitionInput(strip));
		const scores = await runSingle(recognizer, [1, 3, LINE_HEIGHT, width], tensor, 'recogniser');
		const [, steps = 0, classes = 0] = scores.dims;
		if (classes !== keys.length) throw new KeysMismatchError(classes, keys.length);
		const decoded = await ctx.stage('postprocess', () => ctcGreedyDecode(scores.data, steps, keys));
		const text = plainPunctuation(decoded.text).trim();
		if (!text || decoded.confidence < MIN_LINE_CONFIDENCE) {
			dropped++;
			continue;
		}
		result.lines.push({
			text,
			confidence: decoded.confidence,
			box: scaleBox(boxes[i]!.box, imageSize, originalSize),
			rotated: rotated[i]!
		});
	}
	if (dropped > 0) {
		notes.push(
			`${dropped} ${dropped === 1 ? 'box was' : 'boxes were'} left out: read with under ` +
				`${MIN_LINE_CONFIDENCE * 100}% confidence, most likely not text.`
		);
	}
	if (result.lines.length === 0) notes.push('No readable text was found in this image.');
	return result;
}
