import { describe, expect, it } from 'vitest';
import { toFloat16Bits } from './float16';
import { formatValue, summarizeTensor } from './tensor-stats';

describe('summarizeTensor', () => {
	it('gives min, max, mean, population std and the first values', () => {
		const summary = summarizeTensor({
			dtype: 'float32',
			dims: [2, 4],
			data: Float32Array.from([2, 4, 4, 4, 5, 5, 7, 9])
		});
		expect(summary).toMatchObject({ elements: 8, min: 2, max: 9, mean: 5, std: 2, nanCount: 0 });
		expect(summary.first).toEqual([2, 4, 4, 4, 5, 5, 7, 9]);
		expect(
			summarizeTensor({ dtype: 'float32', dims: [8], data: new Float32Array(8) }, 3).first
		).toEqual([0, 0, 0]);
	});

	it('counts NaN and infinities apart from the statistics', () => {
		const summary = summarizeTensor({
			dtype: 'float32',
			dims: [5],
			data: Float32Array.from([1, NaN, 3, Infinity, NaN])
		});
		expect(summary).toMatchObject({ min: 1, max: 3, mean: 2, nanCount: 2, infinityCount: 1 });
		const none = summarizeTensor({ dtype: 'float32', dims: [1], data: Float32Array.from([NaN]) });
		expect(none).toMatchObject({ min: null, mean: null, std: null, nanCount: 1 });
	});

	it('decodes float16 bits and int64 values', () => {
		const half = summarizeTensor({
			dtype: 'float16',
			dims: [2],
			data: Uint16Array.from([toFloat16Bits(-1.5), toFloat16Bits(0.25)])
		});
		expect(half).toMatchObject({ min: -1.5, max: 0.25, first: [-1.5, 0.25] });
		const ints = summarizeTensor({
			dtype: 'int64',
			dims: [3],
			data: BigInt64Array.from([3n, -2n, 8n])
		});
		expect(ints).toMatchObject({ min: -2, max: 8, mean: 3, first: [3, -2, 8] });
	});

	it('shows strings as they are, without statistics', () => {
		const text = summarizeTensor({ dtype: 'string', dims: [2], data: ['a', 'b'] });
		expect(text).toMatchObject({ min: null, first: ['a', 'b'], elements: 2 });
	});

	it('stays accurate over many values far from zero', () => {
		const data = new Float32Array(1_000_000);
		for (let i = 0; i < data.length; i++) data[i] = 10_000 + (i % 2 === 0 ? -1 : 1);
		const summary = summarizeTensor({ dtype: 'float32', dims: [data.length], data });
		expect(summary.mean).toBeCloseTo(10_000, 6);
		expect(summary.std).toBeCloseTo(1, 6);
	});
});

describe('formatValue', () => {
	it('prints six significant digits, exponents for tiny and huge values', () => {
		expect(formatValue(0.123456789)).toBe('0.123457');
		expect(formatValue(1.5)).toBe('1.5');
		expect(formatValue(123450.2)).toBe('123450');
		expect(formatValue(3)).toBe('3');
		expect(formatValue(0.00001234)).toBe('1.2340e-5');
		expect(formatValue(null)).toBe('–');
		expect(formatValue('a')).toBe('"a"');
		expect(formatValue(NaN)).toBe('NaN');
	});
});
