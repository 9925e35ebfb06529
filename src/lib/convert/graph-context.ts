/**
 * What every graph-op converter works with: converted TF tensors (`Value`), and a builder that
 * writes ONNX nodes and initializers. TF is NHWC and ONNX convolutions NCHW, so a rank-4 value
 * may be held transposed (`nchw`); `name()` and `nchwName()` give it in either layout, adding
 * at most one memoised Transpose. TF int32 tensors are int64 in ONNX (its shape and index ops
 * want int64), so a graph mixes no integer widths. Weights are written as tfjs stored them:
 * uint8/uint16 plus Cast, Mul and Add, or float16 plus Cast; ORT folds these at load.
 */
import type { onnx } from 'onnx-proto';
import { onnxProto } from '../optimize/onnx-proto';
import { float32Initializer, int64Initializer } from '../optimize/onnx-writer';
import { TfjsConversionError } from './errors';
import type { TfConstant, TfNode } from './tfjs-model';

export type TfDtype = 'float32' | 'int32' | 'int64' | 'bool';
/** A dimension: its size, or null where only the graph's inputs decide it. */
export type Dim = number | null;

export interface Value {
	dtype: TfDtype;
	/** TF's (NHWC) shape whatever the layout held; undefined where even the rank is unknown. */
	shape?: Dim[];
	/** The ONNX tensor holds this rank-4 NHWC tensor transposed to NCHW. */
	nchw: boolean;
	/** The ONNX tensor; absent for constants until an op needs them written. */
	name?: string;
	/** Known values, row-major in TF layout: TF constants and what folds from them. */
	data?: ArrayLike<number>;
	/** The TF weight behind a constant, so it is written as compactly as tfjs stored it. */
	weight?: { key: string; constant: TfConstant };
	/** Memoised layout conversions. */
	plainName?: string;
	nchwCached?: string;
}

export type Attr = onnx.IAttributeProto;
const T = onnxProto.AttributeProto.AttributeType;
export const intA = (name: string, i: number): Attr => ({ name, type: T.INT, i });
export const intsA = (name: string, ints: number[]): Attr => ({ name, type: T.INTS, ints });
export const floatA = (name: string, f: number): Attr => ({ name, type: T.FLOAT, f });
export const strA = (name: string, s: string): Attr => ({
	name,
	type: T.STRING,
	s: new TextEncoder().encode(s)
});
export const tensorA = (name: string, t: onnx.ITensorProto): Attr => ({ name, type: T.TENSOR, t });

export const TO_NCHW = [0, 3, 1, 2];
export const TO_NHWC = [0, 2, 3, 1];
/** Where NHWC axis k sits in NCHW. */
export const NCHW_AXIS = [0, 2, 3, 1];
/** Stands in for "to the end" in Slice ends; ORT clamps it. */
export const BIG = Number.MAX_SAFE_INTEGER;

/** ONNX element types: FLOAT, UINT8, UINT16, INT64, BOOL, FLOAT16. */
export const ELEM = { float32: 1, uint8: 2, uint16: 4, int32: 6, int64: 7, bool: 9, float16: 10 };
export const onnxElem = (dtype: TfDtype): number =>
	dtype === 'float32' ? ELEM.float32 : dtype === 'bool' ? ELEM.bool : ELEM.int64;
export const isInt = (dtype: TfDtype) => dtype === 'int32' || dtype === 'int64';

const TF_DTYPES: Record<string, TfDtype> = {
	DT_FLOAT: 'float32',
	DT_HALF: 'float32',
	DT_INT32: 'int32',
	DT_INT64: 'int64',
	DT_BOOL: 'bool',
	'1': 'float32',
	'19': 'float32',
	'3': 'int32',
	'9': 'int64',
	'10': 'bool'
};
/** tfjs writes dtype attributes as "DT_INT32" or as the enum number. */
export function tfDtypeOf(type: string | number | undefined): TfDtype | undefined {
	return type === undefined ? undefined : TF_DTYPES[String(type)];
}

export const elementCount = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** For each element of the permuted tensor, the index it comes from. */
export function permutation(shape: readonly number[], perm: readonly number[]): Int32Array {
	const outShape = perm.map((axis) => shape[axis]!);
	const strides = shape.map((_, axis) => elementCount(shape.slice(axis + 1)));
	const out = new Int32Array(elementCount(shape));
	const index = new Array<number>(shape.length).fill(0);
	for (let i = 0; i < out.length; i++) {
		let source = 0;
		for (let k = 0; k < perm.length; k++) source += index[k]! * strides[perm[k]!]!;
		out[i] = source;
		for (let k = outShape.length - 1; k >= 0; k--) {
			if (++index[k]! < outShape[k]!) break;
			index[k] = 0;
		}
	}
	return out;
}

/** How a constant is laid out when written: permuted, then given new dims. */
export interface Layout {
	perm?: number[];
	dims?: number[];
}

