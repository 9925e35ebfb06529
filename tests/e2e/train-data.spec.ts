import { createCanvas } from '@napi-rs/canvas';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { download, openModelsPage, variantRow } from '../support/models-page';
import { openTrainPage, saveResult, setUp, trainState, trainToEnd } from '../support/train-page';

const WEATHER = [
	'Heavy rain and strong winds are expected tomorrow',
	'Sunny skies with a light breeze this afternoon',
	'Snow will fall over the hills tonight',
	'A cold front brings thunder and hail',
	'Fog in the morning, clearing by noon',
	'Temperatures drop below freezing overnight',
	'Showers spreading east with gusty wind',
	'A warm and humid day with scattered storms'
];
const SPORT = [
	'The team scored twice in the second half',
	'The striker missed a penalty in the final',
	'Our goalkeeper saved three shots at the match',
	'The coach praised the players after the win',
	'The tennis champion lost the first set',
	'The runners finished the marathon in record time',
	'The club signed a new midfielder this season',
	'A late goal won the cup for the home side'
];

/** Rows with quotes, commas and a header, as a spreadsheet would save them. */
function topicsCsv(): string {
	const rows = ['text,label'];
	for (const [texts, label] of [
		[WEATHER, 'weather'],
		[SPORT, 'sport']
	] as const) {
		texts.forEach((text, i) => {
			rows.push(`"${text}, said the report",${label}`);
			rows.push(`${text.replace(/^(\w+)/, 'Today $1')},${label}`);
			rows.push(`"Update ""${i}"": ${text.toLowerCase()}",${label}`);
		});
	}
	return rows.join('\r\n');
}

async function chooseCsv(page: Page, name: string, text: string) {
	await page.getByTestId('csv-file').setInputFiles({
		name,
		mimeType: 'text/csv',
		buffer: Buffer.from(text)
	});
	await page.getByTestId('load-data').click();
}

async function downloadEmbedderHere(page: Page) {
	await page.getByRole('button', { name: 'Download model' }).click();
	await expect(page.getByTestId('task-model-status')).toHaveCount(0, { timeout: 60_000 });
}

test('a CSV of labelled texts trains a text classifier that the spam filter page runs', async ({
	page,
	site
}) => {
	await openTrainPage(page, site);
	await page.getByTestId('source-csv').check();
	await downloadEmbedderHere(page);

	// Each bad file gets its own clear message, and the page stays usable.
	const bad: [string, RegExp][] = [
		[
			'text,label\nrain all day,weather\nno label here,\ngoal!,sport\n',
			/Row 3 of the CSV has no label/
		],
		['text,label\nrain,weather\nsnow,weather\nfog,weather\n', /same label \("weather"\)/],
		['', /has no examples/]
	];
	for (const [text, message] of bad) {
		await chooseCsv(page, 'bad.csv', text);
		await expect(page.getByTestId('data-error')).toContainText(message);
		await expect(page.getByTestId('data-summary')).toHaveCount(0);
	}

	await chooseCsv(page, 'topics.csv', topicsCsv());
	const summary = page.getByTestId('data-summary');
	await expect(summary).toHaveAttribute('data-count', '48', { timeout: 30_000 });
	await expect(summary).toHaveAttribute('data-classes', '2');
	await expect(page.getByTestId('data-error')).toHaveCount(0);
	// Texts start from the text preset: the catalog spam filter's logistic head.
	await expect(page.getByTestId('model-kind')).toHaveValue('logistic');
	await expect(page.getByTestId('normalization')).toHaveValue('z-score');
	await trainToEnd(page);
	expect(
		Number.parseFloat((await page.getByTestId('validation-accuracy').textContent())!)
	).toBeGreaterThanOrEqual(80);
	const saved = await saveResult(page, 'Weather or sport');
	expect(saved.modelId).toBe('spam-classifier');

	await page.getByRole('link', { name: 'run it' }).click();
	await expect(page).toHaveURL(site.url('/run/spam'));
	await page.getByTestId('task-model-select').selectOption(saved.installKey);
	await page.getByTestId('spam-text').fill('Thick fog and icy rain all morning, with snow later');
	await page.getByRole('button', { name: 'Classify' }).click();
	await expect(page.getByTestId('spam-label')).toHaveText('weather');
	await page.getByTestId('spam-text').fill('The goalkeeper was the hero of the cup final');
	await page.getByRole('button', { name: 'Classify' }).click();
	await expect(page.getByTestId('spam-label')).toHaveText('sport');
});

