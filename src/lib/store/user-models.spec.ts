import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestFileServer } from '../../../tests/support/file-server';
import type { ModelManifest } from '$lib/catalog/manifest';
import { tinyManifest } from '$lib/catalog/manifest.fixture';
import { closeDatabase, openDatabase } from './db';
import { downloadVariant } from './download';
import { deleteAllInstalls, getInstall, readInstalledFile } from './installs';
import {
	deleteUserModel,
	importLocalModel,
	listUserModels,
	saveUserModel,
	sha256Hex
} from './user-models';

const CHUNK = 64 * 1024;
const weights = randomBytes(5 * CHUNK + 17);
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

function userManifest(id: string, bytes: number, hash: string): ModelManifest {
	const manifest = tinyManifest([
		{
			path: 'model.onnx',
			bytes,
			sha256: hash,
			sha256Source: 'computed',
			kind: 'onnx',
			role: 'model'
		}
	]);
	return { ...manifest, id, origin: { kind: 'file', label: `${id}.onnx`, addedAt: 1 } };
}

async function counts() {
	const db = await openDatabase();
	return {
		userModels: await db.count('userModels'),
		installs: await db.count('installs'),
		files: await db.count('files'),
		chunks: await db.count('chunks')
	};
}

beforeEach(async () => {
	await closeDatabase();
	globalThis.indexedDB = new IDBFactory();
});

describe('sha256Hex', () => {
	it('matches Node for data larger than one hashing slice', async () => {
		const data = randomBytes((16 << 20) + 5);
		expect(await sha256Hex(data)).toBe(sha256(data));
	});
});

describe('importLocalModel', () => {
	it('stores the model complete, in chunks, readable byte for byte', async () => {
		const manifest = userManifest('user-a', weights.length, sha256(weights));
		const install = await importLocalModel(
			manifest,
			'fp32',
			[{ path: 'model.onnx', data: weights }],
			CHUNK
		);
		expect(install).toMatchObject({
			key: 'user-a/fp32',
			complete: true,
			totalBytes: weights.length
		});
		expect(await counts()).toEqual({ userModels: 1, installs: 1, files: 1, chunks: 6 });
		expect(Buffer.from(await readInstalledFile('user-a/fp32', 'model.onnx')).equals(weights)).toBe(
			true
		);
		expect((await listUserModels()).map((model) => model.id)).toEqual(['user-a']);
	});

	it('stores nothing at all when the transaction fails part-way', async () => {
		const manifest = userManifest('user-b', weights.length, sha256(weights));
		// A value IndexedDB cannot store makes the first put fail after the others were queued.
		const broken = { ...manifest, description: (() => 'x') as unknown as string };
		await expect(
			importLocalModel(broken, 'fp32', [{ path: 'model.onnx', data: weights }], CHUNK)
		).rejects.toThrow();
		expect(await counts()).toEqual({ userModels: 0, installs: 0, files: 0, chunks: 0 });
	});

	it('refuses bytes that do not match the manifest before writing anything', async () => {
		const manifest = userManifest('user-c', weights.length + 1, sha256(weights));
		await expect(
			importLocalModel(manifest, 'fp32', [{ path: 'model.onnx', data: weights }])
		).rejects.toThrow(/size or hash/);
		expect(await counts()).toEqual({ userModels: 0, installs: 0, files: 0, chunks: 0 });
	});
});

describe('deleteUserModel', () => {
	it('removes the model and its installs, and nothing of other models', async () => {
		for (const id of ['user-a', 'user-b']) {
			const manifest = userManifest(id, weights.length, sha256(weights));
			await importLocalModel(manifest, 'fp32', [{ path: 'model.onnx', data: weights }], CHUNK);
		}
		await deleteUserModel('user-a');
		expect(await counts()).toEqual({ userModels: 1, installs: 1, files: 1, chunks: 6 });
		expect(await getInstall('user-b/fp32')).toBeDefined();
		await deleteAllInstalls();
		expect(await counts()).toEqual({ userModels: 0, installs: 0, files: 0, chunks: 0 });
	});
});

describe('downloading a file whose hash is not published', () => {
	let root: string;
	let server: TestFileServer;

	beforeAll(async () => {
		root = await mkdtemp(join(tmpdir(), 'hearth-user-'));
		await writeFile(join(root, 'model.onnx'), weights);
		server = new TestFileServer(root, '/files');
		await server.start();
	});

	afterAll(async () => {
		await server.close();
		await rm(root, { recursive: true, force: true });
	});

	const manifest = () => ({
		...userManifest('user-url', weights.length, ''),
		baseUrl: server.url('/')
	});

	it('computes the SHA-256 from the bytes and records it in the install', async () => {
		await saveUserModel(manifest());
		const record = await downloadVariant(manifest(), 'fp32', server.url('/'), {
			chunkBytes: CHUNK
		});
		const file = record.manifest.variants[0]!.files[0]!;
		expect(file).toMatchObject({ sha256: sha256(weights), sha256Source: 'computed' });
		const stored = await (await openDatabase()).get('files', ['user-url/fp32', 'model.onnx']);
		expect(stored).toMatchObject({ verified: true, sha256: sha256(weights) });
		// The listed model keeps "no published hash", so a later download is not held to this one.
		expect((await listUserModels())[0]!.variants[0]!.files[0]!.sha256).toBe('');
	});

	it('lets the finish step refuse the files, which removes everything', async () => {
		const refused = downloadVariant(manifest(), 'fp32', server.url('/'), {
			chunkBytes: CHUNK,
			finish: async (files) => {
				expect(Buffer.from(await files[0]!.read()).equals(weights)).toBe(true);
				throw new Error('not a model');
			}
		});
		await expect(refused).rejects.toThrow('not a model');
		const after = await counts();
		expect({ ...after, userModels: 0 }).toEqual({
			userModels: 0,
			installs: 0,
			files: 0,
			chunks: 0
		});
	});

	it('records the manifest the finish step returns', async () => {
		const record = await downloadVariant(manifest(), 'fp32', server.url('/'), {
			finish: async () => ({ ...manifest(), description: 'checked' })
		});
		expect(record.manifest.description).toBe('checked');
		expect(record.manifest.variants[0]!.files[0]!.sha256).toBe(sha256(weights));
		expect((await getInstall('user-url/fp32'))?.complete).toBe(true);
	});
});