export class GraphContext {
	readonly nodes: onnx.INodeProto[] = [];
	readonly initializers: onnx.ITensorProto[] = [];
	/** Float parameters written, counted once per TF weight. */
	parameters = 0;
	private readonly made = new Set<string>();
	private readonly counted = new Set<unknown>();
	private counter = 0;

	constructor(readonly source: string) {}

	emit(op: string, inputs: string[], attrs: Attr[] = [], outputs?: string[]): string {
		// '#' is not allowed in TF node names, so these never meet a TF input or output name.
		const out = outputs ?? [`${op}#${this.counter++}`];
		this.nodes.push({ opType: op, name: out[0], input: inputs, output: out, attribute: attrs });
		return out[0]!;
	}
	/** A fresh name for the extra outputs of a multi-output node. */
	fresh(prefix: string): string {
		return `${prefix}#${this.counter++}`;
	}
	init(tensor: onnx.ITensorProto): string {
		if (!this.made.has(tensor.name!)) {
			this.initializers.push(tensor);
			this.made.add(tensor.name!);
		}
		return tensor.name!;
	}
	has(name: string): boolean {
		return this.made.has(name);
	}
	i64(values: readonly number[], dims: number[] = [values.length]): string {
		const name = `#i64_${values.join('_')}${dims.length === 0 ? 's' : ''}`;
		return this.init(int64Initializer(name, dims, [...values]));
	}
	/** A scalar of the value's ONNX type. */
	scalar(dtype: TfDtype, value: number): string {
		if (dtype === 'float32') return this.init(float32Initializer(`#f32_${value}`, [], [value]));
		if (dtype === 'bool') return this.data('bool', [], [value]);
		return this.i64([value], []);
	}
	/** An initializer of known values in the ONNX type of `dtype`. */
	data(dtype: TfDtype, dims: number[], values: ArrayLike<number>): string {
		const key = `${dtype}_${dims.join('x')}_${Array.from(values).join('_')}`;
		const name = key.length <= 80 ? `#k_${key}` : `#k${this.counter++}`;
		if (this.made.has(name)) return name;
		if (dtype === 'float32') return this.init(float32Initializer(name, dims, values));
		if (dtype === 'bool')
			return this.init({ name, dims, dataType: ELEM.bool, rawData: Uint8Array.from(values) });
		return this.init(int64Initializer(name, dims, Array.from(values)));
	}
	fail(node: TfNode, why: string): never {
		throw new TfjsConversionError(this.source, `node "${node.name}" (${node.op})`, why);
	}

	/** The value's ONNX tensor in TF's own (NHWC) layout. */
	name(v: Value): string {
		if (v.nchw) {
			v.plainName ??= this.emit('Transpose', [v.name!], [intsA('perm', TO_NHWC)]);
			return v.plainName;
		}
		if (v.name) return v.name;
		v.name = this.writeConstant(v, {}, 'c');
		return v.name;
	}
	/** The value in NCHW. Constants broadcast as against NHWC: [H,W,C] -> [C,H,W], [C] -> [C,1,1]. */
	nchwName(v: Value): string {
		if (v.nchw) return v.name!;
		if (v.nchwCached) return v.nchwCached;
		const rank = v.shape?.length;
		if (v.data || v.weight) {
			const shape = v.shape as number[];
			if (rank === 4) v.nchwCached = this.writeConstant(v, { perm: TO_NCHW }, 'c_nchw');
			else if (rank === 3) v.nchwCached = this.writeConstant(v, { perm: [2, 0, 1] }, 'c_nchw');
			else if (rank === 1 && shape[0]! > 1)
				v.nchwCached = this.writeConstant(v, { dims: [shape[0]!, 1, 1] }, 'c_nchw');
			else v.nchwCached = this.name(v);
		} else if (rank === 1) {
			v.nchwCached = this.emit('Reshape', [this.name(v), this.i64([-1, 1, 1])]);
		} else if (rank === 0) v.nchwCached = this.name(v);
		else v.nchwCached = this.emit('Transpose', [this.name(v)], [intsA('perm', TO_NCHW)]);
		return v.nchwCached;
	}
	/** Whether the value can join an NCHW computation without a guess about its layout. */
	nchwable(v: Value): boolean {
		if (v.nchw) return true;
		const rank = v.shape?.length;
		if (v.data || v.weight) return rank !== undefined && rank !== 2 && rank <= 4;
		return rank === 4 || rank === 0 || rank === 1;
	}

