import { fileForRole } from '../model-files';
import type { TaskContext } from '../types';
import { peakDecibels } from './audio';
import { EmptyAudioError } from './errors';
import { checkSampleRate, resample, VAD_SAMPLE_RATE } from './resample';
import { hopLevels } from './levels';
import { DEFAULT_SEGMENT_OPTIONS, speechSegments } from './segments';
import { SileroVad } from './silero';
import type { VadInput, VadResult } from './types';

/** The Silero model of the context's variant, ready for its first frame. */
export async function openSilero(ctx: TaskContext): Promise<SileroVad> {
	return new SileroVad(await ctx.session(fileForRole(ctx.files, 'vad', 'vad').path));
}

/**
 * Finds speech in a whole recording: resamples it to 16 kHz, runs the model over every frame
 * (the last one padded with silence, as Silero does), and turns the probabilities into segments.
 */
export async function detectVoiceActivity(input: VadInput, ctx: TaskContext): Promise<VadResult> {
	checkSampleRate(input.sampleRate);
	if (input.samples.length === 0) throw new EmptyAudioError('The audio');
	const vad = await openSilero(ctx);
	const { frameSamples } = vad.layout;
	const { samples, framed, peak } = await ctx.stage('preprocess', () => {
		const samples = resample(input.samples, input.sampleRate, VAD_SAMPLE_RATE);
		// Whole frames: the last one is padded with silence, as Silero does.
		const framed = new Float32Array(Math.ceil(samples.length / frameSamples) * frameSamples);
		framed.set(samples);
		return { samples, framed, peak: peakDecibels(input.samples) };
	});

	const probabilities = new Float32Array(framed.length / frameSamples);
	for (let frame = 0; frame < probabilities.length; frame++) {
		const from = frame * frameSamples;
		probabilities[frame] = await vad.probability(framed.subarray(from, from + frameSamples));
	}

	return ctx.stage('postprocess', () => ({
		probabilities: Array.from(probabilities),
		frameSeconds: vad.frameSeconds,
		segments: speechSegments(
			probabilities,
			{
				frameSamples,
				sampleRate: VAD_SAMPLE_RATE,
				totalSamples: samples.length
			},
			{ ...DEFAULT_SEGMENT_OPTIONS, ...input.options },
			hopLevels(samples)
		),
		duration: input.samples.length / input.sampleRate,
		peakDecibels: peak
	}));
}