test('the spam filter runs from the catalog and retrains on SpamAssassin emails in the page', async ({
	page,
	site
}) => {
	await page.goto(site.url('/run/spam'));
	await page.getByRole('button', { name: 'Download model' }).click();
	await expect(page.getByTestId('task-model-status')).toHaveCount(0, { timeout: 60_000 });
	await page.getByRole('button', { name: 'Example: Offer' }).click();
	await page.getByRole('button', { name: 'Classify' }).click();
	await expect(page.getByTestId('spam-label')).toHaveText('spam');
	await page.getByRole('button', { name: 'Example: Colleague' }).click();
	await page.getByRole('button', { name: 'Classify' }).click();
	await expect(page.getByTestId('spam-label')).toHaveText('ham');

	await openTrainPage(page, site);
	await page.getByTestId('source-spam').check();
	await downloadEmbedderHere(page);
	await page.getByTestId('spam-count').fill('1200');
	await page.getByTestId('load-data').click();
	await expect(page.getByTestId('data-summary')).toHaveAttribute('data-count', '1200', {
		timeout: 60_000
	});
	await trainToEnd(page);
	expect(
		Number.parseFloat((await page.getByTestId('validation-accuracy').textContent())!)
	).toBeGreaterThan(85);
	const saved = await saveResult(page, 'Spam head, retrained');
	await page.goto(site.url('/models'));
	const row = variantRow(page, 'spam-classifier', saved.variantId);
	await expect(row.getByTestId('provenance')).toHaveText('trained: logistic-regression');
	await page.goto(site.url('/run/spam'));
	await page.getByTestId('task-model-select').selectOption(saved.installKey);
	await page.getByRole('button', { name: 'Example: Offer' }).click();
	await page.getByRole('button', { name: 'Classify' }).click();
	await expect(page.getByTestId('spam-label')).toHaveText('spam');
});

/** Small pictures of three shapes, slightly moved and resized, named by shape. */
function shapePictures(perClass: number) {
	const files: { name: string; mimeType: string; buffer: Buffer }[] = [];
	for (const shape of ['circle', 'square', 'cross']) {
		for (let i = 0; i < perClass; i++) {
			const canvas = createCanvas(48, 48);
			const context = canvas.getContext('2d');
			context.fillStyle = '#000';
			context.fillRect(0, 0, 48, 48);
			context.strokeStyle = '#fff';
			context.fillStyle = '#fff';
			context.lineWidth = 5;
			const size = 14 + (i % 4) * 2;
			const cx = 24 + ((i % 3) - 1) * 3;
			const cy = 24 + ((i % 5) - 2) * 2;
			if (shape === 'circle') {
				context.beginPath();
				context.arc(cx, cy, size, 0, Math.PI * 2);
				context.stroke();
			} else if (shape === 'square') {
				context.fillRect(cx - size, cy - size, size * 2, size * 2);
			} else {
				context.beginPath();
				context.moveTo(cx - size, cy - size);
				context.lineTo(cx + size, cy + size);
				context.moveTo(cx + size, cy - size);
				context.lineTo(cx - size, cy + size);
				context.stroke();
			}
			files.push({
				name: `${shape}_${i}.png`,
				mimeType: 'image/png',
				buffer: canvas.toBuffer('image/png')
			});
		}
	}
	return files;
}

test('labelled pictures train one of Your models, and a teacher with other classes is refused', async ({
	page,
	site
}) => {
	await openModelsPage(page, site);
	await download(page, 'mnist-mlp', 'fp32');
	await openTrainPage(page, site);
	await page.getByTestId('source-images').check();
	await page.getByTestId('pixel-mode').selectOption('resize');
	await page.getByTestId('image-files').setInputFiles(shapePictures(12));
	await page.getByTestId('load-data').click();
	const summary = page.getByTestId('data-summary');
	await expect(summary).toHaveAttribute('data-count', '36');
	await expect(summary).toHaveAttribute('data-classes', '3');

	// The catalog digit model reads the same 784 pixels but knows ten other classes.
	await page.getByTestId('distill').check();
	await expect(page.getByTestId('teacher')).toContainText('MNIST MLP');
	await page.getByTestId('train').click();
	const error = page.getByTestId('train-error');
	await expect(error).toHaveAttribute('data-code', 'teacher-mismatch');
	await expect(error).toContainText("the data's are circle, cross, square");

	await page.getByTestId('distill').uncheck();
	await setUp(page, { 'hidden-sizes': '32', epochs: '30', 'batch-size': '8' });
	await trainToEnd(page);
	await expect(trainState(page)).toHaveAttribute('data-state', 'done');
	const saved = await saveResult(page, 'Shapes');
	await page.goto(site.url('/models'));
	const card = page.getByTestId(`model-${saved.modelId}`);
	await expect(card).toContainText('Shapes');
	await expect(
		variantRow(page, saved.modelId, saved.variantId).getByTestId('provenance')
	).toHaveText('trained: mlp');
});
