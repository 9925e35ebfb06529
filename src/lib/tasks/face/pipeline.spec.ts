import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawFaces, type DrawnFace } from '../../../../tests/support/figure-image';
import { NodeTaskContext } from '../../../../tests/support/node-task-context';
import { inside, photoPixels, PHOTO_TRUTH } from '../../../../tests/support/photos';
import { intersectionOverUnion } from '../vision/nms';
import type { Face } from './types';
import { anchorCentres, BLAZEFACE_GRIDS } from './anchors';
import { decodeAnchors } from './decode';
import { detectFaces } from './pipeline';

describe('BlazeFace anchors and decoding', () => {
	it('lays out 896 anchors: 16x16 cells of 2, then 8x8 cells of 6', () => {
		const [fine, coarse] = BLAZEFACE_GRIDS.map((grid) => anchorCentres(256, grid));
		expect(fine).toHaveLength(512);
		expect(coarse).toHaveLength(384);
		expect(fine![0]).toEqual({ x: 8, y: 8 });
		expect(fine![1]).toEqual({ x: 8, y: 8 });
		expect(fine![2]).toEqual({ x: 24, y: 8 });
		expect(coarse![6]).toEqual({ x: 48, y: 16 });
	});

	it('reads offsets from the anchor and keeps anchors above the score', () => {
		const anchors = [
			{ x: 100, y: 50 },
			{ x: 0, y: 0 }
		];
		const values = new Float32Array(32);
		values.set([4, -2, 40, 60, -10, -5, 10, -5, 0, 5, 0, 15, -20, 0, 20, 0]);
		const faces = decodeAnchors(new Float32Array([2, -2]), values, anchors, 0.5);
		expect(faces).toHaveLength(1);
		expect(faces[0]!.score).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
		expect(faces[0]!.box).toEqual({ x1: 84, y1: 18, x2: 124, y2: 78 });
		expect(faces[0]!.landmarks[0]).toEqual({ x: 90, y: 45 });
		expect(faces[0]!.landmarks[5]).toEqual({ x: 120, y: 50 });
	});
});

function expectOnFace(face: Face, drawn: DrawnFace) {
	const cx = (face.box.x1 + face.box.x2) / 2;
	const cy = (face.box.y1 + face.box.y2) / 2;
	// The box centre lies on the drawn face, and the box is about the face's size.
	expect(((cx - drawn.cx) / drawn.rx) ** 2 + ((cy - drawn.cy) / drawn.ry) ** 2).toBeLessThan(0.25);
	expect(face.box.x2 - face.box.x1).toBeGreaterThan(drawn.rx * 0.8);
	expect(face.box.x2 - face.box.x1).toBeLessThan(drawn.rx * 3);
	// Eyes land near the drawn eyes (right eye is the one on the picture's left).
	const [right, left] = face.landmarks;
	expect(Math.hypot(right!.x - drawn.eyes[0]!.x, right!.y - drawn.eyes[0]!.y)).toBeLessThan(
		drawn.rx * 0.45
	);
	expect(Math.hypot(left!.x - drawn.eyes[1]!.x, left!.y - drawn.eyes[1]!.y)).toBeLessThan(
		drawn.rx * 0.45
	);
}

describe('detectFaces with BlazeFace', () => {
	let ctx: NodeTaskContext;
	beforeAll(async () => {
		ctx = await NodeTaskContext.forCatalogModel('blazeface');
	});
	afterAll(() => ctx.release());

	it('finds a drawn face with its eyes, in a wide picture', async () => {
		const picture = drawFaces(600, 300, [{ x: 400, y: 150 }]);
		const { faces } = await detectFaces({ image: picture.image, minScore: 0.4 }, ctx);
		expect(faces.length).toBeGreaterThanOrEqual(1);
		expectOnFace(faces[0]!, picture.faces[0]!);
		expect(faces[0]!.landmarks.map((point) => point.name)).toContain('nose tip');
	});

	it('finds two faces side by side, one box each', async () => {
		const picture = drawFaces(640, 320, [
			{ x: 160, y: 160 },
			{ x: 480, y: 160 }
		]);
		const { faces } = await detectFaces({ image: picture.image, minScore: 0.4 }, ctx);
		expect(faces).toHaveLength(2);
		const byX = [...faces].sort((a, b) => a.box.x1 - b.box.x1);
		expectOnFace(byX[0]!, picture.faces[0]!);
		expectOnFace(byX[1]!, picture.faces[1]!);
	});

	it('finds the one face in a real portrait, eyes and nose on it', async () => {
		const truth = PHOTO_TRUTH.astronaut.face;
		const { faces } = await detectFaces({ image: await photoPixels('astronaut') }, ctx);
		expect(faces).toHaveLength(1);
		const [face] = faces;
		expect(face!.score).toBeGreaterThan(0.75);
		expect(intersectionOverUnion(face!.box, truth)).toBeGreaterThanOrEqual(0.7);
		const at = (name: string) => face!.landmarks.find((point) => point.name === name)!;
		for (const name of ['right eye', 'left eye', 'nose tip', 'mouth']) {
			expect(inside(truth, at(name).x, at(name).y), name).toBe(true);
		}
		// Her right eye is on our left, and her eyes are above her nose, her nose above her mouth.
		expect(at('right eye').x).toBeLessThan(at('left eye').x);
		expect(at('right eye').y).toBeLessThan(at('nose tip').y);
		expect(at('nose tip').y).toBeLessThan(at('mouth').y);
	});

	it('finds no face in a real photo of sheep', async () => {
		expect((await detectFaces({ image: await photoPixels('sheep') }, ctx)).faces).toEqual([]);
	});

	it('finds no face in an empty picture', async () => {
		const picture = drawFaces(300, 300, []);
		expect((await detectFaces({ image: picture.image }, ctx)).faces).toEqual([]);
	});

	it('refuses a tiny picture with a clear message', async () => {
		const tiny = { width: 20, height: 40, data: new Uint8ClampedArray(20 * 40 * 4) };
		await expect(detectFaces({ image: tiny }, ctx)).rejects.toMatchObject({
			code: 'image-too-small'
		});
	});
});
