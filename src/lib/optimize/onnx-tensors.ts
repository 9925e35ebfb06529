/**
 * Tensor data in and out of ONNX TensorProtos for the optimizers: float32 weights read from raw
 * bytes or `float_data`, and new weights written as float16, int8, uint8, int4 or uint4. Raw data
 * is little-endian whatever the machine, and 4-bit values are packed two to a byte, low nibble
 * first, as the ONNX spec lays them out.
 */
import type { onnx } from 'onnx-proto';
import { int64ToNumber } from './onnx-graph';

/** ONNX TensorProto.DataType numbers the optimizers read or write. */
export const DataType = {
	FLOAT: 1,
	UINT8: 2,
	INT8: 3,
	INT32: 6,
	INT64: 7,
	BOOL: 9,
	FLOAT16: 10,
	UINT4: 21,
	INT4: 22
} as const;

export function dimsOf(tensor: onnx.ITensorProto): number[] {
	return (tensor.dims ?? []).map((dim) => int64ToNumber(dim));
}

export function elementCount(dims: readonly number[]): number {
	return dims.reduce((product, dim) => product * dim, 1);
}

/** Whether the tensor holds its values inside the file (not external data). */
function hasInlineData(tensor: onnx.ITensorProto): boolean {
	return tensor.dataLocation !== 1 && (tensor.externalData ?? []).length === 0;
}

/**
 * Whether this machine stores numbers little-endian, as ONNX raw data does (every browser platform
 * does): then typed arrays can view raw bytes directly, far faster than DataView per element.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The values of a float32 tensor as a fresh array; null for other types or external data. */
export function readFloat32(tensor: onnx.ITensorProto): Float32Array | null {
	if (tensor.dataType !== DataType.FLOAT || !hasInlineData(tensor)) return null;
	const count = elementCount(dimsOf(tensor));
	const raw = tensor.rawData;
	if (raw && raw.byteLength > 0) {
		if (raw.byteLength !== count * 4) return null;
		if (LITTLE_ENDIAN) return new Float32Array(raw.slice().buffer);
		const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
		const values = new Float32Array(count);
		for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
		return values;
	}
	const floats = tensor.floatData ?? [];
	return floats.length === count ? Float32Array.from(floats) : null;
}

/** The values of an int64 tensor as numbers (shape constants, axes); null for other types. */
export function readInt64(tensor: onnx.ITensorProto): number[] | null {
	if (tensor.dataType !== DataType.INT64 || !hasInlineData(tensor)) return null;
	const count = elementCount(dimsOf(tensor));
	const raw = tensor.rawData;
	if (raw && raw.byteLength > 0) {
		const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
		return Array.from({ length: count }, (_, i) => Number(view.getBigInt64(i * 8, true)));
	}
	const values = (tensor.int64Data ?? []).map((value) => int64ToNumber(value));
	return values.length === count ? values : null;
}

const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/** IEEE 754 half precision bits of a float32 value, rounded to nearest even. */
export function float16Bits(value: number): number {
	scratchFloat[0] = value;
	const bits = scratchBits[0]!;
	const sign = (bits >>> 16) & 0x8000;
	const exponent = (bits >>> 23) & 0xff;
	const mantissa = bits & 0x7fffff;
	if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // Inf, NaN
	const halfExponent = exponent - 127 + 15;
	if (halfExponent >= 0x1f) return sign | 0x7c00; // too large: Inf
	if (halfExponent <= 0) {
		if (halfExponent < -10) return sign; // too small even for a subnormal: signed zero
		const full = mantissa | 0x800000;
		const shift = 14 - halfExponent;
		const half = full >>> shift;
		const rest = full & ((1 << shift) - 1);
		const midpoint = 1 << (shift - 1);
		const roundUp = rest > midpoint || (rest === midpoint && (half & 1) === 1);
		return sign | (half + (roundUp ? 1 : 0));
	}
	const half = (halfExponent << 10) | (mantissa >>> 13);
	const rest = mantissa & 0x1fff;
	const roundUp = rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1);
	// A carry out of the mantissa correctly bumps the exponent (up to Inf).
	return sign | (half + (roundUp ? 1 : 0));
}

