/**
 * Live voice activity: a microphone sends successive chunks, and the worker keeps each stream's
 * resampler, unfinished frame and recurrent model state between them, keyed by a stream id the
 * page chooses. Each step carries a sequence number and steps run strictly in that order, even
 * when the page sends the next chunk before the last one is answered and the worker gets to them
 * out of order, because the model state of one frame feeds the next.
 */
import { fileForRole } from '../model-files';
import type { TaskContext } from '../types';
import { VadStreamError } from './errors';
import { hopLevels } from './levels';
import { openSilero } from './pipeline';
import { StreamResampler, VAD_SAMPLE_RATE } from './resample';
import type { SileroVad } from './silero';
import type { VadStreamInput, VadStreamResult } from './types';

interface OpenStream {
	id: string;
	/** The model file the stream started on; its state means nothing to another one. */
	modelSha256: string;
	resampler: StreamResampler;
	vad: SileroVad;
	/** 16 kHz samples that do not fill a frame yet. */
	pending: Float32Array;
	frames: number;
	/** The sequence number of the step to run next. */
	nextSeq: number;
	/** Steps that arrived before their turn, by sequence number. */
	waiting: Map<number, () => void>;
	/** Sequence number of the stop step, once it has arrived: nothing may come after it. */
	stopSeq: number | null;
	/** A step failed, so the state may be half-updated: the steps after it fail too. */
	failed: boolean;
}

const NOT_OPEN = 'it was never started, or it was stopped, or a newer stream took its place';

export class VadStreams {
	private readonly open = new Map<string, OpenStream>();

	/** At most `limit` streams are kept; starting one more closes the oldest. */
	constructor(private readonly limit = 4) {}

	get openCount(): number {
		return this.open.size;
	}

	async run(input: VadStreamInput, ctx: TaskContext): Promise<VadStreamResult> {
		if (input.action === 'start') return this.start(input.streamId, input.sampleRate, ctx);
		const stream = this.open.get(input.streamId);
		if (!stream) throw new VadStreamError(input.streamId, NOT_OPEN);
		const { seq } = input;
		const late = stream.stopSeq !== null && seq > stream.stopSeq;
		if (seq < stream.nextSeq || stream.waiting.has(seq) || late) {
			throw new VadStreamError(stream.id, `step ${seq} came twice or after the stop`);
		}
		if (input.action === 'stop') stream.stopSeq = seq;
		if (seq !== stream.nextSeq) {
			await new Promise<void>((resolve) => stream.waiting.set(seq, resolve));
		}
		try {
			if (stream.failed) throw new VadStreamError(stream.id, 'an earlier chunk failed');
			return input.action === 'push'
				? await this.push(stream, input.samples, ctx)
				: await this.finish(stream, ctx);
		} catch (failure) {
			stream.failed = true;
			throw failure;
		} finally {
			if (input.action === 'stop' || stream.failed) this.close(stream);
			stream.nextSeq = seq + 1;
			stream.waiting.get(stream.nextSeq)?.();
			stream.waiting.delete(stream.nextSeq);
		}
	}

	private async start(id: string, sampleRate: number, ctx: TaskContext) {
		const previous = this.open.get(id);
		if (previous) this.close(previous);
		const oldest = this.open.values().next().value;
		if (oldest && this.open.size >= this.limit) this.close(oldest);
		// The resampler checks the rate before anything is kept.
		const resampler = new StreamResampler(sampleRate, VAD_SAMPLE_RATE);
		const vad = await openSilero(ctx);
		const stream: OpenStream = {
			id,
			modelSha256: fileForRole(ctx.files, 'vad', 'vad').sha256,
			resampler,
			vad,
			pending: new Float32Array(0),
			frames: 0,
			nextSeq: 0,
			waiting: new Map(),
			stopSeq: null,
			failed: false
		};
		this.open.set(id, stream);
		return {
			probabilities: [],
			levels: [],
			firstFrame: 0,
			frameSeconds: vad.frameSeconds,
			stopped: false
		};
	}

	private close(stream: OpenStream): void {
		if (this.open.get(stream.id) === stream) this.open.delete(stream.id);
	}

	private async push(stream: OpenStream, samples: Float32Array, ctx: TaskContext) {
		const audio = await ctx.stage('preprocess', () =>
			joined(stream.pending, stream.resampler.push(samples))
		);
		return this.runFrames(stream, audio, ctx, false);
	}

	/** Runs the audio still held back (the last frame padded with silence), then forgets it all. */
	private async finish(stream: OpenStream, ctx: TaskContext) {
		const audio = await ctx.stage('preprocess', () =>
			joined(stream.pending, stream.resampler.flush())
		);
		return this.runFrames(stream, audio, ctx, true);
	}

	private async runFrames(
		stream: OpenStream,
		audio: Float32Array,
		ctx: TaskContext,
		last: boolean
	): Promise<VadStreamResult> {
		const model = fileForRole(ctx.files, 'vad', 'vad');
		if (model.sha256 !== stream.modelSha256) {
			throw new VadStreamError(stream.id, 'the model changed since it started');
		}
		const { frameSamples } = stream.vad.layout;
		const count = last
			? Math.ceil(audio.length / frameSamples)
			: Math.floor(audio.length / frameSamples);
		// The last frame of a stream is padded with silence, as for a whole recording.
		const framed = last ? padded(audio, count * frameSamples) : audio;
		const probabilities: number[] = [];
		if (count > 0) {
			stream.vad.useRunner(await ctx.session(model.path));
			for (let frame = 0; frame < count; frame++) {
				const from = frame * frameSamples;
				probabilities.push(
					await stream.vad.probability(framed.subarray(from, from + frameSamples))
				);
			}
		}
		const levels = await ctx.stage('postprocess', () =>
			Array.from(hopLevels(framed.subarray(0, count * frameSamples)))
		);
		stream.pending = last ? new Float32Array(0) : audio.slice(count * frameSamples);
		const firstFrame = stream.frames;
		stream.frames += count;
		return {
			probabilities,
			levels,
			firstFrame,
			frameSeconds: stream.vad.frameSeconds,
			stopped: last
		};
	}
}

function padded(audio: Float32Array, length: number): Float32Array {
	if (audio.length >= length) return audio;
	const whole = new Float32Array(length);
	whole.set(audio);
	return whole;
}

function joined(first: Float32Array, second: Float32Array): Float32Array {
	if (first.length === 0) return second;
	const both = new Float32Array(first.length + second.length);
	both.set(first);
	both.set(second, first.length);
	return both;
}

/** The worker's streams: it lives as long as the worker does. */
const workerStreams = new VadStreams();

export function runVadStream(input: VadStreamInput, ctx: TaskContext): Promise<VadStreamResult> {
	return workerStreams.run(input, ctx);
}
