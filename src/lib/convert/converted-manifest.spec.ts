import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSampleInputs } from '../catalog/sample';
import { prepareLocalInstall } from '../store/user-models';
import { convertTfjs } from './convert';
import { CONVERTED_PATH, convertedGraph, manifestForConversion } from './converted-manifest';
import type { ConversionResult } from './types';

const MODELS = join('node_modules', '@vladmandic', 'human-models', 'models');
let result: ConversionResult;

beforeAll(async () => {
	result = convertTfjs(
		{
			modelJson: await readFile(join(MODELS, 'blazeface.json'), 'utf8'),
			shards: new Map([
				['blazeface.bin', new Uint8Array(await readFile(join(MODELS, 'blazeface.bin')))]
			])
		},
		{ name: 'blazeface' }
	);
});

describe('manifestForConversion', () => {
	it('describes the converted file as a user model whose sample runs', async () => {
		const source = {
			name: 'My faces',
			label: 'https://h.test/bf/blazeface.json',
			kind: 'url' as const
		};
		const manifest = manifestForConversion(
			source,
			result.report,
			result.onnx.byteLength,
			'ab'.repeat(32),
			convertedGraph(result.onnx),
			1000
		);
		expect(manifest.id).toMatch(/^user-my-faces-[0-9a-f]{8}$/);
		expect(manifest).toMatchObject({
			name: 'My faces',
			task: 'custom',
			origin: { kind: 'url', label: source.label, addedAt: 1000 }
		});
		expect(manifest.baseUrl).toBeUndefined();
		expect(manifest.description).toContain('graph-model https://h.test/bf/blazeface.json');
		const variant = manifest.variants[0]!;
		expect(variant.metrics).toEqual({
			parameters: result.report.parameters,
			tfjsBytes: result.report.sourceBytes
		});
		const file = variant.files[0]!;
		expect(file).toMatchObject({
			path: CONVERTED_PATH,
			bytes: result.onnx.byteLength,
			kind: 'onnx'
		});
		expect(file.graph!.inputs).toEqual(result.report.inputs);
		expect(file.graph!.sample).toEqual([
			{ name: 'input', dtype: 'float32', dims: [1, 256, 256, 3], fill: 'random' }
		]);
		// The store accepts it as a complete install...
		const install = prepareLocalInstall(manifest, variant.id, [
			{ path: CONVERTED_PATH, data: result.onnx }
		]);
		expect(install.records[0]!.bytes).toBe(result.onnx.byteLength);
		// ...and the Models page's test run, which feeds this sample, gets every output.
		const session = await ort.InferenceSession.create(result.onnx);
		try {
			const feeds = Object.fromEntries(
				Object.entries(makeSampleInputs(file.graph!)).map(([name, t]) => [
					name,
					new ort.Tensor('float32', t.data as Float32Array, t.dims)
				])
			);
			const outputs = await session.run(feeds);
			expect(Object.keys(outputs).sort()).toEqual(file.graph!.outputs.map((o) => o.name).sort());
		} finally {
			await session.release();
		}
	});

	it('gives no sample when an input size is open', () => {
		const open = convertTfjs(
			{
				modelJson: JSON.stringify({
					modelTopology: {
						node: [
							{
								name: 'x',
								op: 'Placeholder',
								attr: {
									dtype: { type: 'DT_FLOAT' },
									shape: { shape: { dim: [{ size: '-1' }, { size: '3' }] } }
								}
							},
							{ name: 'y', op: 'Relu', input: ['x'], attr: { T: { type: 'DT_FLOAT' } } }
						]
					},
					weightsManifest: []
				}),
				shards: new Map()
			},
			{ name: 'open' }
		);
		const graph = convertedGraph(open.onnx)!;
		expect(graph.inputs[0]!.dims[0]).toEqual(expect.any(String));
		expect(graph.sample).toEqual([]);
	});
});
