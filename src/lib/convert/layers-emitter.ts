/**
 * The ONNX graph the layers-model converter writes into: nodes, initializers (each written once)
 * and the layout bookkeeping. Spatial tensors (rank 4) are kept NCHW from the input on, since
 * ONNX convolutions and pools want that; `plain` hands a tensor back in Keras's NHWC order only
 * where an op depends on it (Flatten, Reshape, Dense), so the file has few Transposes.
 */
import type { onnx } from 'onnx-proto';
import { onnxProto } from '../optimize/onnx-proto';
import { float32Initializer, int64Initializer } from '../optimize/onnx-writer';
import { permutation } from './graph-context';
import type { TfConstant } from './tfjs-model';

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

export const TO_NCHW = [0, 3, 1, 2];
export const TO_NHWC = [0, 2, 3, 1];

/** ONNX TensorProto element types for the stored forms tfjs writes. */
const UINT8 = 2;
const UINT16 = 4;
const FLOAT16 = 10;
const FLOAT = 1;

/** A Keras tensor as converted: its ONNX name, shape without the batch axis, and layout. */
export interface Converted {
	name: string;
	/** Keras's own (channels-last) shape without the batch axis; null where unknown. */
	shape: (number | null)[];
	/** True for rank-4 tensors held as NCHW. */
	nchw: boolean;
}

export class OnnxEmitter {
	readonly nodes: onnx.INodeProto[] = [];
	readonly initializers: onnx.ITensorProto[] = [];
	/** Weights kept in their stored uint8/uint16/float16 form, for the report's notes. */
	readonly compactWeights = new Set<string>();
	private readonly made = new Set<string>();
	private counter = 0;

	emit(op: string, inputs: string[], attrs: Attr[] = [], output?: string): string {
		const name = output ?? `${op}/${this.counter++}`;
		this.nodes.push({ opType: op, name, input: inputs, output: [name], attribute: attrs });
		return name;
	}

	init(tensor: onnx.ITensorProto): string {
		if (!this.made.has(tensor.name!)) {
			this.initializers.push(tensor);
			this.made.add(tensor.name!);
		}
		return tensor.name!;
	}

	int64(values: number[]): string {
		return this.init(int64Initializer(`i64_${values.join('_')}`, [values.length], values));
	}

	floatScalar(value: number): string {
		return this.init(float32Initializer(`f32_${value}`, [], [value]));
	}

	floats(name: string, dims: number[], values: ArrayLike<number>): string {
		return this.init(float32Initializer(name, dims, values));
	}

	/**
	 * A weight, its axes moved by `perm` and then given `dims`. Quantized weights stay in their
	 * stored form followed by Cast (and Mul/Add for uint8/uint16: q * scale + min, as tfjs
	 * decodes them); ORT folds these at load, so the file stays as small as the TF.js shards.
	 */
	weight(name: string, weight: TfConstant, perm: number[] | null, dims: number[]): string {
		const order = perm ? permutation(weight.shape, perm) : null;
		const q = weight.quantization;
		if (!q) {
			const values = order ? Array.from(order, (i) => weight.values[i]!) : weight.values;
			return this.floats(name, dims, values);
		}
		const width = q.dtype === 'uint8' ? 1 : 2;
		const raw = new Uint8Array(q.bytes.byteLength);
		const count = raw.byteLength / width;
		for (let i = 0; i < count; i++) {
			const from = (order ? order[i]! : i) * width;
			for (let b = 0; b < width; b++) raw[i * width + b] = q.bytes[from + b]!;
		}
		const dataType = q.dtype === 'uint8' ? UINT8 : q.dtype === 'uint16' ? UINT16 : FLOAT16;
		const stored = this.init({ name: `${name}/stored`, dims, dataType, rawData: raw });
		this.compactWeights.add(name);
		const cast = this.emit('Cast', [stored], [intA('to', FLOAT)]);
		if (q.dtype === 'float16') return cast;
		const scaled = this.emit('Mul', [cast, this.floatScalar(q.scale ?? 1)]);
		return this.emit('Add', [scaled, this.floatScalar(q.min ?? 0)]);
	}

	/** The tensor in NCHW (rank 4 only). */
	nchw(tensor: Converted): string {
		if (tensor.nchw) return tensor.name;
		if (tensor.shape.length !== 3)
			throw new Error(`needs a 4-D input, got rank ${tensor.shape.length + 1}`);
		return this.emit('Transpose', [tensor.name], [intsA('perm', TO_NCHW)]);
	}

	/** The tensor in Keras's own channels-last layout. */
	plain(tensor: Converted): string {
		return tensor.nchw
			? this.emit('Transpose', [tensor.name], [intsA('perm', TO_NHWC)])
			: tensor.name;
	}

	opCounts(): Record<string, number> {
		const counts: Record<string, number> = {};
		for (const node of this.nodes) counts[node.opType!] = (counts[node.opType!] ?? 0) + 1;
		return counts;
	}
}
