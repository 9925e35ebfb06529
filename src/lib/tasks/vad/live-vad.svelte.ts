/**
 * The page's side of a live microphone stream: sends each captured chunk to the worker's
 * 'vad-stream' task, places the probabilities it returns by frame index (replies may come back
 * in any order), derives the segments with the same function as for files, and keeps the
 * recording so segments can be played once the stream stops.
 */
import { errorMessage } from '$lib/errors';
import type { BackendPreference } from '$lib/runtime';
import { getRuntime } from '$lib/runtime';
import type { TaskRun } from '../types';
import { toAudioBuffer } from './decode-audio';
import { LEVEL_HOP } from './levels';
import { MicrophoneCapture } from './microphone';
import { VAD_SAMPLE_RATE } from './resample';
import { LIVE_SEGMENT_OPTIONS, speechSegments } from './segments';
import type { VadSegment, VadStreamResult } from './types';

/** Recording stops by itself after this long, to bound the memory the recording takes. */
export const MAX_RECORDING_SECONDS = 300;

let nextStream = 1;

interface Stream {
	id: string;
	installKey: string;
	backend: BackendPreference;
	/** Sequence number of the next step sent to the worker. */
	seq: number;
}

export class LiveVad {
	listening = $state(false);
	probabilities = $state.raw<number[]>([]);
	frameSeconds = $state(512 / VAD_SAMPLE_RATE);
	segments = $state.raw<VadSegment[]>([]);
	/** The latest chunk's run: backend, threads and stage times. */
	run = $state.raw<TaskRun<VadStreamResult> | null>(null);
	recordedSeconds = $state(0);
	/** Why the stream stopped by itself, if it did. */
	note = $state<string | null>(null);
	/** What was recorded, to play segments from once stopped. */
	recording = $state.raw<AudioBuffer | null>(null);

	private levels: number[] = [];
	private chunks: Float32Array[] = [];
	private capture: MicrophoneCapture | null = null;
	/** The stream chunks are sent to; null once stopped. */
	private stream: Stream | null = null;
	/** The stream whose replies are shown: it outlives `stream` until its last reply is in. */
	private shown: Stream | null = null;
	private sampleRate = 48_000;

	constructor(private readonly onerror: (message: string) => void) {}

	async start(context: AudioContext, installKey: string, backend: BackendPreference) {
		this.reset();
		const stream: Stream = { id: `mic-${nextStream++}`, installKey, backend, seq: 0 };
		this.sampleRate = context.sampleRate;
		const opened = await getRuntime().runTask(installKey, backend, 'vad-stream', {
			action: 'start',
			streamId: stream.id,
			sampleRate: context.sampleRate
		});
		this.frameSeconds = opened.result.frameSeconds;
		this.stream = stream;
		this.shown = stream;
		try {
			this.capture = await MicrophoneCapture.start(context, (samples) => this.chunk(samples));
		} catch (failure) {
			await this.release();
			throw failure;
		}
		this.listening = true;
	}

	/**
	 * Stops capturing, runs what the worker still holds (unless the worker already dropped the
	 * stream after a failed chunk), and keeps the recording to play.
	 */
	async stop(workerHasStream = true): Promise<void> {
		this.capture?.stop();
		this.capture = null;
		this.listening = false;
		const stream = this.stream;
		this.stream = null;
		if (this.chunks.length > 0) {
			this.recording = toAudioBuffer(joinChunks(this.chunks), this.sampleRate);
		}
		if (stream && workerHasStream) {
			try {
				this.apply(
					stream,
					await getRuntime().runTask(stream.installKey, stream.backend, 'vad-stream', {
						action: 'stop',
						streamId: stream.id,
						seq: stream.seq++
					})
				);
			} catch (failure) {
				this.onerror(errorMessage(failure));
			}
		}
	}

	private chunk(samples: Float32Array): void {
		const stream = this.stream;
		if (!stream) return;
		this.chunks.push(samples);
		this.recordedSeconds += samples.length / this.sampleRate;
		getRuntime()
			.runTask(stream.installKey, stream.backend, 'vad-stream', {
				action: 'push',
				streamId: stream.id,
				seq: stream.seq++,
				samples
			})
			.then(
				(run) => this.apply(stream, run),
				(failure: unknown) => {
					if (this.shown !== stream) return;
					this.onerror(errorMessage(failure));
					if (this.stream === stream) void this.stop(false);
				}
			);
		if (this.recordedSeconds >= MAX_RECORDING_SECONDS) {
			this.note = `Stopped after ${MAX_RECORDING_SECONDS / 60} minutes, the longest recording kept in memory.`;
			void this.stop();
		}
	}

	private apply(stream: Stream, run: TaskRun<VadStreamResult>): void {
		if (this.shown !== stream) return; // a reply for a stream the user has moved on from
		const { probabilities, levels, firstFrame } = run.result;
		const hopsPerFrame = Math.round((run.result.frameSeconds * VAD_SAMPLE_RATE) / LEVEL_HOP);
		const next = this.probabilities.slice();
		for (let i = next.length; i < firstFrame; i++) next[i] = 0;
		probabilities.forEach((probability, i) => (next[firstFrame + i] = probability));
		levels.forEach((level, i) => (this.levels[firstFrame * hopsPerFrame + i] = level));
		this.probabilities = next;
		this.run = run;
		const frameSamples = Math.round(run.result.frameSeconds * VAD_SAMPLE_RATE);
		this.segments = speechSegments(
			next,
			{ frameSamples, sampleRate: VAD_SAMPLE_RATE, totalSamples: next.length * frameSamples },
			LIVE_SEGMENT_OPTIONS,
			this.levels
		);
	}

	/** Releases the worker's stream without waiting for its last frames. */
	async release(): Promise<void> {
		this.capture?.stop();
		this.capture = null;
		this.listening = false;
		const stream = this.stream;
		this.stream = null;
		if (!stream) return;
		await getRuntime()
			.runTask(stream.installKey, stream.backend, 'vad-stream', {
				action: 'stop',
				streamId: stream.id,
				seq: stream.seq++
			})
			.catch((failure: unknown) => this.onerror(errorMessage(failure)));
	}

	private reset(): void {
		this.shown = null;
		this.probabilities = [];
		this.levels = [];
		this.segments = [];
		this.chunks = [];
		this.recording = null;
		this.run = null;
		this.note = null;
		this.recordedSeconds = 0;
	}
}

function joinChunks(chunks: Float32Array[]): Float32Array<ArrayBuffer> {
	const all = new Float32Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
	let at = 0;
	for (const chunk of chunks) {
		all.set(chunk, at);
		at += chunk.length;
	}
	return all;
}
