/**
 * IEEE 754 half precision to and from the 16-bit patterns ONNX Runtime Web takes for float16
 * tensors (a Uint16Array), because not every browser has Float16Array.
 */
const scratch = new DataView(new ArrayBuffer(4));

export function toFloat16Bits(value: number): number {
	scratch.setFloat32(0, value);
	const bits = scratch.getUint32(0);
	const sign = (bits >>> 16) & 0x8000;
	const exponent = (bits >>> 23) & 0xff;
	let mantissa = bits & 0x7fffff;
	if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // Inf or NaN
	const halfExponent = exponent - 127 + 15;
	if (halfExponent >= 0x1f) return sign | 0x7c00; // too large: Inf
	if (halfExponent <= 0) {
		if (halfExponent < -10) return sign; // too small even for a subnormal: zero
		mantissa |= 0x800000; // subnormal: shift the implicit bit in, rounding to nearest even
		const shift = 14 - halfExponent;
		const half = mantissa >>> shift;
		const rest = mantissa & ((1 << shift) - 1);
		const midpoint = 1 << (shift - 1);
		return sign | (half + (rest > midpoint || (rest === midpoint && half & 1) ? 1 : 0));
	}
	const half = (halfExponent << 10) | (mantissa >>> 13);
	const rest = mantissa & 0x1fff;
	// Rounding may carry into the exponent, which correctly rounds up to the next power (or Inf).
	return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

export function fromFloat16Bits(bits: number): number {
	const sign = bits & 0x8000 ? -1 : 1;
	const exponent = (bits >>> 10) & 0x1f;
	const mantissa = bits & 0x3ff;
	if (exponent === 0) return sign * mantissa * 2 ** -24;
	if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
	return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
