/**
 * Page side only (it needs createImageBitmap and a canvas): turns a picked, pasted, dropped or
 * captured picture into the pixels the OCR pipeline reads. A huge photo is scaled down while it
 * is decoded, so the page never holds a full-size copy of its pixels nor sends one to the worker.
 */
import { NotAnImageError } from './errors';
import { MAX_IMAGE_SIDE } from './pipeline';
import { fitWithin } from './resample';
import type { OcrInput } from './types';

export async function decodeImage(picture: Blob, name: string): Promise<OcrInput> {
	let bitmap: ImageBitmap;
	try {
		bitmap = await createImageBitmap(picture);
	} catch (cause) {
		throw new NotAnImageError(name, { cause });
	}
	const originalSize = { width: bitmap.width, height: bitmap.height };
	const size = fitWithin(originalSize, MAX_IMAGE_SIDE);
	try {
		if (size.width !== originalSize.width || size.height !== originalSize.height) {
			bitmap.close();
			bitmap = await createImageBitmap(picture, {
				resizeWidth: size.width,
				resizeHeight: size.height,
				resizeQuality: 'high'
			});
		}
		const canvas = new OffscreenCanvas(size.width, size.height);
		const context = canvas.getContext('2d');
		if (!context) throw new Error('this browser gave no 2D canvas to read the picture with');
		context.drawImage(bitmap, 0, 0);
		const { width, height, data } = context.getImageData(0, 0, size.width, size.height);
		return { image: { width, height, data }, originalSize };
	} finally {
		bitmap.close();
	}
}
