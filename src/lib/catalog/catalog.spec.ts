import { describe, expect, it } from 'vitest';
import { catalogModelBaseUrl, parseCatalog } from './catalog';
import { tinyManifest } from './manifest.fixture';

const model = tinyManifest([
	{ path: 'model.onnx', bytes: 10, sha256: 'a'.repeat(64), kind: 'onnx', role: 'model' }
]);

describe('parseCatalog', () => {
	it('accepts a well-formed catalog', () => {
		expect(parseCatalog({ schema: 1, models: [model] }).models[0]!.id).toBe('tiny');
	});

	it('rejects a wrong schema, missing variants, unsafe paths and bad hashes', () => {
		expect(() => parseCatalog({ schema: 2, models: [] })).toThrow(/schema 1/);
		expect(() => parseCatalog({ schema: 1, models: [{ ...model, variants: [] }] })).toThrow(
			/variants/
		);
		const withFile = (file: object) => ({
			schema: 1,
			models: [{ ...model, variants: [{ ...model.variants[0], files: [file] }] }]
		});
		const file = model.variants[0]!.files[0]!;
		expect(() => parseCatalog(withFile({ ...file, path: '../secret' }))).toThrow(/safe path/);
		expect(() => parseCatalog(withFile({ ...file, sha256: 'xyz' }))).toThrow(/SHA-256/);
	});
});

describe('catalogModelBaseUrl', () => {
	it('resolves catalog models under the models folder and keeps remote ones', () => {
		expect(catalogModelBaseUrl('http://h/app/models/', model)).toBe('http://h/app/models/tiny/');
		expect(catalogModelBaseUrl('http://h/models/', { ...model, baseUrl: 'https://x/r/' })).toBe(
			'https://x/r/'
		);
	});
});
