/**
 * Adding any ONNX model: from a file (picked or dropped), from a URL, from a repo id on a second,
 * cross-origin loopback host that serves the Hugging Face / transformers.js layout. Then the
 * Inspect page's numbers and the generic runner's outputs, and every bad input the issue names.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import type { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { onnxProto } from '../../src/lib/optimize/onnx-proto';
import { TestFileServer } from '../support/file-server';
import { expect, test } from '../support/fixtures';
import { openModelsPage, storedCounts, variantRow } from '../support/models-page';
import { externalDataModel, stringInputModel } from '../support/onnx-fixtures';
import { SUB_PATH_BUILD_DIR } from '../support/workspace';

const MODELS = join(SUB_PATH_BUILD_DIR, 'models');
const MNIST = join(MODELS, 'mnist-mlp/fp32/model.onnx');
const SILERO = join(MODELS, 'silero-vad/legacy/silero_vad_legacy.onnx');
const GLOVE = join(MODELS, 'glove-embedder');
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

let root: string;
let host: TestFileServer;
let mnist: Buffer;

/** The repo host: another origin, with CORS and CORP as a real model host must send. */
test.beforeAll(async () => {
	mnist = await readFile(MNIST);
	root = await mkdtemp(join(tmpdir(), 'hearth-hub-'));
	const put = async (path: string, from: string | Uint8Array) => {
		await mkdir(dirname(join(root, path)), { recursive: true });
		if (typeof from === 'string') await copyFile(from, join(root, path));
		else await writeFile(join(root, path), from);
	};
	for (const repo of ['org/digits/resolve/main', 'local/digits']) {
		for (const shared of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
			await put(`${repo}/${shared}`, join(GLOVE, shared));
		}
		await put(`${repo}/onnx/model.onnx`, MNIST);
		await put(`${repo}/onnx/model_quantized.onnx`, SILERO);
	}
	// The folder-layout repo's fp32 graph keeps its weights in a side file.
	await put('local/digits/onnx/model.onnx_data', new Uint8Array(64));
	await put('files/mnist.onnx', MNIST);
	await put('files/notes.onnx', new TextEncoder().encode('These are notes, not a model.\n'));
	host = new TestFileServer(root, '');
	host.cors = true;
	await host.start();
});

test.afterAll(async () => {
	await host.close();
	await rm(root, { recursive: true, force: true });
});

test.beforeEach(() => {
	host.cors = true;
	host.log.length = 0;
});

const yours = (page: Page) => page.getByTestId('your-models');
const userRows = (page: Page) => yours(page).locator('li[data-testid^="variant-user-"]');

function userModelCount(page: Page): Promise<number> {
	return page.evaluate(
		() =>
			new Promise<number>((resolve, reject) => {
				const request = indexedDB.open('hearth');
				request.onerror = () => reject(request.error);
				request.onsuccess = () => {
					const db = request.result;
					if (!db.objectStoreNames.contains('userModels')) return resolve(0);
					const count = db.transaction('userModels').objectStore('userModels').count();
					count.onsuccess = () => resolve(count.result);
				};
			})
	);
}

async function expectNothingStored(page: Page) {
	expect(await storedCounts(page)).toEqual({ installs: 0, files: 0, chunks: 0 });
	expect(await userModelCount(page)).toBe(0);
	await expect(userRows(page)).toHaveCount(0);
}

async function addFile(page: Page, name: string, buffer: Uint8Array) {
	await page.getByTestId('add-file-input').setInputFiles({
		name,
		mimeType: 'application/octet-stream',
		buffer: Buffer.from(buffer)
	});
}

/** Elements of the initializers of a graph and of every subgraph in it. */
function weightsIn(graph: onnx.IGraphProto): number {
	let total = 0;
	for (const tensor of graph.initializer ?? []) {
		total += (tensor.dims ?? []).reduce<number>((product, dim) => product * Number(dim), 1);
	}
	for (const attribute of (graph.node ?? []).flatMap((node) => node.attribute ?? [])) {
		for (const subgraph of [attribute.g, ...(attribute.graphs ?? [])]) {
			if (subgraph) total += weightsIn(subgraph);
		}
	}
	return total;
}

/** What onnxruntime-node computes for the MNIST MLP on a batch of one all-zero image. */
async function mnistOnZeros() {
	const session = await ort.InferenceSession.create(MNIST);
	try {
		const feeds = { pixels: new ort.Tensor('float32', new Float32Array(784), [1, 784]) };
		const outputs = await session.run(feeds);
		return Object.fromEntries(
			Object.entries(outputs).map(([name, tensor]) => [name, [...(tensor.data as Float32Array)]])
		);
	} finally {
		await session.release();
	}
}

