export interface EmbedInput {
	texts: string[];
	/** Longer texts are cut to this many tokens (and the result says which were cut). */
	maxTokens?: number;
}

export interface EmbedResult {
	/** One unit-length vector per text, row-major: text i is vectors[i*dims .. (i+1)*dims). */
	vectors: Float32Array;
	dims: number;
	/** Tokens each text gave the model, after truncation. */
	tokenCounts: number[];
	/** Indices of the texts that were cut to maxTokens. */
	truncated: number[];
	/** Indices of texts with no word the model knows (their vector is all zeros). */
	unknown: number[];
	maxTokens: number;
	/** What a token is for this model's tokenizer: GloVe reads words, USE-lite word pieces. */
	tokenUnit: 'words' | 'word pieces';
}
