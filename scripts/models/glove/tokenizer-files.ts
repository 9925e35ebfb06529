/**
 * The tokenizer files for the GloVe embedder, in the Hugging Face `tokenizers` format that
 * transformers.js's AutoTokenizer loads: a WordLevel model (one id per whole word) behind
 * BertNormalizer (lowercase, strip accents) and BertPreTokenizer (split on whitespace and
 * punctuation). No [CLS]/[SEP]: pooling only wants the words.
 */
import { normalizeLikeBert, preTokenizeLikeBert } from './bert-text';

export const PAD_TOKEN = '[PAD]';
export const UNK_TOKEN = '[UNK]';
export const PAD_ID = 0;
export const UNK_ID = 1;
/** Words follow the special tokens. */
export const FIRST_WORD_ID = 2;

/** Far above any sentence; the graph itself has no length limit. */
export const MODEL_MAX_LENGTH = 512;

/** Token strings by id: the two special tokens, then `words` in order. */
export function vocabularyOf(words: readonly string[]): string[] {
	return [PAD_TOKEN, UNK_TOKEN, ...words];
}

function specialToken(id: number, content: string) {
	return {
		id,
		content,
		single_word: false,
		lstrip: false,
		rstrip: false,
		normalized: false,
		special: true
	};
}

export function tokenizerJson(vocabulary: readonly string[]) {
	if (vocabulary[PAD_ID] !== PAD_TOKEN || vocabulary[UNK_ID] !== UNK_TOKEN) {
		throw new Error('The vocabulary must start with [PAD] and [UNK]');
	}
	return {
		version: '1.0',
		truncation: null,
		padding: null,
		added_tokens: [specialToken(PAD_ID, PAD_TOKEN), specialToken(UNK_ID, UNK_TOKEN)],
		normalizer: {
			type: 'BertNormalizer',
			clean_text: true,
			handle_chinese_chars: true,
			strip_accents: true,
			lowercase: true
		},
		pre_tokenizer: { type: 'BertPreTokenizer' },
		post_processor: null,
		decoder: null,
		model: {
			type: 'WordLevel',
			vocab: Object.fromEntries(vocabulary.map((token, id) => [token, id])),
			unk_token: UNK_TOKEN
		}
	};
}

export function tokenizerConfig() {
	return {
		// transformers.js picks the class by name; this one takes everything from tokenizer.json.
		tokenizer_class: 'PreTrainedTokenizerFast',
		model_max_length: MODEL_MAX_LENGTH,
		pad_token: PAD_TOKEN,
		unk_token: UNK_TOKEN,
		do_lower_case: true,
		clean_up_tokenization_spaces: false,
		model_input_names: ['input_ids', 'attention_mask']
	};
}

/** The ids the tokenizer gives a text, computed with the same rules (for the built-in sample). */
export function encodeLikeTokenizer(text: string, vocabulary: readonly string[]): number[] {
	const ids = new Map(vocabulary.map((token, id) => [token, id]));
	return preTokenizeLikeBert(normalizeLikeBert(text)).map((token) => ids.get(token) ?? UNK_ID);
}
