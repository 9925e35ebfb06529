/**
 * Smooth inverse frequency (SIF) weighting for averaged word vectors (Arora, Liang and Ma, "A
 * Simple but Tough-to-Beat Baseline for Sentence Embeddings", 2017): a word of probability p
 * weighs a / (a + p), so "the" and "," barely count while rare, meaningful words count fully;
 * then the common component every average shares is projected out.
 */

/** The paper's recommended smoothing. */
export const SIF_A = 1e-3;

/**
 * GloVe lists words by corpus frequency but not the counts, so the probability of the word at
 * 0-based `rank` is estimated with Zipf's law: p = 1 / ((rank + 1) * H), H the harmonic number
 * of the vocabulary size.
 */
export function zipfProbability(rank: number, vocabularySize: number): number {
	// H(n) ~ ln n + Euler-Mascheroni + 1 / (2n), exact enough for n in the hundreds of thousands.
	const harmonic = Math.log(vocabularySize) + 0.5772156649 + 1 / (2 * vocabularySize);
	return 1 / ((rank + 1) * harmonic);
}

export function sifWeight(probability: number, a = SIF_A): number {
	return a / (a + probability);
}

/**
 * The first principal direction (uncentred, unit length) of the vectors, each counted with
 * `weights[k]`, by power iteration from a fixed start so the result is repeatable.
 */
export function commonComponent(
	vectors: readonly Float32Array[],
	weights: ArrayLike<number>,
	dimensions: number
): Float64Array {
	let direction = new Float64Array(dimensions).fill(1 / Math.sqrt(dimensions));
	for (let iteration = 0; iteration < 200; iteration++) {
		const next = new Float64Array(dimensions);
		vectors.forEach((vector, k) => {
			let projection = 0;
			for (let i = 0; i < dimensions; i++) projection += (vector[i] as number) * direction[i]!;
			const scale = (weights[k] as number) * projection;
			for (let i = 0; i < dimensions; i++) next[i]! += scale * (vector[i] as number);
		});
		const norm = Math.hypot(...next);
		if (norm === 0) throw new Error('The vectors have no common component (all zero?)');
		let change = 0;
		for (let i = 0; i < dimensions; i++) {
			next[i]! /= norm;
			change = Math.max(change, Math.abs(next[i]! - direction[i]!));
		}
		direction = next;
		if (change < 1e-12) break;
	}
	return direction;
}

/** v - (v . u) u, in place: what is left of v once the direction u is removed. */
export function removeComponent(vector: Float32Array, direction: Float64Array): void {
	let projection = 0;
	for (let i = 0; i < vector.length; i++) projection += (vector[i] as number) * direction[i]!;
	for (let i = 0; i < vector.length; i++)
		vector[i] = (vector[i] as number) - projection * direction[i]!;
}
