/**
 * Converts a TensorFlow.js graph-model to ONNX for the ops the catalog's vision models use.
 * TF is NHWC and ONNX convolutions NCHW: activations are kept in NCHW from the first
 * convolution on and transposed back only where an op depends on the layout (Reshape, Concat
 * of mixed inputs, graph outputs asked for in NHWC), so the file has few Transposes.
 * Only the nodes the requested outputs depend on are converted: models are cut before their
 * in-graph post-processing, which the tasks do in code.
 */
import type { onnx } from 'onnx-proto';
import type { TensorSpec } from '../catalog/manifest';
import { onnxProto } from '../optimize/onnx-proto';
import { encodeModel, float32Initializer, int64Initializer } from '../optimize/onnx-writer';
import { intsAttr, stringAttr, stringsAttr, type TfGraphModel, type TfNode } from './tfjs-model';

export interface ConvertedOutput {
	/** The TF tensor: "node" or "node:1". */
	tensor: string;
	spec: TensorSpec;
	layout: 'nchw' | 'nhwc';
}

export interface ConvertOptions {
	/** TF placeholder name -> the ONNX input (same element type, NHWC as in TF). */
	inputs: { placeholder: string; spec: TensorSpec }[];
	outputs: ConvertedOutput[];
	graphName: string;
	docString: string;
}

/** Opset 18: Resize takes `axes`, so sizes need only the spatial dims. */
const OPSET = 18;
const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];
const ELEMENTWISE: Record<string, string> = {
	Add: 'Add',
	AddV2: 'Add',
	Sub: 'Sub',
	Mul: 'Mul',
	RealDiv: 'Div',
	Maximum: 'Max',
	Minimum: 'Min'
};
const UNARY: Record<string, string> = {
	Relu: 'Relu',
	Sigmoid: 'Sigmoid',
	Sqrt: 'Sqrt',
	Tanh: 'Tanh'
};

type Attr = onnx.IAttributeProto;
const T = onnxProto.AttributeProto.AttributeType;
const intA = (name: string, i: number): Attr => ({ name, type: T.INT, i });
const intsA = (name: string, ints: number[]): Attr => ({ name, type: T.INTS, ints });
const floatA = (name: string, f: number): Attr => ({ name, type: T.FLOAT, f });
const strA = (name: string, s: string): Attr => ({
	name,
	type: T.STRING,
	s: new TextEncoder().encode(s)
});

function permute(values: ArrayLike<number>, shape: number[], perm: number[]): number[] {
	const outShape = perm.map((axis) => shape[axis]!);
	const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((p, d) => p * d, 1));
	const out = new Array<number>(values.length);
	const index = new Array<number>(shape.length).fill(0);
	for (let i = 0; i < out.length; i++) {
		let source = 0;
		perm.forEach((axis, k) => (source += index[k]! * strides[axis]!));
		out[i] = values[source]!;
		for (let k = outShape.length - 1; k >= 0; k--) {
			if (++index[k]! < outShape[k]!) break;
			index[k] = 0;
		}
	}
	return out;
}