export function float16ToNumber(bits: number): number {
	const sign = bits & 0x8000 ? -1 : 1;
	const exponent = (bits >>> 10) & 0x1f;
	const mantissa = bits & 0x3ff;
	if (exponent === 0) return sign * mantissa * 2 ** -24;
	if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
	return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

function rawOf(name: string, dims: readonly number[], dataType: number, raw: Uint8Array) {
	return { name, dims: [...dims], dataType, rawData: raw } satisfies onnx.ITensorProto;
}

export function float32Tensor(
	name: string,
	dims: readonly number[],
	values: ArrayLike<number>
): onnx.ITensorProto {
	if (LITTLE_ENDIAN) {
		return rawOf(name, dims, DataType.FLOAT, new Uint8Array(Float32Array.from(values).buffer));
	}
	const raw = new Uint8Array(values.length * 4);
	const view = new DataView(raw.buffer);
	for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] ?? 0, true);
	return rawOf(name, dims, DataType.FLOAT, raw);
}

export function float16Tensor(
	name: string,
	dims: readonly number[],
	values: ArrayLike<number>
): onnx.ITensorProto {
	const bits = new Uint16Array(values.length);
	for (let i = 0; i < values.length; i++) bits[i] = float16Bits(values[i] ?? 0);
	if (!LITTLE_ENDIAN) bits.forEach((value, i) => (bits[i] = ((value & 0xff) << 8) | (value >> 8)));
	return rawOf(name, dims, DataType.FLOAT16, new Uint8Array(bits.buffer));
}

export function int8Tensor(
	name: string,
	dims: readonly number[],
	values: Int8Array
): onnx.ITensorProto {
	return rawOf(name, dims, DataType.INT8, new Uint8Array(values.buffer.slice(0)));
}

export function uint8Tensor(
	name: string,
	dims: readonly number[],
	values: Uint8Array
): onnx.ITensorProto {
	return rawOf(name, dims, DataType.UINT8, values.slice());
}

export function int64Tensor(
	name: string,
	dims: readonly number[],
	values: readonly number[]
): onnx.ITensorProto {
	const raw = new Uint8Array(values.length * 8);
	const view = new DataView(raw.buffer);
	values.forEach((value, i) => view.setBigInt64(i * 8, BigInt(value), true));
	return rawOf(name, dims, DataType.INT64, raw);
}

/** Two 4-bit values a byte, element 2i in the low nibble; an odd count leaves the last high nibble 0. */
export function packNibbles(values: ArrayLike<number>): Uint8Array {
	const packed = new Uint8Array(Math.ceil(values.length / 2));
	for (let i = 0; i < values.length; i++) {
		const nibble = (values[i] ?? 0) & 0x0f;
		packed[i >> 1]! |= i & 1 ? nibble << 4 : nibble;
	}
	return packed;
}

/** Signed values in [-8, 7] as an ONNX int4 tensor (opset 21, IR 10). */
export function int4Tensor(
	name: string,
	dims: readonly number[],
	values: Int8Array
): onnx.ITensorProto {
	return rawOf(name, dims, DataType.INT4, packNibbles(values));
}

/** Values in [0, 15] as an ONNX uint4 tensor (opset 21, IR 10). */
export function uint4Tensor(
	name: string,
	dims: readonly number[],
	values: Uint8Array
): onnx.ITensorProto {
	return rawOf(name, dims, DataType.UINT4, packNibbles(values));
}

/** Bytes the tensor's values take in the file (raw or typed fields). */
export function tensorByteLength(tensor: onnx.ITensorProto): number {
	if (tensor.rawData && tensor.rawData.byteLength > 0) return tensor.rawData.byteLength;
	const count = elementCount(dimsOf(tensor));
	const bits: Record<number, number> = { 1: 32, 2: 8, 3: 8, 6: 32, 7: 64, 10: 16, 21: 4, 22: 4 };
	return Math.ceil((count * (bits[tensor.dataType ?? 0] ?? 32)) / 8);
}
