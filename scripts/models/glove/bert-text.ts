/**
 * The text rules of the WordLevel tokenizer the embedder ships (BertNormalizer with lowercasing
 * and accent stripping, then BertPreTokenizer), mirrored here so the build only keeps GloVe words
 * that tokenizer can ever produce: "well-known" is split into "well", "-", "known", so its own
 * vector would never be looked up. The tokenizer test checks these rules against transformers.js.
 */

/** Unicode punctuation plus the ASCII symbols BERT also splits on ($, +, <, =, >, ^, `, |, ~). */
const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const PRE_TOKEN = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, 'gu');

function isControl(char: string): boolean {
	if (char === '\t' || char === '\n' || char === '\r') return false;
	return /^(?:\p{Cc}|\p{Cf}|\p{Co}|\p{Cs})$/u.test(char);
}

/** CJK ideographs get spaces around them, so each becomes its own token. */
function isCjk(codePoint: number): boolean {
	return (
		(codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
		(codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
		(codePoint >= 0x20000 && codePoint <= 0x2a6df) ||
		(codePoint >= 0x2a700 && codePoint <= 0x2b73f) ||
		(codePoint >= 0x2b740 && codePoint <= 0x2b81f) ||
		(codePoint >= 0x2b820 && codePoint <= 0x2ceaf) ||
		(codePoint >= 0xf900 && codePoint <= 0xfaff) ||
		(codePoint >= 0x2f800 && codePoint <= 0x2fa1f)
	);
}

export function normalizeLikeBert(text: string): string {
	let cleaned = '';
	for (const char of text) {
		const codePoint = char.codePointAt(0) ?? 0;
		if (codePoint === 0 || codePoint === 0xfffd || isControl(char)) continue;
		if (/^\s$/u.test(char)) cleaned += ' ';
		else if (isCjk(codePoint)) cleaned += ` ${char} `;
		else cleaned += char;
	}
	return cleaned
		.toLowerCase()
		.normalize('NFD')
		.replace(/\p{Mn}/gu, '');
}

export function preTokenizeLikeBert(text: string): string[] {
	return text.match(PRE_TOKEN) ?? [];
}

/** True when the tokenizer turns the word, typed on its own, into exactly that one token. */
export function isWholeBertToken(word: string): boolean {
	const pieces = preTokenizeLikeBert(normalizeLikeBert(word));
	return pieces.length === 1 && pieces[0] === word;
}
