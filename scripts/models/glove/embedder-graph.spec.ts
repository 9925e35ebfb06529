import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { embedderToOnnx } from './embedder-graph';
import { commonComponent, removeComponent, sifWeight, zipfProbability } from './sif';

/** Rows: [PAD], [UNK], then three words with 3-d vectors. */
const TABLE = Float32Array.from([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 3, 4, 0]);
const WEIGHTS = Float32Array.from([0, 0, 1, 0.5, 0.25]);

async function embed(ids: number[][], mask: number[][]): Promise<number[][]> {
	const session = await ort.InferenceSession.create(
		embedderToOnnx({ table: TABLE, tokenWeights: WEIGHTS, dimensions: 3, docString: 'test' })
	);
	try {
		const dims = [ids.length, ids[0]!.length];
		const tensor = (rows: number[][]) =>
			new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), dims);
		const result = await session.run({ input_ids: tensor(ids), attention_mask: tensor(mask) });
		const data = Array.from(result.sentence_embedding!.data as Float32Array);
		return ids.map((_, row) => data.slice(row * 3, row * 3 + 3));
	} finally {
		await session.release();
	}
}

describe('embedderToOnnx', () => {
	it('averages by token weight over unmasked tokens, then normalises', async () => {
		// Row 0: word 2 (weight 1) and word 4 (weight 0.25) -> (1,0,0) + 0.25 (3,4,0) = (1.75, 1, 0).
		// Row 1: word 3 and padding; the masked-out word 2 must not count.
		const [first, second] = await embed(
			[
				[2, 4, 0],
				[3, 2, 0]
			],
			[
				[1, 1, 0],
				[1, 0, 0]
			]
		);
		const length = Math.hypot(1.75, 1);
		expect(first![0]).toBeCloseTo(1.75 / length, 6);
		expect(first![1]).toBeCloseTo(1 / length, 6);
		expect(second).toEqual([0, 1, 0]);
	});

	it('ignores [UNK] and gives zeros when nothing is known', async () => {
		const [onlyUnknown, withUnknown] = await embed(
			[
				[1, 1],
				[1, 3]
			],
			[
				[1, 1],
				[1, 1]
			]
		);
		expect(onlyUnknown).toEqual([0, 0, 0]);
		expect(withUnknown).toEqual([0, 1, 0]);
	});

	it('refuses a table that does not match the weights', () => {
		expect(() =>
			embedderToOnnx({ table: TABLE, tokenWeights: WEIGHTS, dimensions: 4, docString: '' })
		).toThrow(/15 values for 5 rows/);
	});
});

describe('SIF weighting', () => {
	it('gives frequent words small weights and rare words weights near 1', () => {
		const size = 400_000;
		expect(sifWeight(zipfProbability(0, size))).toBeLessThan(0.02);
		expect(sifWeight(zipfProbability(19_999, size))).toBeGreaterThan(0.99);
		let total = 0;
		for (let rank = 0; rank < size; rank++) total += zipfProbability(rank, size);
		expect(total).toBeCloseTo(1, 6);
	});

	it('finds the dominant shared direction and removes it', () => {
		const vectors = [
			Float32Array.from([3, 1]),
			Float32Array.from([3, -1]),
			Float32Array.from([2, 0.5])
		];
		const direction = commonComponent(vectors, [1, 1, 1], 2);
		expect(Math.abs(direction[0]!)).toBeGreaterThan(0.99);
		const vector = Float32Array.from([3, 1]);
		removeComponent(vector, direction);
		expect(Math.abs(vector[0]! * direction[0]! + vector[1]! * direction[1]!)).toBeLessThan(1e-6);
	});
});
