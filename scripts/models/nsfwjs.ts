/**
 * nsfwjs's MobileNetV2 image-moderation model (five classes), converted from the TF.js
 * layers-model the package ships inside JavaScript bundles, with the same layers-model converter
 * the Import page uses (src/lib/convert/layers-to-onnx.ts). Its uint8 weights stay uint8 in the
 * ONNX file. The model ends in its own softmax; the moderation task only sorts the classes.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { MANIFEST_SCHEMA, type ModelManifest } from '../../src/lib/catalog/manifest';
import { convertLayersModel } from '../../src/lib/convert/layers-to-onnx';
import { readTfjsModel } from '../../src/lib/convert/tfjs-model';
import type { ModelBuilder } from './builder';
import { describeFile } from './describe-files';
import { writeJsonAtomic } from './files';
import { readBundledModel } from './nsfwjs/bundle';
import { installedVersion, packageDir } from './paths';

export const NSFWJS_PACKAGE = 'nsfwjs';
export const NSFW_MODEL_ID = 'nsfw-mobilenet-v2';
const SIZE = 224;
const ONNX = 'mobilenet-v2/nsfw-mobilenet-v2.onnx';
const LABELS = 'mobilenet-v2/labels.json';

/** nsfwjs's MobileNetV2 model.json and shard bytes, read from its bundles without running them. */
export async function readNsfwjsMobileNetV2() {
	const folder = join(packageDir(NSFWJS_PACKAGE), 'dist', 'models', 'mobilenet_v2');
	const bundled = await readBundledModel(folder);
	return { ...bundled, model: readTfjsModel({ ...bundled, source: 'nsfwjs MobileNetV2' }) };
}

/** The class names in output order, from nsfwjs's own table (dist/esm/nsfw_classes.js). */
export async function nsfwjsClassNames(): Promise<string[]> {
	const path = join(packageDir(NSFWJS_PACKAGE), 'dist', 'esm', 'nsfw_classes.js');
	const source = await readFile(path, 'utf8');
	const entries = [...source.matchAll(/(\d+):\s*'([A-Za-z]+)'/g)].map(
		([, index, name]) => [Number(index), name!] as const
	);
	const names = entries.sort((a, b) => a[0] - b[0]).map(([, name]) => name);
	if (names.length !== 5 || names.some((name, i) => entries[i]![0] !== i))
		throw new Error(`${path}: expected classes 0-4, found ${JSON.stringify(entries)}`);
	return names;
}

/** What the converted graph says about an all-black picture, so the test run has an answer. */
async function blackPictureClass(path: string): Promise<number> {
	const session = await ort.InferenceSession.create(path);
	try {
		const input = new ort.Tensor('float32', new Float32Array(SIZE * SIZE * 3), [1, SIZE, SIZE, 3]);
		const outputs = await session.run({ [session.inputNames[0]!]: input });
		const scores = Array.from(outputs[session.outputNames[0]!]!.data as Float32Array);
		return scores.indexOf(Math.max(...scores));
	} finally {
		await session.release();
	}
}

export const nsfwjsBuilder: ModelBuilder = {
	id: NSFW_MODEL_ID,
	packages: [NSFWJS_PACKAGE],
	moduleUrl: import.meta.url,
	async build({ outputDir, log }): Promise<ModelManifest> {
		const { model } = await readNsfwjsMobileNetV2();
		if (model.format !== 'layers-model')
			throw new Error('nsfwjs MobileNetV2 is not a layers-model');
		const { onnx, report } = convertLayersModel(model, { name: NSFW_MODEL_ID });
		log(`${report.sourceBytes} bytes of TF.js weights -> ${report.onnxBytes} bytes of ONNX`);
		const classNames = await nsfwjsClassNames();
		await mkdir(join(outputDir, 'mobilenet-v2'), { recursive: true });
		await writeFile(join(outputDir, ONNX), onnx);
		await writeJsonAtomic(join(outputDir, LABELS), { classNames });
		const input = report.inputs[0]!;
		const output = report.outputs[0]!;
		const black = await blackPictureClass(join(outputDir, ONNX));
		return {
			schema: MANIFEST_SCHEMA,
			id: NSFW_MODEL_ID,
			name: 'NSFW image moderation (MobileNetV2)',
			task: 'moderation',
			description:
				'Sorts a picture into five classes (drawing, hentai, neutral, porn, sexy) so unsafe ' +
				'images can be held back; nsfwjs reports about 90% accuracy on its test set.',
			licence: {
				spdx: 'MIT',
				note:
					'Model and package by Infinite Red (nsfwjs, MIT licence, https://github.com/infinitered/nsfwjs). ' +
					'Hearth converts its TF.js MobileNetV2 to ONNX and keeps the uint8 weights.'
			},
			source: {
				package: NSFWJS_PACKAGE,
				version: installedVersion(NSFWJS_PACKAGE),
				upstream: 'nsfwjs MobileNetV2 (224 px), https://github.com/infinitered/nsfwjs',
				build:
					"Read from the package's model.min.js and shard bundles, converted from TF.js " +
					'layers-model to ONNX (opset 18) by src/lib/convert/layers-to-onnx.ts, uint8 weights ' +
					'kept with Cast/Mul/Add.'
			},
			variants: [
				{
					id: 'mobilenet-v2',
					name: 'MobileNetV2 (224 px, 8-bit weights)',
					description:
						'The weights nsfwjs ships, 8-bit quantized as in its TF.js files; computes in float32.',
					precision: 'int8',
					files: [
						await describeFile(outputDir, ONNX, {
							kind: 'onnx',
							role: 'classifier',
							// RGB scaled to [0, 1], NHWC, as nsfwjs feeds it; a black picture here.
							sample: [
								{ name: input.name, dtype: 'float32', dims: [1, SIZE, SIZE, 3], fill: 'zeros' }
							],
							expect: { output: output.name, argmax: black, label: classNames[black]! }
						}),
						await describeFile(outputDir, LABELS, { kind: 'config', role: 'labels' })
					]
				}
			]
		};
	}
};
