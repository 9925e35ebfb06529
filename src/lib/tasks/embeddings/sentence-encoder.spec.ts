import { describe, expect, it } from 'vitest';
import type { ModelFile } from '$lib/catalog/manifest';
import { isSentenceEncoder, lengthBatches, normalizeRows, sparseBatch } from './sentence-encoder';

const file = (path: string, role: string): ModelFile =>
	({
		path,
		role,
		kind: path.endsWith('.onnx') ? 'onnx' : 'json',
		bytes: 1,
		sha256: ''
	}) as ModelFile;

describe('isSentenceEncoder', () => {
	it('needs both an encoder and a vocab file', () => {
		expect(isSentenceEncoder([file('m.onnx', 'encoder'), file('vocab.json', 'vocab')])).toBe(true);
		expect(isSentenceEncoder([file('m.onnx', 'encoder')])).toBe(false);
		expect(
			isSentenceEncoder([file('m.onnx', 'embedder'), file('tokenizer.json', 'tokenizer')])
		).toBe(false);
	});
});

describe('sparseBatch', () => {
	it('lists (sentence, position) and the token of every id, sentence by sentence', () => {
		const { nnz, indices, values } = sparseBatch([[7, 8, 9], [4], [5, 6]]);
		expect(nnz).toBe(6);
		expect(Array.from(indices, Number)).toEqual([0, 0, 0, 1, 0, 2, 1, 0, 2, 0, 2, 1]);
		expect(Array.from(values, Number)).toEqual([7, 8, 9, 4, 5, 6]);
		expect(indices).toBeInstanceOf(BigInt64Array);
	});
});

describe('normalizeRows', () => {
	it('scales every row to unit length and leaves a zero row at zero', () => {
		const rows = normalizeRows(new Float32Array([3, 4, 0, 0, 0, 2]), 2);
		expect(Array.from(rows)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6), 0, 0, 0, 1]);
	});
});

describe('lengthBatches', () => {
	it('groups texts of similar length, each index once, at most `size` per batch', () => {
		const batches = lengthBatches([5, 1, 9, 1, 3], 2);
		expect(batches).toEqual([[1, 3], [4, 0], [2]]);
		expect(lengthBatches([], 2)).toEqual([]);
	});
});
