/**
 * Turns a drawing into what an MNIST model expects, the way the MNIST images themselves were
 * made: the ink's bounding box scaled (keeping its aspect ratio, anti-aliased) to fit 20x20, then
 * placed in a 28x28 frame so that its centre of mass sits in the middle. Without this a digit
 * drawn small or off-centre on a large canvas looks nothing like the training data.
 */
import type { RgbaImage } from '../types';

export const MNIST_SIZE = 28;
const DIGIT_BOX = 20;
/** Ink below this intensity (of 1) is paper noise, not part of the digit. */
const INK_THRESHOLD = 0.1;
const SUPERSAMPLE = 4;

/** Ink intensity per pixel in [0, 1], whatever the colours: the minority tone is the ink. */
export function inkIntensity(image: RgbaImage): Float32Array {
	const { width, height, data } = image;
	const gray = new Float32Array(width * height);
	for (let i = 0; i < gray.length; i++) {
		const alpha = data[i * 4 + 3]! / 255;
		const luminance =
			(0.299 * data[i * 4]! + 0.587 * data[i * 4 + 1]! + 0.114 * data[i * 4 + 2]!) / 255;
		// Transparent pixels count as black paper, like an empty canvas.
		gray[i] = luminance * alpha;
	}
	if (borderMean(gray, width, height) > 0.5) {
		for (let i = 0; i < gray.length; i++) gray[i] = 1 - gray[i]!;
	}
	return gray;
}

function borderMean(gray: Float32Array, width: number, height: number): number {
	let sum = 0;
	let count = 0;
	for (let x = 0; x < width; x++) {
		sum += gray[x]! + gray[(height - 1) * width + x]!;
		count += 2;
	}
	for (let y = 0; y < height; y++) {
		sum += gray[y * width]! + gray[y * width + width - 1]!;
		count += 2;
	}
	return count ? sum / count : 0;
}

interface Box {
	left: number;
	top: number;
	width: number;
	height: number;
}

function inkBox(ink: Float32Array, width: number, height: number): Box | null {
	let left = width;
	let top = height;
	let right = -1;
	let bottom = -1;
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			if (ink[y * width + x]! <= INK_THRESHOLD) continue;
			left = Math.min(left, x);
			right = Math.max(right, x);
			top = Math.min(top, y);
			bottom = Math.max(bottom, y);
		}
	}
	return right < 0 ? null : { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/** Area-averaged downscale of a box of `ink` into a target of the given size (supersampled). */
function resample(ink: Float32Array, width: number, box: Box, outW: number, outH: number) {
	const out = new Float32Array(outW * outH);
	const stepX = box.width / outW;
	const stepY = box.height / outH;
	for (let y = 0; y < outH; y++) {
		for (let x = 0; x < outW; x++) {
			let sum = 0;
			for (let sy = 0; sy < SUPERSAMPLE; sy++) {
				const srcY = Math.min(box.height - 1, Math.floor((y + (sy + 0.5) / SUPERSAMPLE) * stepY));
				for (let sx = 0; sx < SUPERSAMPLE; sx++) {
					const srcX = Math.min(box.width - 1, Math.floor((x + (sx + 0.5) / SUPERSAMPLE) * stepX));
					sum += ink[(box.top + srcY) * width + box.left + srcX]!;
				}
			}
			out[y * outW + x] = sum / (SUPERSAMPLE * SUPERSAMPLE);
		}
	}
	return out;
}

export interface MnistInput {
	pixels: Float32Array;
	hasInk: boolean;
}

export function toMnistInput(image: RgbaImage): MnistInput {
	const pixels = new Float32Array(MNIST_SIZE * MNIST_SIZE);
	const ink = inkIntensity(image);
	const box = inkBox(ink, image.width, image.height);
	if (!box) return { pixels, hasInk: false };

	const scale = DIGIT_BOX / Math.max(box.width, box.height);
	const outW = Math.max(1, Math.round(box.width * scale));
	const outH = Math.max(1, Math.round(box.height * scale));
	const digit = resample(ink, image.width, box, outW, outH);

	// Centre of mass of the scaled digit, moved to the middle of the 28x28 frame.
	let mass = 0;
	let massX = 0;
	let massY = 0;
	for (let y = 0; y < outH; y++) {
		for (let x = 0; x < outW; x++) {
			const value = digit[y * outW + x]!;
			mass += value;
			massX += value * x;
			massY += value * y;
		}
	}
	const clampOffset = (offset: number, size: number) =>
		Math.min(MNIST_SIZE - size, Math.max(0, offset));
	const offsetX = clampOffset(Math.round(MNIST_SIZE / 2 - massX / mass - 0.5), outW);
	const offsetY = clampOffset(Math.round(MNIST_SIZE / 2 - massY / mass - 0.5), outH);
	for (let y = 0; y < outH; y++) {
		for (let x = 0; x < outW; x++) {
			pixels[(offsetY + y) * MNIST_SIZE + offsetX + x] = Math.min(1, digit[y * outW + x]!);
		}
	}
	return { pixels, hasInk: true };
}
