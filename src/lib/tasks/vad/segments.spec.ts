import { describe, expect, it } from 'vitest';
import { backgroundLevel, hopLevels, LEVEL_HOP, SILENCE_DB } from './levels';
import {
	DEFAULT_SEGMENT_OPTIONS,
	LIVE_SEGMENT_OPTIONS,
	speechSegments,
	type SegmentOptions
} from './segments';

// 512-sample frames at 16 kHz: 32 ms each, which makes the arithmetic below easy to follow.
const FRAME = 512;
const RATE = 16_000;
const FRAME_S = FRAME / RATE;

/** Probabilities from runs of [value, frame count]. */
function frames(...runs: [number, number][]): number[] {
	return runs.flatMap(([value, count]) => Array<number>(count).fill(value));
}

function segments(
	probabilities: number[],
	options: Partial<SegmentOptions> = {},
	levels?: ArrayLike<number>
) {
	return speechSegments(
		probabilities,
		{ frameSamples: FRAME, sampleRate: RATE, totalSamples: probabilities.length * FRAME },
		{ ...DEFAULT_SEGMENT_OPTIONS, speechPadMs: 0, maxEndPullMs: 0, ...options },
		levels
	);
}

describe('speechSegments', () => {
	it('starts at the first frame at the threshold and ends where the probability fell', () => {
		const found = segments(frames([0.1, 10], [0.5, 1], [0.9, 20], [0.2, 10]));
		expect(found).toEqual([{ start: 10 * FRAME_S, end: 31 * FRAME_S }]);
	});

	it('keeps speech going through a dip that stays above the exit threshold', () => {
		const found = segments(frames([0.1, 5], [0.9, 10], [0.4, 10], [0.9, 10], [0.1, 10]));
		expect(found).toEqual([{ start: 5 * FRAME_S, end: 35 * FRAME_S }]);
	});

	it('bridges a pause shorter than the minimum silence, and splits at a longer one', () => {
		// A pause of 3 frames (96 ms) is bridged. Silence is confirmed at the first frame that
		// starts 100 ms or more after it began, so a pause of 5 frames (160 ms) splits.
		const short = segments(frames([0.1, 5], [0.9, 10], [0.1, 3], [0.9, 10], [0.1, 10]));
		expect(short).toHaveLength(1);
		const long = segments(frames([0.1, 5], [0.9, 10], [0.1, 5], [0.9, 10], [0.1, 10]));
		expect(long).toEqual([
			{ start: 5 * FRAME_S, end: 15 * FRAME_S },
			{ start: 20 * FRAME_S, end: 30 * FRAME_S }
		]);
	});

	it('live input bridges a 160 ms pause that splits a file, and splits at 320 ms', () => {
		const live = { minSilenceMs: LIVE_SEGMENT_OPTIONS.minSilenceMs };
		const pause = (count: number) =>
			frames([0.1, 5], [0.9, 10], [0.1, count], [0.9, 10], [0.1, 20]);
		expect(segments(pause(5))).toHaveLength(2);
		expect(segments(pause(5), live)).toHaveLength(1);
		expect(segments(pause(10), live)).toHaveLength(2);
	});

	it('drops speech shorter than the minimum, and keeps it when the minimum is lower', () => {
		const burst = frames([0.1, 5], [0.9, 7], [0.1, 10]); // 224 ms
		expect(segments(burst)).toEqual([]);
		expect(segments(burst, { minSpeechMs: 200 })).toHaveLength(1);
	});

	it('ends speech that runs to the end of the audio at the end', () => {
		const found = segments(frames([0.1, 5], [0.9, 20]));
		expect(found).toEqual([{ start: 5 * FRAME_S, end: 25 * FRAME_S }]);
	});

	it('pads each segment, clamped to the audio, and shares a gap too small for two pads', () => {
		const pad = 0.03;
		const far = segments(frames([0.9, 10], [0.1, 10], [0.9, 10], [0.1, 10]), {
			speechPadMs: 30
		});
		expect(far[0]!.start).toBe(0);
		expect(far[0]!.end).toBeCloseTo(10 * FRAME_S + pad, 6);
		expect(far[1]!.start).toBeCloseTo(20 * FRAME_S - pad, 6);
		expect(far[1]!.end).toBeCloseTo(30 * FRAME_S + pad, 6);

		// A 160 ms gap with 100 ms of padding each side: each segment takes half of it.
		const near = segments(frames([0.1, 10], [0.9, 10], [0.1, 5], [0.9, 10], [0.1, 10]), {
			speechPadMs: 100
		});
		expect(near[0]!.end).toBeCloseTo(22.5 * FRAME_S, 6);
		expect(near[1]!.start).toBeCloseTo(22.5 * FRAME_S, 6);
		expect(near[0]!.start).toBeCloseTo(10 * FRAME_S - 0.1, 6);
	});

	it('finds nothing in silence', () => {
		expect(segments(frames([0.02, 100]))).toEqual([]);
		expect(segments([])).toEqual([]);
	});
});

