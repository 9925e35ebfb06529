/**
 * The Monitor end to end: real inferences in the runtime worker are recorded in the metrics
 * database, and the dashboard's numbers are checked against those raw records (read straight
 * from IndexedDB and computed here, independently of the app's own math). Alerts, retention and
 * export/import are driven through the page as a user would.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import type { InferenceRecord } from '../../src/lib/metrics/types';
import { expect, test } from '../support/fixtures';
import { download, openModelsPage, variantRow } from '../support/models-page';

const MNIST = 'mnist-mlp/fp32';
const PADDLE = 'paddleocr-v4/fp32';

/**
 * Every stored record, oldest first, read straight from IndexedDB (the records are kept in
 * chunks, each a JSON array: src/lib/store/metrics-chunks.ts), without creating the database.
 */
function rawRecords(page: Page): Promise<InferenceRecord[]> {
	return page.evaluate(async () => {
		const databases = await indexedDB.databases();
		if (!databases.some((database) => database.name === 'hearth-metrics')) return [];
		return new Promise<InferenceRecord[]>((resolve, reject) => {
			const request = indexedDB.open('hearth-metrics');
			request.onerror = () => reject(request.error);
			request.onsuccess = () => {
				const db = request.result;
				const all = db.transaction('chunks').objectStore('chunks').getAll();
				all.onsuccess = () => {
					db.close();
					const chunks = all.result as { json: string }[];
					const records = chunks.flatMap((chunk) => JSON.parse(chunk.json) as InferenceRecord[]);
					resolve(records.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id)));
				};
				all.onerror = () => reject(all.error);
			};
		});
	});
}

/** Linear interpolation between closest ranks, written out here so the test checks the app. */
function quantile(values: number[], q: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	const h = (sorted.length - 1) * q;
	const below = sorted[Math.floor(h)]!;
	return below + (h - Math.floor(h)) * (sorted[Math.ceil(h)]! - below);
}

/**
 * Clicks Test run on a ready variant and waits until its runs (one per graph) are stored: the
 * worker writes them within about a second.
 */
async function testRun(page: Page, installKey: string, graphs: number): Promise<InferenceRecord[]> {
	const [model, variant] = installKey.split('/') as [string, string];
	const before = await page.evaluate(() => Date.now());
	await variantRow(page, model, variant)
		.getByRole('button', { name: /^Test run / })
		.click();
	let fresh: InferenceRecord[] = [];
	await expect
		.poll(async () => {
			fresh = (await rawRecords(page)).filter(
				(record) => record.time >= before && record.installKey === installKey
			);
			return fresh.length;
		})
		.toBe(graphs);
	return fresh;
}

async function openMonitorTab(page: Page): Promise<Page> {
	const monitor = await page.context().newPage();
	monitor.on('pageerror', (error) => {
		throw error;
	});
	await monitor.goto(page.url().replace(/\/models$/, '/monitor'));
	await expect(monitor.getByTestId('monitor-total')).toContainText('runs shown');
	return monitor;
}

const summaryRow = (page: Page, installKey: string) =>
	page.locator(`[data-testid="summary-row"][data-install="${installKey}"]`);

