/**
 * Pictures for the vision tests. A standing person drawn with a head, a shirt, bare arms and dark trousers, for the vision
 * tests: no npm package ships a photo of a person under a clear licence. The figure is 200 px
 * wide and 420 px high in its own coordinates, `shift` pixels from the left of the canvas: head
 * centred at (100, 80) with radius 30, shoulders near y 130, hips at 250, feet at 400.
 */
import { drawPicture, type DrawnPicture } from './drawn-picture';

export interface FigurePicture extends DrawnPicture {
	shift: number;
}

const BACKGROUND = '#8fb3c9';

export const FIGURE_HEIGHT = 420;

export function drawFigure(width = 200, shift = 0): FigurePicture {
	const picture = drawPicture(width, FIGURE_HEIGHT, BACKGROUND, (g) => {
		g.lineCap = 'round';
		const limb = (
			x1: number,
			y1: number,
			x2: number,
			y2: number,
			thick: number,
			colour: string
		) => {
			g.strokeStyle = colour;
			g.lineWidth = thick;
			g.beginPath();
			g.moveTo(shift + x1, y1);
			g.lineTo(shift + x2, y2);
			g.stroke();
		};
		limb(100, 120, 100, 250, 70, '#1f4e9c');
		limb(75, 130, 45, 200, 22, '#c68642');
		limb(45, 200, 35, 260, 20, '#c68642');
		limb(125, 130, 155, 200, 22, '#c68642');
		limb(155, 200, 165, 260, 20, '#c68642');
		limb(85, 250, 80, 330, 28, '#333333');
		limb(80, 330, 78, 400, 24, '#333333');
		limb(115, 250, 120, 330, 28, '#333333');
		limb(120, 330, 122, 400, 24, '#333333');
		g.fillStyle = '#c68642';
		g.beginPath();
		g.arc(shift + 100, 80, 30, 0, Math.PI * 2);
		g.fill();
		g.fillStyle = '#222222';
		g.beginPath();
		g.arc(shift + 90, 75, 4, 0, Math.PI * 2);
		g.arc(shift + 110, 75, 4, 0, Math.PI * 2);
		g.fill();
	});
	return { ...picture, shift };
}

/** Where a face drawn by drawFaces sits: centre, half-width and half-height, eye centres. */
export interface DrawnFace {
	cx: number;
	cy: number;
	rx: number;
	ry: number;
	eyes: { x: number; y: number }[];
	mouth: { x: number; y: number };
}

/**
 * Cartoon faces (skin oval, eyes with brows, nose, smiling mouth) of radius-x `scale` * 55,
 * centred at the given points on a plain background.
 */
export function drawFaces(
	width: number,
	height: number,
	centres: { x: number; y: number }[],
	scale = 1
): DrawnPicture & { faces: DrawnFace[] } {
	const faces: DrawnFace[] = [];
	const picture = drawPicture(width, height, BACKGROUND, (g) => {
		for (const { x, y } of centres) {
			const s = (value: number) => value * scale;
			g.fillStyle = '#e0ac69';
			g.beginPath();
			g.ellipse(x, y, s(55), s(72), 0, 0, Math.PI * 2);
			g.fill();
			const eyes = [
				{ x: x - s(22), y: y - s(16) },
				{ x: x + s(22), y: y - s(16) }
			];
			for (const eye of eyes) {
				g.fillStyle = '#ffffff';
				g.beginPath();
				g.ellipse(eye.x, eye.y, s(12), s(7), 0, 0, Math.PI * 2);
				g.fill();
				g.fillStyle = '#3b2a1a';
				g.beginPath();
				g.arc(eye.x, eye.y, s(5), 0, Math.PI * 2);
				g.fill();
			}
			g.strokeStyle = '#5a3a2a';
			g.lineWidth = s(4);
			g.beginPath();
			g.moveTo(x - s(33), y - s(30));
			g.lineTo(x - s(10), y - s(32));
			g.moveTo(x + s(10), y - s(32));
			g.lineTo(x + s(33), y - s(30));
			g.stroke();
			g.strokeStyle = '#b07a4a';
			g.beginPath();
			g.moveTo(x, y - s(10));
			g.lineTo(x - s(6), y + s(17));
			g.lineTo(x + s(4), y + s(19));
			g.stroke();
			g.strokeStyle = '#aa3333';
			g.lineWidth = s(6);
			g.beginPath();
			g.arc(x, y + s(22), s(20), 0.2, Math.PI - 0.2);
			g.stroke();
			faces.push({ cx: x, cy: y, rx: s(55), ry: s(72), eyes, mouth: { x, y: y + s(40) } });
		}
	});
	return { ...picture, faces };
}
