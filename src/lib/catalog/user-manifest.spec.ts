import { describe, expect, it } from 'vitest';
import { decodeModel } from '$lib/optimize/onnx-graph';
import { stringInputModel } from '../../../tests/support/onnx-fixtures';
import { onnxProto } from '$lib/optimize/onnx-proto';
import {
	graphSpecOf,
	manifestForFile,
	manifestForRepo,
	manifestForUrl,
	splitFileUrl,
	userModelId
} from './user-manifest';

describe('userModelId', () => {
	it('is stable, URL-safe and tells different sources apart', () => {
		expect(userModelId('My Model.onnx', 'k1')).toBe(userModelId('My Model.onnx', 'k1'));
		expect(userModelId('My Model.onnx', 'k1')).toMatch(/^user-my-model-[0-9a-f]{8}$/);
		expect(userModelId('x', 'k1')).not.toBe(userModelId('x', 'k2'));
		expect(userModelId('..//', 'k')).toMatch(/^user-model-/);
	});
});

describe('splitFileUrl', () => {
	it('keeps the folder as the base and the file (with its query) as the path', () => {
		expect(splitFileUrl('https://h.example/a/b/model%20x.onnx?token=1')).toEqual({
			baseUrl: 'https://h.example/a/b/',
			path: 'model%20x.onnx?token=1',
			name: 'model x.onnx'
		});
		const { baseUrl, path } = splitFileUrl('http://127.0.0.1:9/m.onnx');
		expect(new URL(path, baseUrl).href).toBe('http://127.0.0.1:9/m.onnx');
	});

	it('refuses what is not the URL of a file', () => {
		for (const bad of ['model.onnx', 'ftp://h/m.onnx', 'https://h.example/folder/', '']) {
			expect(() => splitFileUrl(bad), bad).toThrow(/not a valid URL/);
		}
	});
});

describe('user manifests', () => {
	it('describe a file as one complete custom variant with its computed hash', () => {
		const manifest = manifestForFile('digits.onnx', 10, 'f'.repeat(64), undefined, 5);
		expect(manifest).toMatchObject({
			task: 'custom',
			origin: { kind: 'file', label: 'digits.onnx', addedAt: 5 },
			variants: [{ files: [{ sha256: 'f'.repeat(64), sha256Source: 'computed', bytes: 10 }] }]
		});
		expect(manifest.baseUrl).toBeUndefined();
	});

	it('describe a URL with its size and no hash yet, a repo with its variants', () => {
		const url = manifestForUrl('http://127.0.0.1:9/x/m.onnx', 99);
		expect(url.baseUrl).toBe('http://127.0.0.1:9/x/');
		expect(url.variants[0]!.files[0]).toMatchObject({ path: 'm.onnx', bytes: 99, sha256: '' });
		const repo = manifestForRepo('http://h/', 'org/name', 'http://h/org/name/', []);
		expect(repo).toMatchObject({ name: 'org/name', origin: { kind: 'repo', host: 'http://h/' } });
		expect(repo.id).toMatch(/^user-name-/);
	});
});

describe('graphSpecOf', () => {
	it('describes graphs in manifest terms, and gives none for element types it cannot name', () => {
		expect(graphSpecOf(decodeModel(stringInputModel()))).toEqual({
			inputs: [{ name: 'text', dtype: 'string', dims: [1] }],
			outputs: [{ name: 'same', dtype: 'string', dims: [1] }],
			sample: []
		});
		const doubled = decodeModel(stringInputModel());
		const tensorType = doubled.graph?.input?.[0]?.type?.tensorType;
		if (!tensorType) throw new Error('the fixture has no typed input');
		tensorType.elemType = 11; // float64
		const bytes = onnxProto.ModelProto.encode(doubled).finish();
		expect(graphSpecOf(decodeModel(bytes))).toBeUndefined();
	});
});