describe('speechSegments with signal levels', () => {
	const hopsPerFrame = FRAME / LEVEL_HOP;
	// Speech frames 5-15 (0.16-0.48 s), the model lagging until frame 19, as Silero does.
	const lagging = frames([0.05, 5], [0.95, 14], [0.1, 11]);

	function levelsWithSoundUntil(endHop: number, loud = -20, quiet = -60) {
		return Float32Array.from({ length: lagging.length * hopsPerFrame }, (_, hop) =>
			hop >= 5 * hopsPerFrame && hop < endHop ? loud : quiet
		);
	}

	it('pulls an end back to where the sound stops', () => {
		const soundEnd = 15 * hopsPerFrame + 2; // 8 ms hops: sound stops at 0.496 s
		const found = segments(lagging, { maxEndPullMs: 250 }, levelsWithSoundUntil(soundEnd));
		expect(found[0]!.start).toBeCloseTo(5 * FRAME_S, 6);
		expect(found[0]!.end).toBeCloseTo((soundEnd * LEVEL_HOP) / RATE, 6);
	});

	it('leaves an end alone when the window holds no clear offset', () => {
		// Sound all the way to the model's end, or quiet for longer than the window: no change.
		const loudToEnd = levelsWithSoundUntil(lagging.length * hopsPerFrame);
		expect(segments(lagging, { maxEndPullMs: 250 }, loudToEnd)[0]!.end).toBeCloseTo(
			19 * FRAME_S,
			6
		);
		const earlyEnd = levelsWithSoundUntil(6 * hopsPerFrame);
		expect(segments(lagging, { maxEndPullMs: 100 }, earlyEnd)[0]!.end).toBeCloseTo(19 * FRAME_S, 6);
	});

	it('never pulls an end back when the background is as loud as the speech', () => {
		const noisy = levelsWithSoundUntil(15 * hopsPerFrame, -30, -32);
		expect(segments(lagging, { maxEndPullMs: 250 }, noisy)[0]!.end).toBeCloseTo(19 * FRAME_S, 6);
	});
});

describe('levels', () => {
	it('measures each hop in dBFS, with digital silence at the floor', () => {
		const samples = new Float32Array(LEVEL_HOP * 3 + 5);
		samples.fill(0.5, 0, LEVEL_HOP);
		for (let i = LEVEL_HOP; i < 2 * LEVEL_HOP; i++) samples[i] = i % 2 ? 0.1 : -0.1;
		const levels = hopLevels(samples);
		expect(levels).toHaveLength(3);
		expect(levels[0]).toBeCloseTo(-6.02, 2);
		expect(levels[1]).toBeCloseTo(-20, 2);
		expect(levels[2]).toBe(SILENCE_DB);
	});

	it('takes the background as the quiet tenth of the hops', () => {
		const levels = [...Array<number>(30).fill(-60), ...Array<number>(70).fill(-20)];
		expect(backgroundLevel(levels)).toBe(-60);
		expect(backgroundLevel([])).toBe(SILENCE_DB);
	});
});
