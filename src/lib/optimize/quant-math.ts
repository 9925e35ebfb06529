/**
 * The arithmetic of weight quantization, free of ONNX: which elements share a scale (per tensor,
 * per channel along an axis, or per block of an axis), the scale and zero point of each group,
 * and the integer codes. Dequantizing is y = (q - zero_point) * scale, as DequantizeLinear,
 * MatMulInteger and MatMulNBits all compute it.
 */

export type Grouping =
	| { kind: 'tensor' }
	| { kind: 'axis'; axis: number }
	/** Consecutive runs of `size` elements along `axis` share a scale (ONNX opset 21 blocks). */
	| { kind: 'block'; axis: number; size: number };

export interface Groups {
	/** The group of each element. */
	of: Int32Array;
	count: number;
	/** The shape of the scale tensor DequantizeLinear wants for this grouping. */
	scaleDims: number[];
}

function split(dims: readonly number[], axis: number) {
	const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
	const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
	return { outer, channels: dims[axis] ?? 1, inner };
}

export function groupsOf(dims: readonly number[], grouping: Grouping): Groups {
	const total = dims.reduce((a, b) => a * b, 1);
	const of = new Int32Array(total);
	if (grouping.kind === 'tensor') return { of, count: 1, scaleDims: [] };
	const { outer, channels, inner } = split(dims, grouping.axis);
	if (grouping.kind === 'axis') {
		for (let o = 0, i = 0; o < outer; o++) {
			for (let c = 0; c < channels; c++) of.fill(c, i, (i += inner));
		}
		return { of, count: channels, scaleDims: [channels] };
	}
	const blocks = Math.ceil(channels / grouping.size);
	for (let o = 0, i = 0; o < outer; o++) {
		for (let c = 0; c < channels; c++) {
			const base = (o * blocks + Math.floor(c / grouping.size)) * inner;
			for (let k = 0; k < inner; k++) of[i++] = base + k;
		}
	}
	const scaleDims = dims.map((dim, axis) => (axis === grouping.axis ? blocks : dim));
	return { of, count: outer * blocks * inner, scaleDims };
}

export interface Quantized {
	/** Integer codes: signed in [-2^(bits-1), 2^(bits-1) - 1], or unsigned in [0, 2^bits - 1]. */
	codes: Int32Array;
	scales: Float32Array;
	/** Per group; all zero for symmetric quantization. */
	zeroPoints: Int32Array;
	signed: boolean;
}

/**
 * Quantizes to `bits` bits per group. Symmetric: signed codes, zero point 0, scale = max|w| /
 * (2^(bits-1) - 1), so +w and -w stay mirror images. Asymmetric: unsigned codes over [min, max]
 * widened to include 0, so zero (padding, pruned weights) is exact.
 */
export function quantize(
	values: Float32Array,
	groups: Groups,
	bits: number,
	symmetric: boolean
): Quantized {
	const low = new Float32Array(groups.count);
	const high = new Float32Array(groups.count);
	for (let i = 0; i < values.length; i++) {
		const g = groups.of[i]!;
		const v = values[i]!;
		if (v < low[g]!) low[g] = v;
		if (v > high[g]!) high[g] = v;
	}
	const scales = new Float32Array(groups.count);
	const zeroPoints = new Int32Array(groups.count);
	const levels = symmetric ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
	for (let g = 0; g < groups.count; g++) {
		const span = symmetric ? Math.max(-low[g]!, high[g]!) : high[g]! - low[g]!;
		// An all-zero group: any scale reproduces it, 1 keeps the division harmless.
		const scale = span > 0 ? span / levels : 1;
		scales[g] = scale;
		if (!symmetric) zeroPoints[g] = Math.min(levels, Math.max(0, Math.round(-low[g]! / scale)));
	}
	const codes = new Int32Array(values.length);
	const [min, max] = symmetric ? [-levels, levels] : [0, levels];
	for (let i = 0; i < values.length; i++) {
		const g = groups.of[i]!;
		const code = Math.round(values[i]! / Math.fround(scales[g]!)) + zeroPoints[g]!;
		codes[i] = code < min ? min : code > max ? max : code;
	}
	return { codes, scales, zeroPoints, signed: symmetric };
}

export function dequantize(quantized: Quantized, groups: Groups): Float32Array {
	const values = new Float32Array(quantized.codes.length);
	for (let i = 0; i < values.length; i++) {
		const g = groups.of[i]!;
		values[i] = (quantized.codes[i]! - quantized.zeroPoints[g]!) * quantized.scales[g]!;
	}
	return values;
}

/**
 * Binary (sign times the group's mean magnitude) or ternary weights ({-1, 0, +1} times a scale;
 * weights under 0.7 of the mean magnitude become 0, the usual threshold of ternary weight
 * networks). Codes are signed; zero points 0.
 */
export function lowBit(
	values: Float32Array,
	groups: Groups,
	levels: 'binary' | 'ternary'
): Quantized {
	const sums = new Float64Array(groups.count);
	const counts = new Float64Array(groups.count);
	for (let i = 0; i < values.length; i++) {
		const g = groups.of[i]!;
		sums[g]! += Math.abs(values[i]!);
		counts[g]!++;
	}
	const threshold = new Float32Array(groups.count);
	for (let g = 0; g < groups.count; g++) {
		threshold[g] = levels === 'ternary' ? (0.7 * sums[g]!) / Math.max(1, counts[g]!) : 0;
	}
	const kept = new Float64Array(groups.count);
	const keptCounts = new Float64Array(groups.count);
	const codes = new Int32Array(values.length);
	for (let i = 0; i < values.length; i++) {
		const g = groups.of[i]!;
		const v = values[i]!;
		if (levels === 'binary') codes[i] = v < 0 ? -1 : 1;
		else codes[i] = Math.abs(v) > threshold[g]! ? Math.sign(v) : 0;
		if (codes[i] !== 0) {
			kept[g]! += Math.abs(v);
			keptCounts[g]!++;
		}
	}
	const scales = new Float32Array(groups.count);
	for (let g = 0; g < groups.count; g++) {
		scales[g] = keptCounts[g]! > 0 ? kept[g]! / keptCounts[g]! : 1;
	}
	return { codes, scales, zeroPoints: new Int32Array(groups.count), signed: true };
}

/** Transposes a row-major [rows, cols] matrix. */
export function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
	const out = new Float32Array(values.length);
	for (let r = 0; r < rows; r++) {
		for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
	}
	return out;
}
