import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { mergeDerivedVariants } from '$lib/catalog/derived';
import type { VariantProvenance } from '$lib/catalog/manifest';
import { tinyManifest } from '$lib/catalog/manifest.fixture';
import { closeDatabase } from './db';
import { listDerivedVariants, saveDerivedVariant } from './derived-variants';
import { deleteInstall, listInstalls, readInstalledFile } from './installs';
import { sha256Hex } from './user-models';

const provenance: VariantProvenance = {
	kind: 'optimized',
	sourceInstallKey: 'tiny/fp32',
	method: 'int8-weight-only',
	parameters: { perChannel: true },
	createdAt: 1,
	details: { skipped: [] }
};

beforeEach(async () => {
	await closeDatabase();
	globalThis.indexedDB = new IDBFactory();
});

describe('saveDerivedVariant', () => {
	it('stores a complete install with sizes and hashes filled in, and its provenance', async () => {
		const model = tinyManifest([
			{ path: 'model.onnx', bytes: 3, sha256: 'a'.repeat(64), kind: 'onnx', role: 'model' }
		]);
		const bytes = new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => i % 251);
		const record = await saveDerivedVariant({
			model,
			variant: {
				id: 'int8',
				name: 'int8',
				description: 'quantized',
				precision: 'int8',
				files: [{ path: 'int8/model.onnx', bytes: 0, sha256: '', kind: 'onnx', role: 'model' }]
			},
			files: [{ path: 'int8/model.onnx', data: bytes }],
			provenance
		});
		expect(record.key).toBe('tiny/int8');
		expect(record.variant.files[0]).toMatchObject({
			bytes: bytes.byteLength,
			sha256: await sha256Hex(bytes)
		});
		const stored = await readInstalledFile('tiny/int8', 'int8/model.onnx');
		expect(Buffer.from(stored).equals(Buffer.from(bytes))).toBe(true);

		const merged = mergeDerivedVariants([model], await listDerivedVariants());
		expect(merged[0]!.variants.map((variant) => variant.id)).toEqual(['fp32', 'int8']);
		expect(merged[0]!.variants[1]!.provenance).toEqual(provenance);

		await deleteInstall('tiny/int8');
		expect(await listDerivedVariants()).toEqual([]);
	});

	it('stores nothing when a file is missing', async () => {
		const model = tinyManifest([]);
		await expect(
			saveDerivedVariant({
				model,
				variant: {
					id: 'x',
					name: 'x',
					description: '',
					precision: 'fp16',
					files: [{ path: 'x.onnx', bytes: 0, sha256: '', kind: 'onnx', role: 'model' }]
				},
				files: [],
				provenance
			})
		).rejects.toThrow(/no bytes for x.onnx/);
		expect(await listDerivedVariants()).toEqual([]);
	});
});

describe('compressed files', () => {
	it('stores a file marked compress deflated and reads back the very bytes', async () => {
		const model = tinyManifest([
			{ path: 'model.onnx', bytes: 3, sha256: 'a'.repeat(64), kind: 'onnx', role: 'model' }
		]);
		// Mostly zeros, like a pruned weight: far smaller deflated, and over one 1 MiB chunk.
		const bytes = new Uint8Array(2 * 1024 * 1024 + 7).map((_, i) => (i % 9 === 0 ? i % 251 : 0));
		await saveDerivedVariant({
			model,
			variant: {
				id: 'pruned-50',
				name: 'pruned',
				description: 'pruned',
				precision: 'fp32',
				files: [{ path: 'pruned-50/model.onnx', bytes: 0, sha256: '', kind: 'onnx', role: 'model' }]
			},
			files: [{ path: 'pruned-50/model.onnx', data: bytes, compress: true }],
			provenance
		});
		const [summary] = (await listInstalls()).filter((s) => s.record.key === 'tiny/pruned-50');
		expect(summary!.record.totalBytes).toBe(bytes.byteLength);
		expect(summary!.storedBytes).toBeLessThan(bytes.byteLength / 4);
		const read = await readInstalledFile('tiny/pruned-50', 'pruned-50/model.onnx');
		expect(read).toEqual(bytes);
		expect(await sha256Hex(read)).toBe((await listDerivedVariants())[0]!.variant.files[0]!.sha256);
	});
});
