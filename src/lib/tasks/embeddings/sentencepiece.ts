/**
 * The SentencePiece (unigram) tokenizer of Universal Sentence Encoder lite, pure and DOM-free.
 *
 * The encoder was trained with ids from TensorFlow.js's own tokenizer (the one
 * @energetic-ai/embeddings and @tensorflow-models/universal-sentence-encoder ship), and that
 * tokenizer is not textbook SentencePiece: unknown characters score 0, a best score of exactly 0
 * counts as "no path yet", and ties go to the later split. A generic unigram tokenizer (such as
 * transformers.js's) picks different splits on some inputs, so this module reproduces that
 * behaviour on purpose; sentencepiece.spec.ts checks the ids against the package's tokenizer.
 */
import { TokenizerError } from './errors';

/** [piece, log-probability score] pairs; a piece's id is its index. */
export type Vocabulary = readonly (readonly [string, number])[];

/** Marks the start of a word (and stands for every space). */
export const WORD_START = '\u2581';
/** Ids 0..5 are the unknown piece, <s>, </s> and three spares; text never matches them. */
export const RESERVED_IDS = 6;
export const UNKNOWN_ID = 0;

interface TrieNode {
	children: Map<string, TrieNode>;
	/** The piece that ends here, or -1 when this node is only a prefix of longer pieces. */
	id: number;
	score: number;
}

function trieNode(): TrieNode {
	return { children: new Map(), id: -1, score: 0 };
}

/** NFKC, then a word-start mark before the text and in place of every ASCII space. */
export function normalizeForPieces(text: string): string {
	const normalized = text.normalize('NFKC');
	return normalized.length === 0 ? '' : WORD_START + normalized.replaceAll(' ', WORD_START);
}

export class SentencePieceTokenizer {
	private readonly root = trieNode();
	/** How far back (in characters) the best path steps from the end of each piece. */
	private readonly stepBack: Int32Array;

	constructor(readonly vocabulary: Vocabulary) {
		this.stepBack = new Int32Array(vocabulary.length);
		vocabulary.forEach(([piece], id) => {
			// String length in UTF-16 units, as the reference walks back; no piece in the USE
			// vocabulary has a character outside the BMP, so this equals its code point count.
			this.stepBack[id] = piece.length;
			if (id >= RESERVED_IDS) this.insert(piece, id);
		});
	}

	get size(): number {
		return this.vocabulary.length;
	}

	private insert(piece: string, id: number): void {
		let node = this.root;
		for (const char of piece) {
			let child = node.children.get(char);
			if (!child) node.children.set(char, (child = trieNode()));
			node = child;
		}
		// A piece listed twice keeps its last id and score, as the reference's trie does.
		if (node !== this.root) {
			node.id = id;
			node.score = this.vocabulary[id]![1];
		}
	}

	/** Token ids of `text`; empty text gives none. */
	encode(text: string): number[] {
		const chars = Array.from(normalizeForPieces(text));
		const count = chars.length;
		// best[i]: score of the best split of chars[0..i); pieceAt[i]: the last piece of that split.
		const best = new Float64Array(count + 1);
		const pieceAt = new Int32Array(count + 1);
		const relax = (end: number, id: number, score: number) => {
			// 0 doubles as "not reached yet", and ties go to the later start (the reference's rule;
			// replacing it with a proper Viterbi changes the ids the model was trained on).
			if (best[end] === 0 || score >= best[end]!) {
				best[end] = score;
				pieceAt[end] = id;
			}
		};
		// Every path into `start` comes from an earlier start, so best[start] is final here, and
		// visiting starts in order relaxes each end in the same order as the reference's lattice.
		for (let start = 0; start < count; start++) {
			let node: TrieNode | undefined = this.root;
			let matched = false;
			for (let end = start; end < count; end++) {
				node = node.children.get(chars[end]!);
				if (!node) break;
				if (node.id >= 0) {
					matched = true;
					relax(end + 1, node.id, node.score + best[start]!);
				}
			}
			// A character no piece starts with becomes the unknown piece, scored 0.
			if (!matched) relax(start + 1, UNKNOWN_ID, 0 + best[start]!);
		}
		const ids: number[] = [];
		for (let end = count; end > 0; end -= this.stepBack[pieceAt[end]!]!) {
			const id = pieceAt[end]!;
			// A run of unknown characters becomes one unknown token.
			if (!(id === UNKNOWN_ID && ids[ids.length - 1] === UNKNOWN_ID)) ids.push(id);
		}
		return ids.reverse();
	}
}

/** Parses vocab.json ([piece, score] pairs) and says what is wrong when it is not one. */
export function parseVocabulary(bytes: Uint8Array): Vocabulary {
	let parsed: unknown;
	try {
		parsed = JSON.parse(new TextDecoder().decode(bytes));
	} catch {
		throw new TokenizerError('vocab.json is not valid JSON');
	}
	if (!Array.isArray(parsed) || parsed.length <= RESERVED_IDS) {
		throw new TokenizerError('vocab.json is not a list of pieces');
	}
	const bad = parsed.findIndex(
		(entry) =>
			!Array.isArray(entry) ||
			typeof entry[0] !== 'string' ||
			!(entry[1] === null || (typeof entry[1] === 'number' && Number.isFinite(entry[1])))
	);
	if (bad >= 0) throw new TokenizerError(`vocab.json entry ${bad} is not a [piece, score] pair`);
	// USE-lite's vocab.json has null scores for seven pieces with a colon (":", "://", "▁:)"…);
	// the reference adds them as numbers, where null counts as 0.
	return (parsed as [string, number | null][]).map(([piece, score]) => [piece, score ?? 0]);
}