test('the dashboard counts and percentiles equal the raw records, and update live', async ({
	page,
	site
}) => {
	await openModelsPage(page, site);
	await download(page, 'mnist-mlp', 'fp32');
	const monitor = await openMonitorTab(page);
	await expect(monitor.getByTestId('monitor-empty')).toBeVisible();

	for (let run = 0; run < 6; run++) await testRun(page, MNIST, 1);
	const records = await rawRecords(page);
	expect(records).toHaveLength(6);
	for (const record of records) {
		expect(record).toMatchObject({
			installKey: MNIST,
			task: 'graph',
			graph: 'fp32/model.onnx',
			source: 'page',
			origin: null,
			backend: 'wasm',
			ok: true,
			errorCode: null,
			inputBytes: 784 * 4
		});
		expect(record.latencyMs).toBeGreaterThanOrEqual(record.inferenceMs);
	}

	// The Monitor tab was open all along: it shows the runs without a reload.
	const row = summaryRow(monitor, MNIST);
	await expect(row).toHaveAttribute('data-count', '6');
	const latencies = records.map((record) => record.latencyMs);
	for (const [name, q] of [
		['p50', 0.5],
		['p95', 0.95],
		['p99', 0.99]
	] as const) {
		const expected = quantile(latencies, q);
		expect(Number(await row.getAttribute(`data-${name}`)), name).toBeCloseTo(expected, 9);
		await expect(row.getByTestId(name)).toHaveText(
			expected < 10 ? `${expected.toFixed(2)} ms` : `${expected.toFixed(1)} ms`
		);
	}
	await expect(row.getByTestId('error-rate')).toHaveText('0%');
	await expect(monitor.getByTestId('latency-histogram').locator('tbody tr')).not.toHaveCount(0);
	const histogramTotal = await monitor
		.getByTestId('latency-histogram')
		.locator('tbody td.num')
		.allTextContents();
	expect(histogramTotal.reduce((sum, count) => sum + Number(count), 0)).toBe(6);

	// Filters: no run came from an embedding page; the model filter keeps them all.
	await monitor.getByTestId('filter-source').selectOption('widget');
	await expect(monitor.getByTestId('monitor-empty')).toBeVisible();
	await monitor.getByTestId('filter-source').selectOption('page');
	await monitor.getByTestId('filter-model').selectOption(MNIST);
	await expect(summaryRow(monitor, MNIST)).toHaveAttribute('data-count', '6');
	await monitor.close();
});

test('an alert fires when a slow variant runs and clears after fast runs', async ({
	page,
	site
}) => {
	await openModelsPage(page, site);
	await download(page, 'mnist-mlp', 'fp32');
	await download(page, 'paddleocr-v4', 'fp32');
	// Measure both first, so the threshold sits between real latencies on this machine.
	const slowRuns = await testRun(page, PADDLE, 3);
	const fastRuns = [
		...(await testRun(page, MNIST, 1)),
		...(await testRun(page, MNIST, 1)),
		...(await testRun(page, MNIST, 1))
	];
	const slow = quantile(
		slowRuns.map((run) => run.latencyMs),
		0.95
	);
	const fast = Math.max(...fastRuns.map((run) => run.latencyMs));
	expect(slow, 'PaddleOCR must be much slower than the MNIST MLP for this test').toBeGreaterThan(
		fast * 4
	);
	const threshold = Number(Math.sqrt(slow * fast).toFixed(3));

	const monitor = await openMonitorTab(page);
	await monitor.getByTestId('rule-metric').selectOption('p95-latency');
	await monitor.getByTestId('rule-threshold').fill(String(threshold));
	await monitor.getByTestId('rule-runs').fill('3');
	await monitor.getByRole('button', { name: 'Add rule' }).click();
	// The last three runs were fast: the new rule does not fire.
	await expect(monitor.getByTestId('alert-rule')).toHaveAttribute('data-firing', 'false');

	await testRun(page, PADDLE, 3);
	await expect(page.getByTestId('alert-toast')).toHaveAttribute('data-kind', 'fired');
	await expect(page.getByTestId('alert-toast')).toContainText('Fired: p95 latency');
	await expect(page.getByTestId('alert-badge')).toContainText('1 alert');
	await expect(monitor.getByTestId('alert-rule')).toHaveAttribute('data-firing', 'true');
	await expect(monitor.getByTestId('alert-badge')).toBeVisible();

	for (let run = 0; run < 3; run++) await testRun(page, MNIST, 1);
	await expect(page.getByTestId('alert-toast')).toHaveAttribute('data-kind', 'cleared');
	await expect(page.getByTestId('alert-badge')).toHaveCount(0);
	await expect(monitor.getByTestId('alert-rule')).toHaveAttribute('data-firing', 'false');
	await expect(monitor.getByTestId('alert-history').locator('li')).toHaveCount(2);
	await expect(monitor.getByTestId('alert-history').locator('li').first()).toHaveAttribute(
		'data-kind',
		'cleared'
	);
	await page.getByRole('button', { name: /^Dismiss/ }).click();
	await expect(page.getByTestId('alert-toast')).toHaveCount(0);
	await monitor.close();
});