export function tfjsToOnnx(model: TfGraphModel, options: ConvertOptions): Uint8Array {
	const nodes: onnx.INodeProto[] = [];
	const initializers: onnx.ITensorProto[] = [];
	const made = new Set<string>();
	/** Converted TF tensor ref -> ONNX name and layout. */
	const tensors = new Map<string, { name: string; nchw: boolean }>();
	let counter = 0;

	const emit = (op: string, inputs: string[], attrs: Attr[] = [], outputs?: string[]): string => {
		const out = outputs ?? [`${op}_${counter++}`];
		nodes.push({ opType: op, name: out[0], input: inputs, output: out, attribute: attrs });
		return out[0]!;
	};
	const init = (tensor: onnx.ITensorProto): string => {
		if (!made.has(tensor.name!)) (initializers.push(tensor), made.add(tensor.name!));
		return tensor.name!;
	};
	const int64 = (values: number[], scalar = false): string =>
		init(
			int64Initializer(
				`i64_${values.join('_')}${scalar ? 's' : ''}`,
				scalar ? [] : [values.length],
				values
			)
		);
	const floatScalar = (value: number): string =>
		init(float32Initializer(`f32_${value}`, [], [value]));

	const ref = (input: string) => (input.includes(':') ? input : `${input}:0`);
	const constant = (input: string) => model.constants.get(input.split(':')[0]!);

	/** The tensor as ONNX sees it in TF's own layout. */
	const plain = (input: string): string => {
		const c = constant(input);
		if (c) {
			const name = `c/${input}`;
			if (c.dtype === 'float32') return init(float32Initializer(name, c.shape, c.values));
			const raw = new Uint8Array(new Int32Array(c.values).buffer);
			return init({ name, dims: c.shape, dataType: 6, rawData: raw });
		}
		const t = visit(input);
		return t.nchw ? emit('Transpose', [t.name], [intsA('perm', TO_NHWC)]) : t.name;
	};
	/** The tensor in NCHW; constants are permuted (rank 4) or reshaped to broadcast per channel. */
	const nchw = (input: string): string => {
		const c = constant(input);
		if (c && c.dtype === 'float32') {
			const name = `c_nchw/${input}`;
			if (c.shape.length === 4)
				return init(
					float32Initializer(
						name,
						TO_NCHW.map((a) => c.shape[a]!),
						permute(c.values, c.shape, TO_NCHW)
					)
				);
			// Rank 3 broadcasts as [H, W, C] against NHWC, so it becomes [C, H, W].
			if (c.shape.length === 3)
				return init(
					float32Initializer(
						name,
						[2, 0, 1].map((a) => c.shape[a]!),
						permute(c.values, c.shape, [2, 0, 1])
					)
				);
			if (c.shape.length === 1 && c.shape[0]! > 1)
				return init(float32Initializer(name, [c.shape[0]!, 1, 1], c.values));
			return plain(input);
		}
		const t = visit(input);
		return t.nchw ? t.name : emit('Transpose', [t.name], [intsA('perm', TO_NCHW)]);
	};
	const constValues = (input: string): number[] => {
		const c = constant(input);
		if (!c) throw new Error(`${input} must be a constant`);
		return Array.from(c.values);
	};
	const isNchw = (input: string) => !constant(input) && visit(input).nchw;

	function conv(node: TfNode, depthwise: boolean): string {
		const filter = constant(node.input[1]!);
		if (!filter) throw new Error(`${node.name}: the filter must be a constant`);
		const [kh, kw, inC, outC] = filter.shape as [number, number, number, number];
		// TF HWIO -> ONNX OIHW; depthwise [kh, kw, in, multiplier] -> [in * multiplier, 1, kh, kw].
		const weights = depthwise
			? float32Initializer(
					`w/${node.name}`,
					[inC * outC, 1, kh, kw],
					permute(filter.values, filter.shape, [2, 3, 0, 1])
				)
			: float32Initializer(
					`w/${node.name}`,
					[outC, inC, kh, kw],
					permute(filter.values, filter.shape, [3, 2, 0, 1])
				);
		const inputs = [nchw(node.input[0]!), init(weights)];
		const fused = stringsAttr(node, 'fused_ops');
		if (fused[0] === 'BiasAdd') inputs.push(plain(node.input[2]!));
		else if (fused.length > 0)
			throw new Error(`${node.name}: fused ops ${fused} are not supported`);
		const strides = intsAttr(node, 'strides');
		const dilations = intsAttr(node, 'dilations');
		const attrs: Attr[] = [
			intsA('kernel_shape', [kh, kw]),
			intsA('strides', [strides[1] ?? 1, strides[2] ?? 1]),
			intsA('dilations', [dilations[1] ?? 1, dilations[2] ?? 1]),
			...padding(node)
		];
		if (depthwise) attrs.push(intA('group', inC));
		let out = emit('Conv', inputs, attrs);
		for (const activation of fused.slice(1)) out = activate(activation, out, node);
		return out;
	}
	function padding(node: TfNode): Attr[] {
		const mode = stringAttr(node, 'padding');
		// TF's SAME puts the odd pixel at the end, which is ONNX's SAME_UPPER.
		if (mode === 'SAME') return [strA('auto_pad', 'SAME_UPPER')];
		if (mode === 'VALID') return [strA('auto_pad', 'VALID')];
		throw new Error(`${node.name}: padding ${mode} is not supported`);
	}
	function activate(activation: string, input: string, node: TfNode): string {
		if (activation === 'Relu') return emit('Relu', [input]);
		if (activation === 'Relu6') return emit('Clip', [input, floatScalar(0), floatScalar(6)]);
		if (activation === 'LeakyRelu')
			return emit('LeakyRelu', [input], [floatA('alpha', node.attr.leakyrelu_alpha?.f ?? 0.2)]);
		throw new Error(`${node.name}: activation ${activation} is not supported`);
	}

	function convertNode(node: TfNode): { names: string[]; nchw: boolean } {
		const [a, b] = node.input;
		const op = node.op;
		if (op === 'Placeholder') {
			if (!options.inputs.some((input) => input.placeholder === node.name))
				throw new Error(`Placeholder ${node.name} is not a declared input`);
			return { names: [node.name], nchw: false };
		}
		if (op === 'Identity') return { names: [plain(a!)], nchw: false };
		if (op === '_FusedConv2D' || op === 'Conv2D') return { names: [conv(node, false)], nchw: true };
		if (op === 'FusedDepthwiseConv2dNative' || op === 'DepthwiseConv2dNative')
			return { names: [conv(node, true)], nchw: true };
		if (ELEMENTWISE[op] || op === 'SquaredDifference') {
			const layoutAware = isNchw(a!) || isNchw(b!);
			const x = layoutAware ? nchw(a!) : plain(a!);
			const y = layoutAware ? nchw(b!) : plain(b!);
			if (op !== 'SquaredDifference')
				return { names: [emit(ELEMENTWISE[op]!, [x, y])], nchw: layoutAware };
			const difference = emit('Sub', [x, y]);
			return { names: [emit('Mul', [difference, difference])], nchw: layoutAware };
		}
		if (UNARY[op]) {
			const nc = isNchw(a!);
			return { names: [emit(UNARY[op]!, [nc ? nchw(a!) : plain(a!)])], nchw: nc };
		}
		if (op === 'Relu6' || op === 'LeakyRelu') {
			const nc = isNchw(a!);
			return { names: [activate(op, nc ? nchw(a!) : plain(a!), node)], nchw: nc };
		}
		if (op === 'AddN') {
			const nc = node.input.some(isNchw);
			return { names: [emit('Sum', node.input.map(nc ? nchw : plain))], nchw: nc };
		}
		if (op === 'Cast') {
			const to = node.attr.DstT?.type === 'DT_INT32' ? 6 : 1;
			const nc = isNchw(a!);
			return { names: [emit('Cast', [nc ? nchw(a!) : plain(a!)], [intA('to', to)])], nchw: nc };
		}
		if (op === 'MaxPool' || op === 'AvgPool') {
			const ksize = intsAttr(node, 'ksize');
			const strides = intsAttr(node, 'strides');
			const attrs = [
				intsA('kernel_shape', [ksize[1]!, ksize[2]!]),
				intsA('strides', [strides[1]!, strides[2]!]),
				...padding(node)
			];
			return {
				names: [emit(op === 'MaxPool' ? 'MaxPool' : 'AveragePool', [nchw(a!)], attrs)],
				nchw: true
			};
		}
		if (op === 'ResizeBilinear') {
			const halfPixel = node.attr.half_pixel_centers?.b === true;
			const alignCorners = node.attr.align_corners?.b === true;
			const mode = alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric';
			const attrs = [
				strA('mode', 'linear'),
				strA('coordinate_transformation_mode', mode),
				intsA('axes', [2, 3])
			];
			return {
				names: [emit('Resize', [nchw(a!), '', '', int64(constValues(b!))], attrs)],
				nchw: true
			};
		}
		if (op === 'Pad') {
			const pads = constValues(b!);
			// [[before, after] per NHWC axis] -> ONNX [befores..., afters...] in NCHW order.
			const before = TO_NCHW.map((axis) => pads[axis * 2]!);
			const after = TO_NCHW.map((axis) => pads[axis * 2 + 1]!);
			return { names: [emit('Pad', [nchw(a!), int64([...before, ...after])])], nchw: true };
		}
		if (op === 'Reshape')
			return { names: [emit('Reshape', [plain(a!), int64(constValues(b!))])], nchw: false };
		if (op === 'ExpandDims')
			return { names: [emit('Unsqueeze', [plain(a!), int64(constValues(b!))])], nchw: false };
		if (op === 'Squeeze')
			return {
				names: [emit('Squeeze', [plain(a!), int64(intsAttr(node, 'squeeze_dims'))])],
				nchw: false
			};
		if (op === 'Unpack') {
			const axis = Number(node.attr.axis?.i ?? 0);
			const count = Number(node.attr.num?.i ?? 1);
			const x = plain(a!);
			const parts =
				count === 1 ? [x] : Array.from({ length: count }, (_, i) => `${node.name}/part${i}`);
			if (count > 1) emit('Split', [x], [intA('axis', axis), intA('num_outputs', count)], parts);
			return { names: parts.map((part) => emit('Squeeze', [part, int64([axis])])), nchw: false };
		}
		if (op === 'ConcatV2') {
			const values = node.input.slice(0, -1);
			let axis = constValues(node.input.at(-1)!)[0]!;
			const nc = values.some(isNchw);
			if (nc) axis = [0, 2, 3, 1][(axis + 4) % 4]!;
			return {
				names: [emit('Concat', values.map(nc ? nchw : plain), [intA('axis', axis)])],
				nchw: nc
			};
		}
		throw new Error(`${node.name}: TF op ${op} is not supported by the converter`);
	}

	function visit(input: string): { name: string; nchw: boolean } {
		const key = ref(input);
		const done = tensors.get(key);
		if (done) return done;
		const nodeName = key.slice(0, key.lastIndexOf(':'));
		const node = model.nodes.get(nodeName);
		if (!node) throw new Error(`Unknown tensor ${input}`);
		const { names, nchw: layout } = convertNode(node);
		names.forEach((name, index) => tensors.set(`${nodeName}:${index}`, { name, nchw: layout }));
		const result = tensors.get(key);
		if (!result) throw new Error(`${node.name} has no output ${key}`);
		return result;
	}

	for (const output of options.outputs) {
		const source = output.layout === 'nchw' ? nchw(output.tensor) : plain(output.tensor);
		emit('Identity', [source], [], [output.spec.name]);
	}
	return encodeModel({
		graphName: options.graphName,
		inputs: options.inputs.map((input) => input.spec),
		outputs: options.outputs.map((output) => output.spec),
		initializers,
		nodes,
		opset: OPSET,
		producer: 'hearth',
		docString: options.docString
	});
}
