/**
 * The Compare page on real eval sets. MNIST fp32 is compared with an int8 variant that Hearth's
 * own quantizer (src/lib/optimize) makes here from the built fp32 graph; the page is offered it
 * as a catalog variant, so the test also covers downloading missing variants in place.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import type { Catalog } from '../../src/lib/catalog/manifest';
import { optimizeOnnx } from '../../src/lib/optimize/optimize';
import { expect, test } from '../support/fixtures';
import { readCatalog } from '../support/models-page';
import { SUB_PATH_BUILD_DIR } from '../support/workspace';

test.use({
	// Routes below must see every request, so no service worker answers first.
	serviceWorkers: 'block'
});

/** The catalog with an int8 MNIST variant quantized per channel, and its file served. */
async function offerInt8Mnist(page: Page): Promise<void> {
	const catalog: Catalog = readCatalog();
	const mnist = catalog.models.find((model) => model.id === 'mnist-mlp')!;
	const fp32 = mnist.variants.find((variant) => variant.id === 'fp32')!;
	const file = fp32.files[0]!;
	const source = readFileSync(resolve(SUB_PATH_BUILD_DIR, 'models', 'mnist-mlp', file.path));
	const { bytes } = optimizeOnnx(new Uint8Array(source), 'model.onnx', {
		method: 'int8-weight-only',
		ops: ['MatMul', 'Gemm'],
		symmetric: true,
		perChannel: true
	});
	mnist.variants.push({
		...fp32,
		id: 'int8',
		name: 'int8',
		precision: 'int8',
		description: 'int8 weight-only, per channel (made by the test with Hearth’s quantizer)',
		metrics: {},
		files: [
			{
				...file,
				path: 'int8/model.onnx',
				bytes: bytes.byteLength,
				sha256: createHash('sha256').update(bytes).digest('hex')
			}
		]
	});
	await page.route('**/models/catalog.json', (route) => route.fulfill({ json: catalog }));
	await page.route('**/models/mnist-mlp/int8/model.onnx', (route) =>
		route.fulfill({ body: Buffer.from(bytes), contentType: 'application/octet-stream' })
	);
}

async function downloadedText(page: Page, button: string): Promise<string> {
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: button }).click()
	]);
	const stream = await download.createReadStream();
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** RFC 4180 rows (quoted fields may hold commas and doubled quotes). */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	for (const line of text.trimEnd().split('\r\n')) {
		const fields: string[] = [];
		const pattern = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
		let match: RegExpExecArray | null;
		while ((match = pattern.exec(line)) && match[0] !== '') {
			const raw = match[1]!;
			fields.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
			if (match[2] === '') break;
		}
		rows.push(fields);
	}
	return rows;
}

