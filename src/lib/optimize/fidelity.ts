/**
 * How close an optimized model's outputs stay to its source's on the same input: the largest
 * absolute difference, the cosine similarity of the flattened outputs, and top-1 agreement (the
 * share of rows, along the last axis, whose largest entry is at the same index). Pure math.
 */

export interface OutputFidelity {
	output: string;
	elements: number;
	maxAbsDiff: number;
	cosine: number;
	/** Null when the last axis has a single entry (nothing to rank). */
	top1Agreement: number | null;
	rows: number;
}

type Numbers = ArrayLike<number>;

export function maxAbsDifference(a: Numbers, b: Numbers): number {
	let max = 0;
	for (let i = 0; i < a.length; i++) {
		const diff = Math.abs(a[i]! - b[i]!);
		if (diff > max || Number.isNaN(diff)) max = Number.isNaN(diff) ? Infinity : diff;
	}
	return max;
}

/** Cosine of the angle between the two vectors; 1 for two all-zero vectors (identical). */
export function cosineSimilarity(a: Numbers, b: Numbers): number {
	let dot = 0;
	let normA = 0;
	let normB = 0;
	for (let i = 0; i < a.length; i++) {
		dot += a[i]! * b[i]!;
		normA += a[i]! * a[i]!;
		normB += b[i]! * b[i]!;
	}
	if (normA === 0 && normB === 0) return 1;
	if (normA === 0 || normB === 0) return 0;
	return dot / Math.sqrt(normA * normB);
}

export function argmaxRows(values: Numbers, width: number): Int32Array {
	const rows = Math.floor(values.length / width);
	const best = new Int32Array(rows);
	for (let r = 0; r < rows; r++) {
		let top = r * width;
		for (let i = top + 1; i < (r + 1) * width; i++) if (values[i]! > values[top]!) top = i;
		best[r] = top - r * width;
	}
	return best;
}

/** Share of rows (along the last axis, `width` wide) whose argmax agrees. */
export function top1Agreement(a: Numbers, b: Numbers, width: number): number {
	const left = argmaxRows(a, width);
	const right = argmaxRows(b, width);
	if (left.length === 0) return 1;
	let same = 0;
	for (let r = 0; r < left.length; r++) if (left[r] === right[r]) same++;
	return same / left.length;
}

export function compareOutputs(
	output: string,
	dims: readonly number[],
	reference: Numbers,
	candidate: Numbers
): OutputFidelity {
	if (reference.length !== candidate.length) {
		throw new Error(
			`${output}: ${reference.length} values from the source, ${candidate.length} from the optimized model`
		);
	}
	const width = dims[dims.length - 1] ?? reference.length;
	const rows = width > 0 ? Math.floor(reference.length / width) : 0;
	return {
		output,
		elements: reference.length,
		maxAbsDiff: maxAbsDifference(reference, candidate),
		cosine: cosineSimilarity(reference, candidate),
		top1Agreement: width > 1 ? top1Agreement(reference, candidate, width) : null,
		rows
	};
}
