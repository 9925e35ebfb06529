/**
 * Resizing RGBA images without the DOM (the pipeline runs in a worker and in Node). Shrinking
 * averages every source pixel a target pixel covers, so thin strokes of text survive a large
 * reduction; enlarging interpolates bilinearly. Each axis is done on its own.
 */
import type { RgbaImage } from '../types';
import type { Size } from './types';

interface Taps {
	/** First source index for each target index. */
	start: Int32Array;
	/** Number of source indices for each target index. */
	count: Int32Array;
	/** Weights, `maxTaps` per target index. */
	weights: Float32Array;
	maxTaps: number;
}

function axisTaps(source: number, target: number): Taps {
	const scale = source / target;
	const maxTaps = scale > 1 ? Math.ceil(scale) + 1 : 2;
	const start = new Int32Array(target);
	const count = new Int32Array(target);
	const weights = new Float32Array(target * maxTaps);
	for (let i = 0; i < target; i++) {
		if (scale > 1) {
			// The target pixel covers [from, to) of the source; weight each pixel by its overlap.
			const from = i * scale;
			const to = Math.min(source, (i + 1) * scale);
			const first = Math.floor(from);
			const last = Math.min(source - 1, Math.ceil(to) - 1);
			start[i] = first;
			count[i] = last - first + 1;
			for (let s = first; s <= last; s++) {
				const overlap = Math.min(to, s + 1) - Math.max(from, s);
				weights[i * maxTaps + s - first] = overlap / (to - from);
			}
		} else {
			// Pixel centres line up: target centre i + 0.5 sits at source (i + 0.5) * scale.
			const position = Math.max(0, Math.min(source - 1, (i + 0.5) * scale - 0.5));
			const first = Math.min(source - 1, Math.floor(position));
			const fraction = position - first;
			start[i] = first;
			count[i] = first + 1 < source ? 2 : 1;
			weights[i * maxTaps] = count[i] === 2 ? 1 - fraction : 1;
			weights[i * maxTaps + 1] = count[i] === 2 ? fraction : 0;
		}
	}
	return { start, count, weights, maxTaps };
}

/** One source row resized across, as floats (RGBA interleaved). */
function resizeRow(image: RgbaImage, y: number, taps: Taps, out: Float32Array): void {
	const data = image.data;
	const rowStart = y * image.width * 4;
	for (let x = 0; x < out.length / 4; x++) {
		const first = taps.start[x]!;
		const count = taps.count[x]!;
		const base = x * taps.maxTaps;
		let r = 0;
		let g = 0;
		let b = 0;
		let a = 0;
		for (let t = 0; t < count; t++) {
			const weight = taps.weights[base + t]!;
			const src = rowStart + (first + t) * 4;
			r += weight * data[src]!;
			g += weight * data[src + 1]!;
			b += weight * data[src + 2]!;
			a += weight * data[src + 3]!;
		}
		out[x * 4] = r;
		out[x * 4 + 1] = g;
		out[x * 4 + 2] = b;
		out[x * 4 + 3] = a;
	}
}

/**
 * The image resized to `width` x `height` (both at least 1). Each source row is resized across
 * once, when the first target row needs it, and dropped when no later target row does, so
 * memory stays at a few rows even for a camera-sized photo.
 */
export function resampleRgba(image: RgbaImage, width: number, height: number): RgbaImage {
	if (width === image.width && height === image.height) return image;
	const horizontal = axisTaps(image.width, width);
	const vertical = axisTaps(image.height, height);
	const data = new Uint8ClampedArray(width * height * 4);
	const resized = new Map<number, Float32Array>();
	const spare: Float32Array[] = [];
	const row = new Float32Array(width * 4);
	for (let y = 0; y < height; y++) {
		const first = vertical.start[y]!;
		// Target rows read source rows in increasing order: rows above `first` are done with.
		for (const [sourceY, done] of resized) {
			if (sourceY >= first) continue;
			resized.delete(sourceY);
			spare.push(done);
		}
		row.fill(0);
		for (let t = 0; t < vertical.count[y]!; t++) {
			let across = resized.get(first + t);
			if (!across) {
				across = spare.pop() ?? new Float32Array(width * 4);
				resizeRow(image, first + t, horizontal, across);
				resized.set(first + t, across);
			}
			const weight = vertical.weights[y * vertical.maxTaps + t]!;
			for (let i = 0; i < row.length; i++) row[i]! += weight * across[i]!;
		}
		// Uint8ClampedArray rounds and clamps on assignment.
		data.set(row, y * width * 4);
	}
	return { width, height, data };
}

/** The largest size with the same aspect ratio whose longest side is at most `maxSide`. */
export function fitWithin(size: Size, maxSide: number): Size {
	const longest = Math.max(size.width, size.height);
	if (longest <= maxSide) return { width: size.width, height: size.height };
	const scale = maxSide / longest;
	return {
		width: Math.max(1, Math.round(size.width * scale)),
		height: Math.max(1, Math.round(size.height * scale))
	};
}
