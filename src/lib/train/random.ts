/**
 * A small seeded random number generator, so training, data order and augmentation are
 * repeatable: the same seed gives the same weights, byte for byte, in Node and in the browser.
 */

export interface Random {
	/** Uniform in [0, 1). */
	next(): number;
	/** Uniform integer in [0, size). */
	integer(size: number): number;
	/** Standard normal (mean 0, variance 1). */
	normal(): number;
}

/** mulberry32: 32-bit state, fast, and good enough for initialisation and shuffling. */
export function createRandom(seed: number): Random {
	let state = seed >>> 0;
	const next = (): number => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		integer: (size) => Math.floor(next() * size),
		normal: () => {
			// Box-Muller; 1 - u keeps the logarithm away from zero.
			const radius = Math.sqrt(-2 * Math.log(1 - next()));
			return radius * Math.cos(2 * Math.PI * next());
		}
	};
}

/** Fisher-Yates, driven by `random` so the order depends on the seed only. */
export function shuffleInPlace<T>(items: T[], random: Random): T[] {
	for (let i = items.length - 1; i > 0; i--) {
		const j = random.integer(i + 1);
		const item = items[i] as T;
		items[i] = items[j] as T;
		items[j] = item;
	}
	return items;
}
