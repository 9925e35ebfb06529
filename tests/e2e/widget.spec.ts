/**
 * The embeddable widget in Chromium, as other sites use it: a host page on a second loopback
 * origin (127.0.0.1, another site than the widget's localhost) loads the JS client from Hearth,
 * and runs every task through it, once with third-party storage denied (Chromium's default here)
 * and once allowed, and offers storage access when it is denied (widget-security.spec.ts has the
 * rest).
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { RunOutput } from '../../src/lib/embed/protocol';
import { characterErrorRate } from '../../src/lib/tasks/ocr/metrics';
import {
	fixturePath,
	readFixtureAudio,
	readFixtureIndex
} from '../../scripts/fixtures/fixture-index';
import { drawFaces, drawFigure } from '../support/figure-image';
import { drawClock } from '../support/object-images';
import { expect, test } from '../support/fixtures';
import { connect, hostServer, type HostWindow } from '../support/embed-host';
import { readCatalog } from '../support/models-page';
import { renderText } from '../support/text-images';

const SPEECH = readFixtureIndex().fixtures['two-phrases']!;
const FACE = drawFaces(320, 240, [{ x: 160, y: 120 }]);
/**
 * Runs made by runEveryTask: digits, the same digit as a graph, embeddings, 2 VAD, OCR, faces,
 * moderation, object detection, person segmentation.
 */
const RUNS_OF_EVERY_TASK = 10;
const CLOCK = drawClock();
const FIGURE = drawFigure(200);
const RECEIPT = renderText({
	lines: ['Hearth reads text in an iframe.', 'Order 4471: 2 lamps at $19.99'],
	font: 'Liberation Serif',
	size: 30
});
const mnist = readCatalog().models.find((model) => model.id === 'mnist-mlp')!;
const MNIST_GRAPH = mnist.variants[0]!.files.find((file) => file.graph)!.graph!;
const DIGIT = MNIST_GRAPH.sample[0]!.data!;
const DIGIT_LABEL = MNIST_GRAPH.expect!.argmax!;

