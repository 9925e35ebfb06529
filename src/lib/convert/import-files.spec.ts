import { describe, expect, it } from 'vitest';
import { HearthError } from '../errors';
import {
	chooseModelJson,
	gatherTfjsFiles,
	modelNameFromPath,
	parseOutputNames,
	type ImportFile
} from './import-files';

const text = (value: string) => new TextEncoder().encode(value);
const modelJson = (shard = 'group1-shard1of1.bin') =>
	text(
		JSON.stringify({
			modelTopology: { node: [] },
			weightsManifest: [{ paths: [shard], weights: [] }]
		})
	);
const file = (path: string, bytes: Uint8Array = new Uint8Array(4)): ImportFile => ({ path, bytes });

function codeOf(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(HearthError);
		return (error as HearthError).code;
	}
	throw new Error('expected an error');
}

describe('chooseModelJson', () => {
	it('picks the JSON with a topology and a weights manifest among other JSON and shards', () => {
		const files = [
			file('web/group1-shard1of1.bin'),
			file('web/metadata.json', text('{"labels":["a"]}')),
			file('web/model.json', modelJson())
		];
		expect(chooseModelJson(files).path).toBe('web/model.json');
	});

	it('hands a lone non-model file to the reader, so its error says why', () => {
		expect(chooseModelJson([file('photo.png', text('\x89PNG'))]).path).toBe('photo.png');
		expect(chooseModelJson([file('data.json', text('{"a":1}')), file('x.bin')]).path).toBe(
			'data.json'
		);
	});

	it('refuses shards alone, nothing at all, and two models at once', () => {
		expect(codeOf(() => chooseModelJson([file('a.bin'), file('group1-shard2of2')]))).toBe(
			'convert-no-model-json'
		);
		expect(codeOf(() => chooseModelJson([]))).toBe('convert-no-model-json');
		expect(
			codeOf(() => chooseModelJson([file('a.json', text('{}')), file('b.txt', text('hi'))]))
		).toBe('convert-no-model-json');
		expect(
			codeOf(() =>
				chooseModelJson([file('a/model.json', modelJson()), file('b/model.json', modelJson())])
			)
		).toBe('convert-several-models');
	});
});

describe('gatherTfjsFiles', () => {
	it('keys shards relative to model.json, as model.json names them', () => {
		const shard = new Uint8Array([1, 2, 3]);
		const nested = new Uint8Array([4]);
		const files = gatherTfjsFiles([
			file('web_model/model.json', modelJson()),
			file('web_model/group1-shard1of1.bin', shard),
			file('web_model/weights/extra.bin', nested),
			file('elsewhere.bin', nested)
		]);
		expect(JSON.parse(files.modelJson as string).weightsManifest[0].paths).toEqual([
			'group1-shard1of1.bin'
		]);
		expect([...files.shards.keys()].sort()).toEqual([
			'elsewhere.bin',
			'group1-shard1of1.bin',
			'weights/extra.bin'
		]);
		expect(files.shards.get('group1-shard1of1.bin')).toBe(shard);
		expect(files.source).toBe('model.json');
	});

	it('keeps the source it is given for messages', () => {
		const files = gatherTfjsFiles([file('model.json', modelJson())], 'https://x.test/m/model.json');
		expect(files.source).toBe('https://x.test/m/model.json');
	});
});

describe('modelNameFromPath', () => {
	it('uses the file name, or the folder for model.json', () => {
		expect(modelNameFromPath('blazeface.json')).toBe('blazeface');
		expect(modelNameFromPath('mobilenet_v2/model.json')).toBe('mobilenet_v2');
		expect(modelNameFromPath('https://h.test/models/face%20mesh/model.json?x=1')).toBe('face mesh');
		expect(modelNameFromPath('model.json')).toBe('model');
		expect(modelNameFromPath('https://h.test/model.json')).toBe('model');
	});
});

describe('parseOutputNames', () => {
	it('splits on commas and spaces and drops empties', () => {
		expect(parseOutputNames(' Identity, Identity_1:0 ,,StatefulPartitionedCall:2 ')).toEqual([
			'Identity',
			'Identity_1:0',
			'StatefulPartitionedCall:2'
		]);
		expect(parseOutputNames('  ')).toEqual([]);
	});
});
