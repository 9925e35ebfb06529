/**
 * Fits an RGBA image into a square model input without distorting it: scaled so its longer
 * side fills the square, centred, the rest left black. The same box maps the model's
 * coordinates back to the picture's pixels.
 */
import type { RgbaImage } from '../types';

export interface Letterbox {
	size: number;
	scale: number;
	offsetX: number;
	offsetY: number;
}

export function letterboxFor(width: number, height: number, size: number): Letterbox {
	const scale = size / Math.max(width, height);
	return {
		size,
		scale,
		offsetX: (size - width * scale) / 2,
		offsetY: (size - height * scale) / 2
	};
}

/** Bilinear samples in NHWC order, RGB only; `write` receives each channel value 0-255. */
export function letterboxPixels(
	image: RgbaImage,
	box: Letterbox,
	write: (index: number, value: number) => void
): void {
	const { width, height, data } = image;
	const { size, scale, offsetX, offsetY } = box;
	for (let y = 0; y < size; y++) {
		const sy = (y + 0.5 - offsetY) / scale - 0.5;
		if (sy < -0.5 || sy > height - 0.5) continue;
		const y0 = Math.max(0, Math.floor(sy));
		const y1 = Math.min(height - 1, y0 + 1);
		const fy = Math.min(1, Math.max(0, sy - y0));
		for (let x = 0; x < size; x++) {
			const sx = (x + 0.5 - offsetX) / scale - 0.5;
			if (sx < -0.5 || sx > width - 0.5) continue;
			const x0 = Math.max(0, Math.floor(sx));
			const x1 = Math.min(width - 1, x0 + 1);
			const fx = Math.min(1, Math.max(0, sx - x0));
			for (let c = 0; c < 3; c++) {
				const top =
					data[(y0 * width + x0) * 4 + c]! * (1 - fx) + data[(y0 * width + x1) * 4 + c]! * fx;
				const bottom =
					data[(y1 * width + x0) * 4 + c]! * (1 - fx) + data[(y1 * width + x1) * 4 + c]! * fx;
				write((y * size + x) * 3 + c, top * (1 - fy) + bottom * fy);
			}
		}
	}
}

/** Model coordinates in [0, 1] of the square back to picture pixels. */
export function toPicture(box: Letterbox, x: number, y: number): { x: number; y: number } {
	return {
		x: (x * box.size - box.offsetX) / box.scale,
		y: (y * box.size - box.offsetY) / box.scale
	};
}
