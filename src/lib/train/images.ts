/**
 * Labelled pictures as training data: the label comes from the folder a file is in (a folder
 * per class) or, for loose files, from the start of the file name ("cat_01.png" is a "cat",
 * "7.png" a "7"); each picture becomes 28x28 grayscale pixels in [0, 1], either centred and
 * scaled like MNIST (for digits, matching the digits page) or simply resized.
 */
import { toMnistInput } from '../tasks/digits/preprocess';
import type { RgbaImage } from '../tasks/types';

export const IMAGE_SIDE = 28;
export type PixelMode = 'digit' | 'resize';

/** The class of a picture from its path ("set/cat/1.png") or, without folders, its name. */
export function labelFromPath(path: string): string {
	const parts = path.split(/[\\/]/).filter(Boolean);
	if (parts.length >= 2) return parts[parts.length - 2]!;
	const base = (parts[0] ?? '').replace(/\.[^.]+$/, '');
	return base.split(/[_\-\s.]/)[0] || base;
}

/** Grayscale by luminance (alpha over black), area-averaged down to side x side. */
export function resizeToGray(image: RgbaImage, side = IMAGE_SIDE): Float32Array {
	const { width, height, data } = image;
	const sums = new Float64Array(side * side);
	const counts = new Float64Array(side * side);
	for (let y = 0; y < height; y++) {
		const row = Math.min(side - 1, Math.floor((y * side) / height)) * side;
		for (let x = 0; x < width; x++) {
			const k = (y * width + x) * 4;
			const gray =
				((0.299 * data[k]! + 0.587 * data[k + 1]! + 0.114 * data[k + 2]!) / 255) *
				(data[k + 3]! / 255);
			const cell = row + Math.min(side - 1, Math.floor((x * side) / width));
			sums[cell]! += gray;
			counts[cell]! += 1;
		}
	}
	return Float32Array.from(sums, (sum, cell) => (counts[cell] ? sum / counts[cell]! : 0));
}

export function imageToPixels(image: RgbaImage, mode: PixelMode): Float32Array {
	return mode === 'digit' ? toMnistInput(image).pixels : resizeToGray(image);
}

/** Class names in a stable order: numerically when every label is a number, else alphabetically. */
export function orderClassNames(labels: Iterable<string>): string[] {
	const names = [...new Set(labels)];
	const numeric = names.every((name) => /^\d+$/.test(name));
	return names.sort((a, b) => (numeric ? Number(a) - Number(b) : a.localeCompare(b, 'en')));
}
