/**
 * Reading the recogniser's output: PP-OCR's CTC head gives, for every 8-pixel step of the line,
 * probabilities over blank (class 0), the characters of the keys file (one per line), and a
 * space (the last class, which PaddleOCR appends when use_space_char is on).
 */

export const BLANK = 0;

/** Class labels: blank, each line of the keys file, then the space. */
export function parseKeys(text: string): string[] {
	const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
	// A trailing newline ends the last key; it does not add an empty one.
	if (lines.at(-1) === '') lines.pop();
	return ['', ...lines, ' '];
}

export interface DecodedLine {
	text: string;
	/** Mean probability of the characters kept; 0 when none was. */
	confidence: number;
}

/**
 * Greedy CTC decoding of [steps, classes] probabilities: the most likely class per step,
 * repeats merged, blanks removed.
 */
export function ctcGreedyDecode(
	probabilities: Float32Array,
	steps: number,
	keys: readonly string[]
): DecodedLine {
	const classes = keys.length;
	if (probabilities.length < steps * classes) {
		throw new Error(`expected ${steps} x ${classes} probabilities, got ${probabilities.length}`);
	}
	let text = '';
	let total = 0;
	let kept = 0;
	let previous = -1;
	for (let t = 0; t < steps; t++) {
		let best = 0;
		let bestProbability = -Infinity;
		const offset = t * classes;
		for (let c = 0; c < classes; c++) {
			const p = probabilities[offset + c]!;
			if (p > bestProbability) {
				bestProbability = p;
				best = c;
			}
		}
		if (best !== BLANK && best !== previous) {
			text += keys[best]!;
			total += bestProbability;
			kept++;
		}
		previous = best;
	}
	return { text, confidence: kept ? total / kept : 0 };
}

/** Han, kana, hangul, CJK punctuation and full-width forms: text where full-width marks belong. */
const CJK = /[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;

/**
 * The recogniser learnt from Chinese text, where commas, colons and brackets are full width, and
 * it sometimes writes them so in Latin text ("March，3:45"). A line with no CJK character gets
 * the plain ASCII forms, which is what a reader copying English text expects.
 */
export function plainPunctuation(text: string): string {
	if (CJK.test(text)) return text;
	return text.replace(/[\uff01-\uff5e]/gu, (mark) =>
		String.fromCharCode(mark.charCodeAt(0) - 0xfee0)
	);
}
