import { describe, expect, it } from 'vitest';
import { HearthError } from '$lib/errors';
import { resample, StreamResampler } from './resample';

function tone(frequency: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
	const samples = new Float32Array(Math.round(rate * seconds));
	for (let i = 0; i < samples.length; i++) {
		samples[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / rate);
	}
	return samples;
}

/** Largest difference from the ideal tone, away from the edges where the input starts and stops. */
function maxToneError(output: Float32Array, frequency: number, rate: number, amplitude = 0.5) {
	const margin = Math.round(rate * 0.01);
	let worst = 0;
	for (let i = margin; i < output.length - margin; i++) {
		const ideal = amplitude * Math.sin((2 * Math.PI * frequency * i) / rate);
		worst = Math.max(worst, Math.abs(output[i]! - ideal));
	}
	return worst;
}

function rms(values: Float32Array, from = 0, to = values.length): number {
	let sum = 0;
	for (let i = from; i < to; i++) sum += values[i]! ** 2;
	return Math.sqrt(sum / (to - from));
}

/** Seeded noise, so a failure can be reproduced. */
function noise(length: number, seed = 1): Float32Array {
	let state = seed;
	return Float32Array.from({ length }, () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 31 - 1;
	});
}

describe('resample', () => {
	it('keeps the frequency, phase and amplitude of a 1 kHz tone from 44.1 kHz to 16 kHz', () => {
		const output = resample(tone(1000, 44_100, 1), 44_100, 16_000);
		expect(output.length).toBe(16_000);
		// Sample n of the output sits at time n / 16000 s, so it must equal the tone there.
		expect(maxToneError(output, 1000, 16_000)).toBeLessThan(2e-3);
		const margin = 160;
		expect(rms(output, margin, output.length - margin)).toBeCloseTo(0.5 / Math.SQRT2, 3);
	});

	it('keeps a 6 kHz tone, high in the 16 kHz band, within 1% of its amplitude', () => {
		const output = resample(tone(6000, 48_000, 0.5), 48_000, 16_000);
		expect(maxToneError(output, 6000, 16_000)).toBeLessThan(0.005);
	});

	it('removes a 10 kHz tone instead of folding it down to 6 kHz', () => {
		const output = resample(tone(10_000, 44_100, 1), 44_100, 16_000);
		// The input's RMS is 0.35; an unfiltered decimation would keep all of it, as a 6 kHz alias.
		expect(rms(output, 200, output.length - 200)).toBeLessThan(0.5e-3);
	});

	it('upsamples 8 kHz to 16 kHz without images', () => {
		const output = resample(tone(1000, 8000, 0.5), 8000, 16_000);
		expect(output.length).toBe(8000);
		expect(maxToneError(output, 1000, 16_000)).toBeLessThan(2e-3);
	});

	it('returns a copy of the input when the rates are equal', () => {
		const input = noise(1000);
		const output = resample(input, 16_000, 16_000);
		expect(output).toEqual(input);
		expect(output).not.toBe(input);
	});

	it('rounds the output length up, so no input sample is lost', () => {
		expect(resample(noise(441), 44_100, 16_000).length).toBe(160);
		expect(resample(noise(442), 44_100, 16_000).length).toBe(161);
		expect(resample(noise(1), 48_000, 16_000).length).toBe(1);
		expect(resample(new Float32Array(0), 48_000, 16_000).length).toBe(0);
	});

	it('refuses a rate that is not a positive number, with a clear error', () => {
		for (const rate of [0, -16_000, Number.NaN, Number.POSITIVE_INFINITY]) {
			expect(() => resample(noise(10), rate, 16_000)).toThrow(HearthError);
		}
		try {
			resample(noise(10), 0, 16_000);
		} catch (error) {
			expect((error as HearthError).code).toBe('audio-sample-rate');
		}
	});
});

describe('StreamResampler', () => {
	it('gives the same samples whatever the chunk sizes', () => {
		const input = noise(48_000, 7);
		const whole = resample(input, 44_100, 16_000);
		for (const chunkSize of [1, 127, 128, 4096, 20_000]) {
			const stream = new StreamResampler(44_100, 16_000);
			const parts: number[] = [];
			for (let i = 0; i < input.length; i += chunkSize) {
				parts.push(...stream.push(input.subarray(i, i + chunkSize)));
			}
			parts.push(...stream.flush());
			expect(Float32Array.from(parts)).toEqual(whole);
		}
	});

	it('keeps only the input it still needs, however long the stream runs', () => {
		const stream = new StreamResampler(48_000, 16_000);
		const chunk = noise(4800);
		let produced = 0;
		for (let i = 0; i < 500; i++) produced += stream.push(chunk).length;
		// 50 s in: outputs lag the input only by the kernel's reach, and memory stays bounded.
		expect(produced).toBeGreaterThan(500 * 1600 - 100);
		const kept = (stream as unknown as { buffer: Float32Array }).buffer.length;
		expect(kept).toBeLessThan(chunk.length + 400);
	});
});
