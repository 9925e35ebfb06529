import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixtureAudio, readFixtureIndex } from '../../../../scripts/fixtures/fixture-index';
import { NodeTaskContext } from '../../../../tests/support/node-task-context';
import { detectVoiceActivity } from './pipeline';
import { resample } from './resample';
import { DEFAULT_SEGMENT_OPTIONS, speechSegments } from './segments';
import { VadStreams } from './stream';
import type { VadStreamResult } from './types';

const index = readFixtureIndex();
const fixture = index.fixtures['two-phrases']!;
const MIC_RATE = 48_000;
// A microphone at 48 kHz, as most browsers capture.
const micAudio = (() => {
	const audio = readFixtureAudio(fixture);
	return resample(audio.samples, audio.sampleRate, MIC_RATE);
})();

/** Splits audio into chunks of varying size, like an audio worklet batching render quanta. */
function chunks(samples: Float32Array): Float32Array[] {
	const sizes = [128, 4800, 1000, 37, 9600];
	const parts: Float32Array[] = [];
	for (let at = 0, i = 0; at < samples.length; i++) {
		const size = sizes[i % sizes.length]!;
		parts.push(samples.slice(at, at + size));
		at += size;
	}
	return parts;
}

describe('VadStreams', () => {
	let v5: NodeTaskContext;
	let legacy: NodeTaskContext;
	beforeAll(async () => {
		v5 = await NodeTaskContext.forCatalogModel('silero-vad', 'v5');
		legacy = await NodeTaskContext.forCatalogModel('silero-vad', 'legacy');
	});
	afterAll(async () => {
		await v5.release();
		await legacy.release();
	});

	for (const variant of ['v5', 'legacy'] as const) {
		it(`gives chunk by chunk what a whole recording gives (${variant})`, async () => {
			const ctx = variant === 'v5' ? v5 : legacy;
			const streams = new VadStreams();
			const whole = await detectVoiceActivity({ samples: micAudio, sampleRate: MIC_RATE }, ctx);

			const opened = await streams.run(
				{ action: 'start', streamId: 'mic', sampleRate: MIC_RATE },
				ctx
			);
			expect(opened.frameSeconds).toBe(whole.frameSeconds);
			// Sent without waiting for answers, as a page does, and the last pair swapped, as the
			// worker may pick messages up out of order: steps still run in sequence.
			const parts = chunks(micAudio);
			const order = parts.map((_, seq) => seq);
			order.splice(-2, 2, order.at(-1)!, order.at(-2)!);
			const steps = order.map((seq) =>
				streams.run({ action: 'push', streamId: 'mic', seq, samples: parts[seq]! }, ctx)
			);
			steps.push(streams.run({ action: 'stop', streamId: 'mic', seq: parts.length }, ctx));
			const answers = await Promise.all(steps);
			const results: VadStreamResult[] = [];
			order.forEach((seq, i) => (results[seq] = answers[i]!));
			results.push(answers.at(-1)!);

			const probabilities: number[] = [];
			const levels: number[] = [];
			for (const result of results) {
				expect(result.firstFrame).toBe(probabilities.length);
				probabilities.push(...result.probabilities);
				levels.push(...result.levels);
			}
			expect(results.at(-1)!.stopped).toBe(true);
			expect(probabilities).toEqual(whole.probabilities);
			expect(streams.openCount).toBe(0);

			// The page turns them into segments with the same function: same segments.
			const totalSamples = Math.ceil((micAudio.length * 16_000) / MIC_RATE);
			const live = speechSegments(
				probabilities,
				{ frameSamples: whole.frameSeconds * 16_000, sampleRate: 16_000, totalSamples },
				DEFAULT_SEGMENT_OPTIONS,
				levels
			);
			expect(live).toEqual(whole.segments);
		});
	}

	it('refuses chunks for a stream that was stopped or never started, or sent twice', async () => {
		const streams = new VadStreams();
		const push = (seq: number) => ({
			action: 'push' as const,
			streamId: 'a',
			seq,
			samples: new Float32Array(480)
		});
		await expect(streams.run(push(0), v5)).rejects.toMatchObject({ code: 'vad-stream' });
		await streams.run({ action: 'start', streamId: 'a', sampleRate: MIC_RATE }, v5);
		await streams.run(push(0), v5);
		await expect(streams.run(push(0), v5)).rejects.toMatchObject({ code: 'vad-stream' });
		await streams.run({ action: 'stop', streamId: 'a', seq: 1 }, v5);
		await expect(streams.run(push(2), v5)).rejects.toMatchObject({ code: 'vad-stream' });
		await expect(streams.run({ action: 'stop', streamId: 'a', seq: 2 }, v5)).rejects.toMatchObject({
			code: 'vad-stream'
		});
		expect(streams.openCount).toBe(0);
	});

	it('keeps a bounded number of streams, closing the oldest', async () => {
		const streams = new VadStreams(2);
		for (const id of ['one', 'two', 'three']) {
			await streams.run({ action: 'start', streamId: id, sampleRate: MIC_RATE }, v5);
		}
		expect(streams.openCount).toBe(2);
		const chunk = new Float32Array(480);
		await expect(
			streams.run({ action: 'push', streamId: 'one', seq: 0, samples: chunk }, v5)
		).rejects.toMatchObject({ code: 'vad-stream' });
		await expect(
			streams.run({ action: 'push', streamId: 'three', seq: 0, samples: chunk }, v5)
		).resolves.toMatchObject({ stopped: false });
	});

	it('refuses a chunk run on another model than the stream started on, and closes it', async () => {
		const streams = new VadStreams();
		await streams.run({ action: 'start', streamId: 's', sampleRate: MIC_RATE }, v5);
		const chunk = micAudio.subarray(0, 4800);
		await expect(
			streams.run({ action: 'push', streamId: 's', seq: 0, samples: chunk }, legacy)
		).rejects.toMatchObject({ code: 'vad-stream' });
		expect(streams.openCount).toBe(0);
	});

	it('refuses a bad sample rate before opening anything', async () => {
		const streams = new VadStreams();
		await expect(
			streams.run({ action: 'start', streamId: 's', sampleRate: 0 }, v5)
		).rejects.toMatchObject({ code: 'audio-sample-rate' });
		expect(streams.openCount).toBe(0);
	});

	it('times preprocessing and inference of each chunk on its own', async () => {
		const streams = new VadStreams();
		await streams.run({ action: 'start', streamId: 't', sampleRate: MIC_RATE }, v5);
		const before = { ...v5.timings };
		const result: VadStreamResult = await streams.run(
			{ action: 'push', streamId: 't', seq: 0, samples: micAudio.subarray(0, MIC_RATE) },
			v5
		);
		expect(result.probabilities).toHaveLength(31); // one second: 31 whole frames of 32 ms
		expect(result.levels).toHaveLength(31 * 4);
		expect(v5.timings.inferenceMs).toBeGreaterThan(before.inferenceMs);
		expect(v5.timings.preprocessMs).toBeGreaterThan(before.preprocessMs);
	});
});
