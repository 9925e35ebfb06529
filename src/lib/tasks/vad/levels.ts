/**
 * Short-time signal level, used to place the end of each speech segment where the sound stops.
 * Silero's probability stays high for a while after speech ends (measured on the fixtures: 30 to
 * 100 ms for v5 and v6, up to 190 ms for v4), so an end found from probabilities alone is late.
 */

/** Samples per level hop at 16 kHz (8 ms); a v5 frame holds 4 hops, a v4 frame 12. */
export const LEVEL_HOP = 128;
/** Digital silence is reported as this level rather than -Infinity. */
export const SILENCE_DB = -120;

/** RMS level in dBFS of each whole hop of `samples`. */
export function hopLevels(samples: Float32Array): Float32Array {
	const levels = new Float32Array(Math.floor(samples.length / LEVEL_HOP));
	for (let hop = 0; hop < levels.length; hop++) {
		let sum = 0;
		for (let i = hop * LEVEL_HOP; i < (hop + 1) * LEVEL_HOP; i++) sum += samples[i]! * samples[i]!;
		levels[hop] = Math.max(SILENCE_DB, 10 * Math.log10(sum / LEVEL_HOP));
	}
	return levels;
}

/**
 * The background level: the 10th percentile of the hops. Any recording with pauses between
 * phrases has at least that much of them quiet; in unbroken speech it is the quietest sounds.
 */
export function backgroundLevel(levels: ArrayLike<number>): number {
	if (levels.length === 0) return SILENCE_DB;
	const sorted = Float32Array.from(levels).sort();
	return sorted[Math.floor((sorted.length - 1) * 0.1)]!;
}
