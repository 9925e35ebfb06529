import { describe, expect, it } from 'vitest';
import {
	accuracy,
	exactLineRate,
	frameAgreement,
	meanRowCosine,
	recallAtK,
	segmentF1,
	setCharacterErrorRate,
	topK,
	topOneAgreement
} from './quality';
import { latencyStats } from './latency';

describe('classification', () => {
	it('counts matching predictions', () => {
		expect(accuracy([1, 2, 3, 4], [1, 2, 0, 4])).toBe(0.75);
		expect(topOneAgreement([5, 5], [5, 6])).toBe(0.5);
		expect(accuracy([], [])).toBeNaN();
	});

	it('refuses lists of different lengths', () => {
		expect(() => accuracy([1], [1, 2])).toThrow(RangeError);
	});
});

describe('text', () => {
	it('sums edits over all reference characters', () => {
		// One substitution in 5 characters, one deletion in 3: 2 edits over 8 characters.
		expect(setCharacterErrorRate(['hxllo', 'ab'], ['hello', 'abc'])).toBe(2 / 8);
		expect(exactLineRate(['hello', 'ab'], ['hello', 'abc'])).toBe(0.5);
	});

	it('counts code points, not UTF-16 units', () => {
		expect(setCharacterErrorRate(['😀b'], ['😀a'])).toBe(0.5);
	});
});

describe('voice activity', () => {
	const truth = [
		{ start: 1, end: 2 },
		{ start: 3, end: 4 }
	];

	it('scores detections that match the truth', () => {
		expect(segmentF1(truth, truth)).toEqual({ precision: 1, recall: 1, f1: 1, matched: 2 });
		const shifted = [
			{ start: 1.1, end: 2.1 },
			{ start: 3.8, end: 5 }
		];
		// The first overlaps with IoU 0.9/1.1, the second only 0.2/2.
		const score = segmentF1(shifted, truth);
		expect(score.matched).toBe(1);
		expect(score.f1).toBeCloseTo(0.5);
	});

	it('penalises a merge of two phrases', () => {
		const merged = segmentF1([{ start: 1, end: 4 }], truth);
		expect(merged.matched).toBe(0);
		expect(merged.f1).toBe(0);
	});

	it('treats silence found in silence as perfect', () => {
		expect(segmentF1([], []).f1).toBe(1);
		expect(segmentF1([], truth).f1).toBe(0);
	});

	it('compares segmentations frame by frame', () => {
		expect(frameAgreement(truth, truth, 5)).toBe(1);
		// Disagree from 1.5 to 2 s: 50 of 500 frames.
		expect(frameAgreement(truth, [{ start: 1, end: 1.5 }, truth[1]!], 5)).toBeCloseTo(0.9);
	});
});

describe('embeddings', () => {
	it('averages the cosine of matching rows', () => {
		const a = new Float32Array([1, 0, 0, 1]);
		const b = new Float32Array([1, 0, 1, 1]);
		expect(meanRowCosine(a, b, 2)).toBeCloseTo((1 + Math.SQRT1_2) / 2);
		expect(meanRowCosine(new Float32Array(2), new Float32Array(2), 2)).toBe(1);
	});

	it('ranks the corpus by dot product and measures overlap of the top k', () => {
		const corpus = new Float32Array([1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9]);
		const queries = new Float32Array([1, 0]);
		expect(topK(queries, 0, corpus, 2, 2)).toEqual([0, 1]);
		expect(recallAtK({ queries, corpus }, { queries, corpus }, 2, 2)).toBe(1);
		const turned = new Float32Array([0, 1]);
		expect(recallAtK({ queries, corpus }, { queries: turned, corpus }, 2, 2)).toBe(0);
		expect(recallAtK({ queries, corpus }, { queries: turned, corpus }, 2, 4)).toBe(1);
	});
});

describe('latency', () => {
	it('gives interpolated percentiles and the mean', () => {
		const stats = latencyStats('wasm-1', 1, [5, 1, 4, 2, 3]);
		expect(stats).toMatchObject({ runs: 5, p50: 3, mean: 3 });
		expect(stats.p95).toBeCloseTo(4.8);
	});
});
