/**
 * The downloadable result: the picture with its background blurred, replaced by a colour or
 * made transparent, the person kept where the mask says so. Pure pixel work (no DOM) so Node
 * tests it; the page only encodes the pixels as a PNG.
 */
import type { RgbaImage } from '../types';

export type BackgroundMode = 'blur' | 'colour' | 'none';

/** What each mode does to the background, in words: "the background is …". */
export const BACKGROUND_DESCRIBED: Record<BackgroundMode, string> = {
	blur: 'blurred',
	colour: 'replaced by a colour',
	none: 'made transparent'
};

export interface MaskImage {
	mask: Uint8Array;
	maskWidth: number;
	maskHeight: number;
}

/** The mask (0-1) at picture pixel (x, y), bilinear, as the stretched 256x256 map covers it. */
export function maskAt(found: MaskImage, width: number, height: number, x: number, y: number) {
	const { mask, maskWidth: mw, maskHeight: mh } = found;
	const sx = Math.min(mw - 1, Math.max(0, ((x + 0.5) * mw) / width - 0.5));
	const sy = Math.min(mh - 1, Math.max(0, ((y + 0.5) * mh) / height - 0.5));
	const x0 = Math.floor(sx);
	const y0 = Math.floor(sy);
	const x1 = Math.min(mw - 1, x0 + 1);
	const y1 = Math.min(mh - 1, y0 + 1);
	const fx = sx - x0;
	const fy = sy - y0;
	const top = mask[y0 * mw + x0]! * (1 - fx) + mask[y0 * mw + x1]! * fx;
	const bottom = mask[y1 * mw + x0]! * (1 - fx) + mask[y1 * mw + x1]! * fx;
	return (top * (1 - fy) + bottom * fy) / 255;
}

/** One horizontal then vertical box-blur pass with running sums: O(pixels) for any radius. */
function boxPass(
	src: Float32Array<ArrayBuffer>,
	width: number,
	height: number,
	radius: number
): Float32Array<ArrayBuffer> {
	const across = new Float32Array(src.length);
	const out = new Float32Array(src.length);
	const run = (
		from: Float32Array<ArrayBuffer>,
		to: Float32Array<ArrayBuffer>,
		lines: number,
		length: number,
		at: (line: number, i: number) => number
	) => {
		for (let line = 0; line < lines; line++) {
			for (let c = 0; c < 4; c++) {
				let sum = 0;
				// Edges repeat the border pixel, so the picture does not darken towards its sides.
				for (let i = -radius; i <= radius; i++)
					sum += from[at(line, Math.min(length - 1, Math.max(0, i))) * 4 + c]!;
				for (let i = 0; i < length; i++) {
					to[at(line, i) * 4 + c] = sum / (2 * radius + 1);
					const leaving = at(line, Math.max(0, i - radius));
					const entering = at(line, Math.min(length - 1, i + radius + 1));
					sum += from[entering * 4 + c]! - from[leaving * 4 + c]!;
				}
			}
		}
	};
	run(src, across, height, width, (row, i) => row * width + i);
	run(across, out, width, height, (column, i) => i * width + column);
	return out;
}

/** A blurred copy: three box passes approximate a Gaussian; the radius scales with the picture. */
export function blurred(
	image: RgbaImage,
	radius = blurRadius(image)
): Uint8ClampedArray<ArrayBuffer> {
	let pixels = Float32Array.from(image.data);
	for (let pass = 0; pass < 3; pass++) pixels = boxPass(pixels, image.width, image.height, radius);
	return Uint8ClampedArray.from(pixels);
}

export function blurRadius(image: { width: number; height: number }): number {
	return Math.max(2, Math.round(Math.max(image.width, image.height) / 80));
}

/** `#rrggbb` to its three channels; black when it does not parse. */
export function parseColour(colour: string): [number, number, number] {
	const hex = /^#([0-9a-f]{6})$/i.exec(colour.trim())?.[1];
	if (!hex) return [0, 0, 0];
	return [0, 2, 4].map((at) => parseInt(hex.slice(at, at + 2), 16)) as [number, number, number];
}

/** The picture with its background changed; `colour` is used by the 'colour' mode. */
export function composite(
	image: RgbaImage,
	found: MaskImage,
	mode: BackgroundMode,
	colour = '#00b140'
): RgbaImage & { data: Uint8ClampedArray<ArrayBuffer> } {
	const { width, height, data } = image;
	const out = new Uint8ClampedArray(data.length);
	const back = mode === 'blur' ? blurred(image) : null;
	const [r, g, b] = parseColour(colour);
	// No arrays per pixel: a 12-megapixel photo is redrawn each time the choice changes.
	const fill = [r, g, b];
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const alpha = maskAt(found, width, height, x, y);
			const p = (y * width + x) * 4;
			if (mode === 'none') {
				out[p] = data[p]!;
				out[p + 1] = data[p + 1]!;
				out[p + 2] = data[p + 2]!;
				out[p + 3] = Math.round(alpha * data[p + 3]!);
				continue;
			}
			for (let c = 0; c < 3; c++) {
				const behind = back ? back[p + c]! : fill[c]!;
				out[p + c] = data[p + c]! * alpha + behind * (1 - alpha);
			}
			out[p + 3] = 255;
		}
	}
	return { width, height, data: out };
}

/** The mask as a tint to lay over the picture: the person in `colour` at half opacity. */
export function maskTint(
	found: MaskImage,
	colour: [number, number, number]
): Uint8ClampedArray<ArrayBuffer> {
	const tint = new Uint8ClampedArray(found.mask.length * 4);
	for (let i = 0; i < found.mask.length; i++) {
		tint.set(colour, i * 4);
		tint[i * 4 + 3] = Math.round(found.mask[i]! * 0.55);
	}
	return tint;
}
