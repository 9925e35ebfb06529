/**
 * Image augmentation for small grayscale images stored row-major in [0, 1].
 */
import type { Random } from './random';

/** Moves the picture by (dx, dy) pixels in place; pixels shifted in from outside are 0. */
export function shiftImage(
	pixels: Float64Array,
	width: number,
	height: number,
	dx: number,
	dy: number
): void {
	if (dx === 0 && dy === 0) return;
	const source = pixels.slice();
	pixels.fill(0);
	for (let y = 0; y < height; y++) {
		const fromY = y - dy;
		if (fromY < 0 || fromY >= height) continue;
		for (let x = 0; x < width; x++) {
			const fromX = x - dx;
			if (fromX >= 0 && fromX < width)
				pixels[y * width + x] = source[fromY * width + fromX] as number;
		}
	}
}

/**
 * An augmenter that shifts each example by up to `maxShift` pixels in each direction, so a
 * small MLP learns that a digit drawn a little off-centre is still the same digit.
 */
export function randomShift(
	width: number,
	height: number,
	maxShift: number
): (example: Float64Array, random: Random) => void {
	const span = 2 * maxShift + 1;
	return (example, random) => {
		const dx = random.integer(span) - maxShift;
		const dy = random.integer(span) - maxShift;
		shiftImage(example, width, height, dx, dy);
	};
}
