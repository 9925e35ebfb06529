import { describe, expect, it } from 'vitest';
import type { ValueDescription } from '$lib/optimize/onnx-inspect';
import { fromFloat16Bits, toFloat16Bits } from './float16';
import {
	dimsToSize,
	fillInput,
	fillInputs,
	MAX_ELEMENTS,
	resolveDims,
	UnfillableInputError,
	type InputFill
} from './fill-inputs';

const tensor = (
	name: string,
	dtype: string,
	dims: (number | string)[] | null
): ValueDescription => ({
	name,
	kind: 'tensor',
	dtype,
	dims
});
const pixels = tensor('pixels', 'float32', ['batch', 784]);
const ids = tensor('input_ids', 'int64', ['batch', 'sequence']);
const zeros: InputFill = { mode: 'zeros', json: '' };
const random: InputFill = { mode: 'random', json: '' };
const json = (text: string): InputFill => ({ mode: 'json', json: text });

describe('dimsToSize', () => {
	it('lists each symbolic name once with the inputs using it, and unnamed dims per axis', () => {
		const state = tensor('state', 'float32', [2, '?', 128]);
		expect(dimsToSize([pixels, ids, state])).toEqual([
			{ key: 'batch', inputs: ['pixels', 'input_ids'] },
			{ key: 'sequence', inputs: ['input_ids'] },
			{ key: 'state axis 1', inputs: ['state'] }
		]);
	});
});

describe('fillInput', () => {
	it('makes zeros of the shape the user sized', () => {
		const filled = fillInput(pixels, zeros, { batch: '2' });
		expect(filled.dims).toEqual([2, 784]);
		expect(filled.data).toBeInstanceOf(Float32Array);
		expect(filled.data.length).toBe(1568);
		expect([...(filled.data as Float32Array)].every((value) => value === 0)).toBe(true);
	});

	it('makes seeded random values: floats in [0, 1), integers 0 to 9, the same every time', () => {
		const first = fillInput(pixels, random, { batch: '1' }).data as Float32Array;
		const again = fillInput(pixels, random, { batch: '1' }).data as Float32Array;
		expect([...first]).toEqual([...again]);
		expect(Math.min(...first)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...first)).toBeLessThan(1);
		expect(new Set(first).size).toBeGreaterThan(700);
		const tokens = fillInput(ids, random, { batch: '1', sequence: '50' }).data as BigInt64Array;
		expect(tokens).toBeInstanceOf(BigInt64Array);
		const values = [...tokens].map(Number);
		expect(values.every((value) => Number.isInteger(value) && value >= 0 && value <= 9)).toBe(true);
		expect(new Set(values).size).toBeGreaterThan(3);
	});

	it('takes nested JSON and reads symbolic dims from it', () => {
		const filled = fillInput(ids, json('[[101, 2023, 102], [101, 7, 102]]'), {});
		expect(filled.dims).toEqual([2, 3]);
		expect([...(filled.data as BigInt64Array)]).toEqual([101n, 2023n, 102n, 101n, 7n, 102n]);
	});

	it('takes a flat JSON list for the shape the dims give, and a scalar for rank 0', () => {
		const flat = fillInput(tensor('x', 'float32', ['n', 2]), json('[1, 2, 3, 4]'), { n: '2' });
		expect(flat.dims).toEqual([2, 2]);
		expect([...(flat.data as Float32Array)]).toEqual([1, 2, 3, 4]);
		const rate = fillInput(tensor('sr', 'int64', []), json('16000'), {});
		expect(rate.dims).toEqual([]);
		expect([...(rate.data as BigInt64Array)]).toEqual([16000n]);
		const flags = fillInput(tensor('b', 'bool', [3]), json('[true, false, 1]'), {});
		expect([...(flags.data as Uint8Array)]).toEqual([1, 0, 1]);
	});

	it('encodes float16 inputs as half-precision bits', () => {
		const half = fillInput(tensor('h', 'float16', [3]), json('[1, -2.5, 65504]'), {});
		expect(half.data).toBeInstanceOf(Uint16Array);
		expect([...(half.data as Uint16Array)].map(fromFloat16Bits)).toEqual([1, -2.5, 65504]);
	});

	it('explains every JSON mistake', () => {
		const cases: [ValueDescription, string, Record<string, string>, RegExp][] = [
			[ids, '[[1, 2], [3]]', {}, /ragged/],
			[ids, '[[1.5, 2]]', {}, /not a whole number/],
			[ids, '[[[1]]]', {}, /3 levels of nesting.*rank 2/],
			[pixels, '[[1, 2]]', {}, /has 2 along axis 1, but the model fixes it at 784/],
			[ids, '[[1, 2]]', { batch: '3' }, /"batch" is set to 3/],
			[tensor('x', 'float32', [2, 2]), '[1, 2, 3]', {}, /3 values, shape \[2, 2\] needs 4/],
			[ids, '[[1, "a"]]', {}, /holds "a"/],
			[ids, '[[1, 2]', {}, /does not parse/],
			[tensor('u', 'uint8', [1]), '[300]', {}, /uint8's range 0 to 255/]
		];
		for (const [input, text, sizes, message] of cases) {
			expect(() => fillInput(input, json(text), sizes), text).toThrow(message);
		}
	});
});

