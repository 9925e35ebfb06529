/**
 * A labelled text collection as the site serves it (the SpamAssassin emails, written by the build
 * step) and as the Train page holds a user's CSV: texts, one class index per text, class names.
 */

export interface TextDataset {
	name: string;
	description: string;
	licence: string;
	source: { package: string; version: string; upstream: string };
	classNames: string[];
	texts: string[];
	/** labels[i] indexes classNames. */
	labels: number[];
}

/** Checks a fetched dataset's shape, so a broken file fails with a message, not later. */
export function parseTextDataset(value: unknown): TextDataset {
	const data = value as Partial<TextDataset> | null;
	const ok =
		data &&
		Array.isArray(data.texts) &&
		Array.isArray(data.labels) &&
		Array.isArray(data.classNames) &&
		data.texts.length === data.labels.length &&
		data.texts.every((text) => typeof text === 'string') &&
		data.labels.every(
			(label) => Number.isInteger(label) && label >= 0 && label < data.classNames!.length
		);
	if (!ok)
		throw new Error('The text data set is not in the expected shape (texts, labels, classNames)');
	return data as TextDataset;
}

/** SpamAssassin emails: this many characters of each body follow the subject. */
export const SPAM_BODY_CHARS = 600;
/** Longer texts are cut to this many tokens by the embedder, in the build and in the browser. */
export const TEXT_MAX_TOKENS = 256;
