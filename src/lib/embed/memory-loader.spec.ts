import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestFileServer } from '../../../tests/support/file-server';
import type { ModelFile, ModelVariant } from '$lib/catalog/manifest';
import { errorCode } from '$lib/errors';
import { fetchVariantIntoMemory, type MemoryLoadProgress } from './memory-loader';

const model = randomBytes(300_000);
const keys = Buffer.from('a\nb\nc\n');
let root: string;
let server: TestFileServer;

const describeFile = (path: string, data: Buffer): ModelFile => ({
	path,
	bytes: data.length,
	sha256: createHash('sha256').update(data).digest('hex'),
	kind: path.endsWith('.onnx') ? 'onnx' : 'vocabulary',
	role: path
});

const variant: ModelVariant = {
	id: 'fp32',
	name: 'fp32',
	description: '',
	precision: 'fp32',
	files: [describeFile('model.onnx', model), describeFile('keys.txt', keys)]
};

beforeAll(async () => {
	root = await mkdtemp(join(tmpdir(), 'hearth-memory-'));
	await writeFile(join(root, 'model.onnx'), model);
	await writeFile(join(root, 'keys.txt'), keys);
	server = new TestFileServer(root, '/m');
	await server.start();
});

afterAll(async () => {
	await server.close();
	await rm(root, { recursive: true, force: true });
});

beforeEach(() => server.faults.clear());

async function codeOf(work: () => Promise<unknown>): Promise<string> {
	try {
		await work();
	} catch (error) {
		return errorCode(error);
	}
	return 'no error';
}

describe('fetchVariantIntoMemory', () => {
	it('fetches and verifies every file, reporting progress over the whole variant', async () => {
		const progress: MemoryLoadProgress[] = [];
		const files = await fetchVariantIntoMemory(variant, server.url('/'), {
			onProgress: (p) => progress.push(p)
		});
		expect(Buffer.from(files['model.onnx']!).equals(model)).toBe(true);
		expect(Buffer.from(files['keys.txt']!).equals(keys)).toBe(true);
		const total = model.length + keys.length;
		expect(progress.at(-1)).toEqual({ loadedBytes: total, totalBytes: total, file: 'keys.txt' });
		for (let i = 1; i < progress.length; i++) {
			expect(progress[i]!.loadedBytes).toBeGreaterThan(progress[i - 1]!.loadedBytes);
		}
	});

	it('refuses a damaged file, a missing file and a cut connection with their codes', async () => {
		server.faults.set('/model.onnx', { kind: 'corrupt' });
		expect(await codeOf(() => fetchVariantIntoMemory(variant, server.url('/')))).toBe('integrity');
		server.faults.set('/model.onnx', { kind: 'not-found' });
		expect(await codeOf(() => fetchVariantIntoMemory(variant, server.url('/')))).toBe('not-found');
		server.faults.set('/model.onnx', { kind: 'cut', afterBytes: 1000, times: 1 });
		expect(await codeOf(() => fetchVariantIntoMemory(variant, server.url('/')))).toMatch(
			/^(network|integrity)$/
		);
		server.faults.set('/keys.txt', { kind: 'append', text: 'more' });
		expect(await codeOf(() => fetchVariantIntoMemory(variant, server.url('/')))).toBe('integrity');
	});
});