/** Runs every task through the client and checks each typed result. */
async function runEveryTask(page: Page, storage: 'memory' | 'indexeddb', hostOrigin: string) {
	const status = await page.evaluate(() => (window as unknown as HostWindow).h.status());
	expect(status.storage.mode).toBe(storage);
	expect(status.host).toBe(hostOrigin);
	expect(status.crossOriginIsolated).toBe(false);
	expect(status.threads).toBe(1);
	expect(status.notes.join(' ')).toContain('one thread');

	const models = await page.evaluate(() => (window as unknown as HostWindow).h.listModels());
	for (const id of ['paddleocr-v4', 'silero-vad', 'glove-embedder', 'mnist-mlp']) {
		expect(models.map((model) => model.id)).toContain(id);
	}

	const loaded = await page.evaluate(async () => {
		const host = window as unknown as HostWindow;
		host.progress = [];
		const result = await host.h.load('mnist-mlp');
		return { result, progress: host.progress };
	});
	expect(loaded.result).toMatchObject({ model: 'mnist-mlp', storage, cached: false, threads: 1 });
	expect(loaded.progress.length).toBeGreaterThan(0);
	expect(loaded.progress.at(-1)!.loadedBytes).toBe(loaded.result.bytes);

	// Digits from ImageData, and the same digit through the generic graph run.
	const digits = await page.evaluate(async (pixels) => {
		const { h } = window as unknown as HostWindow;
		const image = new ImageData(28, 28);
		pixels.forEach((value, i) => {
			image.data.set([value * 255, value * 255, value * 255, 255], i * 4);
		});
		const task = await h.run(image);
		const graph = await h.run({
			tensors: { pixels: { dtype: 'float32', dims: [1, 784], data: new Float32Array(pixels) } }
		});
		const outputs = graph.task === 'graph' ? graph.result.outputs : {};
		const probabilities = Object.values(outputs)[0]!.data as Float32Array;
		return {
			task,
			graphIsTyped: probabilities instanceof Float32Array,
			graphBest: probabilities.indexOf(Math.max(...probabilities))
		};
	}, DIGIT);
	expect(digits.task.task).toBe('digits');
	if (digits.task.task === 'digits') expect(digits.task.result.prediction).toBe(DIGIT_LABEL);
	expect(digits.graphIsTyped).toBe(true);
	expect(digits.graphBest).toBe(DIGIT_LABEL);

	// Similarity: the query is scored against each text.
	const embeddings = await page.evaluate(() =>
		(window as unknown as HostWindow).h.run(
			{
				texts: ['The cat sat on the mat.', 'Stock prices fell sharply on Monday.'],
				query: 'A kitten rested on the rug.'
			},
			{ model: 'glove-embedder' }
		)
	);
	expect(embeddings.task).toBe('embeddings');
	if (embeddings.task === 'embeddings') {
		const { scores, vectors, dims } = embeddings.result;
		expect(scores![0]).toBeGreaterThan(scores![1]! + 0.1);
		expect(vectors).toHaveLength(2 * dims);
	}

	// Voice activity: samples with their rate, and a WAV file as a Blob.
	const { samples, sampleRate } = readFixtureAudio(SPEECH);
	const wav = readFileSync(fixturePath(SPEECH.file)).toString('base64');
	const vad = await page.evaluate(
		async ({ samples, sampleRate, wav }) => {
			const { h } = window as unknown as HostWindow;
			const fromSamples = await h.run(
				{ samples: new Float32Array(samples), sampleRate },
				{ model: 'silero-vad' }
			);
			const bytes = Uint8Array.from(atob(wav), (c) => c.charCodeAt(0));
			const fromFile = await h.run(new Blob([bytes], { type: 'audio/wav' }), {
				model: 'silero-vad'
			});
			return [fromSamples, fromFile];
		},
		{ samples: Array.from(samples), sampleRate, wav }
	);
	for (const run of vad) {
		expect(run.task).toBe('vad');
		if (run.task !== 'vad') continue;
		expect(run.result.segments).toHaveLength(SPEECH.speech.length);
		SPEECH.speech.forEach((known, i) => {
			expect(Math.abs(run.result.segments[i]!.start - known.start)).toBeLessThanOrEqual(0.1);
			expect(Math.abs(run.result.segments[i]!.end - known.end)).toBeLessThanOrEqual(0.1);
		});
	}

	// OCR from a PNG Blob.
	const ocr: RunOutput = await page.evaluate(async (png) => {
		const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
		return (window as unknown as HostWindow).h.run(new Blob([bytes], { type: 'image/png' }), {
			model: 'paddleocr-v4'
		});
	}, RECEIPT.png.toString('base64'));
	expect(ocr.task).toBe('ocr');
	if (ocr.task === 'ocr') {
		const text = ocr.result.lines.map((line) => line.text).join('\n');
		expect(characterErrorRate(text, RECEIPT.text)).toBeLessThanOrEqual(0.02);
		expect(ocr.timings.inferenceMs).toBeGreaterThan(0);
	}

	// Faces from a PNG Blob: the vision tasks run through the same client.
	const face: RunOutput = await page.evaluate(async (png) => {
		const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
		return (window as unknown as HostWindow).h.run(new Blob([bytes], { type: 'image/png' }), {
			model: 'blazeface'
		});
	}, FACE.png.toString('base64'));
	expect(face.task).toBe('face');
	if (face.task === 'face') {
		expect(face.result.faces).toHaveLength(1);
		const box = face.result.faces[0]!.box;
		const drawn = FACE.faces[0]!;
		expect(Math.abs((box.x1 + box.x2) / 2 - drawn.cx)).toBeLessThan(drawn.rx / 2);
		expect(Math.abs((box.y1 + box.y2) / 2 - drawn.cy)).toBeLessThan(drawn.ry / 2);
	}

	// Image moderation from ImageData-like pixels: five classes whose probabilities sum to 1.
	const moderation: RunOutput = await page.evaluate(
		async ({ width, height, data }) =>
			(window as unknown as HostWindow).h.run(
				{ width, height, data: Uint8ClampedArray.from(data) },
				{ model: 'nsfw-mobilenet-v2' }
			),
		{ width: FACE.image.width, height: FACE.image.height, data: Array.from(FACE.image.data) }
	);
	expect(moderation.task).toBe('moderation');
	if (moderation.task === 'moderation') {
		const labels = moderation.result.classes.map((entry) => entry.label).sort();
		expect(labels).toEqual(['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']);
		const total = moderation.result.classes.reduce((sum, entry) => sum + entry.probability, 0);
		expect(total).toBeCloseTo(1, 3);
		expect(moderation.result.top).toBe(moderation.result.classes[0]!.label);
	}

	// Object detection from a PNG Blob: the drawn clock, boxed where it was drawn.
	const detection: RunOutput = await page.evaluate(async (png) => {
		const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
		return (window as unknown as HostWindow).h.run(new Blob([bytes], { type: 'image/png' }), {
			model: 'nanodet'
		});
	}, CLOCK.png.toString('base64'));
	expect(detection.task).toBe('detection');
	if (detection.task === 'detection') {
		const clock = detection.result.detections.find((found) => found.label === 'clock');
		expect(clock).toBeDefined();
		const centre = {
			x: (clock!.box.x1 + clock!.box.x2) / 2,
			y: (clock!.box.y1 + clock!.box.y2) / 2
		};
		const drawn = { x: (CLOCK.box.x1 + CLOCK.box.x2) / 2, y: (CLOCK.box.y1 + CLOCK.box.y2) / 2 };
		const size = CLOCK.box.x2 - CLOCK.box.x1;
		expect(Math.abs(centre.x - drawn.x)).toBeLessThan(size / 4);
		expect(Math.abs(centre.y - drawn.y)).toBeLessThan(size / 4);
	}

	// Person segmentation from a PNG Blob: the drawn figure; the mask comes back as bytes.
	const segmentation = await page.evaluate(async (png) => {
		const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
		const output = await (window as unknown as HostWindow).h.run(
			new Blob([bytes], { type: 'image/png' }),
			{ model: 'selfie' }
		);
		if (output.task !== 'segmentation') return { task: output.task };
		const { mask, width, height, maskWidth, coverage } = output.result;
		return {
			task: output.task,
			bytes: mask instanceof Uint8Array,
			width,
			height,
			maskWidth,
			coverage
		};
	}, FIGURE.png.toString('base64'));
	expect(segmentation).toMatchObject({
		task: 'segmentation',
		bytes: true,
		width: 200,
		height: 420,
		maskWidth: 256
	});
	expect(segmentation.coverage).toBeGreaterThan(0.15);
	expect(segmentation.coverage).toBeLessThan(0.6);

	const before = await page.evaluate(() => (window as unknown as HostWindow).h.status());
	expect(before.loaded).toHaveLength(8);
	expect(before.memory.modelBytes > 0).toBe(storage === 'memory');
	const unloaded = await page.evaluate(() => (window as unknown as HostWindow).h.unload());
	expect(unloaded).toBeGreaterThanOrEqual(8);
	const after = await page.evaluate(() => (window as unknown as HostWindow).h.status());
	expect(after.loaded).toEqual([]);
	expect(after.memory.modelBytes).toBe(0);
}

