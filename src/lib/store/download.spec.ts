import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestFileServer } from '../../../tests/support/file-server';
import { tinyManifest } from '$lib/catalog/manifest.fixture';
import { closeDatabase, openDatabase } from './db';
import { downloadVariant } from './download';
import { listInstalls, readInstalledFile } from './installs';
import type { DownloadProgress } from './progress';

const CHUNK = 256 * 1024;
const weights = randomBytes(3 * 1024 * 1024 + 123);
const vocab = Buffer.from('hello\nworld\n');
let root: string;
let server: TestFileServer;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const manifest = () =>
	tinyManifest([
		{
			path: 'model.onnx',
			bytes: weights.length,
			sha256: sha256(weights),
			kind: 'onnx',
			role: 'model'
		},
		{
			path: 'vocab.txt',
			bytes: vocab.length,
			sha256: sha256(vocab),
			kind: 'vocabulary',
			role: 'vocab'
		}
	]);

const download = (options: Parameters<typeof downloadVariant>[3] = {}) =>
	downloadVariant(manifest(), 'fp32', server.url('/'), {
		chunkBytes: CHUNK,
		retryDelayMs: 10,
		...options
	});

async function storedKeys() {
	const db = await openDatabase();
	return {
		installs: await db.getAllKeys('installs'),
		files: await db.getAllKeys('files'),
		chunks: await db.getAllKeys('chunks')
	};
}

beforeAll(async () => {
	root = await mkdtemp(join(tmpdir(), 'hearth-store-'));
	await writeFile(join(root, 'model.onnx'), weights);
	await writeFile(join(root, 'vocab.txt'), vocab);
});

afterAll(async () => {
	await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
	await closeDatabase();
	globalThis.indexedDB = new IDBFactory();
	server = new TestFileServer(root, '/models/tiny');
	await server.start();
});

afterEach(async () => {
	await server.close();
	Reflect.deleteProperty(globalThis, 'navigator');
});

describe('downloadVariant', () => {
	it('stores every file byte for byte and reports progress up to 100%', async () => {
		const progress: DownloadProgress[] = [];
		const record = await download({ onProgress: (p) => progress.push(p) });
		expect(record.complete).toBe(true);
		expect(Buffer.from(await readInstalledFile('tiny/fp32', 'model.onnx')).equals(weights)).toBe(
			true
		);
		expect(Buffer.from(await readInstalledFile('tiny/fp32', 'vocab.txt')).equals(vocab)).toBe(true);
		const last = progress[progress.length - 1]!;
		expect(last.phase).toBe('done');
		expect(last.receivedBytes).toBe(weights.length + vocab.length);
		expect(last.totalBytes).toBe(weights.length + vocab.length);
		expect(progress.some((p) => p.receivedBytes > 0 && p.receivedBytes < p.totalBytes)).toBe(true);
	});

	it('resumes after a dropped connection without fetching stored bytes again', async () => {
		server.faults.set('/model.onnx', { kind: 'cut', afterBytes: CHUNK * 5 + 1000, times: 1 });
		await download();
		const requests = server.requestsFor('/model.onnx');
		expect(requests).toHaveLength(2);
		expect(requests[0]!.cut).toBe(true);
		expect(requests[1]!.range).toBe(`bytes=${requests[1]!.start}-`);
		// Everything the first request delivered was kept, in-flight loss aside.
		expect(requests[1]!.start).toBeGreaterThan(CHUNK * 5);
		expect(requests[0]!.bytesSent + requests[1]!.bytesSent - weights.length).toBeLessThan(
			64 * 1024
		);
		expect(Buffer.from(await readInstalledFile('tiny/fp32', 'model.onnx')).equals(weights)).toBe(
			true
		);
	});

	it('keeps the stored bytes when aborted and resumes from them later', async () => {
		const controller = new AbortController();
		server.faults.set('/model.onnx', { kind: 'throttle', bytesPerSecond: 4 * 1024 * 1024 });
		await expect(
			download({
				signal: controller.signal,
				onProgress: (p) => {
					if (p.receivedBytes > CHUNK * 3) controller.abort();
				}
			})
		).rejects.toMatchObject({ name: 'AbortError' });
		const [paused] = await listInstalls();
		expect(paused!.record.complete).toBe(false);
		expect(paused!.storedBytes).toBeGreaterThan(CHUNK * 3);
		await expect(readInstalledFile('tiny/fp32', 'model.onnx')).rejects.toMatchObject({
			code: 'not-installed'
		});

		server.faults.clear();
		let resumedFrom = -1;
		await download({ onProgress: (p) => (resumedFrom = p.resumedFromBytes) });
		const resumed = server.requestsFor('/model.onnx').at(-1)!;
		expect(resumed.start).toBe(paused!.storedBytes);
		expect(resumedFrom).toBe(paused!.storedBytes);
		expect(Buffer.from(await readInstalledFile('tiny/fp32', 'model.onnx')).equals(weights)).toBe(
			true
		);
	});

	it('starts a file over when the server ignores Range', async () => {
		const controller = new AbortController();
		await expect(
			download({
				signal: controller.signal,
				onProgress: (p) => p.receivedBytes > CHUNK * 2 && controller.abort()
			})
		).rejects.toMatchObject({ name: 'AbortError' });
		server.faults.set('/model.onnx', { kind: 'ignore-range' });
		await download();
		expect(Buffer.from(await readInstalledFile('tiny/fp32', 'model.onnx')).equals(weights)).toBe(
			true
		);
	});

	it('rejects a corrupted file with an integrity error and keeps nothing', async () => {
		server.faults.set('/model.onnx', { kind: 'corrupt' });
		await expect(download()).rejects.toMatchObject({ code: 'integrity', message: /SHA-256/ });
		expect(await storedKeys()).toEqual({ installs: [], files: [], chunks: [] });
	});

	it('reports a missing file clearly and keeps nothing', async () => {
		server.faults.set('/vocab.txt', { kind: 'not-found' });
		await expect(download()).rejects.toMatchObject({ code: 'not-found', message: /404/ });
		expect(await storedKeys()).toEqual({ installs: [], files: [], chunks: [] });
	});

	it('refuses before downloading when the quota is too small', async () => {
		Object.defineProperty(globalThis, 'navigator', {
			configurable: true,
			value: { storage: { estimate: async () => ({ usage: 1000, quota: 1024 * 1024 }) } }
		});
		await expect(download()).rejects.toMatchObject({ code: 'insufficient-storage' });
		expect(server.log).toHaveLength(0);
		expect(await storedKeys()).toEqual({ installs: [], files: [], chunks: [] });
	});

	it('removes the partial download when storage fills up mid-way', async () => {
		const put = IDBObjectStore.prototype.put;
		let chunkPuts = 0;
		IDBObjectStore.prototype.put = function (
			this: IDBObjectStore,
			...args: Parameters<typeof put>
		) {
			if (this.name === 'chunks' && ++chunkPuts > 3) {
				throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			}
			return put.apply(this, args);
		};
		try {
			await expect(download()).rejects.toMatchObject({ code: 'storage-full' });
		} finally {
			IDBObjectStore.prototype.put = put;
		}
		expect(await storedKeys()).toEqual({ installs: [], files: [], chunks: [] });
	});
});
