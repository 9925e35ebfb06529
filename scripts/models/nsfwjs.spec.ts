/**
 * The catalog's converted nsfwjs MobileNetV2 against tfjs running the same model.json and shard
 * that the builder extracted from nsfwjs's bundles, on drawn pictures preprocessed as nsfwjs does
 * (tfjs ops for tfjs, the moderation task's own preprocessing for ONNX).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { drawCartoon, drawLandscape } from '../../tests/support/moderation-images';
import { toModerationInput } from '../../src/lib/tasks/moderation/preprocess';
import type { RgbaImage } from '../../src/lib/tasks/types';
import { builtFilePath, modelNamed, readBuiltCatalog, withSession } from './built-models';
import { bundledExport } from './nsfwjs/bundle';
import { NSFW_MODEL_ID, nsfwjsClassNames, readNsfwjsMobileNetV2 } from './nsfwjs';
import * as ort from 'onnxruntime-node';

const SIZE = 224;

/** nsfwjs's infer(): toFloat, divide by 255, resizeBilinear with alignCorners, batch of one. */
function nsfwjsInput(image: RgbaImage): tf.Tensor4D {
	const rgb = new Int32Array(image.width * image.height * 3);
	for (let i = 0; i < image.width * image.height; i++)
		for (let c = 0; c < 3; c++) rgb[i * 3 + c] = image.data[i * 4 + c]!;
	return tf.tidy(() => {
		const pixels = tf.tensor3d(rgb, [image.height, image.width, 3], 'int32');
		const normalized = pixels.toFloat().div(tf.scalar(255));
		return tf.image
			.resizeBilinear(normalized as tf.Tensor3D, [SIZE, SIZE], true)
			.reshape([1, SIZE, SIZE, 3]);
	});
}

describe('bundledExport', () => {
	it('reads a minified object literal without running it', () => {
		const source =
			'!function(e){module.exports=e()}(function(){return{1:[function(e,a,n){a.exports=' +
			'{a:[1,-.5,2e-3,"x\\"y"],b:!0,c:!1,d:null,"e f":{}}},{}]}})';
		expect(bundledExport(source, 'test')).toEqual({
			a: [1, -0.5, 0.002, 'x"y'],
			b: true,
			c: false,
			d: null,
			'e f': {}
		});
	});
});

describe('nsfw-mobilenet-v2', () => {
	let reference: tf.LayersModel;
	let onnxPath: string;
	beforeAll(async () => {
		await tf.setBackend('cpu');
		const { modelJson, shards } = await readNsfwjsMobileNetV2();
		const manifest = modelJson.weightsManifest as {
			paths: string[];
			weights: tf.io.WeightsManifestEntry[];
		}[];
		const bytes = manifest.flatMap((group) => group.paths.map((path) => shards.get(path)!));
		const weightData = new Uint8Array(bytes.reduce((sum, shard) => sum + shard.byteLength, 0));
		bytes.reduce((offset, shard) => (weightData.set(shard, offset), offset + shard.byteLength), 0);
		reference = await tf.loadLayersModel(
			tf.io.fromMemory({
				modelTopology: modelJson.modelTopology as object,
				weightSpecs: manifest.flatMap((group) => group.weights),
				weightData: weightData.buffer
			})
		);
		const catalog = await readBuiltCatalog();
		const model = modelNamed(catalog, NSFW_MODEL_ID);
		const file = model.variants[0]!.files.find((candidate) => candidate.role === 'classifier')!;
		onnxPath = builtFilePath(model, file);
	});

	it('keeps the ONNX file about the size of the TF.js shard (uint8 weights)', async () => {
		const { shards } = await readNsfwjsMobileNetV2();
		const catalog = await readBuiltCatalog();
		const file = modelNamed(catalog, NSFW_MODEL_ID).variants[0]!.files[0]!;
		const shardBytes = [...shards.values()].reduce((sum, shard) => sum + shard.byteLength, 0);
		expect(file.bytes).toBeLessThan(shardBytes * 1.1);
	});

	it("names nsfwjs's five classes in its output order", async () => {
		expect(await nsfwjsClassNames()).toEqual(['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']);
	});

	it('matches tfjs on drawn pictures within 1e-4, with the same top class', async () => {
		await withSession(onnxPath, async (session) => {
			for (const picture of [drawCartoon(), drawLandscape(), drawCartoon(224, 224)]) {
				const input = nsfwjsInput(picture.image);
				const ours = toModerationInput(picture.image, SIZE);
				const theirs = input.dataSync();
				let inputGap = 0;
				for (let i = 0; i < theirs.length; i++)
					inputGap = Math.max(inputGap, Math.abs(ours[i]! - theirs[i]!));
				expect(inputGap).toBeLessThanOrEqual(1e-6);

				const expected = Array.from((reference.predict(input) as tf.Tensor).dataSync());
				const outputs = await session.run({
					[session.inputNames[0]!]: new ort.Tensor('float32', ours, [1, SIZE, SIZE, 3])
				});
				const actual = Array.from(outputs[session.outputNames[0]!]!.data as Float32Array);
				const gap = Math.max(...actual.map((value, i) => Math.abs(value - expected[i]!)));
				expect(gap).toBeLessThanOrEqual(1e-4);
				expect(actual.indexOf(Math.max(...actual))).toBe(expected.indexOf(Math.max(...expected)));
			}
		});
	});
});
