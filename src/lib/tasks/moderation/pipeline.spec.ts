import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawCartoon, drawLandscape } from '../../../../tests/support/moderation-images';
import { NodeTaskContext } from '../../../../tests/support/node-task-context';
import { photoPixels, type PhotoName } from '../../../../tests/support/photos';
import { EmptyImageError } from '../ocr/errors';
import { ModerationModelError } from './errors';
import { moderateImage, toProbabilities } from './pipeline';
import { toModerationInput } from './preprocess';

const CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];

describe('toProbabilities', () => {
	it("keeps a model's own softmax and turns logits into probabilities", () => {
		expect(toProbabilities([0.1, 0.7, 0.2])).toEqual([0.1, 0.7, 0.2]);
		const fromLogits = toProbabilities([2, 0, -1]);
		expect(fromLogits.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 6);
		expect(fromLogits[0]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + 1 + Math.exp(-1)), 6);
	});
});

describe('toModerationInput', () => {
	it('scales to [0, 1] and stretches with aligned corners, as nsfwjs does', () => {
		const data = new Uint8ClampedArray(3 * 2 * 4);
		data.set([255, 0, 51, 255], 0); // top-left
		data.set([0, 102, 255, 255], (1 * 3 + 2) * 4); // bottom-right
		const out = toModerationInput({ width: 3, height: 2, data }, 5);
		expect(Array.from(out.slice(0, 3))).toEqual([1, 0, 0.2].map(Math.fround));
		expect(Array.from(out.slice(-3))).toEqual([0, 0.4, 1].map(Math.fround));
		// Half-way down and across the last column: between (1, 2) and (2, 2) in source pixels.
		expect(out[(2 * 5 + 4) * 3 + 2]).toBeCloseTo(0.5, 6);
	});
});

describe('moderateImage with nsfwjs MobileNetV2', () => {
	let ctx: NodeTaskContext;
	beforeAll(async () => {
		ctx = await NodeTaskContext.forCatalogModel('nsfw-mobilenet-v2');
	});
	afterAll(() => ctx.release());

	it('gives the five classes, sorted, summing to 1, and calls drawn pictures safe', async () => {
		for (const picture of [drawCartoon(), drawLandscape()]) {
			const result = await moderateImage({ image: picture.image }, ctx);
			expect(result.classes.map((entry) => entry.label).sort()).toEqual(CLASSES);
			const probabilities = result.classes.map((entry) => entry.probability);
			expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
			expect(probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 4);
			expect(result.top).toBe(result.classes[0]!.label);
			expect(['Drawing', 'Neutral']).toContain(result.top);
			expect(result.classes[0]!.probability).toBeGreaterThan(0.5);
			expect([result.width, result.height]).toEqual([picture.image.width, picture.image.height]);
		}
		expect(ctx.timings.inferenceMs).toBeGreaterThan(0);
	});

	it('calls real photos of a portrait, a harbour and sheep neutral', async () => {
		for (const name of ['astronaut', 'harbour', 'sheep'] satisfies PhotoName[]) {
			const result = await moderateImage({ image: await photoPixels(name) }, ctx);
			expect(result.top, name).toBe('Neutral');
			expect(result.classes[0]!.probability, name).toBeGreaterThan(0.8);
		}
	});

	it('refuses an empty picture and a labels file that does not fit the model', async () => {
		const empty = { width: 0, height: 0, data: new Uint8ClampedArray(0) };
		await expect(moderateImage({ image: empty }, ctx)).rejects.toBeInstanceOf(EmptyImageError);
		const labels = ctx.files.find((file) => file.role === 'labels')!.path;
		const wrong = await NodeTaskContext.forCatalogModel('nsfw-mobilenet-v2', undefined, {
			[labels]: new TextEncoder().encode(JSON.stringify({ classNames: ['Safe', 'Unsafe'] }))
		});
		try {
			const attempt = moderateImage({ image: drawCartoon().image }, wrong);
			await expect(attempt).rejects.toBeInstanceOf(ModerationModelError);
			await expect(attempt).rejects.toThrow(/scores 5 classes but names 2/);
		} finally {
			await wrong.release();
		}
	});
});