test('a file from disk is stored whole, inspected, run, and removed', async ({ page, site }) => {
	await openModelsPage(page, site);
	await addFile(page, 'mnist-mlp.onnx', mnist);
	await expect(page.getByTestId('add-result')).toContainText(sha256(mnist).slice(0, 16));
	const row = userRows(page);
	await expect(row).toHaveAttribute('data-state', 'ready');
	await expect(row.getByTestId('hash-note')).toHaveAttribute('data-sha256', sha256(mnist));
	await expect(yours(page).getByTestId('origin')).toContainText('mnist-mlp.onnx');
	expect(await storedCounts(page)).toEqual({ installs: 1, files: 1, chunks: 1 });

	await row.getByRole('link', { name: /^Inspect / }).click();
	await expect(page).toHaveURL(/\/hearth\/inspect\?model=user-mnist-mlp-[0-9a-f]{8}&variant=model/);
	await expect(page.getByTestId('parameters')).toHaveAttribute('data-count', '101770');
	await expect(page.getByTestId('parameters')).toContainText('101,770');
	const decoded = onnxProto.ModelProto.decode(mnist);
	await expect(page.getByTestId('ir-version')).toHaveText(String(decoded.irVersion));
	await expect(page.getByTestId('opsets')).toHaveText(`ai.onnx ${decoded.opsetImport[0]!.version}`);
	const graph = decoded.graph ?? {};
	const histogram = new Map<string, number>();
	for (const { opType } of graph.node ?? []) {
		histogram.set(opType ?? '', (histogram.get(opType ?? '') ?? 0) + 1);
	}
	const bars = page.getByTestId('operator');
	await expect(bars).toHaveCount(histogram.size);
	for (const [op, count] of histogram) {
		await expect(bars.and(page.locator(`[data-op="${op}"]`))).toHaveAttribute(
			'data-count',
			String(count)
		);
	}
	const input = page.locator('[data-testid="tensor-input"][data-name="pixels"]');
	await expect(input).toHaveAttribute('data-dims', 'batch,784');
	await expect(input).toHaveAttribute('data-dtype', 'float32');
	await expect(page.getByTestId('dtype-row')).toHaveAttribute('data-bytes', String(101_770 * 4));
	await expect(page.getByTestId('initializer')).toHaveCount(graph.initializer?.length ?? -1);
	await page.getByTestId('initializer-search').fill('bias');
	await expect(page.getByTestId('initializer')).toHaveCount(2);

	// A symbolic dim nobody sized is a clear error; sizing it runs the model.
	await page.getByTestId('run').click();
	await expect(page.getByTestId('runner-error')).toContainText('"batch" has no size');
	await page.locator('[data-testid="dim-size"][data-key="batch"]').fill('1');
	await page.getByTestId('fill-mode').selectOption('zeros');
	await page.getByTestId('runner-backend').selectOption('wasm');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('runner-stats')).toHaveAttribute('data-backend', 'wasm');
	await expect(page.getByTestId('runner-error')).toHaveCount(0);
	const expected = await mnistOnZeros();
	for (const [name, values] of Object.entries(expected)) {
		const output = page.locator(`[data-testid="runner-output"][data-name="${name}"]`);
		await expect(output).toHaveAttribute('data-dims', '1,10');
		await expect(output).toHaveAttribute('data-nan', '0');
		const number = async (key: string) => Number(await output.getAttribute(`data-${key}`));
		const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
		expect(await number('min')).toBeCloseTo(Math.min(...values), 5);
		expect(await number('max')).toBeCloseTo(Math.max(...values), 5);
		expect(await number('mean')).toBeCloseTo(mean, 5);
		const first = (await output.getAttribute('data-first'))!.split(',').map(Number);
		first.forEach((value, index) => expect(value).toBeCloseTo(values[index]!, 5));
	}

	await page.goto(site.url('/models'));
	await yours(page)
		.getByRole('button', { name: /^Remove .* from your models/ })
		.click();
	await yours(page).getByRole('button', { name: 'Yes, remove' }).click();
	await expect(userRows(page)).toHaveCount(0);
	await expectNothingStored(page);
});

