import { fileForRole } from '../model-files';
import type { TaskContext } from '../types';
import { EmptyTextError } from './errors';
import { embedWithSentenceEncoder, isSentenceEncoder } from './sentence-encoder';
import { loadTokenizer } from './tokenizer';
import type { EmbedInput, EmbedResult } from './types';

export const DEFAULT_MAX_TOKENS = 256;

/**
 * Embeds texts into unit-length vectors with either kind of embeddings model: a sentence encoder
 * with a SentencePiece vocabulary (USE-lite: files with roles encoder and vocab) or a word-vector
 * embedder with a transformers.js tokenizer (GloVe: input_ids and attention_mask in, one vector
 * per text out). Empty texts are refused; texts longer than maxTokens are cut, and the result
 * says which, so the page can tell the user.
 */
export async function embedTexts(input: EmbedInput, ctx: TaskContext): Promise<EmbedResult> {
	const maxTokens = input.maxTokens ?? DEFAULT_MAX_TOKENS;
	const texts = input.texts.map((text) => text.trim());
	if (texts.length === 0) throw new EmptyTextError('The list of texts');
	const empty = texts.findIndex((text) => text.length === 0);
	if (empty >= 0) throw new EmptyTextError(texts.length === 1 ? 'The text' : `Text ${empty + 1}`);
	return isSentenceEncoder(ctx.files)
		? embedWithSentenceEncoder(texts, maxTokens, ctx)
		: embedWithWordVectors(texts, maxTokens, ctx);
}

/** The GloVe path: transformers.js tokenizer, then a graph that averages word vectors. */
async function embedWithWordVectors(
	texts: readonly string[],
	maxTokens: number,
	ctx: TaskContext
): Promise<EmbedResult> {
	const tokenizer = await ctx.memo('tokenizer', () =>
		loadTokenizer(ctx.installKey, { files: ctx.files, readFile: (path) => ctx.readFile(path) })
	);
	const encoded = await ctx.stage('preprocess', () => {
		const full = texts.map((text) => tokenizer.encode(text, { add_special_tokens: false }));
		const sequence = Math.max(1, Math.min(maxTokens, Math.max(...full.map((ids) => ids.length))));
		const ids = new BigInt64Array(texts.length * sequence);
		const mask = new BigInt64Array(texts.length * sequence);
		full.forEach((tokens, row) => {
			tokens.slice(0, sequence).forEach((id, column) => {
				ids[row * sequence + column] = BigInt(id);
				mask[row * sequence + column] = 1n;
			});
		});
		const unkId = tokenizer.unk_token_id ?? -1;
		return { full, sequence, ids, mask, unkId };
	});

	const model = await ctx.session(fileForRole(ctx.files, 'embeddings').path);
	const dims = [texts.length, encoded.sequence];
	const outputs = await model.run({
		input_ids: { dtype: 'int64', dims, data: encoded.ids },
		attention_mask: { dtype: 'int64', dims, data: encoded.mask }
	});

	return ctx.stage('postprocess', () => {
		const output = outputs[model.outputNames[0]!];
		if (!output || !(output.data instanceof Float32Array)) {
			throw new Error('the embedder returned no float32 vectors');
		}
		const width = output.dims[output.dims.length - 1] ?? 0;
		const tokenCounts = encoded.full.map((tokens) => Math.min(tokens.length, maxTokens));
		const truncated = encoded.full.flatMap((tokens, i) => (tokens.length > maxTokens ? [i] : []));
		const unknown = encoded.full.flatMap((tokens, i) =>
			tokens.every((id) => id === encoded.unkId) ? [i] : []
		);
		return {
			vectors: new Float32Array(output.data),
			dims: width,
			tokenCounts,
			truncated,
			unknown,
			maxTokens,
			tokenUnit: 'words'
		};
	});
}
