/**
 * The Universal Sentence Encoder lite path of the embeddings task: SentencePiece ids go to the
 * encoder as one sparse batch (TensorFlow's SparseTensor of [sentence, position] indices and
 * token values, exactly the placeholders of the original graph), which returns 512 numbers per
 * sentence. Pure apart from the context, so it runs under vitest with onnxruntime-node.
 */
import type { ModelFile } from '$lib/catalog/manifest';
import { fileForRole } from '../model-files';
import type { TaskContext } from '../types';
import { parseVocabulary, SentencePieceTokenizer, UNKNOWN_ID, WORD_START } from './sentencepiece';
import type { EmbedResult } from './types';

export const ENCODER_ROLE = 'encoder';
export const VOCAB_ROLE = 'vocab';
/**
 * Texts per encoder run. A batch is padded to its longest text, so texts are grouped by length
 * and runs stay small enough that the attention's batch × length² scores fit in memory.
 */
export const ENCODER_BATCH = 32;

/** Whether a variant is a sentence encoder with its own vocabulary (USE-lite) rather than GloVe. */
export function isSentenceEncoder(files: readonly ModelFile[]): boolean {
	return (
		files.some((file) => file.role === ENCODER_ROLE) &&
		files.some((file) => file.role === VOCAB_ROLE)
	);
}

/** The sparse batch USE-lite takes: indices [nnz, 2] = (sentence, position), values [nnz]. */
export function sparseBatch(tokenLists: readonly (readonly number[])[]) {
	const nnz = tokenLists.reduce((sum, tokens) => sum + tokens.length, 0);
	const indices = new BigInt64Array(nnz * 2);
	const values = new BigInt64Array(nnz);
	let at = 0;
	tokenLists.forEach((tokens, sentence) => {
		tokens.forEach((id, position) => {
			indices[2 * at] = BigInt(sentence);
			indices[2 * at + 1] = BigInt(position);
			values[at] = BigInt(id);
			at++;
		});
	});
	return { nnz, indices, values };
}

/**
 * Scales each row to unit length in place, so a dot product is the cosine (search.ts relies on
 * it). USE's rows are within about 1e-6 of unit length already; an all-zero row stays zero.
 */
export function normalizeRows(vectors: Float32Array, dims: number): Float32Array {
	for (let start = 0; start < vectors.length; start += dims) {
		const row = vectors.subarray(start, start + dims);
		let sum = 0;
		for (const value of row) sum += value * value;
		if (sum > 0) {
			const scale = 1 / Math.sqrt(sum);
			for (let i = 0; i < row.length; i++) row[i]! *= scale;
		}
	}
	return vectors;
}

/** Groups text indices into runs of at most `size`, shortest texts first, to keep padding low. */
export function lengthBatches(lengths: readonly number[], size = ENCODER_BATCH): number[][] {
	const order = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
	const batches: number[][] = [];
	for (let start = 0; start < order.length; start += size) {
		batches.push(order.slice(start, start + size));
	}
	return batches;
}

/** Embeds non-empty texts with a USE-lite variant (files with roles encoder and vocab). */
export async function embedWithSentenceEncoder(
	texts: readonly string[],
	maxTokens: number,
	ctx: TaskContext
): Promise<EmbedResult> {
	const vocabFile = fileForRole(ctx.files, 'embeddings', VOCAB_ROLE);
	const tokenizer = await ctx.memo('sentencepiece', async () => {
		return new SentencePieceTokenizer(parseVocabulary(await ctx.readFile(vocabFile.path)));
	});
	const encoded = await ctx.stage('preprocess', () => {
		const full = texts.map((text) => tokenizer.encode(text));
		const cut = full.map((tokens) => tokens.slice(0, maxTokens));
		return { full, cut, batches: lengthBatches(cut.map((tokens) => tokens.length)) };
	});

	const model = await ctx.session(fileForRole(ctx.files, 'embeddings', ENCODER_ROLE).path);
	const outputName = model.outputNames.includes('embeddings')
		? 'embeddings'
		: model.outputNames[0]!;
	let dims = 0;
	let vectors = new Float32Array(0);
	for (const batch of encoded.batches) {
		const sparse = sparseBatch(batch.map((i) => encoded.cut[i]!));
		const outputs = await model.run({
			indices: { dtype: 'int64', dims: [sparse.nnz, 2], data: sparse.indices },
			values: { dtype: 'int64', dims: [sparse.nnz], data: sparse.values }
		});
		const output = outputs[outputName];
		if (!output || !(output.data instanceof Float32Array)) {
			throw new Error('the sentence encoder returned no float32 embeddings');
		}
		const width = output.dims[output.dims.length - 1] ?? 0;
		if (output.data.length !== batch.length * width) {
			throw new Error(
				`the sentence encoder returned ${output.dims.join('×')} for ${batch.length} texts`
			);
		}
		if (dims === 0) {
			dims = width;
			vectors = new Float32Array(texts.length * dims);
		}
		const data = output.data;
		// Back to the caller's order: the batches were sorted by length.
		batch.forEach((text, row) => {
			vectors.set(data.subarray(row * dims, (row + 1) * dims), text * dims);
		});
	}

	return ctx.stage('postprocess', () => {
		const wordStart = tokenizer.vocabulary.findIndex(([piece]) => piece === WORD_START);
		return {
			vectors: normalizeRows(vectors, dims),
			dims,
			tokenCounts: encoded.cut.map((tokens) => tokens.length),
			truncated: encoded.full.flatMap((tokens, i) => (tokens.length > maxTokens ? [i] : [])),
			// Only unknown characters (and the word marks between them): nothing the model knows.
			unknown: encoded.full.flatMap((tokens, i) =>
				tokens.every((id) => id === UNKNOWN_ID || id === wordStart) ? [i] : []
			),
			maxTokens,
			tokenUnit: 'word pieces'
		};
	});
}
