import { describe, expect, it } from 'vitest';
import {
	boxScore,
	DB_DEFAULTS,
	detectBoxes,
	scaleBox,
	sortBoxes,
	textRegions,
	unclip,
	type ProbabilityMap
} from './db-postprocess';
import type { Quad } from './types';

function blankMap(width: number, height: number): ProbabilityMap {
	return { width, height, data: new Float32Array(width * height) };
}

function fillRect(map: ProbabilityMap, x0: number, y0: number, w: number, h: number, p: number) {
	for (let y = y0; y < y0 + h; y++)
		for (let x = x0; x < x0 + w; x++) map.data[y * map.width + x] = p;
}

const quad = (x: number, y: number, w: number, h: number): Quad => [
	{ x, y },
	{ x: x + w, y },
	{ x: x + w, y: y + h },
	{ x, y: y + h }
];

describe('textRegions', () => {
	it('separates regions and joins diagonal neighbours (8-connected)', () => {
		const map = blankMap(20, 10);
		fillRect(map, 1, 1, 4, 3, 0.9);
		fillRect(map, 10, 2, 5, 5, 0.9);
		map.data[7 * 20 + 15] = 0.9; // touches (14, 6) diagonally
		expect(textRegions(map, 0.3)).toHaveLength(2);
	});

	it('ignores pixels below the threshold', () => {
		const map = blankMap(10, 10);
		fillRect(map, 2, 2, 5, 5, 0.29);
		expect(textRegions(map, 0.3)).toHaveLength(0);
	});
});

describe('unclip', () => {
	it('grows a box by area x ratio / perimeter on every side', () => {
		const grown = unclip(quad(10, 20, 100, 10), 1.5);
		const d = (1000 * 1.5) / 220;
		expect(grown.longSide).toBeCloseTo(100 + 2 * d, 1);
		expect(grown.shortSide).toBeCloseTo(10 + 2 * d, 1);
		expect(grown.corners[0].x).toBeCloseTo(10 - d, 1);
		expect(grown.corners[0].y).toBeCloseTo(20 - d, 1);
	});
});

describe('boxScore', () => {
	it('averages the probabilities inside the box only', () => {
		const map = blankMap(30, 30);
		fillRect(map, 5, 5, 10, 4, 0.8);
		fillRect(map, 5, 20, 10, 4, 0.2);
		expect(boxScore(map, quad(5, 5, 9, 3))).toBeCloseTo(0.8, 6);
		expect(boxScore(map, quad(5, 5, 9, 18))).toBeLessThan(0.5);
	});
});

describe('detectBoxes', () => {
	it('finds each confident region, grown back out, and drops faint and tiny ones', () => {
		const map = blankMap(120, 60);
		fillRect(map, 10, 10, 80, 6, 0.95); // a text line
		fillRect(map, 10, 30, 80, 6, 0.45); // above the threshold but below the box score
		fillRect(map, 100, 50, 2, 2, 0.99); // two pixels of noise
		const boxes = detectBoxes(map);
		expect(boxes).toHaveLength(1);
		const [box] = boxes;
		expect(box!.score).toBeCloseTo(0.95, 5);
		// Pixel centres span 79 x 5; unclip at 2.0 grows each side by 395 * 2 / 168.
		const d = (79 * 5 * DB_DEFAULTS.unclipRatio) / (2 * (79 + 5));
		expect(box!.box[0].x).toBeCloseTo(10 - d, 1);
		expect(box!.box[2].y).toBeCloseTo(15 + d, 1);
	});

	it('follows a slanted line with a rotated box', () => {
		const map = blankMap(200, 80);
		const slope = Math.tan((4 * Math.PI) / 180);
		for (let x = 20; x < 180; x++) {
			const top = Math.round(30 - (x - 20) * slope);
			fillRect(map, x, top, 1, 8, 0.9);
		}
		const [found] = detectBoxes(map);
		const [topLeft, topRight] = found!.box;
		const angle = (Math.atan2(topLeft.y - topRight.y, topRight.x - topLeft.x) * 180) / Math.PI;
		expect(angle).toBeGreaterThan(3);
		expect(angle).toBeLessThan(5);
	});
});

describe('scaleBox', () => {
	it('maps map coordinates to image coordinates, clipped to the image', () => {
		const scaled = scaleBox(
			quad(-4, 10, 40, 8),
			{ width: 64, height: 32 },
			{ width: 640, height: 300 }
		);
		expect(scaled[0]).toEqual({ x: 0, y: 93.75 });
		expect(scaled[1].x).toBe(360);
	});
});

describe('sortBoxes', () => {
	it('reads rows top to bottom and boxes left to right within a row', () => {
		const right = { name: 'right', box: quad(200, 12, 80, 20) };
		const left = { name: 'left', box: quad(10, 14, 80, 20) };
		const below = { name: 'below', box: quad(5, 60, 80, 20) };
		const sorted = sortBoxes([below, right, left]).map((entry) => entry.name);
		expect(sorted).toEqual(['left', 'right', 'below']);
	});
});
