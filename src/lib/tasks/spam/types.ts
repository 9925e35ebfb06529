export interface SpamInput {
	/** One or more emails (or any texts), each classified on its own. */
	texts: string[];
}

export interface TextPrediction {
	/** The most probable class's name. */
	label: string;
	/** Probability of each class, in the order of `classNames`. */
	probabilities: number[];
	/** True when the embedder knew none of the words, so the answer rests on nothing. */
	noKnownWords: boolean;
	/** The text was longer than the embedder reads and was cut. */
	truncated: boolean;
}

export interface SpamResult {
	classNames: string[];
	predictions: TextPrediction[];
}
