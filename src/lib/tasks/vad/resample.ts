/**
 * Band-limited resampling with a Kaiser-windowed sinc kernel (the method of Julius O. Smith's
 * "Digital Audio Resampling", used by libsamplerate and resampy). It works for any pair of rates,
 * including ones with no small ratio (44.1 kHz to 16 kHz is 160/441), and it streams: a microphone
 * pushes chunks of any size and gets every output sample as soon as the input it needs has arrived,
 * with the same result as resampling the whole recording at once.
 */
import { InvalidSampleRateError } from './errors';

/** The rate every Silero VAD model here was trained on. */
export const VAD_SAMPLE_RATE = 16_000;

/** Kernel half-width in zero crossings of the sinc: longer means a steeper low-pass. */
const ZERO_CROSSINGS = 16;
/** Kernel values stored per zero crossing; the table is interpolated linearly between them. */
const TABLE_DENSITY = 512;
/**
 * The cutoff as a fraction of the lower Nyquist frequency: 0.94 keeps speech up to 7.5 kHz at
 * 16 kHz and leaves room for the transition band so nothing folds back below 8 kHz.
 */
const ROLLOFF = 0.94;
const KAISER_BETA = 8.6;

function besselI0(x: number): number {
	let sum = 1;
	let term = 1;
	for (let k = 1; k < 50; k++) {
		term *= (x / (2 * k)) ** 2;
		sum += term;
		if (term < sum * 1e-12) break;
	}
	return sum;
}

/** sinc(u) times a Kaiser window, at u = i / TABLE_DENSITY for u in [0, ZERO_CROSSINGS]. */
function buildKernelTable(): Float32Array {
	const size = ZERO_CROSSINGS * TABLE_DENSITY;
	// Two extra zeros: the interpolation reads index i + 1 at the very edge.
	const table = new Float32Array(size + 2);
	const norm = besselI0(KAISER_BETA);
	for (let i = 0; i <= size; i++) {
		const u = i / TABLE_DENSITY;
		const sinc = i === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
		const ratio = u / ZERO_CROSSINGS;
		table[i] = (sinc * besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - ratio * ratio)))) / norm;
	}
	return table;
}

let kernelTable: Float32Array | null = null;

export function checkSampleRate(rate: number): void {
	if (!Number.isFinite(rate) || rate <= 0) throw new InvalidSampleRateError(rate);
}

export class StreamResampler {
	/** Input samples per output sample. */
	private readonly step: number;
	/** Cutoff as a fraction of the input Nyquist frequency. */
	private readonly cutoff: number;
	/** How far the kernel reaches on either side, in input samples. */
	private readonly halfWidth: number;
	private readonly table: Float32Array;
	/** Kept input, from absolute input index `base`; indices below 0 are the silence before. */
	private buffer: Float32Array;
	private base: number;
	private received = 0;
	private produced = 0;
	private flushed = false;

	constructor(
		readonly inputRate: number,
		readonly outputRate: number
	) {
		checkSampleRate(inputRate);
		checkSampleRate(outputRate);
		this.step = inputRate / outputRate;
		this.cutoff = Math.min(1, outputRate / inputRate) * ROLLOFF;
		this.halfWidth = ZERO_CROSSINGS / this.cutoff;
		this.table = kernelTable ??= buildKernelTable();
		const reach = Math.ceil(this.halfWidth) + 1;
		this.buffer = new Float32Array(reach);
		this.base = -reach;
	}

	/** Adds input and returns every output sample that can now be computed. */
	push(chunk: Float32Array): Float32Array {
		if (this.flushed) throw new Error('StreamResampler.push after flush');
		if (this.step === 1) return chunk.slice();
		this.append(chunk);
		this.received += chunk.length;
		return this.produce(this.received);
	}

	/** Ends the stream: returns the outputs that needed input past the end (silence there). */
	flush(): Float32Array {
		if (this.flushed) return new Float32Array(0);
		this.flushed = true;
		if (this.step === 1) return new Float32Array(0);
		this.append(new Float32Array(Math.ceil(this.halfWidth) + 2));
		return this.produce(this.received, true);
	}

	private append(chunk: Float32Array): void {
		// Drop the input no future output reaches, then add the chunk after what is kept.
		const firstNeeded = Math.floor(this.produced * this.step - this.halfWidth) - 1;
		const drop = Math.max(0, Math.min(this.buffer.length, firstNeeded - this.base));
		const kept = this.buffer.subarray(drop);
		const next = new Float32Array(kept.length + chunk.length);
		next.set(kept);
		next.set(chunk, kept.length);
		this.buffer = next;
		this.base += drop;
	}

	/**
	 * Computes outputs while the input they need is there: up to `available` real samples, or
	 * when flushing, every output whose position lies inside the real input.
	 */
	private produce(available: number, flushing = false): Float32Array {
		const { step, cutoff, halfWidth, table, buffer, base } = this;
		const last = flushing
			? Math.ceil(available / step) // outputs at positions below `available`
			: Math.floor((available - 1 - halfWidth) / step) + 1;
		const count = Math.max(0, last - this.produced);
		const output = new Float32Array(count);
		const scale = cutoff * TABLE_DENSITY;
		for (let i = 0; i < count; i++) {
			const t = (this.produced + i) * step;
			const first = Math.max(Math.ceil(t - halfWidth), base);
			const end = Math.min(Math.floor(t + halfWidth), base + buffer.length - 1);
			let sum = 0;
			for (let k = first; k <= end; k++) {
				const position = Math.abs(t - k) * scale;
				const index = position | 0;
				const low = table[index]!;
				sum += buffer[k - base]! * (low + (table[index + 1]! - low) * (position - index));
			}
			output[i] = sum * cutoff;
		}
		this.produced += count;
		return output;
	}
}

/** Resamples a whole recording; its length becomes ceil(length * outputRate / inputRate). */
export function resample(samples: Float32Array, inputRate: number, outputRate: number) {
	const resampler = new StreamResampler(inputRate, outputRate);
	const body = resampler.push(samples);
	const tail = resampler.flush();
	if (tail.length === 0) return body;
	const output = new Float32Array(body.length + tail.length);
	output.set(body);
	output.set(tail, body.length);
	return output;
}
