/**
 * Speech segments from per-frame speech probabilities, the way Silero's own
 * get_speech_timestamps finds them (silero-vad utils_vad.py): speech starts at the first frame at
 * or above `threshold` and ends only after the probability has stayed below the lower
 * `exitThreshold` for `minSilenceMs` (hysteresis, so a soft syllable does not split a phrase);
 * segments shorter than `minSpeechMs` are dropped, and each one is padded by `speechPadMs` on both
 * sides, or by half the gap when two segments are closer than twice the padding.
 *
 * One step is Hearth's own: given the signal level, each end is first pulled back to the last
 * moment the sound stood clearly above the background (see levels.ts for why), searching at most
 * `maxEndPullMs` back and never moving an end that has no clear offset in that window.
 */
import { backgroundLevel, LEVEL_HOP } from './levels';
import type { VadSegment } from './types';

export interface SegmentOptions {
	/** Probability at which speech starts. */
	threshold: number;
	/** Probability below which speech may end; Silero uses threshold - 0.15. */
	exitThreshold: number;
	/** Shorter speech is dropped as a click or a cough. */
	minSpeechMs: number;
	/** Shorter pauses stay inside one segment. */
	minSilenceMs: number;
	/** Added before and after each segment, so soft onsets and endings are kept. */
	speechPadMs: number;
	/** How far an end may be pulled back to where the level drops (0: ends stay where found). */
	maxEndPullMs: number;
	/** Level above the background that counts as sound, when pulling ends back. */
	soundAboveBackgroundDb: number;
}

export const DEFAULT_SEGMENT_OPTIONS: SegmentOptions = {
	threshold: 0.5,
	exitThreshold: 0.35,
	minSpeechMs: 250,
	minSilenceMs: 100,
	speechPadMs: 30,
	maxEndPullMs: 250,
	soundAboveBackgroundDb: 10
};

/**
 * Live microphone input: an utterance may hold a short breath or, on a busy device, a dropped
 * audio buffer, so a pause must last 250 ms to end it (files keep the finer 100 ms).
 */
export const LIVE_SEGMENT_OPTIONS: SegmentOptions = {
	...DEFAULT_SEGMENT_OPTIONS,
	minSilenceMs: 250
};

export interface FrameTiming {
	/** Samples per frame at `sampleRate`. */
	frameSamples: number;
	sampleRate: number;
	/** All samples the probabilities cover, so the last segment can end at the end of the audio. */
	totalSamples: number;
}

/**
 * Segments in seconds, in order, not overlapping. `levels` (dBFS per LEVEL_HOP samples from the
 * start, as hopLevels gives them) lets ends be placed where the sound stops.
 */
export function speechSegments(
	probabilities: ArrayLike<number>,
	timing: FrameTiming,
	options: SegmentOptions = DEFAULT_SEGMENT_OPTIONS,
	levels?: ArrayLike<number>
): VadSegment[] {
	const { frameSamples, sampleRate, totalSamples } = timing;
	const perMs = sampleRate / 1000;
	const minSpeech = options.minSpeechMs * perMs;
	const minSilence = options.minSilenceMs * perMs;
	const pad = Math.floor(options.speechPadMs * perMs);
	const endOf = levels
		? soundEnd(
				levels,
				backgroundLevel(levels) + options.soundAboveBackgroundDb,
				options.maxEndPullMs * perMs
			)
		: (_start: number, end: number) => end;

	// Pass 1, in samples: hysteresis over the frames.
	const found: { start: number; end: number }[] = [];
	let start = -1; // start of the speech in progress, -1 when there is none
	let silenceFrom = -1; // where the current dip below exitThreshold began, -1 when none
	for (let frame = 0; frame < probabilities.length; frame++) {
		const probability = probabilities[frame]!;
		const at = frame * frameSamples;
		if (probability >= options.threshold) {
			silenceFrom = -1;
			if (start < 0) start = at;
			continue;
		}
		if (start < 0 || probability >= options.exitThreshold) continue;
		if (silenceFrom < 0) silenceFrom = at;
		if (at - silenceFrom < minSilence) continue;
		if (silenceFrom - start > minSpeech) found.push({ start, end: endOf(start, silenceFrom) });
		start = -1;
		silenceFrom = -1;
	}
	if (start >= 0 && totalSamples - start > minSpeech) {
		found.push({ start, end: endOf(start, totalSamples) });
	}

	// Pass 2: padding, sharing a short gap between neighbours instead of overlapping them.
	for (let i = 0; i < found.length; i++) {
		const segment = found[i]!;
		if (i === 0) segment.start = Math.max(0, segment.start - pad);
		const next = found[i + 1];
		if (!next) {
			segment.end = Math.min(totalSamples, segment.end + pad);
			break;
		}
		const gap = next.start - segment.end;
		const share = gap < 2 * pad ? Math.floor(gap / 2) : pad;
		segment.end += share;
		next.start = Math.max(0, next.start - share);
	}
	return found.map(({ start, end }) => ({ start: start / sampleRate, end: end / sampleRate }));
}

/**
 * Where the sound of a segment ends: the end of the last hop at or above `threshold` within
 * `maxPull` samples before `end`; `end` itself when no hop there is that loud.
 */
function soundEnd(levels: ArrayLike<number>, threshold: number, maxPull: number) {
	return (start: number, end: number): number => {
		const from = Math.ceil(Math.max(start, end - maxPull) / LEVEL_HOP);
		for (let hop = Math.min(levels.length, Math.floor(end / LEVEL_HOP)) - 1; hop >= from; hop--) {
			if (levels[hop]! >= threshold) return Math.min(end, (hop + 1) * LEVEL_HOP);
		}
		return end;
	};
}
