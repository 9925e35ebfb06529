/**
 * The built GloVe embedder with its tokenizer, loaded the way the site will load it
 * (transformers.js AutoTokenizer from a local folder) and run in onnxruntime-node.
 */
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../src/lib/catalog/manifest';
import { builtFilePath, modelNamed, readBuiltCatalog, withSession } from './built-models';
import { SAMPLE_TEXT } from './glove-embedder';
import { MODELS_DIR } from './paths';
import * as ort from 'onnxruntime-node';

let tokenizer: PreTrainedTokenizer;
let model: ModelManifest;

beforeAll(async () => {
	model = modelNamed(await readBuiltCatalog(), 'glove-embedder');
	env.localModelPath = `${MODELS_DIR}/`;
	env.allowRemoteModels = false;
	env.allowLocalModels = true;
	tokenizer = await AutoTokenizer.from_pretrained('glove-embedder');
});

function graphPath(): string {
	return builtFilePath(
		model,
		model.variants[0]!.files.find((file) => file.kind === 'onnx')!
	);
}

/** Tokenizes with padding, runs the graph and returns one embedding per text. */
async function embed(texts: string[]): Promise<Float32Array[]> {
	const encoded = tokenizer(texts, { padding: true });
	return withSession(graphPath(), async (session) => {
		const result = await session.run({
			input_ids: new ort.Tensor(
				'int64',
				encoded.input_ids.data as BigInt64Array,
				encoded.input_ids.dims
			),
			attention_mask: new ort.Tensor(
				'int64',
				encoded.attention_mask.data as BigInt64Array,
				encoded.attention_mask.dims
			)
		});
		const output = result.sentence_embedding!;
		expect(output.dims).toEqual([texts.length, 100]);
		const data = output.data as Float32Array;
		return texts.map((_, row) => data.slice(row * 100, (row + 1) * 100));
	});
}

const dot = (a: Float32Array, b: Float32Array) =>
	a.reduce((sum, value, i) => sum + value * b[i]!, 0);

describe('glove-embedder tokenizer', () => {
	it('pads a batch into int64 input_ids and attention_mask with [PAD] = 0', () => {
		const encoded = tokenizer(['A short one.', 'This sentence has quite a few more words in it.'], {
			padding: true
		});
		expect(encoded.input_ids.type).toBe('int64');
		expect(encoded.input_ids.dims).toEqual(encoded.attention_mask.dims);
		const ids = encoded.input_ids.tolist() as bigint[][];
		const mask = encoded.attention_mask.tolist() as bigint[][];
		// "A short one." is 4 tokens; the longer text sets the padded length.
		expect(ids[0]!.slice(4)).toEqual(new Array(ids[0]!.length - 4).fill(0n));
		expect(mask[0]!.slice(4)).toEqual(new Array(mask[0]!.length - 4).fill(0n));
		expect(mask[1]!.every((value) => value === 1n)).toBe(true);
	});

	it('lowercases, strips accents and splits punctuation; unknown words become [UNK] = 1', () => {
		expect(tokenizer.tokenize('Café, NAÏVE!')).toEqual(['cafe', ',', 'naive', '!']);
		expect(tokenizer.encode('qwzxv', { add_special_tokens: false })).toEqual([1]);
	});

	it('maps every vocabulary word, typed on its own, to its own id', async () => {
		const json = JSON.parse(
			await readFile(join(MODELS_DIR, 'glove-embedder', 'tokenizer.json'), 'utf8')
		);
		const vocab = Object.entries(json.model.vocab as Record<string, number>)
			.filter(([, id]) => id >= 2)
			.sort((a, b) => a[1] - b[1]);
		expect(vocab).toHaveLength(20_000);
		const ids = tokenizer.encode(vocab.map(([word]) => word).join(' '), {
			add_special_tokens: false
		});
		expect(ids).toEqual(vocab.map(([, id]) => id));
	});

	it('gives the token ids the manifest uses as the sample', () => {
		const sample = model.variants[0]!.files[0]!.graph!.sample[0]!;
		expect(sample.data).toEqual(tokenizer.encode(SAMPLE_TEXT, { add_special_tokens: false }));
		expect(model.variants[0]!.description).toContain(SAMPLE_TEXT);
	});
});

describe('glove-embedder graph', () => {
	it('returns unit-length embeddings that ignore padding', async () => {
		const [alone] = await embed(['the cat sat on the mat']);
		const [padded] = await embed([
			'the cat sat on the mat',
			'a much longer sentence that forces some padding here'
		]);
		expect(Math.sqrt(dot(alone!, alone!))).toBeCloseTo(1, 5);
		for (let i = 0; i < 100; i++) expect(padded![i]).toBeCloseTo(alone![i]!, 6);
	});

	it('scores similar sentences higher than unrelated ones', async () => {
		const cases = [
			['the cat sat on the mat', 'a kitten rested on the rug', 'stock markets fell sharply'],
			[
				'how do i cook pasta',
				'what is the best way to boil spaghetti',
				'the train was delayed by snow'
			],
			[
				'my laptop stopped working',
				'the computer crashed again',
				'the children played in the garden'
			]
		];
		for (const [anchor, similar, unrelated] of cases) {
			const [a, s, u] = await embed([anchor!, similar!, unrelated!]);
			expect(dot(a!, s!), `${anchor} / ${similar} vs ${unrelated}`).toBeGreaterThan(
				dot(a!, u!) + 0.1
			);
		}
	});

	it('gives the zero vector, not NaN, for text with no known word', async () => {
		const [empty] = await embed(['qwzxv']);
		expect(Array.from(empty!)).toEqual(new Array(100).fill(0));
	});
});