test.describe('with third-party storage denied', () => {
	test('every task runs from memory through the client, and says why', async ({ page, site }) => {
		test.setTimeout(300_000);
		const { server, origin } = await hostServer();
		try {
			await page.goto(`${origin}/?hearth=${encodeURIComponent(site.url('/'))}`);
			await connect(page, site, { headless: true });
			await runEveryTask(page, 'memory', origin);
			const metrics = await page.evaluate(() => (window as unknown as HostWindow).h.metrics());
			expect(metrics.stored).toBeNull();
			expect(metrics.storedError?.code).toBe('storage-unavailable');
			expect(metrics.session.runs).toBe(RUNS_OF_EVERY_TASK);
			expect(metrics.session.runMs).toHaveLength(RUNS_OF_EVERY_TASK);
			// Each model file was fetched once, from the widget's own site; the host's server saw
			// nothing but its page: no model, input or result left the browser.
			const mnistFiles = mnist.variants[0]!.files.length;
			expect(site.log.filter((entry) => entry.path.includes('/models/mnist-mlp/'))).toHaveLength(
				mnistFiles
			);
			expect(server.log.map((entry) => entry.path)).toEqual(['/']);
		} finally {
			await server.close();
		}
	});

	test('the visible widget offers storage access, and answers the click', async ({
		page,
		site
	}) => {
		const { server, origin } = await hostServer();
		try {
			await page.goto(`${origin}/`);
			await connect(page, site);
			const widget = page.frameLocator('iframe[title^="Hearth"]');
			await expect(widget.getByTestId('widget')).toHaveAttribute('data-storage', 'memory');
			await expect(widget.getByTestId('widget-storage')).toContainText('third-party');
			await widget.getByRole('button', { name: 'Keep models in this browser' }).click();
			await expect(widget.getByTestId('widget-access')).toContainText(/storage access/i);
			console.log(
				`e2e widget storage access: ${await widget.getByTestId('widget-access').textContent()}`
			);
			const status = await page.evaluate(() => (window as unknown as HostWindow).h.status());
			expect(status.storage.canRequest).toBe(true);
		} finally {
			await server.close();
		}
	});
});

test.describe('with third-party storage allowed', () => {
	test.use({ thirdPartyStorage: true });

	test('every task runs from the model store, and the Monitor keeps this host’s runs', async ({
		page,
		site
	}) => {
		test.setTimeout(300_000);
		const { server, origin } = await hostServer();
		try {
			await page.goto(`${origin}/`);
			await connect(page, site, { headless: true });
			await runEveryTask(page, 'indexeddb', origin);
			await expect
				.poll(
					async () =>
						(await page.evaluate(() => (window as unknown as HostWindow).h.metrics())).stored
							?.length,
					{ timeout: 15_000 }
				)
				.toBe(RUNS_OF_EVERY_TASK);
			const metrics = await page.evaluate(() => (window as unknown as HostWindow).h.metrics());
			for (const record of metrics.stored!) {
				expect(record).toMatchObject({ source: 'widget', origin, ok: true });
			}
			// A new widget finds the models stored: nothing is downloaded again.
			await page.reload();
			await connect(page, site, { headless: true, model: 'mnist-mlp' });
			const again = await page.evaluate(() =>
				(window as unknown as HostWindow).h.load('mnist-mlp')
			);
			expect(again).toMatchObject({ storage: 'indexeddb', cached: true });
		} finally {
			await server.close();
		}
	});
});
