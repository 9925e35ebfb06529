/**
 * The methods on PaddleOCR v4, a Conv/MatMul model exported by paddle2onnx with its weights in
 * Constant nodes and opset 14 graphs: fp16 keeps the detector's map and the recognizer's scores
 * (cosine >= 0.999 on pictures of text), and int8 weight-only shrinks detector and recognizer to
 * at most 0.3x while the OCR of rendered test lines reads exactly the same text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeTaskContext } from '../../../tests/support/node-task-context';
import {
	catalogFile,
	float32Input,
	runFloat,
	type CatalogFile
} from '../../../tests/support/optimize-models';
import { renderText } from '../../../tests/support/text-images';
import { toDetectionInput } from '../tasks/ocr/detection-preprocess';
import { toRecognitionInput } from '../tasks/ocr/line-preprocess';
import { recognizeText } from '../tasks/ocr/pipeline';
import { resampleRgba } from '../tasks/ocr/resample';
import { cosineSimilarity, top1Agreement } from './fidelity';
import type { OptimizeSettings } from './methods';
import { optimizeOnnx } from './optimize';

const DET = 'fp32/ch_PP-OCRv4_det_infer.onnx';
const REC = 'fp32/ch_PP-OCRv4_rec_infer.onnx';
const CLS = 'fp32/ch_ppocr_mobile_v2.0_cls_infer.onnx';
const KEYS = 6625;

const PAGES = [
	renderText({
		lines: [
			'The quick brown fox jumps over the lazy dog.',
			'Invoice 2024-07: total $1,234.56 (paid)'
		],
		font: 'DejaVu Sans',
		size: 24
	}),
	renderText({
		lines: ['Meeting moved to Friday at 10:30 in room B.', 'Please bring 3 copies of the report.'],
		font: 'Liberation Serif',
		size: 30,
		rotation: 3
	})
];

let det: CatalogFile;
let rec: CatalogFile;
let cls: CatalogFile;
let fp32Text: string[];

async function readPages(replacements: Record<string, Uint8Array>): Promise<string[]> {
	const ctx = await NodeTaskContext.forCatalogModel('paddleocr-v4', undefined, replacements);
	try {
		const texts: string[] = [];
		for (const page of PAGES) {
			const result = await recognizeText({ image: page.image }, ctx);
			texts.push(result.lines.map((line) => line.text).join('\n'));
		}
		return texts;
	} finally {
		await ctx.release();
	}
}

function detectionFeed() {
	const input = toDetectionInput(PAGES[0]!.image);
	return { x: float32Input(input.tensor, [1, 3, input.size.height, input.size.width]) };
}

function recognitionFeed() {
	const page = renderText({
		lines: ['Hearth runs ONNX models in your browser!'],
		font: 'DejaVu Sans',
		size: 28
	});
	const line = resampleRgba(
		page.image,
		Math.round((page.image.width * 48) / page.image.height),
		48
	);
	const input = toRecognitionInput(line);
	return { x: float32Input(input.tensor, [1, 3, 48, input.width]) };
}

beforeAll(async () => {
	[det, rec, cls] = await Promise.all([
		catalogFile('paddleocr-v4', DET),
		catalogFile('paddleocr-v4', REC),
		catalogFile('paddleocr-v4', CLS)
	]);
	fp32Text = await readPages({});
}, 180_000);

afterAll(() => undefined);

describe('optimizing PaddleOCR v4', () => {
	it('reads the rendered pages correctly in float32 (the baseline)', () => {
		expect(fp32Text[0]).toContain('quick brown fox');
		expect(fp32Text[1]).toContain('Friday');
	});

	it(
		'fp16 weights: detector map and recognizer scores at cosine >= 0.999',
		{ timeout: 180_000 },
		async () => {
			const fp16: OptimizeSettings = { method: 'fp16', activations: false };
			for (const [file, feed] of [
				[det, detectionFeed()],
				[rec, recognitionFeed()]
			] as const) {
				const result = optimizeOnnx(file.bytes, file.path, fp16);
				expect(result.report.bytesAfter / result.report.bytesBefore, file.path).toBeLessThan(0.55);
				const [before, after] = [
					await runFloat(file.bytes, feed),
					await runFloat(result.bytes, feed)
				];
				const name = Object.keys(before)[0]!;
				expect(
					cosineSimilarity(before[name]!.data, after[name]!.data),
					file.path
				).toBeGreaterThanOrEqual(0.999);
				if (file === rec) {
					expect(top1Agreement(before[name]!.data, after[name]!.data, KEYS)).toBeGreaterThanOrEqual(
						0.99
					);
				}
			}
		}
	);

	it(
		'int8 weight-only: detector and recognizer at most 0.3x, the same text read',
		{ timeout: 300_000 },
		async () => {
			const int8: OptimizeSettings = {
				method: 'int8-weight-only',
				ops: ['MatMul', 'Gemm', 'Conv', 'Gather'],
				symmetric: true,
				perChannel: true
			};
			const optimized: Record<string, Uint8Array> = {};
			for (const file of [det, rec, cls]) {
				const result = optimizeOnnx(file.bytes, file.path, int8);
				optimized[file.path] = result.bytes;
				if (file !== cls) {
					expect(
						result.report.bytesAfter / result.report.bytesBefore,
						file.path
					).toBeLessThanOrEqual(0.3);
				}
				expect(result.report.changes.join(' ')).toContain('DequantizeLinear');
			}
			expect(await readPages(optimized)).toEqual(fp32Text);
		}
	);

	// Their Conv forms (int4 blocks, ConvInteger's one scale per tensor) lose too much on these
	// BatchNorm-folded kernels, whose largest weights are hundreds of times their mean; the
	// transformer's MatMuls and the classifier head quantize well.
	it(
		'int4 and int8 dynamic of the MatMuls run on WASM and keep the reading',
		{ timeout: 180_000 },
		async () => {
			const feed = recognitionFeed();
			const before = await runFloat(rec.bytes, feed);
			const name = Object.keys(before)[0]!;
			for (const settings of [
				{ method: 'int4', ops: ['MatMul', 'Gemm'], blockSize: 32, symmetric: true },
				{ method: 'int8-dynamic', ops: ['MatMul', 'Gemm'] }
			] satisfies OptimizeSettings[]) {
				const result = optimizeOnnx(rec.bytes, rec.path, settings);
				const after = await runFloat(result.bytes, feed);
				const agreement = top1Agreement(before[name]!.data, after[name]!.data, KEYS);
				expect(agreement, settings.method).toBeGreaterThanOrEqual(0.8);
				expect(cosineSimilarity(before[name]!.data, after[name]!.data)).toBeGreaterThanOrEqual(
					0.97
				);
				// The MatMuls hold about 40% of the recognizer's weights.
				expect(result.report.bytesAfter).toBeLessThan(result.report.bytesBefore * 0.8);
			}
		}
	);
});
