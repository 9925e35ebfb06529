import { describe, expect, it } from 'vitest';
import { mixToMono, peakDecibels } from './audio';

describe('mixToMono', () => {
	it('averages the channels sample by sample', () => {
		const left = Float32Array.from([1, 0.5, -1]);
		const right = Float32Array.from([0, 0.5, 1]);
		expect(Array.from(mixToMono([left, right]))).toEqual([0.5, 0.5, 0]);
	});

	it('copies a mono channel instead of sharing it', () => {
		const only = Float32Array.from([0.25, -0.25]);
		const mono = mixToMono([only]);
		expect(mono).toEqual(only);
		expect(mono).not.toBe(only);
	});

	it('gives no samples for no channels', () => {
		expect(mixToMono([]).length).toBe(0);
	});
});

describe('peakDecibels', () => {
	it('is 0 dB at full scale and -6 dB at half of it', () => {
		expect(peakDecibels(Float32Array.from([0.1, -1, 0.3]))).toBeCloseTo(0, 6);
		expect(peakDecibels(Float32Array.from([0.5, -0.25]))).toBeCloseTo(-6.02, 2);
	});

	it('is minus infinity for digital silence', () => {
		expect(peakDecibels(new Float32Array(100))).toBe(Number.NEGATIVE_INFINITY);
	});
});