test('MNIST fp32 against int8: every figure filled, accuracy in range, exports valid', async ({
	page,
	site
}) => {
	test.setTimeout(240_000);
	await offerInt8Mnist(page);
	await page.goto(site.url('/compare?model=mnist-mlp&variants=fp32,int8'));
	await expect(page.getByTestId('compare-model-select')).toHaveValue('mnist-mlp');
	const run = page.getByTestId('compare-run');
	await expect(run).toBeDisabled();
	await page.getByTestId('compare-download-missing').click();
	for (const id of ['fp32', 'int8'])
		await expect(page.getByTestId(`compare-variant-${id}`)).toHaveAttribute('data-state', 'ready', {
			timeout: 60_000
		});

	const started = Date.now();
	await run.click();
	await expect(page.getByTestId('compare-progress')).toBeVisible();
	const results = page.getByTestId('compare-results');
	await expect(results).toBeVisible({ timeout: 180_000 });
	console.log(`MNIST fp32 vs int8 compared in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	await expect(page.getByTestId('compare-run-error')).toHaveCount(0);

	for (const id of ['fp32', 'int8']) {
		const row = page.getByTestId(`compare-row-${id}`);
		const figures = row.locator('[data-figure]');
		const names = await figures.evaluateAll((cells) =>
			cells.map((c) => c.getAttribute('data-figure'))
		);
		expect(names).toEqual(
			expect.arrayContaining([
				'onnx-bytes',
				'download-bytes',
				'load',
				'latency-wasm-1',
				'latency-wasm-all',
				'memory',
				'quality-accuracy',
				'quality-top1-agreement'
			])
		);
		for (const text of await figures.allInnerTexts()) {
			expect(text.trim()).not.toBe('');
			expect(text).not.toContain('–');
			expect(text).not.toContain('not measurable');
		}
		const accuracy = Number(
			await row.locator('[data-figure="quality-accuracy"]').getAttribute('data-value')
		);
		expect(accuracy).toBeGreaterThan(0.9);
		expect(accuracy).toBeLessThanOrEqual(1);
		const agreement = Number(
			await row.locator('[data-figure="quality-top1-agreement"]').getAttribute('data-value')
		);
		expect(agreement).toBeGreaterThanOrEqual(id === 'fp32' ? 1 : 0.97);
	}
	await expect(page.getByTestId('compare-scatter').locator('canvas')).toBeVisible();
	await expect(page.getByTestId('compare-latency-chart').locator('canvas')).toBeVisible();

	const json = JSON.parse(await downloadedText(page, 'Export JSON'));
	expect(json.format).toBe('hearth-compare');
	// ONNX Runtime's heap: more than the fp32 model it holds, less than a gigabyte.
	expect(json.variants[0].memory.source).toBe('wasm-heap');
	expect(json.variants[0].memory.bytes).toBeGreaterThan(json.variants[0].onnxBytes);
	expect(json.variants[0].memory.bytes).toBeLessThan(1e9);
	expect(json.variants.map((v: { variantId: string }) => v.variantId)).toEqual(['fp32', 'int8']);
	expect(json.variants[1].precision).toBe('int8');
	expect(json.variants[0].onnxBytes).toBeGreaterThan(json.variants[1].onnxBytes * 3);

	const rows = parseCsv(await downloadedText(page, 'Export CSV'));
	expect(rows).toHaveLength(3);
	for (const row of rows) expect(row).toHaveLength(rows[0]!.length);
	const column = (name: string) => rows[0]!.indexOf(name);
	expect(rows[1]![column('variant')]).toBe('fp32');
	expect(Number(rows[2]![column('accuracy')])).toBeCloseTo(json.variants[1].quality[0].value, 10);
	expect(Number(rows[1]![column('wasm-1_p50_ms')])).toBeGreaterThan(0);

	// Kept in IndexedDB: after a reload the comparison is listed and opens again.
	await page.reload();
	const history = page.getByTestId('compare-history');
	await expect(
		history.getByRole('button', { name: /MNIST MLP\): Full precision, int8/ })
	).toBeVisible();
	await history.getByRole('button', { name: /MNIST MLP\): Full precision, int8/ }).click();
	await expect(page.getByTestId('compare-row-int8')).toBeVisible();
});

test('a permalink restores the set-up, and the address follows changes', async ({ page, site }) => {
	await page.goto(site.url('/compare?model=silero-vad&variants=v6,v5'));
	await expect(page.getByTestId('compare-model-select')).toHaveValue('silero-vad');
	await expect(page.getByTestId('compare-reference-select')).toHaveValue('v6');
	for (const [id, checked] of [
		['v5', true],
		['v6', true],
		['legacy', false]
	] as const) {
		const box = page.getByTestId(`compare-variant-${id}`).getByRole('checkbox');
		await (checked ? expect(box).toBeChecked() : expect(box).not.toBeChecked());
	}
	await page.getByTestId('compare-reference-select').selectOption('v5');
	await page.getByTestId(`compare-variant-legacy`).getByRole('checkbox').check();
	await expect(page).toHaveURL(/\?model=silero-vad&variants=v5,v6,legacy$/);
	const link = page.getByTestId('compare-permalink');
	await expect(link).toHaveAttribute(
		'href',
		'/hearth/compare?model=silero-vad&variants=v5,v6,legacy'
	);

	await page.goto(site.url('/'));
	await page.goto(site.url('/compare?model=silero-vad&variants=v5,v6,legacy'));
	await expect(page.getByTestId('compare-reference-select')).toHaveValue('v5');
	await expect(page.getByTestId('compare-variant-legacy').getByRole('checkbox')).toBeChecked();
});

test('too few variants, or an unknown model, is a clear message and the page stays usable', async ({
	page,
	site
}) => {
	await page.goto(site.url('/compare?model=mnist-mlp&variants=fp32'));
	const problem = page.getByTestId('compare-setup-error');
	await expect(problem).toContainText('Choose at least 2 variants to compare (1 chosen)');
	await expect(page.getByTestId('compare-run')).toBeDisabled();

	await page.goto(site.url('/compare?model=no-such-model&variants=a,b'));
	await expect(page.getByTestId('compare-permalink-error')).toContainText(
		'There is no model "no-such-model"'
	);
	// Still usable: choosing a model offers its first two variants.
	await page.getByTestId('compare-model-select').selectOption('silero-vad');
	await expect(problem).toHaveCount(0);
	await expect(page.getByTestId('compare-variant-v5').getByRole('checkbox')).toBeChecked();
	await expect(page.getByTestId('compare-download-missing')).toContainText('Download 2 missing');
});