describe('inputs the runner cannot fill', () => {
	it('refuses strings, unknown types, non-tensors and unknown ranks with the reason', () => {
		const cases: [ValueDescription, RegExp][] = [
			[tensor('text', 'string', [1]), /"text": it takes strings/],
			[tensor('d', 'float64', [1]), /float64 is not one the runner fills/],
			[{ name: 'seq', kind: 'sequence', dtype: 'sequence', dims: null }, /is a sequence/],
			[tensor('any', 'float32', null), /rank is unknown/]
		];
		for (const [input, message] of cases) {
			expect(() => fillInput(input, zeros, {})).toThrow(UnfillableInputError);
			expect(() => fillInput(input, zeros, {})).toThrow(message);
		}
	});

	it('asks for a size for every symbolic dim the user left empty, and only whole numbers', () => {
		expect(() => resolveDims(pixels, {})).toThrow(/"batch" has no size/);
		expect(() => resolveDims(pixels, { batch: ' ' })).toThrow(/"batch" has no size/);
		expect(() => resolveDims(pixels, { batch: '1.5' })).toThrow(/whole number/);
		expect(() => resolveDims(pixels, { batch: '-1' })).toThrow(/whole number/);
		expect(resolveDims(pixels, { batch: '0' })).toEqual([0, 784]);
	});

	it('refuses shapes too large to make', () => {
		const big = String(Math.ceil(MAX_ELEMENTS / 784) + 1);
		expect(() => fillInput(pixels, zeros, { batch: big })).toThrow(/more than the runner makes/);
	});

	it('fillInputs names the first input that fails', () => {
		expect(() => fillInputs([pixels, tensor('text', 'string', [1])], {}, { batch: '1' })).toThrow(
			/Input "text"/
		);
		const filled = fillInputs([pixels, ids], { input_ids: zeros }, { batch: '1', sequence: '4' });
		expect(Object.keys(filled)).toEqual(['pixels', 'input_ids']);
		expect(filled.input_ids!.dims).toEqual([1, 4]);
	});
});

describe('float16', () => {
	it('round-trips exactly representable values and rounds to nearest even', () => {
		for (const value of [0, 1, -1, 0.5, 2 ** -14, 2 ** -24, 65504, -0.333251953125]) {
			expect(fromFloat16Bits(toFloat16Bits(value))).toBe(value);
		}
		expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // halfway: rounds to even (1.0)
		expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
		expect(fromFloat16Bits(toFloat16Bits(70000))).toBe(Infinity);
		expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN)))).toBe(true);
		expect(fromFloat16Bits(toFloat16Bits(2 ** -26))).toBe(0);
	});
});