test('a dropped file is added; the runner refuses string inputs clearly', async ({
	page,
	site
}) => {
	await openModelsPage(page, site);
	const bytes = [...stringInputModel()];
	const dataTransfer = await page.evaluateHandle((content) => {
		const transfer = new DataTransfer();
		transfer.items.add(new File([new Uint8Array(content)], 'strings.onnx'));
		return transfer;
	}, bytes);
	await page.getByTestId('drop-zone').dispatchEvent('dragover', { dataTransfer });
	await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
	await expect(page.getByTestId('add-result')).toContainText('Added strings.onnx');
	await expect(userRows(page)).toHaveAttribute('data-state', 'ready');
	// No Test run for a model without a known sample: the Inspect page's runner takes its inputs.
	await expect(userRows(page).getByRole('button', { name: /^Test run/ })).toHaveCount(0);

	await userRows(page)
		.getByRole('link', { name: /^Inspect / })
		.click();
	await expect(page.getByTestId('unfillable')).toContainText('it takes strings');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('runner-error')).toHaveAttribute('data-code', 'runner-unfillable');
	await expect(page.getByTestId('runner-error')).toContainText('Input "text": it takes strings');
	await expect(page.getByTestId('runner-outputs')).toHaveCount(0);
});

test('a file that is not an ONNX model is refused and nothing is kept', async ({ page, site }) => {
	await openModelsPage(page, site);
	await addFile(page, 'notes.onnx', new TextEncoder().encode('just some notes\n'));
	const error = page.getByTestId('add-error');
	await expect(error).toHaveAttribute('data-code', 'onnx-invalid');
	await expect(error).toContainText('notes.onnx is not a valid ONNX model');
	await expectNothingStored(page);

	// The page still works: the next file goes in.
	await addFile(page, 'strings.onnx', stringInputModel());
	await expect(page.getByTestId('add-result')).toContainText('Added strings.onnx');
	await expect(page.getByTestId('add-error')).toHaveCount(0);
});

test('a model whose weights are external data is refused clearly', async ({ page, site }) => {
	await openModelsPage(page, site);
	await addFile(page, 'big.onnx', externalDataModel());
	const error = page.getByTestId('add-error');
	await expect(error).toHaveAttribute('data-code', 'onnx-external-data');
	await expect(error).toContainText('model.onnx_data');
	await expectNothingStored(page);
});

test('a URL on another host is downloaded with its hash computed, then runs', async ({
	page,
	site
}) => {
	await openModelsPage(page, site);
	await page.getByTestId('add-url-input').fill(host.url('/files/mnist.onnx'));
	await page.getByRole('button', { name: 'Add from URL' }).click();
	await expect(page.getByTestId('add-result')).toContainText('computed on download');
	const row = userRows(page);
	await expect(row).toHaveAttribute('data-state', 'ready');
	await expect(row.getByTestId('hash-note')).toHaveAttribute('data-sha256', sha256(mnist));
	await expect(row.getByTestId('hash-note')).toContainText('no published hash');
	const requests = host.requestsFor('/files/mnist.onnx');
	expect(requests.map((entry) => entry.method)).toEqual(['HEAD', 'GET']);
	expect(requests[1]!.bytesSent).toBe(mnist.length);

	await row.getByRole('link', { name: /^Inspect / }).click();
	await expect(page.getByTestId('parameters')).toHaveAttribute('data-count', '101770');
	await page.locator('[data-testid="dim-size"][data-key="batch"]').fill('2');
	await page.getByTestId('run').click();
	const logits = page.locator('[data-testid="runner-output"][data-name="logits"]');
	await expect(logits).toHaveAttribute('data-dims', '2,10');
});

test('a URL that answers 404 is refused and nothing is kept', async ({ page, site }) => {
	await openModelsPage(page, site);
	const missing = host.url('/files/missing.onnx');
	await page.getByTestId('add-url-input').fill(missing);
	await page.getByRole('button', { name: 'Add from URL' }).click();
	const error = page.getByTestId('add-error');
	await expect(error).toHaveAttribute('data-code', 'url-not-found');
	await expect(error).toContainText(`The server answered 404 for ${missing}`);
	await expectNothingStored(page);
	await expect(page.getByRole('button', { name: 'Add from URL' })).toBeEnabled();
});

test('a URL whose bytes are not a model is downloaded, refused and removed', async ({
	page,
	site
}) => {
	await openModelsPage(page, site);
	await page.getByTestId('add-url-input').fill(host.url('/files/notes.onnx'));
	await page.getByRole('button', { name: 'Add from URL' }).click();
	await expect(page.getByTestId('add-error')).toHaveAttribute('data-code', 'onnx-invalid');
	expect(host.requestsFor('/files/notes.onnx').some((entry) => entry.method === 'GET')).toBe(true);
	await expectNothingStored(page);
});

test('a host without CORS headers gets an error that explains CORS and CORP', async ({
	page,
	site
}) => {
	host.cors = false;
	await openModelsPage(page, site);
	await page.getByTestId('add-url-input').fill(host.url('/files/mnist.onnx'));
	await page.getByRole('button', { name: 'Add from URL' }).click();
	const error = page.getByTestId('add-error');
	await expect(error).toHaveAttribute('data-code', 'fetch-blocked');
	await expect(error).toContainText('Access-Control-Allow-Origin');
	await expect(error).toContainText('Cross-Origin-Resource-Policy: cross-origin');
	await expectNothingStored(page);
});

