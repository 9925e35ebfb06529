/** Accuracy measures for recognised text. Strings are compared by code point, not UTF-16 unit. */

/** Fewest single-character insertions, deletions and substitutions turning `a` into `b`. */
export function levenshtein(a: string, b: string): number {
	const source = Array.from(a);
	const target = Array.from(b);
	let previous = Array.from({ length: target.length + 1 }, (_, j) => j);
	for (let i = 1; i <= source.length; i++) {
		const current = [i];
		for (let j = 1; j <= target.length; j++) {
			const substitution = previous[j - 1]! + (source[i - 1] === target[j - 1] ? 0 : 1);
			current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
		}
		previous = current;
	}
	return previous[target.length]!;
}

/** Character error rate: edits needed per reference character (0 is perfect; can exceed 1). */
export function characterErrorRate(recognised: string, reference: string): number {
	const length = Array.from(reference).length;
	if (length === 0) return Array.from(recognised).length === 0 ? 0 : 1;
	return levenshtein(recognised, reference) / length;
}
