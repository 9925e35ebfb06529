/**
 * The shortest decimal that is still the same float32, so a manifest says 0.004 rather than
 * 0.004000000189989805 for a value stored as float32 0.004.
 */
export function shortestFloat32(value: number): number {
	for (let digits = 1; digits < 10; digits++) {
		const candidate = Number(value.toPrecision(digits));
		if (Math.fround(candidate) === value) return candidate;
	}
	return value;
}
