/**
 * Latency histograms with bin edges a person can read. Latencies of one model usually sit within
 * a factor of ten, where equal bins of a round width (1, 2 or 5 times a power of ten) show the
 * shape best; mixed models span several orders of magnitude, where bins of one width would put
 * everything fast into the first bin, so those get the 1-2-5 sequence (1, 2, 5, 10, 20 ms...) as
 * edges, a log scale with round numbers.
 */

export interface HistogramBin {
	/** Lower edge, included. */
	from: number;
	/** Upper edge, excluded except in the last bin. */
	to: number;
	count: number;
}

export interface Histogram {
	scale: 'linear' | 'log';
	bins: HistogramBin[];
}

/** Ratio of largest to smallest value from which the bins follow the 1-2-5 sequence. */
export const LOG_SCALE_RATIO = 20;
const MANTISSAS = [1, 2, 5];

/** m·10^e without the binary rounding noise of the product (0.30000000000000004). */
function tidy(value: number): number {
	return Number(value.toPrecision(12));
}

/** The smallest of 1, 2 or 5 times a power of ten that is at least `value`. */
export function niceStep(value: number): number {
	const exponent = Math.floor(Math.log10(value));
	for (const mantissa of [...MANTISSAS, 10]) {
		const step = tidy(mantissa * 10 ** exponent);
		if (step >= value) return step;
	}
	return tidy(10 ** (exponent + 1));
}

function linearEdges(min: number, max: number, maxBins: number): number[] {
	if (max === min) {
		const step = min === 0 ? 1 : niceStep(Math.abs(min) / 10);
		const from = tidy(Math.floor(min / step) * step);
		return [from, tidy(from + step)];
	}
	const step = niceStep((max - min) / maxBins);
	const first = Math.floor(min / step);
	const last = Math.max(first + 1, Math.ceil(max / step));
	const edges: number[] = [];
	for (let index = first; index <= last; index++) edges.push(tidy(index * step));
	return edges;
}

/** 1-2-5 edges from the largest one at or below min to the first one above max. */
function logEdges(min: number, max: number): number[] {
	let exponent = Math.floor(Math.log10(min));
	const edges: number[] = [];
	for (;;) {
		for (const mantissa of MANTISSAS) {
			const edge = tidy(mantissa * 10 ** exponent);
			if (edge <= min) edges[0] = edge;
			else if (edges.length > 0) edges.push(edge);
			if (edge > max && edges.length > 1) return edges;
		}
		exponent++;
	}
}

/** Counts of values per bin; NaN and infinite values are left out. */
export function histogram(values: Iterable<number>, maxBins = 20): Histogram {
	const finite = [...values].filter(Number.isFinite);
	if (finite.length === 0) return { scale: 'linear', bins: [] };
	let min = Infinity;
	let max = -Infinity;
	for (const value of finite) {
		min = Math.min(min, value);
		max = Math.max(max, value);
	}
	const scale = min > 0 && max / min >= LOG_SCALE_RATIO ? 'log' : 'linear';
	const edges = scale === 'log' ? logEdges(min, max) : linearEdges(min, max, maxBins);
	const bins: HistogramBin[] = edges
		.slice(0, -1)
		.map((from, index) => ({ from, to: edges[index + 1]!, count: 0 }));
	for (const value of finite) {
		// The last bin whose lower edge is at or below the value (binary search over the edges).
		let low = 0;
		let high = bins.length - 1;
		while (low < high) {
			const middle = (low + high + 1) >> 1;
			if (bins[middle]!.from <= value) low = middle;
			else high = middle - 1;
		}
		bins[low]!.count++;
	}
	return { scale, bins };
}
