import { describe, expect, it } from 'vitest';
import { characterErrorRate, levenshtein } from './metrics';

describe('levenshtein', () => {
	it('counts insertions, deletions and substitutions', () => {
		expect(levenshtein('kitten', 'sitting')).toBe(3);
		expect(levenshtein('', 'abc')).toBe(3);
		expect(levenshtein('abc', '')).toBe(3);
		expect(levenshtein('flaw', 'lawn')).toBe(2);
		expect(levenshtein('same', 'same')).toBe(0);
	});

	it('counts a character outside the BMP as one', () => {
		expect(levenshtein('a𣇉b', 'ab')).toBe(1);
	});
});

describe('characterErrorRate', () => {
	it('divides edits by the reference length', () => {
		expect(characterErrorRate('Hello Wor1d', 'Hello World')).toBeCloseTo(1 / 11);
		expect(characterErrorRate('HelloWorld', 'Hello World')).toBeCloseTo(1 / 11);
		expect(characterErrorRate('abc', 'abc')).toBe(0);
	});

	it('handles an empty reference', () => {
		expect(characterErrorRate('', '')).toBe(0);
		expect(characterErrorRate('x', '')).toBe(1);
	});
});
