/**
 * Cuts one text line out of the image as an upright strip 48 pixels high, whatever the box's
 * rotation or perspective (PaddleOCR's get_rotate_crop_image followed by the recogniser's
 * resize): a homography maps the strip onto the box, and each strip pixel averages several
 * bilinear samples so that large text shrinks without losing strokes.
 */
import type { RgbaImage } from '../types';
import type { Point, Quad } from './types';

export const LINE_HEIGHT = 48;
/** Boxes at least this much taller than wide are vertical text, turned to read left to right. */
const VERTICAL_RATIO = 1.5;
const MAX_SUPERSAMPLE = 6;

/** The 3x3 projective map (row-major, h[8] = 1) sending `from[i]` to `to[i]`. */
export function homography(from: readonly Point[], to: readonly Point[]): number[] {
	// Eight unknowns, two equations per point pair; Gaussian elimination with partial pivoting.
	const rows: number[][] = [];
	for (let i = 0; i < 4; i++) {
		const { x: u, y: v } = from[i]!;
		const { x, y } = to[i]!;
		rows.push([u, v, 1, 0, 0, 0, -u * x, -v * x, x]);
		rows.push([0, 0, 0, u, v, 1, -u * y, -v * y, y]);
	}
	for (let col = 0; col < 8; col++) {
		let pivot = col;
		for (let r = col + 1; r < 8; r++) {
			if (Math.abs(rows[r]![col]!) > Math.abs(rows[pivot]![col]!)) pivot = r;
		}
		[rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!];
		const lead = rows[col]![col]!;
		if (Math.abs(lead) < 1e-12) throw new Error('the text box is degenerate');
		for (let r = 0; r < 8; r++) {
			if (r === col) continue;
			const factor = rows[r]![col]! / lead;
			for (let c = col; c < 9; c++) rows[r]![c]! -= factor * rows[col]![c]!;
		}
	}
	return [...rows.map((row, i) => row[8]! / row[i]!), 1];
}

export function applyHomography(h: readonly number[], u: number, v: number): Point {
	const w = h[6]! * u + h[7]! * v + h[8]!;
	return { x: (h[0]! * u + h[1]! * v + h[2]!) / w, y: (h[3]! * u + h[4]! * v + h[5]!) / w };
}

function distance(a: Point, b: Point): number {
	return Math.hypot(a.x - b.x, a.y - b.y);
}

/** Bilinear sample with edge pixels repeated beyond the border (OpenCV's BORDER_REPLICATE). */
function sample(image: RgbaImage, x: number, y: number, out: Float32Array): void {
	const cx = Math.min(image.width - 1, Math.max(0, x));
	const cy = Math.min(image.height - 1, Math.max(0, y));
	const x0 = Math.floor(cx);
	const y0 = Math.floor(cy);
	const x1 = Math.min(image.width - 1, x0 + 1);
	const y1 = Math.min(image.height - 1, y0 + 1);
	const fx = cx - x0;
	const fy = cy - y0;
	const w = image.width;
	for (let c = 0; c < 4; c++) {
		const top =
			image.data[(y0 * w + x0) * 4 + c]! * (1 - fx) + image.data[(y0 * w + x1) * 4 + c]! * fx;
		const bottom =
			image.data[(y1 * w + x0) * 4 + c]! * (1 - fx) + image.data[(y1 * w + x1) * 4 + c]! * fx;
		out[c]! += top * (1 - fy) + bottom * fy;
	}
}

/** The line inside `box` as an upright RGBA strip `height` pixels high. */
export function cropLine(image: RgbaImage, box: Quad, height = LINE_HEIGHT): RgbaImage {
	let corners: Quad = box;
	let boxWidth = Math.max(distance(box[0], box[1]), distance(box[3], box[2]));
	let boxHeight = Math.max(distance(box[0], box[3]), distance(box[1], box[2]));
	if (boxHeight >= VERTICAL_RATIO * boxWidth) {
		// Turn a quarter counter-clockwise, as PaddleOCR's np.rot90: the top-right corner leads.
		corners = [box[1], box[2], box[3], box[0]];
		[boxWidth, boxHeight] = [boxHeight, boxWidth];
	}
	boxWidth = Math.max(1, boxWidth);
	boxHeight = Math.max(1, boxHeight);
	const width = Math.max(1, Math.round((height * boxWidth) / boxHeight));
	const map = homography(
		[
			{ x: 0, y: 0 },
			{ x: width, y: 0 },
			{ x: width, y: height },
			{ x: 0, y: height }
		],
		corners
	);
	const k = Math.min(MAX_SUPERSAMPLE, Math.max(1, Math.ceil(boxHeight / height)));
	const data = new Uint8ClampedArray(width * height * 4);
	const sum = new Float32Array(4);
	for (let j = 0; j < height; j++) {
		for (let i = 0; i < width; i++) {
			sum.fill(0);
			for (let sy = 0; sy < k; sy++) {
				for (let sx = 0; sx < k; sx++) {
					// applyHomography, inlined: this runs for every sample of every line.
					const u = i + (sx + 0.5) / k;
					const v = j + (sy + 0.5) / k;
					const w = map[6]! * u + map[7]! * v + map[8]!;
					const x = (map[0]! * u + map[1]! * v + map[2]!) / w;
					const y = (map[3]! * u + map[4]! * v + map[5]!) / w;
					sample(image, x, y, sum);
				}
			}
			for (let c = 0; c < 4; c++) data[(j * width + i) * 4 + c] = sum[c]! / (k * k);
		}
	}
	return { width, height, data };
}

/** The image turned half a turn (an upside-down line made upright). */
export function rotateHalfTurn(image: RgbaImage): RgbaImage {
	const data = new Uint8ClampedArray(image.data.length);
	const pixels = image.width * image.height;
	for (let i = 0; i < pixels; i++) {
		data.set(image.data.subarray(i * 4, i * 4 + 4), (pixels - 1 - i) * 4);
	}
	return { width: image.width, height: image.height, data };
}
