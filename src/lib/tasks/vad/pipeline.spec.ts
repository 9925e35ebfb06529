import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	readFixtureAudio,
	readFixtureIndex,
	type SpeechFixture
} from '../../../../scripts/fixtures/fixture-index';
import { HearthError } from '$lib/errors';
import { NodeTaskContext } from '../../../../tests/support/node-task-context';
import { resample } from './resample';
import { detectVoiceActivity } from './pipeline';
import type { TaskContext } from '../types';
import type { VadResult } from './types';

const TOLERANCE_S = 0.1;
const index = readFixtureIndex();
const speechFixtures = Object.entries(index.fixtures).filter(([, f]) => f.speech.length > 0);

/** Worst distance between the found and the known boundaries; fails on a different count. */
function boundaryError(result: VadResult, fixture: SpeechFixture): number {
	expect(result.segments, 'one segment per known phrase').toHaveLength(fixture.speech.length);
	return Math.max(
		...fixture.speech.flatMap((known, i) => [
			Math.abs(result.segments[i]!.start - known.start),
			Math.abs(result.segments[i]!.end - known.end)
		])
	);
}

for (const variant of ['v5', 'v6', 'legacy']) {
	describe(`detectVoiceActivity on Silero VAD ${variant}`, () => {
		let ctx: NodeTaskContext;
		beforeAll(async () => {
			ctx = await NodeTaskContext.forCatalogModel('silero-vad', variant);
		});
		afterAll(() => ctx.release());

		it.each(speechFixtures)('finds the speech in %s within 100 ms', async (name, fixture) => {
			const result = await detectVoiceActivity(readFixtureAudio(fixture), ctx);
			const error = boundaryError(result, fixture);
			console.info(`${variant} ${name}: worst boundary error ${(error * 1000).toFixed(0)} ms`);
			expect(error).toBeLessThanOrEqual(TOLERANCE_S);
			expect(result.duration).toBeCloseTo(fixture.duration, 3);
			const frames = Math.ceil(fixture.duration / result.frameSeconds);
			expect(result.probabilities).toHaveLength(frames);
		});

		it('finds no speech in the silent file, and reports its low level', async () => {
			const silent = readFixtureAudio(index.fixtures.silence!);
			const result = await detectVoiceActivity(silent, ctx);
			expect(result.segments).toEqual([]);
			expect(Math.max(...result.probabilities)).toBeLessThan(0.35);
			expect(result.peakDecibels).toBeLessThan(-40);
		});
	});
}

describe('detectVoiceActivity', () => {
	let ctx: NodeTaskContext;
	beforeAll(async () => {
		ctx = await NodeTaskContext.forCatalogModel('silero-vad', 'v5');
	});
	afterAll(() => ctx.release());

	it('gives the same segments for the audio at 44.1 kHz as at 16 kHz', async () => {
		const fixture = index.fixtures['two-phrases']!;
		const audio = readFixtureAudio(fixture);
		const upsampled = resample(audio.samples, audio.sampleRate, 44_100);
		const result = await detectVoiceActivity({ samples: upsampled, sampleRate: 44_100 }, ctx);
		expect(boundaryError(result, fixture)).toBeLessThanOrEqual(TOLERANCE_S);
		expect(result.duration).toBeCloseTo(fixture.duration, 3);
	});

	it('times each stage', async () => {
		const before = { ...ctx.timings };
		const audio = readFixtureAudio(index.fixtures['two-phrases']!);
		await detectVoiceActivity(audio, ctx);
		for (const stage of ['preprocessMs', 'inferenceMs', 'postprocessMs'] as const) {
			expect(ctx.timings[stage]).toBeGreaterThan(before[stage]);
		}
		console.info(
			`two-phrases on onnxruntime-node: preprocess ${(ctx.timings.preprocessMs - before.preprocessMs).toFixed(1)} ms, ` +
				`inference ${(ctx.timings.inferenceMs - before.inferenceMs).toFixed(1)} ms, ` +
				`postprocess ${(ctx.timings.postprocessMs - before.postprocessMs).toFixed(2)} ms`
		);
	});

	it('refuses empty audio and a bad sample rate with clear errors', async () => {
		await expect(
			detectVoiceActivity({ samples: new Float32Array(0), sampleRate: 16_000 }, ctx)
		).rejects.toMatchObject({ code: 'audio-empty' });
		await expect(
			detectVoiceActivity({ samples: new Float32Array(100), sampleRate: 0 }, ctx)
		).rejects.toBeInstanceOf(HearthError);
	});

	it('refuses a model that is not Silero VAD', async () => {
		const digits = await NodeTaskContext.forCatalogModel('mnist-mlp');
		const wrong: TaskContext = {
			installKey: digits.installKey,
			files: digits.files.map((file) => ({ ...file, role: 'vad' })),
			session: (path) => digits.session(path),
			readFile: (path) => digits.readFile(path),
			memo: (name, build) => digits.memo(name, build),
			stage: (name, work) => digits.stage(name, work)
		};
		const audio = readFixtureAudio(index.fixtures['two-phrases']!);
		await expect(detectVoiceActivity(audio, wrong)).rejects.toMatchObject({ code: 'vad-model' });
		await digits.release();
	});
});
