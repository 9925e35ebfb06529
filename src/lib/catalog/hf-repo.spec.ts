import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestFileServer } from '../../../tests/support/file-server';
import {
	checkRepoId,
	discoverRepo,
	normalizeHost,
	parseHubListing,
	parseOnnxPath,
	planRepoVariants,
	type RepoFile
} from './hf-repo';

describe('parseOnnxPath', () => {
	it('tells variants apart by the file suffix transformers.js uses', () => {
		expect(parseOnnxPath('onnx/model.onnx')).toEqual({ variant: 'fp32', graph: 'model' });
		expect(parseOnnxPath('onnx/model_fp16.onnx')).toEqual({ variant: 'fp16', graph: 'model' });
		expect(parseOnnxPath('onnx/model_quantized.onnx')).toEqual({ variant: 'q8', graph: 'model' });
		expect(parseOnnxPath('onnx/model_q4.onnx')).toEqual({ variant: 'q4', graph: 'model' });
		expect(parseOnnxPath('onnx/model_q4f16.onnx')).toEqual({ variant: 'q4f16', graph: 'model' });
		expect(parseOnnxPath('onnx/decoder_model_merged_int8.onnx')).toEqual({
			variant: 'int8',
			graph: 'decoder_model_merged'
		});
		expect(parseOnnxPath('onnx/encoder_model.onnx')).toEqual({
			variant: 'fp32',
			graph: 'encoder_model'
		});
	});

	it('ignores files outside onnx/ and side files', () => {
		expect(parseOnnxPath('model.onnx')).toBeNull();
		expect(parseOnnxPath('onnx/model.onnx_data')).toBeNull();
		expect(parseOnnxPath('onnx/sub/model.onnx')).toBeNull();
	});
});

