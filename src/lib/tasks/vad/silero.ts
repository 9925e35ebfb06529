/**
 * Runs a Silero VAD graph frame by frame. The models are recurrent: each frame's state output is
 * the next frame's state input, so frames cannot be batched; everything a frame needs besides the
 * audio is allocated once here and reused, to keep the per-frame overhead to the run call.
 *
 * Two input layouts exist, told apart by the graph's input names:
 * - v5 and v6: `input` [1, 64 + 512] (the previous frame's last 64 samples, then the frame),
 *   `state` [2, 1, 128], `sr` int64 scalar; outputs `output` [1, 1] and `stateN`.
 * - v4 ("legacy"): `input` [1, 1536], `sr`, and an LSTM state `h`, `c` [2, 1, 64] each;
 *   outputs `output`, `hn`, `cn`.
 */
import type { TensorData } from '$lib/runtime/protocol';
import type { InferenceRunner } from '../types';
import { VadModelError } from './errors';
import { VAD_SAMPLE_RATE } from './resample';

export interface SileroLayout {
	kind: 'v5' | 'v4';
	/** New samples per frame. */
	frameSamples: number;
	/** Samples of the previous frame fed in front of each frame. */
	contextSamples: number;
}

const V5: SileroLayout = { kind: 'v5', frameSamples: 512, contextSamples: 64 };
const V4: SileroLayout = { kind: 'v4', frameSamples: 1536, contextSamples: 0 };

export function sileroLayout(inputNames: readonly string[]): SileroLayout {
	const has = (name: string) => inputNames.includes(name);
	if (has('input') && has('sr') && has('state')) return V5;
	if (has('input') && has('sr') && has('h') && has('c')) return V4;
	throw new VadModelError(`its inputs are ${inputNames.join(', ')}`);
}

const float32 = (dims: number[], data: Float32Array): TensorData => ({
	dtype: 'float32',
	dims,
	data
});

export class SileroVad {
	readonly layout: SileroLayout;
	private readonly window: Float32Array;
	private readonly sampleRate: TensorData = {
		dtype: 'int64',
		dims: [],
		data: BigInt64Array.of(BigInt(VAD_SAMPLE_RATE))
	};
	/** v5: `state`; v4: `h` and `c`. Replaced by each frame's outputs. */
	private state: Record<string, Float32Array> = {};

	constructor(private runner: InferenceRunner) {
		this.layout = sileroLayout(runner.inputNames);
		this.window = new Float32Array(this.layout.contextSamples + this.layout.frameSamples);
		this.reset();
	}

	get frameSeconds(): number {
		return this.layout.frameSamples / VAD_SAMPLE_RATE;
	}

	/**
	 * Runs the following frames with another runner of the same graph, keeping the state: a live
	 * stream gets a fresh runner for each chunk, so each chunk's inference time is its own.
	 */
	useRunner(runner: InferenceRunner): void {
		if (sileroLayout(runner.inputNames).kind !== this.layout.kind) {
			throw new VadModelError('it is not the model this audio started with');
		}
		this.runner = runner;
	}

	/** Forgets the audio heard so far, as before the first frame. */
	reset(): void {
		this.window.fill(0);
		this.state =
			this.layout.kind === 'v5'
				? { state: new Float32Array(2 * 128) }
				: { h: new Float32Array(2 * 64), c: new Float32Array(2 * 64) };
	}

	/** Speech probability of one frame of `frameSamples` samples at 16 kHz (shorter is zero-padded). */
	async probability(frame: Float32Array): Promise<number> {
		const { contextSamples, frameSamples } = this.layout;
		if (frame.length > frameSamples)
			throw new Error('SileroVad: frame longer than the model takes');
		const window = this.window;
		// The previous window's tail becomes this window's context.
		window.copyWithin(0, frameSamples, frameSamples + contextSamples);
		window.set(frame, contextSamples);
		if (frame.length < frameSamples) window.fill(0, contextSamples + frame.length);

		const input = float32([1, window.length], window);
		const outputs =
			this.layout.kind === 'v5'
				? await this.runner.run({
						input,
						state: float32([2, 1, 128], this.state.state!),
						sr: this.sampleRate
					})
				: await this.runner.run({
						input,
						sr: this.sampleRate,
						h: float32([2, 1, 64], this.state.h!),
						c: float32([2, 1, 64], this.state.c!)
					});
		this.state =
			this.layout.kind === 'v5'
				? { state: floats(outputs, 'stateN') }
				: { h: floats(outputs, 'hn'), c: floats(outputs, 'cn') };
		return floats(outputs, 'output')[0]!;
	}
}

function floats(outputs: Record<string, TensorData>, name: string): Float32Array {
	const tensor = outputs[name];
	if (!tensor || !(tensor.data instanceof Float32Array)) {
		throw new VadModelError(`it returned no float output named ${name}`);
	}
	return tensor.data;
}
