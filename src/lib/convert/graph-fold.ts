/**
 * Constant folding for the small integer subgraphs TF builds shapes with (Shape, StridedSlice,
 * Pack, Prod, ...). ONNX needs some of these as static attributes (Transpose perms, Split sizes,
 * axes), and folding them also keeps the written graph small. Only small tensors are folded:
 * float weights stay initializers (ORT folds the rest at load).
 */
import { elementCount, known, staticShape, type TfDtype, type Value } from './graph-context';

/** Results larger than this are computed by ONNX rather than folded. */
const MAX_FOLD = 4096;
/** Float results are folded only when tiny (scalars and shape-like vectors). */
const MAX_FLOAT_FOLD = 64;

export function foldable(inputs: (Value | undefined)[], outDtype: TfDtype, size?: number): boolean {
	if (!inputs.every((v) => v?.data && staticShape(v))) return false;
	const largest = size ?? Math.max(1, ...inputs.map((v) => v!.data!.length));
	return largest <= (outDtype === 'float32' ? MAX_FLOAT_FOLD : MAX_FOLD);
}

const truncate = (dtype: TfDtype, x: number) =>
	dtype === 'float32' ? Math.fround(x) : dtype === 'bool' ? (x ? 1 : 0) : Math.trunc(x);

/** Elementwise over NumPy-broadcast inputs. */
export function foldElementwise(
	inputs: Value[],
	dtype: TfDtype,
	f: (...xs: number[]) => number
): Value {
	const shapes = inputs.map((v) => v.shape as number[]);
	const rank = Math.max(...shapes.map((s) => s.length));
	const padded = shapes.map((s) => [...new Array<number>(rank - s.length).fill(1), ...s]);
	const out = Array.from({ length: rank }, (_, i) => Math.max(...padded.map((s) => s[i]!)));
	const count = elementCount(out);
	const strides = padded.map((s) =>
		s.map((d, axis) => (d === 1 ? 0 : elementCount(s.slice(axis + 1))))
	);
	const values = new Array<number>(count);
	const index = new Array<number>(rank).fill(0);
	for (let i = 0; i < count; i++) {
		const args = inputs.map((v, k) => {
			let offset = 0;
			for (let axis = 0; axis < rank; axis++) offset += index[axis]! * strides[k]![axis]!;
			return Number(v.data![offset]);
		});
		values[i] = truncate(dtype, f(...args));
		for (let axis = rank - 1; axis >= 0; axis--) {
			if (++index[axis]! < out[axis]!) break;
			index[axis] = 0;
		}
	}
	return known(dtype, out, values);
}

/** Reduces along the given axes (all when empty and `all`). */
export function foldReduce(
	v: Value,
	axes: number[],
	keep: boolean,
	f: (a: number, b: number) => number,
	init: number,
	mean = false
): Value {
	const shape = v.shape as number[];
	const rank = shape.length;
	const reduced = new Set(axes.map((a) => (a + rank) % rank));
	const outFull = shape.map((d, a) => (reduced.has(a) ? 1 : d));
	const values = new Array<number>(elementCount(outFull)).fill(init);
	const index = new Array<number>(rank).fill(0);
	const outStrides = outFull.map((_, a) => elementCount(outFull.slice(a + 1)));
	for (let i = 0; i < v.data!.length; i++) {
		let o = 0;
		for (let a = 0; a < rank; a++) if (!reduced.has(a)) o += index[a]! * outStrides[a]!;
		values[o] = f(values[o]!, Number(v.data![i]));
		for (let a = rank - 1; a >= 0; a--) {
			if (++index[a]! < shape[a]!) break;
			index[a] = 0;
		}
	}
	const n = elementCount(shape) / elementCount(outFull);
	const out = mean ? values.map((x) => x / n) : values;
	const dims = keep ? outFull : shape.filter((_, a) => !reduced.has(a));
	return known(
		v.dtype,
		dims,
		out.map((x) => truncate(v.dtype, x))
	);
}

/** Gathers along axis 0 of a known tensor. */
export function foldGather(params: Value, indices: Value): Value {
	const shape = params.shape as number[];
	const row = elementCount(shape.slice(1));
	const values: number[] = [];
	for (const raw of Array.from(indices.data!)) {
		const i = raw < 0 ? raw + shape[0]! : raw;
		for (let k = 0; k < row; k++) values.push(Number(params.data![i * row + k]));
	}
	return known(params.dtype, [...(indices.shape as number[]), ...shape.slice(1)], values);
}

/** Slices a known tensor along its first axis (shape vectors). */
export function foldSlice1d(v: Value, start: number, end: number, step: number): Value {
	const values: number[] = [];
	for (let i = start; step > 0 ? i < end : i > end; i += step) values.push(Number(v.data![i]));
	return known(v.dtype, [values.length], values);
}

/** Concatenates known tensors along an axis. */
export function foldConcat(values: Value[], axis: number): Value {
	const shapes = values.map((v) => v.shape as number[]);
	const rank = shapes[0]!.length;
	const a = (axis + rank) % rank;
	const outer = elementCount(shapes[0]!.slice(0, a));
	const data: number[] = [];
	for (let o = 0; o < outer; o++) {
		for (const [k, v] of values.entries()) {
			const block = elementCount(shapes[k]!.slice(a));
			for (let i = 0; i < block; i++) data.push(Number(v.data![o * block + i]));
		}
	}
	const shape = [...shapes[0]!];
	shape[a] = shapes.reduce((sum, s) => sum + s[a]!, 0);
	return known(values[0]!.dtype, shape, data);
}

export function foldCast(v: Value, dtype: TfDtype): Value {
	return known(
		dtype,
		v.shape as number[],
		Array.from(v.data!, (x) => truncate(dtype, x))
	);
}
