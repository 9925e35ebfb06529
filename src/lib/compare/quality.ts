/**
 * How good a variant's outputs are, against ground truth and against the reference variant (the
 * first one compared). Pure functions of plain arrays, so the page and the tests compute the same
 * numbers.
 */
import { levenshtein } from '../tasks/ocr/metrics';

// ---- Classification (MNIST)

/** Share of predictions equal to their label; NaN for none. */
export function accuracy(predictions: readonly number[], labels: readonly number[]): number {
	checkLengths(predictions.length, labels.length, 'predictions', 'labels');
	if (labels.length === 0) return NaN;
	return predictions.filter((prediction, i) => prediction === labels[i]).length / labels.length;
}

/** Share of items where two variants give the same top-1 answer (1 for the reference itself). */
export function topOneAgreement(a: readonly number[], b: readonly number[]): number {
	return accuracy(a, b);
}

// ---- Text (OCR)

/** Character error rate over a whole set: all edits over all reference characters. */
export function setCharacterErrorRate(
	recognised: readonly string[],
	references: readonly string[]
): number {
	checkLengths(recognised.length, references.length, 'recognised lines', 'references');
	let edits = 0;
	let characters = 0;
	references.forEach((reference, i) => {
		edits += levenshtein(recognised[i]!, reference);
		characters += Array.from(reference).length;
	});
	if (characters === 0) return edits === 0 ? 0 : 1;
	return edits / characters;
}

/** Share of lines read back exactly. */
export function exactLineRate(
	recognised: readonly string[],
	references: readonly string[]
): number {
	checkLengths(recognised.length, references.length, 'recognised lines', 'references');
	if (references.length === 0) return NaN;
	return recognised.filter((text, i) => text === references[i]).length / references.length;
}

// ---- Voice activity

export interface Interval {
	start: number;
	end: number;
}

function overlap(a: Interval, b: Interval): number {
	return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

function intersectionOverUnion(a: Interval, b: Interval): number {
	const shared = overlap(a, b);
	const union = a.end - a.start + (b.end - b.start) - shared;
	return union > 0 ? shared / union : 0;
}

export interface SegmentScore {
	precision: number;
	recall: number;
	f1: number;
	matched: number;
}

/**
 * Segment-level F1: a detected segment counts when it covers a true one with an
 * intersection-over-union of at least `minIou` (each true segment matched at most once, best
 * pairs first). Splitting one phrase in two, or merging two, costs a match.
 */
export function segmentF1(
	detected: readonly Interval[],
	truth: readonly Interval[],
	minIou = 0.5
): SegmentScore {
	const pairs: { d: number; t: number; iou: number }[] = [];
	detected.forEach((segment, d) =>
		truth.forEach((reference, t) => {
			const iou = intersectionOverUnion(segment, reference);
			if (iou >= minIou) pairs.push({ d, t, iou });
		})
	);
	pairs.sort((a, b) => b.iou - a.iou);
	const usedDetected = new Set<number>();
	const usedTruth = new Set<number>();
	for (const pair of pairs) {
		if (usedDetected.has(pair.d) || usedTruth.has(pair.t)) continue;
		usedDetected.add(pair.d);
		usedTruth.add(pair.t);
	}
	const matched = usedTruth.size;
	// No segments on either side is a perfect answer for silence.
	const precision =
		detected.length === 0 ? (truth.length === 0 ? 1 : 0) : matched / detected.length;
	const recall = truth.length === 0 ? (detected.length === 0 ? 1 : 0) : matched / truth.length;
	const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
	return { precision, recall, f1, matched };
}

function speechAt(segments: readonly Interval[], time: number): boolean {
	return segments.some((segment) => time >= segment.start && time < segment.end);
}

/**
 * Share of `step`-second frames (sampled at their centres) on which two segmentations agree
 * about speech. Works across models with different frame lengths (v4's 96 ms, v5's 32 ms).
 */
export function frameAgreement(
	a: readonly Interval[],
	b: readonly Interval[],
	duration: number,
	step = 0.01
): number {
	const frames = Math.floor(duration / step);
	if (frames <= 0) return NaN;
	let same = 0;
	for (let i = 0; i < frames; i++) {
		const time = (i + 0.5) * step;
		if (speechAt(a, time) === speechAt(b, time)) same++;
	}
	return same / frames;
}

// ---- Embeddings

/** Mean cosine similarity of matching rows of two row-major matrices of `dims` columns. */
export function meanRowCosine(a: Float32Array, b: Float32Array, dims: number): number {
	checkLengths(a.length, b.length, 'vectors', 'reference vectors');
	const rows = a.length / dims;
	if (!Number.isInteger(rows) || rows === 0) return NaN;
	let total = 0;
	for (let row = 0; row < rows; row++) {
		let dot = 0;
		let normA = 0;
		let normB = 0;
		for (let i = row * dims; i < (row + 1) * dims; i++) {
			dot += a[i]! * b[i]!;
			normA += a[i]! * a[i]!;
			normB += b[i]! * b[i]!;
		}
		// Two all-zero vectors (a text with no known word) agree perfectly.
		total +=
			normA === 0 && normB === 0
				? 1
				: normA === 0 || normB === 0
					? 0
					: dot / Math.sqrt(normA * normB);
	}
	return total / rows;
}

/** Indices of the k corpus rows most similar (dot product) to query row `q`, best first. */
export function topK(
	queries: Float32Array,
	q: number,
	corpus: Float32Array,
	dims: number,
	k: number
): number[] {
	const rows = corpus.length / dims;
	const scores: { index: number; score: number }[] = [];
	for (let row = 0; row < rows; row++) {
		let score = 0;
		for (let i = 0; i < dims; i++) score += queries[q * dims + i]! * corpus[row * dims + i]!;
		scores.push({ index: row, score });
	}
	// Ties keep corpus order, so equal scores rank the same way for every variant.
	scores.sort((x, y) => y.score - x.score || x.index - y.index);
	return scores.slice(0, k).map((entry) => entry.index);
}

/**
 * Ranking agreement: for each query, the share of the reference's top k corpus items that the
 * variant also ranks in its top k, averaged over queries.
 */
export function recallAtK(
	reference: { queries: Float32Array; corpus: Float32Array },
	variant: { queries: Float32Array; corpus: Float32Array },
	dims: number,
	k: number
): number {
	const count = reference.queries.length / dims;
	if (count === 0 || k <= 0) return NaN;
	let total = 0;
	for (let q = 0; q < count; q++) {
		const expected = new Set(topK(reference.queries, q, reference.corpus, dims, k));
		const found = topK(variant.queries, q, variant.corpus, dims, k);
		total += found.filter((index) => expected.has(index)).length / expected.size;
	}
	return total / count;
}

function checkLengths(a: number, b: number, nameA: string, nameB: string): void {
	if (a !== b) throw new RangeError(`${a} ${nameA} but ${b} ${nameB}`);
}
