import { describe, expect, it } from 'vitest';
import { HearthError } from '../errors';
import { expectedShardBytes, fetchTfjsModel, type FetchProgress } from './fetch-model';

const BASE = 'https://models.test/face/';
const manifest = {
	modelTopology: { node: [] },
	weightsManifest: [
		{
			paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
			weights: [
				{ name: 'a', shape: [2, 3], dtype: 'float32' },
				{ name: 'b', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8' } }
			]
		},
		{ paths: ['sub/extra.bin'], weights: [{ name: 'c', shape: [3], dtype: 'int32' }] }
	]
};

/** A host with these files (absolute URL -> body); everything else is a 404. */
function host(files: Record<string, Uint8Array | string>, type = 'application/octet-stream') {
	const requests: string[] = [];
	const fetcher = async (url: string) => {
		requests.push(url);
		const body = files[url];
		if (body === undefined) return new Response('missing', { status: 404 });
		return new Response(body as BodyInit, { headers: { 'Content-Type': type } });
	};
	return { fetcher, requests };
}

const complete = () => ({
	[`${BASE}model.json`]: JSON.stringify(manifest),
	[`${BASE}group1-shard1of2.bin`]: new Uint8Array(20),
	[`${BASE}group1-shard2of2.bin`]: new Uint8Array(8),
	[`${BASE}sub/extra.bin`]: new Uint8Array(12)
});

async function codeOf(run: () => Promise<unknown>): Promise<string> {
	try {
		await run();
	} catch (error) {
		expect(error).toBeInstanceOf(HearthError);
		return (error as HearthError).code;
	}
	throw new Error('expected an error');
}

describe('expectedShardBytes', () => {
	it('sums every weight at its stored width', () => {
		expect(expectedShardBytes(manifest)).toBe(24 + 4 + 12);
		expect(expectedShardBytes({})).toBeNull();
	});
});

describe('fetchTfjsModel', () => {
	it('fetches model.json, then each shard relative to it, with progress up to the total', async () => {
		const { fetcher, requests } = host(complete());
		const progress: FetchProgress[] = [];
		const files = await fetchTfjsModel(fetcher, `${BASE}model.json`, (p) => progress.push(p));
		expect(files.map((file) => [file.path, file.bytes.byteLength])).toEqual([
			['model.json', JSON.stringify(manifest).length],
			['group1-shard1of2.bin', 20],
			['group1-shard2of2.bin', 8],
			['sub/extra.bin', 12]
		]);
		expect(requests).toEqual(Object.keys(complete()));
		const total = JSON.stringify(manifest).length + 40;
		expect(progress.at(-1)).toEqual({
			file: 'sub/extra.bin',
			loadedBytes: total,
			totalBytes: total
		});
		const loaded = progress.map((p) => p.loadedBytes);
		expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
	});

	it('lists every shard the host does not have', async () => {
		const files = complete();
		delete (files as Record<string, unknown>)[`${BASE}group1-shard2of2.bin`];
		delete (files as Record<string, unknown>)[`${BASE}sub/extra.bin`];
		const { fetcher } = host(files);
		await expect(fetchTfjsModel(fetcher, `${BASE}model.json`)).rejects.toThrow(
			/group1-shard2of2\.bin, sub\/extra\.bin/
		);
		expect(await codeOf(() => fetchTfjsModel(fetcher, `${BASE}model.json`))).toBe(
			'convert-missing-shard'
		);
	});

	it('refuses what is not a model.json, a missing model.json and a web page', async () => {
		const notModel = host({ [`${BASE}model.json`]: '{"hello":"world"}' });
		expect(await codeOf(() => fetchTfjsModel(notModel.fetcher, `${BASE}model.json`))).toBe(
			'convert-not-tfjs'
		);
		const empty = host({});
		expect(await codeOf(() => fetchTfjsModel(empty.fetcher, `${BASE}model.json`))).toBe(
			'url-not-found'
		);
		const page = host({ [`${BASE}model.json`]: '<html></html>' }, 'text/html; charset=utf-8');
		expect(await codeOf(() => fetchTfjsModel(page.fetcher, `${BASE}model.json`))).toBe(
			'url-not-a-file'
		);
	});

	it('explains a fetch that gets no answer', async () => {
		const blocked = async () => {
			throw new TypeError('Failed to fetch');
		};
		expect(await codeOf(() => fetchTfjsModel(blocked, `${BASE}model.json`))).toBe('fetch-blocked');
	});
});
