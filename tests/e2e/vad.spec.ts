/**
 * The voice activity page in Chromium with the real Silero VAD v5 model: the committed speech
 * fixtures as WAV, MP3 and OGG (decoded by WebAudio, resampled in the worker), segments checked
 * against the known speech intervals, playback, the bad inputs the issue names (silent audio,
 * a file that does not decode), and the microphone through Chromium's fake capture device.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import {
	fixturePath,
	readFixtureIndex,
	type SpeechFixture
} from '../../scripts/fixtures/fixture-index';
import { expect, test } from '../support/fixtures';
import type { TestFileServer } from '../support/file-server';

const index = readFixtureIndex();
const MIC_FIXTURE = index.fixtures['two-phrases']!;
const TOLERANCE_S = 0.1;

// Chromium's fake microphone plays a fixture (in a loop), and its fake prompt says yes.
test.use({
	chromiumArgs: [
		'--use-fake-device-for-media-stream',
		'--use-fake-ui-for-media-stream',
		`--use-file-for-fake-audio-capture=${fixturePath(MIC_FIXTURE.file)}`
	]
});

const MIME: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mpeg', ogg: 'audio/ogg' };

function fixtureFile(file: string) {
	return {
		name: file,
		mimeType: MIME[file.split('.').pop()!]!,
		buffer: readFileSync(fixturePath(file))
	};
}

async function openWithModel(page: Page, site: TestFileServer): Promise<void> {
	await page.goto(site.url('/run/vad'));
	await page.getByRole('button', { name: 'Download model' }).click();
	await expect(page.getByTestId('task-model-status')).toHaveCount(0, { timeout: 90_000 });
	await expect(page.getByTestId('mic-start')).toBeEnabled();
}

async function choose(page: Page, file: string): Promise<void> {
	await page.getByTestId('audio-file-input').setInputFiles(fixtureFile(file));
}

/** The segments on show once the page is idle again. */
async function shownSegments(page: Page): Promise<{ start: number; end: number }[]> {
	await expect(page.getByTestId('vad-status')).toHaveAttribute('data-phase', 'idle', {
		timeout: 60_000
	});
	return page
		.getByTestId('segment')
		.evaluateAll((rows) =>
			rows.map((row) => ({ start: Number(row.dataset.start), end: Number(row.dataset.end) }))
		);
}

/** Waits for the file's result and checks every boundary against the known speech. */
async function expectSpeechOf(page: Page, file: string, fixture: SpeechFixture): Promise<void> {
	await expect(page.getByTestId('speech-summary')).toContainText(`“${file}”`, { timeout: 60_000 });
	const segments = await shownSegments(page);
	expect(segments, `one segment per known phrase in ${file}`).toHaveLength(fixture.speech.length);
	const errors = fixture.speech.flatMap((known, i) => [
		Math.abs(segments[i]!.start - known.start),
		Math.abs(segments[i]!.end - known.end)
	]);
	const worst = Math.max(...errors);
	console.log(`e2e ${file}: worst boundary error ${(worst * 1000).toFixed(0)} ms`);
	expect(worst).toBeLessThanOrEqual(TOLERANCE_S);
}

test('finds the known speech in WAV, MP3 and OGG files within 100 ms, and times each stage', async ({
	page,
	site
}) => {
	await openWithModel(page, site);
	const cases: [string, SpeechFixture][] = [
		...Object.values(index.fixtures)
			.filter((fixture) => fixture.speech.length > 0)
			.map((fixture): [string, SpeechFixture] => [fixture.file, fixture]),
		...index.encoded.files.map((file): [string, SpeechFixture] => [
			file,
			index.fixtures[index.encoded.of]!
		])
	];
	for (const [file, fixture] of cases) {
		await choose(page, file);
		await expectSpeechOf(page, file, fixture);
	}

	const stats = page.getByTestId('run-stats');
	await expect(stats).toHaveAttribute('data-backend', 'wasm');
	expect(Number(await stats.getAttribute('data-threads'))).toBeGreaterThanOrEqual(1);
	const times: string[] = [];
	for (const stage of ['preprocess', 'inference', 'postprocess']) {
		const shown = await stats.getByTestId(`stage-${stage}`).textContent();
		expect(shown).toMatch(/\d+(\.\d+)? (ms|s)/);
		times.push(`${stage} ${shown}`);
	}
	console.log(`e2e two-phrases.ogg on WASM: ${times.join(', ')}`);
	const graph = page.getByTestId('probability-graph');
	const frames = Math.ceil(index.fixtures[index.encoded.of]!.duration / 0.032);
	expect(Math.abs(Number(await graph.getAttribute('data-frames')) - frames)).toBeLessThanOrEqual(1);
});

test('runs the file again on another model (v4, 96 ms frames) when it is chosen', async ({
	page,
	site
}) => {
	await openWithModel(page, site);
	await choose(page, 'two-phrases.wav');
	await expectSpeechOf(page, 'two-phrases.wav', index.fixtures['two-phrases']!);
	const graph = page.getByTestId('probability-graph');
	const v5Frames = Number(await graph.getAttribute('data-frames'));

	await page.getByTestId('task-model-select').selectOption('silero-vad/legacy');
	await page.getByRole('button', { name: 'Download model' }).click();
	// v4 looks at 1536-sample frames: a third as many probabilities for the same audio.
	await expect(graph).toHaveAttribute('data-frames', String(Math.ceil(v5Frames / 3)), {
		timeout: 90_000
	});
	await expectSpeechOf(page, 'two-phrases.wav', index.fixtures['two-phrases']!);
});

