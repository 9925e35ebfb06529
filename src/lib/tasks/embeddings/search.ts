/** Similarity and top-k ranking over unit-length embedding vectors (pure, no DOM). */

export function dot(
	a: ArrayLike<number>,
	b: ArrayLike<number>,
	aOffset = 0,
	bOffset = 0,
	length = a.length
): number {
	let sum = 0;
	for (let i = 0; i < length; i++) sum += a[aOffset + i]! * b[bOffset + i]!;
	return sum;
}

/** Cosine similarity; 0 when either vector is all zeros (no known words). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
	const norms = Math.sqrt(dot(a, a) * dot(b, b));
	return norms === 0 ? 0 : dot(a, b) / norms;
}

export interface Match {
	index: number;
	score: number;
}

/**
 * The k rows of `vectors` most similar to `query`, best first. Rows are unit length, so the dot
 * product is the cosine. A bounded insertion keeps it O(n·k) without sorting every score.
 */
export function topK(query: Float32Array, vectors: Float32Array, dims: number, k: number): Match[] {
	const best: Match[] = [];
	const rows = Math.floor(vectors.length / dims);
	for (let row = 0; row < rows; row++) {
		const score = dot(query, vectors, 0, row * dims, dims);
		if (best.length === k && score <= best[k - 1]!.score) continue;
		let at = best.length;
		while (at > 0 && best[at - 1]!.score < score) at--;
		best.splice(at, 0, { index: row, score });
		if (best.length > k) best.pop();
	}
	return best;
}
