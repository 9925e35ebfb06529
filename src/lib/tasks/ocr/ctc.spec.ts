import { describe, expect, it } from 'vitest';
import { ctcGreedyDecode, parseKeys, plainPunctuation } from './ctc';

/** [steps, classes] probabilities with the given class most likely at each step. */
function steps(classes: number, picks: [number, number][]): Float32Array {
	const out = new Float32Array(picks.length * classes);
	picks.forEach(([best, p], t) => {
		out.fill((1 - p) / (classes - 1), t * classes, (t + 1) * classes);
		out[t * classes + best] = p;
	});
	return out;
}

describe('parseKeys', () => {
	it('puts blank first and space last, one key per line', () => {
		expect(parseKeys('a\nb\r\n𣇉\n')).toEqual(['', 'a', 'b', '𣇉', ' ']);
		expect(parseKeys('x\ny')).toEqual(['', 'x', 'y', ' ']);
	});
});

describe('ctcGreedyDecode', () => {
	const keys = parseKeys('h\ne\nl\no');
	// blank 0, h 1, e 2, l 3, o 4, space 5

	it('merges repeats, drops blanks, and keeps doubled letters split by a blank', () => {
		const probs = steps(keys.length, [
			[1, 0.9],
			[1, 0.8],
			[2, 0.9],
			[3, 0.7],
			[0, 0.9],
			[3, 0.9],
			[4, 0.6],
			[5, 0.9],
			[0, 0.9]
		]);
		const decoded = ctcGreedyDecode(probs, 9, keys);
		expect(decoded.text).toBe('hello ');
		// The first step of each kept run counts: 0.9, 0.9, 0.7, 0.9, 0.6, 0.9.
		expect(decoded.confidence).toBeCloseTo((0.9 + 0.9 + 0.7 + 0.9 + 0.6 + 0.9) / 6, 6);
	});

	it('gives empty text with zero confidence for all blanks', () => {
		expect(ctcGreedyDecode(steps(keys.length, [[0, 0.99]]), 1, keys)).toEqual({
			text: '',
			confidence: 0
		});
	});

	it('refuses output too short for the keys', () => {
		expect(() => ctcGreedyDecode(new Float32Array(5), 1, keys)).toThrow(/probabilities/);
	});
});

describe('plainPunctuation', () => {
	it('turns full-width marks in Latin text into ASCII', () => {
		expect(plainPunctuation('March，3：45（paid）！')).toBe('March,3:45(paid)!');
	});

	it('leaves lines with CJK characters alone', () => {
		expect(plainPunctuation('你好，世界')).toBe('你好，世界');
	});
});
