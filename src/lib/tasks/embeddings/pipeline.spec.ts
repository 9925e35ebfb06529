import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeTaskContext } from '../../../../tests/support/node-task-context';
import { embedTexts } from './pipeline';
import { cosine, topK } from './search';

describe('topK', () => {
	it('returns the best rows in order, at most k', () => {
		const vectors = new Float32Array([1, 0, 0, 1, 0.6, 0.8, -1, 0]);
		expect(topK(new Float32Array([1, 0]), vectors, 2, 3)).toEqual([
			{ index: 0, score: 1 },
			{ index: 2, score: expect.closeTo(0.6, 6) },
			{ index: 1, score: 0 }
		]);
		expect(topK(new Float32Array([0, 1]), vectors, 2, 1)).toEqual([{ index: 1, score: 1 }]);
	});

	it('gives zero similarity to an all-zero vector', () => {
		expect(cosine([0, 0], [1, 0])).toBe(0);
		expect(cosine([3, 4], [6, 8])).toBeCloseTo(1, 6);
	});
});

describe('embedTexts on the GloVe embedder', () => {
	let ctx: NodeTaskContext;
	beforeAll(async () => {
		ctx = await NodeTaskContext.forCatalogModel('glove-embedder');
	});
	afterAll(() => ctx.release());

	it('ranks the paraphrase first among unrelated sentences', async () => {
		const corpus = [
			'Stock markets fell sharply after the interest rate decision',
			'The cat sat on the mat by the fire',
			'Heavy rain and strong winds are expected this weekend',
			'The football team won the championship final',
			'Fresh bread and cheese for a simple lunch'
		];
		const index = await embedTexts({ texts: corpus }, ctx);
		const query = await embedTexts({ texts: ['a kitten was sleeping on the rug'] }, ctx);
		const [best, second] = topK(query.vectors, index.vectors, index.dims, 2);
		expect(best!.index).toBe(1);
		expect(best!.score - second!.score).toBeGreaterThan(0.1);
		expect(index.dims).toBe(100);
	});

	it('batches with padding without changing each text’s vector', async () => {
		const alone = await embedTexts({ texts: ['rain tomorrow'] }, ctx);
		const batched = await embedTexts(
			{ texts: ['rain tomorrow', 'a much longer sentence about the weather today'] },
			ctx
		);
		expect(cosine(alone.vectors, batched.vectors.subarray(0, 100))).toBeCloseTo(1, 5);
	});

	it('cuts long texts to maxTokens and says so', async () => {
		const long = Array.from({ length: 400 }, (_, i) => (i % 2 ? 'river' : 'bank')).join(' ');
		const result = await embedTexts({ texts: ['short text', long], maxTokens: 64 }, ctx);
		expect(result.truncated).toEqual([1]);
		expect(result.tokenUnit).toBe('words');
		expect(result.tokenCounts).toEqual([2, 64]);
	});

	it('refuses empty text and flags text with no known word', async () => {
		await expect(embedTexts({ texts: ['   '] }, ctx)).rejects.toMatchObject({ code: 'empty-text' });
		await expect(embedTexts({ texts: ['fine', ''] }, ctx)).rejects.toThrow(/Text 2 is empty/);
		const result = await embedTexts({ texts: ['qwzxv plmokn'] }, ctx);
		expect(result.unknown).toEqual([0]);
	});
});