	/** Writes a constant in the given layout; weights keep their stored (quantized) bytes. */
	writeConstant(v: Value, layout: Layout, prefix: string): string {
		const shape = v.shape as number[];
		const key = v.weight?.key ?? `folded${this.counter++}`;
		const name = `${prefix}#${key}`;
		if (this.made.has(name)) return name;
		const order = layout.perm ? permutation(shape, layout.perm) : undefined;
		const dims = layout.dims ?? (layout.perm ? layout.perm.map((a) => shape[a]!) : shape);
		const pick = <A extends { length: number }>(values: A, make: (n: number) => A): A => {
			if (!order) return values;
			const out = make(values.length) as unknown as number[];
			const source = values as unknown as number[];
			for (let i = 0; i < order.length; i++) out[i] = source[order[i]!]!;
			return out as unknown as A;
		};
		const weight = v.weight?.constant;
		if (weight && !this.counted.has(weight) && v.dtype === 'float32') {
			this.counted.add(weight);
			this.parameters += weight.values.length;
		}
		const q = weight?.quantization;
		if (!q || v.dtype !== 'float32') {
			const values = pick(Array.from(v.data ?? weight!.values), (n) => new Array<number>(n));
			if (v.dtype === 'float32') return this.init(float32Initializer(name, dims, values));
			if (v.dtype === 'bool')
				return this.init({ name, dims, dataType: ELEM.bool, rawData: Uint8Array.from(values) });
			return this.init(int64Initializer(name, dims, values));
		}
		let stored: Uint8Array;
		let elem: number;
		if (q.dtype === 'uint8') {
			stored = pick(q.bytes, (n) => new Uint8Array(n));
			elem = ELEM.uint8;
		} else {
			const halves = new Uint16Array(weight!.values.length);
			const view = new DataView(q.bytes.buffer, q.bytes.byteOffset, q.bytes.byteLength);
			for (let i = 0; i < halves.length; i++) halves[i] = view.getUint16(i * 2, true);
			const ordered = pick(halves, (n) => new Uint16Array(n));
			stored = new Uint8Array(ordered.length * 2);
			const out = new DataView(stored.buffer);
			ordered.forEach((h, i) => out.setUint16(i * 2, h, true));
			elem = q.dtype === 'float16' ? ELEM.float16 : ELEM.uint16;
		}
		const raw = this.init({ name: `${name}/stored`, dims, dataType: elem, rawData: stored });
		if (q.dtype === 'float16') return this.emit('Cast', [raw], [intA('to', ELEM.float32)], [name]);
		// tfjs's affine map, value = q * scale + min; DequantizeLinear cannot say it exactly.
		const floats = this.emit('Cast', [raw], [intA('to', ELEM.float32)]);
		const scaled = this.emit('Mul', [floats, this.scalar('float32', q.scale ?? 1)]);
		return this.emit('Add', [scaled, this.scalar('float32', q.min ?? 0)], [], [name]);
	}
}

/** A value for an ONNX tensor just written. */
export const made = (name: string, dtype: TfDtype, shape?: Dim[], nchw = false): Value => ({
	name,
	dtype,
	shape,
	nchw
});

/** A value of known data (folded); small, so it is written only where needed. */
export const known = (dtype: TfDtype, shape: number[], data: ArrayLike<number>): Value => ({
	dtype,
	shape,
	data,
	nchw: false
});

/** The same constant data under a new shape; a weight keeps its stored bytes. */
export function reshaped(v: Value, shape: number[]): Value {
	const out = known(v.dtype, shape, v.data!);
	if (v.weight)
		out.weight = { key: `${v.weight.key}:${shape.join('x')}`, constant: v.weight.constant };
	return out;
}

/** The value's data as integers, or a conversion error naming what had to be constant. */
export function constInts(ctx: GraphContext, node: TfNode, v: Value | undefined, what: string) {
	if (!v?.data) ctx.fail(node, `its ${what} must be a constant (or computable from constants)`);
	return Array.from(v.data, Number);
}

export const staticShape = (v: Value): number[] | undefined =>
	v.shape && v.shape.every((d) => d !== null) ? (v.shape as number[]) : undefined;

/** NumPy broadcasting of two shapes, as far as they are known. */
export function broadcast(a?: Dim[], b?: Dim[]): Dim[] | undefined {
	if (!a || !b) return undefined;
	const rank = Math.max(a.length, b.length);
	return Array.from({ length: rank }, (_, i) => {
		const ia = a.length - rank + i;
		const ib = b.length - rank + i;
		const x = ia < 0 ? 1 : a[ia]!;
		const y = ib < 0 ? 1 : b[ib]!;
		if (x === 1) return y;
		if (y === 1) return x;
		return x ?? y;
	});
}

/** Converts one TF node, given its (data) inputs converted, into its outputs. */
export type OpConverter = (node: TfNode, ctx: GraphContext, inputs: Value[]) => Value[];

/** A boolean or numeric attribute, whichever way tfjs wrote it. */
export const boolAttr = (node: TfNode, name: string) => node.attr[name]?.b === true;
export const intAttr = (node: TfNode, name: string, fallback = 0) =>
	Number(node.attr[name]?.i ?? fallback);

/** tfjs writes string attributes base64-encoded, or (older converters) as byte arrays. */
function text(value: unknown): string {
	if (Array.isArray(value)) return new TextDecoder().decode(Uint8Array.from(value as number[]));
	if (typeof value !== 'string') return '';
	return new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
}
export const strAttr = (node: TfNode, name: string) => text(node.attr[name]?.s);
export const strsAttr = (node: TfNode, name: string) =>
	((node.attr[name]?.list?.s ?? []) as unknown[]).map(text);