test('a repo id on a hub-layout host lists its variants; one downloads and runs', async ({
	page,
	site
}) => {
	await openModelsPage(page, site);
	await page.getByTestId('add-host-input').fill(host.origin);
	await page.getByTestId('add-repo-input').fill('org/digits');
	await page.getByRole('button', { name: 'Find variants' }).click();
	await expect(page.getByTestId('add-result')).toContainText('Found 2 variants of org/digits');
	await expect(page.getByTestId('add-result')).toContainText('found by probing');
	const rows = userRows(page);
	await expect(rows).toHaveCount(2);
	await expect(rows.first()).toHaveAttribute('data-testid', /-fp32$/);
	const q8 = rows.and(page.locator('[data-testid$="-q8"]'));
	await expect(q8).toContainText('onnx/model_quantized.onnx, config.json, tokenizer.json');
	expect(await userModelCount(page)).toBe(1);
	expect(await storedCounts(page)).toEqual({ installs: 0, files: 0, chunks: 0 });

	await q8.getByRole('button', { name: /^Download / }).click();
	await expect(q8).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
	expect((await storedCounts(page)).files).toBe(4); // the graph, config and two tokenizer files
	await expect(rows.first()).toHaveAttribute('data-state', 'absent');
	const silero = await readFile(SILERO);
	await expect(q8.getByTestId('hash-note')).toHaveAttribute('data-sha256', sha256(silero));

	await q8.getByRole('link', { name: /^Inspect / }).click();
	// Silero keeps its 8 kHz and 16 kHz networks in If branches: their weights count too.
	await expect(page.getByTestId('parameters')).toHaveAttribute(
		'data-count',
		String(weightsIn(onnxProto.ModelProto.decode(silero).graph!))
	);
	await expect(page.locator('[data-testid="tensor-input"][data-name="sr"]')).toHaveAttribute(
		'data-dtype',
		'int64'
	);
});

test('the transformers.js folder layout works; a variant with external data is left out', async ({
	page,
	site
}) => {
	await openModelsPage(page, site);
	await page.getByTestId('add-host-input').fill(host.origin);
	await page.getByTestId('add-repo-input').fill('local/digits');
	await page.getByRole('button', { name: 'Find variants' }).click();
	const result = page.getByTestId('add-result');
	await expect(result).toContainText('Found 1 variant of local/digits');
	await expect(result).toContainText('Left out fp32 keeps its weights in onnx/model.onnx_data');
	await expect(userRows(page)).toHaveCount(1);
	await expect(userRows(page)).toHaveAttribute('data-testid', /-q8$/);
});

test('a repo id the host does not have is refused and nothing is kept', async ({ page, site }) => {
	await openModelsPage(page, site);
	await page.getByTestId('add-host-input').fill(host.origin);
	await page.getByTestId('add-repo-input').fill('org/nothing-here');
	await page.getByRole('button', { name: 'Find variants' }).click();
	const error = page.getByTestId('add-error');
	await expect(error).toHaveAttribute('data-code', 'repo-not-found');
	await expect(error).toContainText('has no repo "org/nothing-here"');
	await expectNothingStored(page);
});

test('every catalog variant row links to its Inspect page, which offers the download', async ({
	page,
	site
}) => {
	await openModelsPage(page, site);
	await variantRow(page, 'mnist-mlp', 'fp32')
		.getByRole('link', { name: /^Inspect / })
		.click();
	await expect(page).toHaveURL(site.url('/inspect?model=mnist-mlp&variant=fp32'));
	await expect(page.getByTestId('inspect-status')).toHaveAttribute('data-state', 'absent');
	await page.getByRole('button', { name: 'Download model' }).click();
	await expect(page.getByTestId('parameters')).toHaveAttribute('data-count', '101770');
	// Picking another model keeps the address shareable.
	await page.getByTestId('inspect-model-select').selectOption('silero-vad/legacy');
	await expect(page).toHaveURL(site.url('/inspect?model=silero-vad&variant=legacy'));
	await expect(page.getByTestId('inspect-status')).toHaveAttribute('data-state', 'absent');
	await expect(page.getByTestId('inspection')).toHaveCount(0);
	// A link to a model that is not there says so.
	await page.goto(site.url('/inspect?model=gone&variant=x'));
	await expect(page.getByTestId('inspect-missing')).toContainText('no model "gone/x"');
});
