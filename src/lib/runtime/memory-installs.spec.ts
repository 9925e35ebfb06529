import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { ModelFile } from '$lib/catalog/manifest';
import { tinyManifest } from '$lib/catalog/manifest.fixture';
import { errorCode } from '$lib/errors';
import {
	forgetMemoryInstall,
	memoryInstallBytes,
	modelFiles,
	readModelFile,
	registerMemoryInstall
} from './memory-installs';

const file = (path: string, bytes: number): ModelFile => ({
	path,
	bytes,
	sha256: '0'.repeat(64),
	kind: path.endsWith('.onnx') ? 'onnx' : 'data',
	role: path
});

const manifest = tinyManifest([file('model.onnx', 3), file('keys.txt', 2)]);
const files = () => ({
	'model.onnx': new Uint8Array([1, 2, 3]),
	'keys.txt': new Uint8Array([4, 5])
});

async function codeOf(work: () => unknown): Promise<string> {
	try {
		await work();
	} catch (error) {
		return errorCode(error);
	}
	return 'no error';
}

describe('memory installs', () => {
	it('serves a registered variant from memory, without the model store', async () => {
		expect(registerMemoryInstall({ manifest, variantId: 'fp32', files: files() })).toEqual({
			installKey: 'tiny/fp32',
			bytes: 5
		});
		expect((await modelFiles('tiny/fp32')).map((f) => f.path)).toEqual(['model.onnx', 'keys.txt']);
		expect([...(await readModelFile('tiny/fp32', 'keys.txt'))]).toEqual([4, 5]);
		expect(memoryInstallBytes()).toBe(5);
		expect(await codeOf(() => readModelFile('tiny/fp32', 'other.bin'))).toBe('not-installed');

		expect(forgetMemoryInstall('tiny/fp32')).toBe(true);
		expect(memoryInstallBytes()).toBe(0);
		// Forgotten: the store is asked, and it has nothing.
		expect(await codeOf(() => readModelFile('tiny/fp32', 'keys.txt'))).toBe('not-installed');
		expect(await codeOf(() => modelFiles('tiny/fp32'))).toBe('not-installed');
	});

	it('refuses a variant with a file missing or of the wrong size', async () => {
		const missing = { 'model.onnx': new Uint8Array([1, 2, 3]) };
		expect(
			await codeOf(() => registerMemoryInstall({ manifest, variantId: 'fp32', files: missing }))
		).toBe('memory-install-incomplete');
		const short = { ...files(), 'model.onnx': new Uint8Array([1, 2]) };
		expect(
			await codeOf(() => registerMemoryInstall({ manifest, variantId: 'fp32', files: short }))
		).toBe('memory-install-incomplete');
		expect(
			await codeOf(() => registerMemoryInstall({ manifest, variantId: 'int8', files: files() }))
		).toBe('memory-install-incomplete');
		expect(memoryInstallBytes()).toBe(0);
	});
});
