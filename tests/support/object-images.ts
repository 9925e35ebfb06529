/**
 * Pictures of objects the COCO detectors know, drawn for the detection tests: no npm package
 * ships a photo of a clock or a stop sign under a clear licence. Each returns the drawn object's
 * box in the picture's pixels, the answer a detector's box is measured against.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { Box } from '../../src/lib/tasks/vision/nms';
import { drawPicture, type DrawnPicture } from './drawn-picture';

export interface ObjectPicture extends DrawnPicture {
	/** The drawn object's bounding box. */
	box: Box;
}

export interface Placement {
	width: number;
	height: number;
	/** The object's centre and radius in pixels. */
	cx: number;
	cy: number;
	radius: number;
}

const BACKGROUND = '#b9c7b0';

function picture(place: Placement, half: number, draw: (g: SKRSContext2D) => void): ObjectPicture {
	const { cx, cy } = place;
	return {
		...drawPicture(place.width, place.height, BACKGROUND, draw),
		box: { x1: cx - half, y1: cy - half, x2: cx + half, y2: cy + half }
	};
}

const DEFAULT: Placement = { width: 480, height: 360, cx: 240, cy: 180, radius: 120 };

/** A wall clock: white face, thick black rim, 12 ticks and numbers, hour and minute hands. */
export function drawClock(place: Placement = DEFAULT): ObjectPicture {
	const { cx, cy, radius: r } = place;
	return picture(place, r, (g) => {
		g.fillStyle = '#111111';
		g.beginPath();
		g.arc(cx, cy, r, 0, Math.PI * 2);
		g.fill();
		g.fillStyle = '#ffffff';
		g.beginPath();
		g.arc(cx, cy, r * 0.9, 0, Math.PI * 2);
		g.fill();
		g.strokeStyle = '#111111';
		g.fillStyle = '#111111';
		g.textAlign = 'center';
		g.textBaseline = 'middle';
		g.font = `bold ${Math.round(r * 0.17)}px sans-serif`;
		for (let hour = 1; hour <= 12; hour++) {
			const angle = (hour / 12) * Math.PI * 2;
			const sin = Math.sin(angle);
			const cos = -Math.cos(angle);
			g.lineWidth = r * 0.03;
			g.beginPath();
			g.moveTo(cx + sin * r * 0.8, cy + cos * r * 0.8);
			g.lineTo(cx + sin * r * 0.88, cy + cos * r * 0.88);
			g.stroke();
			g.fillText(String(hour), cx + sin * r * 0.66, cy + cos * r * 0.66);
		}
		g.lineCap = 'round';
		const hand = (angle: number, length: number, thick: number) => {
			g.lineWidth = thick;
			g.beginPath();
			g.moveTo(cx, cy);
			g.lineTo(cx + Math.sin(angle) * length, cy - Math.cos(angle) * length);
			g.stroke();
		};
		hand((10 / 12) * Math.PI * 2, r * 0.45, r * 0.06);
		hand((2 / 12) * Math.PI * 2, r * 0.7, r * 0.04);
		g.beginPath();
		g.arc(cx, cy, r * 0.05, 0, Math.PI * 2);
		g.fill();
	});
}

/** A stop sign: red octagon with a thin white border and white "STOP" across it. */
export function drawStopSign(place: Placement = DEFAULT): ObjectPicture {
	const { cx, cy, radius: r } = place;
	const octagon = (g: SKRSContext2D, radius: number) => {
		g.beginPath();
		for (let k = 0; k < 8; k++) {
			const angle = ((k + 0.5) / 8) * Math.PI * 2;
			const x = cx + Math.cos(angle) * radius;
			const y = cy + Math.sin(angle) * radius;
			if (k === 0) g.moveTo(x, y);
			else g.lineTo(x, y);
		}
		g.closePath();
		g.fill();
	};
	// Flat sides face up, down, left and right, so the sign is r cos(22.5 deg) from its centre.
	return picture(place, r * Math.cos(Math.PI / 8), (g) => {
		g.fillStyle = '#ffffff';
		octagon(g, r);
		g.fillStyle = '#c8102e';
		octagon(g, r * 0.93);
		g.fillStyle = '#ffffff';
		g.textAlign = 'center';
		g.textBaseline = 'middle';
		g.font = `bold ${Math.round(r * 0.55)}px sans-serif`;
		g.fillText('STOP', cx, cy + r * 0.03);
	});
}
