import { expect, test } from '../support/fixtures';
import {
	openModelsPage,
	readCatalog,
	storedCounts,
	storedFileBytes,
	variantRow
} from '../support/models-page';

const catalog = readCatalog();
const ocr = catalog.models.find((model) => model.id === 'paddleocr-v4')!.variants[0]!;
const recognition = ocr.files.find((file) => file.role === 'recognition')!;
const detection = ocr.files.find((file) => file.role === 'detection')!;
const vad = catalog.models.find((model) => model.id === 'silero-vad')!.variants[0]!;
const vadFile = vad.files[0]!;
const MiB = 1024 * 1024;

test('shows live progress that climbs to 100%', async ({ page, site }) => {
	site.faults.set(`/models/silero-vad/${vadFile.path}`, { kind: 'throttle', bytesPerSecond: MiB });
	await openModelsPage(page, site);
	const row = variantRow(page, 'silero-vad', vad.id);
	await row.getByRole('button', { name: /^Download / }).click();
	const seen: number[] = [];
	await expect
		.poll(async () => {
			const text = await row
				.getByTestId('percent')
				.textContent({ timeout: 1000 })
				.catch(() => null);
			if (text) seen.push(Number.parseInt(text, 10));
			return seen.filter((value) => value > 0 && value < 100).length;
		})
		.toBeGreaterThanOrEqual(3);
	await expect(row.getByText(/\/s · .* left/)).toBeVisible();
	await expect(row).toHaveAttribute('data-state', 'ready');
	await expect(row.getByTestId('ready')).toHaveAttribute('data-bytes', String(vadFile.bytes));
	expect([...seen].sort((a, b) => a - b)).toEqual(seen); // never goes backwards
});

test('a reload mid-download resumes without fetching the stored bytes again', async ({
	page,
	site
}) => {
	const path = `/models/paddleocr-v4/${recognition.path}`;
	site.faults.set(path, { kind: 'throttle', bytesPerSecond: 3 * MiB });
	await openModelsPage(page, site);
	const row = variantRow(page, 'paddleocr-v4', ocr.id);
	await row.getByRole('button', { name: /^Download / }).click();
	await expect
		.poll(() => storedFileBytes(page, 'paddleocr-v4/fp32', recognition.path), { timeout: 30_000 })
		.toBeGreaterThan(2 * MiB);

	await page.reload();
	await expect(row).toHaveAttribute('data-state', 'paused');
	await expect(row.getByTestId('paused')).toContainText('Interrupted');
	const stored = await storedFileBytes(page, 'paddleocr-v4/fp32', recognition.path);
	expect(stored).toBeGreaterThan(2 * MiB);
	const before = site.requestsFor(path).length;

	await row.getByRole('button', { name: /^Resume / }).click();
	await expect(row.getByTestId('resumed-from')).toBeVisible();
	await expect(row).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });

	const resumed = site.requestsFor(path).slice(before);
	expect(resumed).toHaveLength(1);
	expect(resumed[0]).toMatchObject({ range: `bytes=${stored}-`, status: 206, start: stored });
	expect(resumed[0]!.bytesSent).toBe(recognition.bytes - stored);
	// The detection model finished before the reload and was not fetched again.
	expect(site.requestsFor(`/models/paddleocr-v4/${detection.path}`)).toHaveLength(1);
});

test('a dropped connection is retried from where it stopped', async ({ page, site }) => {
	const path = `/models/paddleocr-v4/${detection.path}`;
	site.faults.set(path, { kind: 'cut', afterBytes: Math.floor(1.5 * MiB), times: 1 });
	await openModelsPage(page, site);
	const row = variantRow(page, 'paddleocr-v4', ocr.id);
	await row.getByRole('button', { name: /^Download / }).click();
	await expect(row).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
	const [first, second] = site.requestsFor(path);
	expect(first!.cut).toBe(true);
	expect(second!.start).toBeGreaterThan(MiB);
	expect(second!.range).toBe(`bytes=${second!.start}-`);
	expect(first!.bytesSent + second!.bytesSent - detection.bytes).toBeLessThan(256 * 1024);
});

test('a lasting outage pauses with the bytes kept, and Resume finishes', async ({ page, site }) => {
	const path = `/models/silero-vad/${vadFile.path}`;
	site.faults.set(path, { kind: 'cut', afterBytes: 100 * 1024, times: 100 });
	await openModelsPage(page, site);
	const row = variantRow(page, 'silero-vad', vad.id);
	await row.getByRole('button', { name: /^Download / }).click();
	await expect(row).toHaveAttribute('data-state', 'paused', { timeout: 30_000 });
	await expect(row.getByTestId('paused')).toContainText('press Resume');
	expect(await storedFileBytes(page, 'silero-vad/v5', vadFile.path)).toBeGreaterThan(0);

	site.faults.clear();
	await row.getByRole('button', { name: /^Resume / }).click();
	await expect(row).toHaveAttribute('data-state', 'ready');
});

test('pause keeps the bytes; cancel removes everything', async ({ page, site }) => {
	const path = `/models/silero-vad/${vadFile.path}`;
	site.faults.set(path, { kind: 'throttle', bytesPerSecond: MiB / 2 });
	await openModelsPage(page, site);
	const row = variantRow(page, 'silero-vad', vad.id);
	await row.getByRole('button', { name: /^Download / }).click();
	await expect.poll(() => storedFileBytes(page, 'silero-vad/v5', vadFile.path)).toBeGreaterThan(0);
	await row.getByRole('button', { name: /^Pause / }).click();
	await expect(row).toHaveAttribute('data-state', 'paused');
	await expect(row.getByTestId('paused')).toContainText('Paused');
	expect((await storedCounts(page)).installs).toBe(1);

	await row.getByRole('button', { name: /^Resume / }).click();
	await expect(row).toHaveAttribute('data-state', 'downloading');
	await row.getByRole('button', { name: /^Cancel / }).click();
	await expect(row).toHaveAttribute('data-state', 'absent');
	expect(await storedCounts(page)).toEqual({ installs: 0, files: 0, chunks: 0 });
});
