/** Inputs and results of the voice activity tasks (a whole recording, and a live stream). */

import type { SegmentOptions } from './segments';

/** A stretch of speech, in seconds from the start of the audio. */
export interface VadSegment {
	start: number;
	end: number;
}

export interface VadInput {
	/** Mono samples in [-1, 1], at any rate; the pipeline resamples them to 16 kHz. */
	samples: Float32Array;
	sampleRate: number;
	/** Changes to how probabilities become segments (DEFAULT_SEGMENT_OPTIONS otherwise). */
	options?: Partial<SegmentOptions>;
}

export interface VadResult {
	/** Speech probability of each frame, in order. */
	probabilities: number[];
	/** Seconds each probability covers (32 ms for v5 and v6, 96 ms for v4). */
	frameSeconds: number;
	segments: VadSegment[];
	/** Length of the audio in seconds. */
	duration: number;
	/** The loudest sample in dBFS (-Infinity for digital silence), to explain an empty result. */
	peakDecibels: number;
}

/**
 * One step of a live stream. `start` opens a stream in the worker, keyed by `streamId`, with its
 * own resampler and model state; each `push` adds a chunk and returns the frames it completed;
 * `stop` runs what is left and releases the stream. Pushes and the stop are numbered 0, 1, 2...
 * (`seq`) and run in that order whatever order they reach the worker in.
 */
export type VadStreamInput =
	| { action: 'start'; streamId: string; sampleRate: number }
	| { action: 'push'; streamId: string; seq: number; samples: Float32Array }
	| { action: 'stop'; streamId: string; seq: number };

export interface VadStreamResult {
	/** Probabilities of the frames this step completed. */
	probabilities: number[];
	/** Their signal level, dBFS per LEVEL_HOP samples, so live segments end where sound stops. */
	levels: number[];
	/** Index of the first of them since the stream started, so steps can be placed in order. */
	firstFrame: number;
	frameSeconds: number;
	/** True once the stream is released (after `stop`). */
	stopped: boolean;
}
