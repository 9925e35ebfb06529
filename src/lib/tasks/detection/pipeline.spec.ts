import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	drawClock,
	drawStopSign,
	type ObjectPicture
} from '../../../../tests/support/object-images';
import { NodeTaskContext } from '../../../../tests/support/node-task-context';
import { photoPixels, PHOTO_TRUTH } from '../../../../tests/support/photos';
import { intersectionOverUnion, type Box } from '../vision/nms';
import { COCO_LABELS } from './coco-labels';
import { decodeStride, expectedBin, GFL_BINS, keepDistinct } from './decode';
import { detectObjects } from './pipeline';

/** Box logits that put (almost) all the weight of each side on one bin. */
function sharpSides(bins: number[]): number[] {
	return bins.flatMap((bin) => Array.from({ length: GFL_BINS }, (_, k) => (k === bin ? 30 : 0)));
}

describe('NanoDet decoding', () => {
	it('takes the expectation of the softmax over the bins', () => {
		expect(expectedBin(new Float32Array(11).fill(0), 0)).toBeCloseTo(5, 6);
		const two = new Float32Array(11);
		two[2] = 20;
		two[4] = 20;
		expect(expectedBin(two, 0)).toBeCloseTo(3, 5);
	});

	it('turns a cell, its distances and its class into a box around the cell centre', () => {
		// Stride 32 on a 416 input: a 13x13 grid. Cell (column 5, row 3) centres at (176, 112).
		const classes = 3;
		const scores = new Float32Array(169 * classes);
		const boxes = new Float32Array(169 * 4 * GFL_BINS);
		const cell = 3 * 13 + 5;
		scores[cell * classes + 2] = 0.9;
		scores[cell * classes + 0] = 0.1;
		boxes.set(sharpSides([1, 2, 3, 4]), cell * 4 * GFL_BINS);
		const found = decodeStride(scores, boxes, 32, 416, 0.3, classes);
		expect(found).toHaveLength(1);
		expect(found[0]!.classId).toBe(2);
		expect(found[0]!.score).toBeCloseTo(0.9, 6);
		const { x1, y1, x2, y2 } = found[0]!.box;
		expect([x1, y1, x2, y2].map((v) => Math.round(v))).toEqual([
			176 - 32,
			112 - 64,
			176 + 96,
			112 + 128
		]);
	});

	it('suppresses overlapping boxes of one class only', () => {
		const box = { x1: 0, y1: 0, x2: 100, y2: 100 };
		const near = { x1: 5, y1: 5, x2: 100, y2: 100 };
		const kept = keepDistinct([
			{ box, score: 0.9, classId: 1 },
			{ box: near, score: 0.8, classId: 1 },
			{ box: near, score: 0.7, classId: 4 }
		]);
		expect(kept.map((k) => [k.classId, k.score])).toEqual([
			[1, 0.9],
			[4, 0.7]
		]);
	});
});

describe('detectObjects with NanoDet', () => {
	let ctx: NodeTaskContext;
	beforeAll(async () => {
		ctx = await NodeTaskContext.forCatalogModel('nanodet');
	});
	afterAll(() => ctx.release());

	async function best(picture: ObjectPicture) {
		const { detections, width, height } = await detectObjects({ image: picture.image }, ctx);
		expect([width, height]).toEqual([picture.image.width, picture.image.height]);
		expect(detections.length).toBeGreaterThanOrEqual(1);
		const top = detections[0]!;
		return { top, iou: intersectionOverUnion(top.box, picture.box), detections };
	}

	it('finds a drawn clock and boxes it', async () => {
		const { top, iou } = await best(drawClock());
		expect(top.label).toBe('clock');
		expect(top.classId).toBe(COCO_LABELS.indexOf('clock'));
		expect(top.score).toBeGreaterThan(0.5);
		expect(iou).toBeGreaterThanOrEqual(0.5);
	});

	it('finds a drawn stop sign and boxes it', async () => {
		const { top, iou } = await best(drawStopSign());
		expect(top.label).toBe('stop sign');
		expect(top.score).toBeGreaterThan(0.5);
		expect(iou).toBeGreaterThanOrEqual(0.5);
	});

	it('maps the box back through the letterbox of a tall picture, off-centre', async () => {
		const picture = drawStopSign({ width: 300, height: 600, cx: 170, cy: 400, radius: 100 });
		const { top, iou } = await best(picture);
		expect(top.label).toBe('stop sign');
		expect(iou).toBeGreaterThanOrEqual(0.5);
	});

	function bestMatch(detections: { box: Box; label: string }[], label: string, truth: Box): number {
		const ious = detections
			.filter((found) => found.label === label)
			.map((found) => intersectionOverUnion(found.box, truth));
		return Math.max(0, ...ious);
	}

	it('finds each of the five sheep in a real photo, and nothing else on top', async () => {
		const { detections } = await detectObjects({ image: await photoPixels('sheep') }, ctx);
		for (const sheep of PHOTO_TRUTH.sheep) {
			expect(bestMatch(detections, 'sheep', sheep)).toBeGreaterThanOrEqual(0.6);
		}
		expect(detections.slice(0, 5).map((found) => found.label)).toEqual(Array(5).fill('sheep'));
	});

	it('finds the boat and the boatman in a real photo of a harbour', async () => {
		const { detections } = await detectObjects({ image: await photoPixels('harbour') }, ctx);
		expect(bestMatch(detections, 'boat', PHOTO_TRUTH.harbour.boat)).toBeGreaterThanOrEqual(0.5);
		expect(bestMatch(detections, 'person', PHOTO_TRUTH.harbour.boatman)).toBeGreaterThanOrEqual(
			0.5
		);
	});

	it('boxes the astronaut as a person and the cat as a cat, top of the list', async () => {
		const astronaut = await detectObjects({ image: await photoPixels('astronaut') }, ctx);
		expect(astronaut.detections[0]!.label).toBe('person');
		expect(
			intersectionOverUnion(astronaut.detections[0]!.box, PHOTO_TRUTH.astronaut.person)
		).toBeGreaterThanOrEqual(0.8);
		const cat = await detectObjects({ image: await photoPixels('cat') }, ctx);
		expect(cat.detections[0]!.label).toBe('cat');
		expect(intersectionOverUnion(cat.detections[0]!.box, PHOTO_TRUTH.cat)).toBeGreaterThanOrEqual(
			0.7
		);
	});

	it('reports nothing above the threshold in a plain picture', async () => {
		const data = new Uint8ClampedArray(320 * 240 * 4).fill(200);
		const { detections } = await detectObjects({ image: { width: 320, height: 240, data } }, ctx);
		expect(detections).toEqual([]);
	});

	it('refuses an empty picture', async () => {
		await expect(
			detectObjects({ image: { width: 0, height: 0, data: new Uint8ClampedArray() } }, ctx)
		).rejects.toMatchObject({ code: 'empty-image' });
	});
});
