import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawFigure } from '../../../../tests/support/figure-image';
import { NodeTaskContext } from '../../../../tests/support/node-task-context';
import { inside, photoPixels, PHOTO_TRUTH } from '../../../../tests/support/photos';
import { decodeMoveNet } from './decode';
import { letterboxFor, toPicture } from '../vision/letterbox';
import { estimatePose } from './pipeline';
import { KEYPOINT_NAMES } from './types';

describe('decodeMoveNet', () => {
	it('takes the heatmap peak nearest the regressed guess, refined by the offset', () => {
		const grid = 8;
		const cells = grid * grid;
		const heads = {
			grid,
			heatmaps: new Float32Array(cells),
			centers: new Float32Array(cells),
			regression: new Float32Array(2 * cells),
			offsets: new Float32Array(2 * cells)
		};
		heads.centers[2 * grid + 3] = 0.9; // the person's centre: row 2, column 3
		heads.regression[2 * grid + 3] = 4; // guess: 4 rows down ...
		heads.regression[cells + 2 * grid + 3] = 1; // ... and 1 column right, so (6, 4)
		heads.heatmaps[6 * grid + 5] = 0.6; // a peak next to the guess
		heads.heatmaps[0] = 0.7; // a stronger one far away (another person)
		heads.offsets[6 * grid + 5] = 0.25;
		heads.offsets[cells + 6 * grid + 5] = -0.5;
		const [point] = decodeMoveNet(heads, 1);
		expect(point!.score).toBeCloseTo(0.6, 6);
		expect(point!.y).toBeCloseTo(6.25 / grid, 6);
		expect(point!.x).toBeCloseTo(4.5 / grid, 6);
	});

	it('maps square coordinates back through the letterbox', () => {
		const box = letterboxFor(400, 200, 192);
		expect(toPicture(box, 0.5, 0.5)).toEqual({ x: 200, y: 100 });
		expect(toPicture(box, 0, 0.25).y).toBeCloseTo(0, 6);
	});
});

describe('estimatePose with MoveNet', () => {
	let lightning: NodeTaskContext;
	let thunder: NodeTaskContext;
	beforeAll(async () => {
		lightning = await NodeTaskContext.forCatalogModel('movenet', 'lightning');
		thunder = await NodeTaskContext.forCatalogModel('movenet', 'thunder');
	});
	afterAll(() => Promise.all([lightning.release(), thunder.release()]));

	it('puts the keypoints on the body, wherever the figure stands in the picture', async () => {
		for (const [width, shift] of [
			[200, 0],
			[400, 150]
		] as const) {
			const { keypoints, score } = await estimatePose(
				{ image: drawFigure(width, shift).image },
				lightning
			);
			expect(keypoints.map((point) => point.name)).toEqual([...KEYPOINT_NAMES]);
			expect(score).toBeGreaterThan(0.25);
			const at = (name: string) => keypoints.find((point) => point.name === name)!;
			const x = (name: string) => at(name).x - shift;
			// Face points on the head (centre 100, 80, radius 30, with some slack).
			for (const name of ['nose', 'left eye', 'right eye']) {
				expect(Math.hypot(x(name) - 100, at(name).y - 80), name).toBeLessThan(40);
			}
			// Shoulders at the top of the shirt, hips at its bottom, ankles at the feet.
			for (const name of ['left shoulder', 'right shoulder'])
				expect(at(name).y).toBeGreaterThan(110);
			for (const name of ['left shoulder', 'right shoulder']) expect(at(name).y).toBeLessThan(170);
			for (const name of ['left hip', 'right hip'])
				expect(Math.abs(at(name).y - 250)).toBeLessThan(30);
			for (const name of ['left ankle', 'right ankle'])
				expect(Math.abs(at(name).y - 400)).toBeLessThan(30);
			// The figure faces the viewer, so its left side is on the picture's right.
			expect(x('left shoulder')).toBeGreaterThan(x('right shoulder'));
			expect(x('left hip')).toBeGreaterThan(x('right hip'));
			for (const point of keypoints) {
				expect(point.score).toBeGreaterThanOrEqual(0);
				expect(point.score).toBeLessThanOrEqual(1);
				expect(x(point.name)).toBeGreaterThan(0);
				expect(x(point.name)).toBeLessThan(200);
			}
		}
	});

	it('runs the Thunder size on the same picture', async () => {
		const result = await estimatePose({ image: drawFigure(200, 0).image }, thunder);
		expect(result.keypoints).toHaveLength(17);
		for (const point of result.keypoints) {
			expect(point.x).toBeGreaterThanOrEqual(0);
			expect(point.x).toBeLessThanOrEqual(200);
			expect(point.y).toBeGreaterThanOrEqual(0);
			expect(point.y).toBeLessThanOrEqual(420);
		}
	});

	it("puts both sizes' keypoints on the astronaut in a real portrait", async () => {
		const { person, face } = PHOTO_TRUTH.astronaut;
		const image = await photoPixels('astronaut');
		for (const size of [lightning, thunder]) {
			const { keypoints, score } = await estimatePose({ image }, size);
			const at = (name: string) => keypoints.find((point) => point.name === name)!;
			expect(score).toBeGreaterThan(0.3);
			for (const name of ['nose', 'left eye', 'right eye']) {
				expect(inside(face, at(name).x, at(name).y), name).toBe(true);
				expect(at(name).score, name).toBeGreaterThan(0.5);
			}
			// Shoulders below the chin and apart; she faces the camera, so her left is on our right.
			for (const name of ['left shoulder', 'right shoulder']) {
				expect(at(name).y, name).toBeGreaterThan(face.y2);
				expect(at(name).y, name).toBeLessThan(340);
			}
			expect(at('left shoulder').x - at('right shoulder').x).toBeGreaterThan(150);
			// Every point the model is sure of lies on her.
			for (const point of keypoints.filter((point) => point.score > 0.3)) {
				expect(inside(person, point.x, point.y), point.name).toBe(true);
			}
		}
	});

	it('refuses a picture too small to show a person, with a clear message', async () => {
		const tiny = { width: 8, height: 8, data: new Uint8ClampedArray(8 * 8 * 4) };
		await expect(estimatePose({ image: tiny }, lightning)).rejects.toMatchObject({
			code: 'image-too-small',
			message: expect.stringContaining('at least 32 × 32')
		});
	});
});
