/**
 * A picture the tests draw: a canvas of the given size filled with a background, handed to
 * `draw`, then read back both as pixels (for the Node pipelines) and as a PNG (for upload into a
 * page). The drawing helpers of each task build on this.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { RgbaImage } from '../../src/lib/tasks/types';

export interface DrawnPicture {
	image: RgbaImage;
	png: Buffer;
}

export function drawPicture(
	width: number,
	height: number,
	background: string,
	draw: (g: SKRSContext2D) => void
): DrawnPicture {
	const canvas = createCanvas(width, height);
	const g = canvas.getContext('2d');
	g.fillStyle = background;
	g.fillRect(0, 0, width, height);
	draw(g);
	const { data } = g.getImageData(0, 0, width, height);
	return {
		image: { width, height, data: new Uint8ClampedArray(data) },
		png: canvas.toBuffer('image/png')
	};
}