describe('planRepoVariants', () => {
	const file = (path: string, bytes = 10, sha256?: string): RepoFile => ({ path, bytes, sha256 });

	it('makes one variant per suffix, each with its graphs and every tokenizer and config file', () => {
		const { variants, skipped } = planRepoVariants([
			file('config.json'),
			file('tokenizer.json'),
			file('tokenizer_config.json'),
			file('README.md'),
			file('onnx/encoder_model.onnx'),
			file('onnx/decoder_model.onnx'),
			file('onnx/encoder_model_quantized.onnx'),
			file('onnx/decoder_model_quantized.onnx'),
			file('onnx/model_fp16.onnx', 10, 'a'.repeat(64))
		]);
		expect(skipped).toEqual([]);
		expect(variants.map((variant) => [variant.id, variant.precision])).toEqual([
			['fp32', 'fp32'],
			['fp16', 'fp16'],
			['q8', 'int8']
		]);
		const q8 = variants.find((variant) => variant.id === 'q8')!;
		expect(q8.files.map((each) => `${each.path}:${each.kind}:${each.role}`)).toEqual([
			'onnx/encoder_model_quantized.onnx:onnx:encoder_model',
			'onnx/decoder_model_quantized.onnx:onnx:decoder_model',
			'config.json:config:config',
			'tokenizer.json:tokenizer:tokenizer',
			'tokenizer_config.json:tokenizer:tokenizer_config'
		]);
		const fp16 = variants.find((variant) => variant.id === 'fp16')!.files[0]!;
		expect(fp16).toMatchObject({ sha256: 'a'.repeat(64), sha256Source: 'published' });
		expect(q8.files[0]).toMatchObject({ sha256: '', sha256Source: 'computed' });
	});

	it('leaves out variants whose weights are external data, and says why', () => {
		const { variants, skipped } = planRepoVariants([
			file('config.json'),
			file('onnx/model.onnx'),
			file('onnx/model.onnx_data'),
			file('onnx/model_q4.onnx')
		]);
		expect(variants.map((variant) => variant.id)).toEqual(['q4']);
		expect(skipped).toEqual([
			{ id: 'fp32', reason: expect.stringMatching(/onnx\/model\.onnx_data \(external data/) }
		]);
	});
});

describe('parseHubListing', () => {
	it('reads file names, sizes and LFS hashes from the hub API', () => {
		const sha = 'B'.repeat(64);
		expect(
			parseHubListing({
				id: 'owner/repo',
				siblings: [
					{ rfilename: 'config.json', size: 600 },
					{ rfilename: 'onnx/model.onnx', size: 999, lfs: { sha256: sha, size: 1000 } },
					{ rfilename: 'tokenizer.json' },
					{ nonsense: true }
				]
			})
		).toEqual([
			{ path: 'config.json', bytes: 600, sha256: undefined },
			{ path: 'onnx/model.onnx', bytes: 1000, sha256: sha.toLowerCase() },
			{ path: 'tokenizer.json', bytes: 0, sha256: undefined }
		]);
		expect(parseHubListing({ error: 'Repository not found' })).toBeNull();
		expect(parseHubListing(null)).toBeNull();
	});
});

describe('addresses', () => {
	it('normalizes hosts and checks repo ids', () => {
		expect(normalizeHost(' http://127.0.0.1:8080 ')).toBe('http://127.0.0.1:8080/');
		expect(normalizeHost('https://example.org/mirror//')).toBe('https://example.org/mirror/');
		expect(() => normalizeHost('ftp://example.org')).toThrow(/not a valid HOST/);
		expect(() => normalizeHost('example.org')).toThrow(/not a valid HOST/);
		expect(checkRepoId('/Xenova/all-MiniLM-L6-v2/')).toBe('Xenova/all-MiniLM-L6-v2');
		expect(checkRepoId('gpt2')).toBe('gpt2');
		for (const bad of ['a/b/c', '../etc', 'a b', 'owner//name', '', 'a/..b', '-x']) {
			expect(() => checkRepoId(bad), bad).toThrow(/not a valid repo id/);
		}
	});
});

describe('discoverRepo on a loopback host', () => {
	let root: string;
	let server: TestFileServer;
	const put = async (path: string, content: string | Uint8Array) => {
		await mkdir(dirname(join(root, path)), { recursive: true });
		await writeFile(join(root, path), content);
	};

	beforeAll(async () => {
		root = await mkdtemp(join(tmpdir(), 'hearth-repo-'));
		// Hub layout with an API listing that gives the graph's LFS hash but no config size.
		await put('org/listed/resolve/main/config.json', '{"model_type":"bert"}');
		await put('org/listed/resolve/main/tokenizer.json', '{}');
		await put('org/listed/resolve/main/onnx/model.onnx', new Uint8Array(100));
		await put(
			'api/models/org/listed',
			JSON.stringify({
				siblings: [
					{ rfilename: 'config.json' },
					{ rfilename: 'tokenizer.json' },
					{ rfilename: 'onnx/model.onnx', lfs: { sha256: 'c'.repeat(64), size: 100 } },
					{ rfilename: 'README.md' }
				]
			})
		);
		// Hub layout without a listing, and the transformers.js folder layout: both probed.
		await put('org/probed/resolve/main/config.json', '{}');
		await put('org/probed/resolve/main/onnx/model_quantized.onnx', new Uint8Array(7));
		await put('org/probed/resolve/main/onnx/model_fp16.onnx', new Uint8Array(9));
		await put('org/probed/resolve/main/onnx/model_fp16.onnx_data', new Uint8Array(3));
		await put('local-model/config.json', '{"a":1}');
		await put('local-model/vocab.txt', 'a\nb\n');
		await put('local-model/onnx/model.onnx', new Uint8Array(5));
		server = new TestFileServer(root, '/hub');
		await server.start();
	});

	afterAll(async () => {
		await server.close();
		await rm(root, { recursive: true, force: true });
	});

	it('uses the hub listing when the host has one', async () => {
		const found = await discoverRepo(fetch, server.url('/'), 'org/listed');
		expect(found).toMatchObject({
			layout: 'hub',
			listed: true,
			baseUrl: server.url('/org/listed/resolve/main/')
		});
		expect(found.files).toEqual([
			{ path: 'config.json', bytes: 21, sha256: undefined },
			{ path: 'tokenizer.json', bytes: 2, sha256: undefined },
			{ path: 'onnx/model.onnx', bytes: 100, sha256: 'c'.repeat(64) }
		]);
	});

	it('probes a hub without a listing, sizes by HEAD, side files included', async () => {
		const found = await discoverRepo(fetch, server.url(''), 'org/probed');
		expect(found.listed).toBe(false);
		expect(found.files.map((file) => `${file.path}=${file.bytes}`).sort()).toEqual([
			'config.json=2',
			'onnx/model_fp16.onnx=9',
			'onnx/model_fp16.onnx_data=3',
			'onnx/model_quantized.onnx=7'
		]);
		const plan = planRepoVariants(found.files);
		expect(plan.variants.map((variant) => variant.id)).toEqual(['q8']);
		expect(plan.skipped.map((skip) => skip.id)).toEqual(['fp16']);
	});

	it('finds the transformers.js folder layout', async () => {
		const found = await discoverRepo(fetch, server.url('/'), 'local-model');
		expect(found).toMatchObject({ layout: 'folder', baseUrl: server.url('/local-model/') });
		expect(found.files.map((file) => file.path).sort()).toEqual([
			'config.json',
			'onnx/model.onnx',
			'vocab.txt'
		]);
	});

	it('says which addresses it tried when the host lacks the repo', async () => {
		const missing = discoverRepo(fetch, server.url('/'), 'org/missing');
		await expect(missing).rejects.toMatchObject({ code: 'repo-not-found' });
		await expect(discoverRepo(fetch, server.url('/'), 'org/missing')).rejects.toThrow(
			`neither ${server.url('/org/missing/resolve/main/config.json')} nor ${server.url('/org/missing/config.json')}`
		);
	});

	it('explains a host that cannot be reached', async () => {
		const closed = new TestFileServer(root, '');
		const origin = await closed.start();
		await closed.close();
		await expect(discoverRepo(fetch, origin, 'org/listed')).rejects.toMatchObject({
			code: 'fetch-blocked',
			message: expect.stringMatching(/Access-Control-Allow-Origin.*Cross-Origin-Resource-Policy/)
		});
	});
});
