/**
 * PaddleOCR v4 end to end in onnxruntime-node, on pictures of known English text drawn here in
 * every installed font, at several sizes, turned a few degrees either way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeTaskContext } from '../../../../tests/support/node-task-context';
import { renderText } from '../../../../tests/support/text-images';
import { characterErrorRate, levenshtein } from './metrics';
import { MAX_IMAGE_SIDE, recognizeText } from './pipeline';
import { EmptyImageError } from './errors';
import type { OcrResult } from './types';

const FONTS = [
	'DejaVu Sans',
	'DejaVu Serif',
	'DejaVu Sans Mono',
	'Liberation Sans',
	'Liberation Serif',
	'Liberation Mono'
];

const PASSAGES = [
	[
		'The quick brown fox jumps over the lazy dog.',
		'Invoice 2024-07: total $1,234.56 (paid)',
		'Hearth runs ONNX models in your browser!'
	],
	[
		'Meeting moved to Friday at 10:30 in room B.',
		'Call 555-0142 or write to help@example.org',
		'Please bring 3 copies of the report.'
	]
];

function readText(result: OcrResult): string {
	return result.lines.map((line) => line.text).join('\n');
}

describe('recognizeText', () => {
	let ctx: NodeTaskContext;
	beforeAll(async () => {
		ctx = await NodeTaskContext.forCatalogModel('paddleocr-v4');
	});
	afterAll(() => ctx.release());

	it(
		'reads printed English with at most 2% character error rate',
		{ timeout: 180_000 },
		async () => {
			let edits = 0;
			let characters = 0;
			const report: string[] = [];
			for (const [i, font] of FONTS.entries()) {
				for (const [j, size] of [18 + 2 * i, 30 + 4 * i].entries()) {
					const rotation = [-5, -3, 3, 4, 5, -4][(i + j * 3) % 6]!;
					const lines = PASSAGES[(i + j) % PASSAGES.length]!;
					const picture = renderText({ lines, font, size, rotation, leading: j ? 1.5 : 1.8 });
					const result = await recognizeText({ image: picture.image }, ctx);
					const text = readText(result);
					edits += levenshtein(text, picture.text);
					characters += Array.from(picture.text).length;
					report.push(`${font} ${size}px ${rotation}°: ${JSON.stringify(text)}`);
					expect(result.lines).toHaveLength(lines.length);
					for (const line of result.lines) {
						expect(line.confidence).toBeGreaterThan(0.5);
						expect(line.confidence).toBeLessThanOrEqual(1);
					}
				}
			}
			const cer = edits / characters;
			console.log(
				`OCR CER ${(cer * 100).toFixed(2)}% over ${characters} characters\n${report.join('\n')}`
			);
			expect(cer).toBeLessThanOrEqual(0.02);
			expect(ctx.timings.inferenceMs).toBeGreaterThan(0);
			expect(ctx.timings.preprocessMs).toBeGreaterThan(0);
			expect(ctx.timings.postprocessMs).toBeGreaterThan(0);
		}
	);

	it('boxes each line where it was drawn, in reading order', async () => {
		const picture = renderText({
			lines: ['First line on top', 'Second line below'],
			font: 'Liberation Sans',
			size: 32,
			minWidth: 800,
			minHeight: 400
		});
		const result = await recognizeText({ image: picture.image }, ctx);
		expect(readText(result)).toBe(picture.text);
		const [first, second] = result.lines;
		const centre = (line: typeof first) => ({
			x: line!.box.reduce((sum, p) => sum + p.x, 0) / 4,
			y: line!.box.reduce((sum, p) => sum + p.y, 0) / 4
		});
		// The block is centred in the 800 x 400 picture, lines 51 px apart.
		expect(Math.abs(centre(first).x - 400)).toBeLessThan(60);
		expect(centre(second).y - centre(first).y).toBeCloseTo(51.2, -1);
		expect(result.imageSize).toEqual({ width: 800, height: 400 });
		expect(result.notes).toEqual([]);
	});

	it('turns upside-down lines before reading them', async () => {
		const picture = renderText({
			lines: ['Upside down but readable'],
			font: 'DejaVu Sans',
			size: 36,
			rotation: 180
		});
		const result = await recognizeText({ image: picture.image }, ctx);
		expect(characterErrorRate(readText(result), picture.text)).toBeLessThanOrEqual(0.05);
		expect(result.lines[0]?.rotated).toBe(true);
	});

	it('scales a very large image down, says so, and gives boxes on the original', async () => {
		const picture = renderText({
			lines: ['A very wide picture'],
			font: 'Liberation Serif',
			size: 120,
			minWidth: 6000,
			minHeight: 900
		});
		const result = await recognizeText({ image: picture.image }, ctx);
		expect(result.imageSize).toEqual({ width: MAX_IMAGE_SIDE, height: 614 });
		expect(result.originalSize).toEqual({ width: 6000, height: 900 });
		expect(result.notes.join(' ')).toMatch(/6000 × 900 pixels; it was scaled down to 4096 × 614/);
		expect(readText(result)).toBe(picture.text);
		const xs = result.lines[0]!.box.map((p) => p.x);
		// Centred text about 1100 px wide in the original picture.
		expect(Math.min(...xs)).toBeGreaterThan(2000);
		expect(Math.max(...xs)).toBeLessThan(4000);
	});

	it('reports the size the page scaled from, so boxes fit the original picture', async () => {
		const picture = renderText({ lines: ['Scaled by the page'], font: 'DejaVu Sans', size: 30 });
		const originalSize = { width: picture.image.width * 4, height: picture.image.height * 4 };
		const result = await recognizeText({ image: picture.image, originalSize }, ctx);
		expect(result.notes[0]).toMatch(/scaled down/);
		const xs = result.lines[0]!.box.map((p) => p.x);
		expect(Math.max(...xs)).toBeGreaterThan(picture.image.width);
	});

	it('finds nothing on a blank page and says so', async () => {
		const blank = { width: 320, height: 200, data: new Uint8ClampedArray(320 * 200 * 4).fill(255) };
		const result = await recognizeText({ image: blank }, ctx);
		expect(result.lines).toEqual([]);
		expect(result.notes).toContain('No text was found in this image.');
	});

	it('refuses an image without pixels', async () => {
		const empty = { width: 0, height: 0, data: new Uint8ClampedArray(0) };
		await expect(recognizeText({ image: empty }, ctx)).rejects.toThrow(EmptyImageError);
	});
});