test('plays a segment, and stops it on a second press', async ({ page, site }) => {
	await openWithModel(page, site);
	await choose(page, 'three-voices-noisy.wav');
	await expect(page.getByTestId('segment')).toHaveCount(3, { timeout: 60_000 });
	const last = page.getByTestId('segment').nth(2);
	// The shortest segment (about 1 s) plays to its end and the button comes back.
	await last.getByRole('button', { name: /^Play segment 3/ }).click();
	await expect(last).toHaveAttribute('data-playing', 'true');
	await expect(last).toHaveAttribute('data-playing', 'false', { timeout: 10_000 });

	const first = page.getByTestId('segment').first();
	await first.getByRole('button', { name: /^Play segment 1/ }).click();
	await expect(first).toHaveAttribute('data-playing', 'true');
	await first.getByRole('button', { name: /^Stop segment 1/ }).click();
	await expect(first).toHaveAttribute('data-playing', 'false');
});

test('a dropped file is read the same way', async ({ page, site }) => {
	await openWithModel(page, site);
	const file = index.encoded.files.find((name) => name.endsWith('.ogg'))!;
	const bytes = readFileSync(fixturePath(file)).toString('base64');
	const transfer = await page.evaluateHandle(
		([name, base64]) => {
			const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
			const dropped = new DataTransfer();
			dropped.items.add(new File([data], name, { type: 'audio/ogg' }));
			return dropped;
		},
		[file, bytes] as const
	);
	await page.getByTestId('audio-drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
	await expectSpeechOf(page, file, index.fixtures[index.encoded.of]!);
});

test('silent audio says clearly that no speech was found, and the page still works', async ({
	page,
	site
}) => {
	await openWithModel(page, site);
	await choose(page, index.fixtures.silence!.file);
	const message = page.getByTestId('no-speech');
	await expect(message).toContainText('No speech found in “silence.wav” (3.0 s)', {
		timeout: 60_000
	});
	await expect(message).toContainText('close to silent');
	await expect(page.getByTestId('segment')).toHaveCount(0);
	await expect(page.getByTestId('probability-graph')).toBeVisible();
	await expect(page.getByTestId('run-stats')).toBeVisible();

	await choose(page, 'two-phrases.wav');
	await expectSpeechOf(page, 'two-phrases.wav', index.fixtures['two-phrases']!);
	await expect(page.getByTestId('no-speech')).toHaveCount(0);
});

test('a file that does not decode gives a clear message, and the page still works', async ({
	page,
	site
}) => {
	await openWithModel(page, site);
	await choose(page, index.corrupt);
	const error = page.getByTestId('task-error');
	await expect(error).toContainText('“corrupt.wav” could not be decoded as audio', {
		timeout: 30_000
	});
	await expect(error).toContainText('try a WAV, MP3 or OGG file');
	await expect(page.getByTestId('segment')).toHaveCount(0);

	// A text file with an audio name fails the same way.
	await page.getByTestId('audio-file-input').setInputFiles({
		name: 'notes.mp3',
		mimeType: 'audio/mpeg',
		buffer: Buffer.from('These are meeting notes, not a recording.')
	});
	await expect(error).toContainText('“notes.mp3” could not be decoded as audio');

	await choose(page, 'edges.wav');
	await expectSpeechOf(page, 'edges.wav', index.fixtures.edges!);
	await expect(page.getByTestId('task-error')).toHaveCount(0);
});

test('the microphone shows live probabilities and finds speech', async ({ page, site }) => {
	await openWithModel(page, site);
	await page.getByTestId('mic-start').click();
	await expect(page.getByTestId('vad-status')).toHaveAttribute('data-phase', 'listening', {
		timeout: 30_000
	});
	const graph = page.getByTestId('probability-graph');
	// The fake microphone plays the fixture: its first phrase starts 0.7 s in.
	await expect(async () => {
		expect(Number(await graph.getAttribute('data-frames'))).toBeGreaterThan(60);
		expect(Number(await graph.getAttribute('data-peak'))).toBeGreaterThan(0.9);
	}).toPass({ timeout: 30_000 });
	await expect(page.getByTestId('segment').first()).toBeVisible({ timeout: 30_000 });
	await expect(page.getByTestId('run-stats')).toBeVisible();
	const framesLive = Number(await graph.getAttribute('data-frames'));

	// Long enough for the whole fixture to have played once.
	await page.waitForTimeout(Math.max(0, (MIC_FIXTURE.duration + 0.5) * 1000 - framesLive * 32));
	await page.getByTestId('mic-stop').click();
	await expect(page.getByTestId('vad-status')).toHaveAttribute('data-phase', 'idle');
	await expect(page.getByTestId('speech-summary')).toContainText('recorded');
	const segments = await shownSegments(page);
	expect(segments.length).toBeGreaterThanOrEqual(MIC_FIXTURE.speech.length);
	// Speech lengths as heard through the fake device match the fixture's phrases.
	const known = MIC_FIXTURE.speech.map((s) => s.end - s.start);
	const heard = segments.map((s) => s.end - s.start);
	console.log(
		`e2e microphone: segments ${segments.map((s) => `${s.start.toFixed(2)}-${s.end.toFixed(2)}`).join(', ')}; ` +
			`known phrase lengths ${known.map((k) => k.toFixed(2)).join(', ')} s`
	);
	for (const length of known) {
		expect(heard.some((h) => Math.abs(h - length) <= 0.2)).toBe(true);
	}
	await expect(page.getByTestId('segment').first().getByRole('button')).toBeEnabled();
});