test('retention keeps only the newest records', async ({ page, site }) => {
	await page.goto(site.url('/monitor'));
	await page.getByTestId('max-records').fill('3');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByTestId('data-message')).toHaveText('Saved.');

	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Models' })
		.click();
	await download(page, 'mnist-mlp', 'fp32');
	const first = [...(await testRun(page, MNIST, 1)), ...(await testRun(page, MNIST, 1))];
	const later: InferenceRecord[] = [];
	for (let run = 0; run < 3; run++) later.push(...(await testRun(page, MNIST, 1)));
	const kept = await rawRecords(page);
	expect(kept.map((record) => record.id)).toEqual(later.map((record) => record.id));
	expect(kept.some((record) => first.some((old) => old.id === record.id))).toBe(false);

	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Monitor' })
		.click();
	await expect(summaryRow(page, MNIST)).toHaveAttribute('data-count', '3');
});

test('export then import round-trips as JSON and CSV; a bad file changes nothing', async ({
	page,
	site
}) => {
	await openModelsPage(page, site);
	await download(page, 'mnist-mlp', 'fp32');
	for (let run = 0; run < 3; run++) await testRun(page, MNIST, 1);
	const original = await rawRecords(page);
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Monitor' })
		.click();
	await expect(summaryRow(page, MNIST)).toHaveAttribute('data-count', '3');

	const exported: Record<'json' | 'csv', string> = { json: '', csv: '' };
	for (const format of ['json', 'csv'] as const) {
		const [file] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: `Export ${format.toUpperCase()}` }).click()
		]);
		expect(file.suggestedFilename()).toMatch(new RegExp(`^hearth-metrics-.*\\.${format}$`));
		exported[format] = await readFile((await file.path())!, 'utf8');

		await page.getByRole('button', { name: 'Clear metrics' }).click();
		await page.getByRole('button', { name: 'Delete them' }).click();
		await expect(page.getByTestId('monitor-empty')).toBeVisible();
		expect(await rawRecords(page)).toEqual([]);

		await page.getByTestId('import-file').setInputFiles({
			name: `metrics.${format}`,
			mimeType: format === 'json' ? 'application/json' : 'text/csv',
			buffer: Buffer.from(exported[format])
		});
		await expect(page.getByTestId('data-message')).toHaveText(
			`Imported 3 records from metrics.${format}.`
		);
		expect(await rawRecords(page)).toEqual(original);
		await expect(summaryRow(page, MNIST)).toHaveAttribute('data-count', '3');
	}

	// A CSV with one bad value is refused whole, and says where.
	const lines = exported.csv.split('\r\n');
	const latency = lines[0]!.split(',').indexOf('latencyMs');
	const cells = lines[2]!.split(',');
	cells[latency] = 'fast';
	lines[2] = cells.join(',');
	await page.getByRole('button', { name: 'Clear metrics' }).click();
	await page.getByRole('button', { name: 'Delete them' }).click();
	await page.getByTestId('import-file').setInputFiles({
		name: 'edited.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(lines.join('\r\n'))
	});
	await expect(page.getByTestId('data-error')).toContainText(
		'edited.csv was not imported, nothing was changed: row 3: latencyMs must be a number'
	);
	expect(await rawRecords(page)).toEqual([]);
	await page.getByTestId('import-file').setInputFiles({
		name: 'notes.json',
		mimeType: 'application/json',
		buffer: Buffer.from('{"hello": "world"}')
	});
	await expect(page.getByTestId('data-error')).toContainText('not a Hearth metrics export');
	expect(await rawRecords(page)).toEqual([]);

	// The page is still usable: the good file imports.
	await page.getByTestId('import-file').setInputFiles({
		name: 'metrics.json',
		mimeType: 'application/json',
		buffer: Buffer.from(exported.json)
	});
	await expect(page.getByTestId('data-message')).toHaveText(
		'Imported 3 records from metrics.json.'
	);
	await expect(page.getByTestId('data-error')).toHaveCount(0);
	expect(await rawRecords(page)).toEqual(original);
});
