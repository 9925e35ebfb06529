/**
 * Elementwise, activation, reduction and matrix ops. Elementwise ops stay in NCHW when an input
 * already is and the others can follow without a guess (constants, rank-4 or rank-0/1 tensors).
 */
import {
	boolAttr,
	broadcast,
	constInts,
	ELEM,
	floatA,
	intA,
	intsA,
	isInt,
	made,
	NCHW_AXIS,
	onnxElem,
	strA,
	tfDtypeOf,
	type GraphContext,
	type OpConverter,
	type TfDtype,
	type Value,
	strAttr,
	strsAttr
} from './graph-context';
import { foldable, foldCast, foldElementwise, foldReduce } from './graph-fold';
import type { TfNode } from './tfjs-model';

/** The layout an elementwise op over these inputs runs in, and their ONNX names in it. */
export function sameLayout(ctx: GraphContext, inputs: Value[]): { names: string[]; nchw: boolean } {
	const nchw = inputs.some((v) => v.nchw) && inputs.every((v) => ctx.nchwable(v));
	return { names: inputs.map((v) => (nchw ? ctx.nchwName(v) : ctx.name(v))), nchw };
}

type Fold = (...xs: number[]) => number;
function elementwise(op: string, fold?: Fold, outDtype?: TfDtype): OpConverter {
	return (_node, ctx, inputs) => {
		const dtype = outDtype ?? inputs[0]!.dtype;
		if (fold && foldable(inputs, dtype)) return [foldElementwise(inputs, dtype, fold)];
		const { names, nchw } = sameLayout(ctx, inputs);
		const shape = inputs.map((v) => v.shape).reduce((a, b) => broadcast(a, b));
		return [made(ctx.emit(op, names), dtype, shape, nchw)];
	};
}
/** A chain of ONNX ops over one input, keeping its layout. */
function unary(
	...chain: [string, ...((ctx: GraphContext, x: string) => string[])[]][]
): OpConverter {
	return (_node, ctx, [x]) => {
		let name = x!.nchw ? x!.name! : ctx.name(x!);
		for (const [op, extra] of chain) name = ctx.emit(op, [name, ...(extra?.(ctx, name) ?? [])]);
		return [made(name, x!.dtype, x!.shape, x!.nchw)];
	};
}
const withAttrs =
	(op: string, attrs: (node: TfNode) => ReturnType<typeof floatA>[]): OpConverter =>
	(node, ctx, [x]) => {
		const name = ctx.emit(op, [x!.nchw ? x!.name! : ctx.name(x!)], attrs(node));
		return [made(name, x!.dtype, x!.shape, x!.nchw)];
	};

/** Applies a fused or standalone activation to an ONNX tensor. */
export function activate(
	ctx: GraphContext,
	node: TfNode,
	activation: string,
	input: string,
	alpha?: Value,
	nchw = false
): string {
	switch (activation) {
		case 'Relu':
		case 'Sigmoid':
		case 'Tanh':
		case 'Elu':
			return ctx.emit(activation, [input]);
		case 'Relu6':
			return ctx.emit('Clip', [input, ctx.scalar('float32', 0), ctx.scalar('float32', 6)]);
		case 'LeakyRelu':
			return ctx.emit(
				'LeakyRelu',
				[input],
				[floatA('alpha', node.attr.leakyrelu_alpha?.f ?? node.attr.alpha?.f ?? 0.2)]
			);
		case 'Prelu':
			if (!alpha) return ctx.fail(node, 'Prelu needs its alpha');
			return ctx.emit('PRelu', [input, nchw ? ctx.nchwName(alpha) : ctx.name(alpha)]);
	}
	return ctx.fail(node, `the fused activation ${activation} is not supported`);
}

const floorDiv: OpConverter = (node, ctx, inputs) => {
	const dtype = inputs[0]!.dtype;
	if (foldable(inputs, dtype)) return [foldElementwise(inputs, dtype, (a, b) => Math.floor(a / b))];
	const { names, nchw } = sameLayout(ctx, inputs);
	const shape = broadcast(inputs[0]!.shape, inputs[1]!.shape);
	// Integer Div truncates toward zero; TF floors. Through float is exact below 2^24.
	const f = isInt(dtype)
		? names.map((n) => ctx.emit('Cast', [n], [intA('to', ELEM.float32)]))
		: names;
	let out = ctx.emit('Floor', [ctx.emit('Div', f)]);
	if (isInt(dtype)) out = ctx.emit('Cast', [out], [intA('to', ELEM.int64)]);
	return [made(out, dtype, shape, nchw)];
};
const floorMod: OpConverter = (node, ctx, inputs) => {
	const dtype = inputs[0]!.dtype;
	const mod = (a: number, b: number) => a - Math.floor(a / b) * b;
	if (foldable(inputs, dtype)) return [foldElementwise(inputs, dtype, mod)];
	const { names, nchw } = sameLayout(ctx, inputs);
	const shape = broadcast(inputs[0]!.shape, inputs[1]!.shape);
	// Integer Mod with fmod=0 takes the divisor's sign, as TF's FloorMod does.
	if (isInt(dtype)) return [made(ctx.emit('Mod', names, [intA('fmod', 0)]), dtype, shape, nchw)];
	const floor = ctx.emit('Floor', [ctx.emit('Div', names)]);
	const out = ctx.emit('Sub', [names[0]!, ctx.emit('Mul', [floor, names[1]!])]);
	return [made(out, dtype, shape, nchw)];
};

const cast: OpConverter = (node, ctx, [x]) => {
	const to = tfDtypeOf(node.attr.DstT?.type);
	if (!to) return ctx.fail(node, `casting to ${node.attr.DstT?.type} is not supported`);
	if (foldable([x], to)) return [foldCast(x!, to)];
	if (onnxElem(to) === onnxElem(x!.dtype)) return [{ ...x!, dtype: to }];
	const name = ctx.emit('Cast', [x!.nchw ? x!.name! : ctx.name(x!)], [intA('to', onnxElem(to))]);
	return [made(name, to, x!.shape, x!.nchw)];
};

const REDUCERS: Record<string, [string, (a: number, b: number) => number, number, boolean?]> = {
	Sum: ['ReduceSum', (a, b) => a + b, 0],
	Mean: ['ReduceMean', (a, b) => a + b, 0, true],
	Max: ['ReduceMax', Math.max, -Infinity],
	Min: ['ReduceMin', Math.min, Infinity],
	Prod: ['ReduceProd', (a, b) => a * b, 1],
	All: ['ReduceMin', Math.min, 1],
	Any: ['ReduceMax', Math.max, 0]
};
const reduce: OpConverter = (node, ctx, [x, axesValue]) => {
	const [op, f, init, mean] = REDUCERS[node.op]!;
	const keep = boolAttr(node, 'keep_dims');
	const rank = x!.shape?.length;
	const raw = constInts(ctx, node, axesValue, 'axes');
	const axes = rank === undefined ? raw : raw.map((a) => (a + rank) % rank);
	if (foldable([x], x!.dtype)) return [foldReduce(x!, axes, keep, f, init, mean)];
	const shape = x!.shape
		? keep
			? x!.shape.map((d, a) => (axes.includes(a) ? 1 : d))
			: x!.shape.filter((_, a) => !axes.includes(a))
		: undefined;
	// An NCHW input is reduced in place when the axes left come out in TF's order: always with
	// keep_dims (the result stays NCHW), without it when C or both H and W are reduced.
	const keptC = !axes.includes(3);
	const keptHW = !axes.includes(1) || !axes.includes(2);
	const inPlace = x!.nchw && rank === 4 && (keep || !keptC || !keptHW);
	const nchw = inPlace && keep;
	let input = inPlace ? x!.name! : ctx.name(x!);
	const bool = x!.dtype === 'bool';
	if (bool) input = ctx.emit('Cast', [input], [intA('to', ELEM.int64)]);
	const onnxAxes = inPlace ? axes.map((a) => NCHW_AXIS[a]!) : axes;
	const attrs = [intA('keepdims', keep ? 1 : 0)];
	if (axes.length === 0) attrs.push(intA('noop_with_empty_axes', 1));
	let out = ctx.emit(op, [input, ctx.i64(onnxAxes)], attrs);
	if (bool) out = ctx.emit('Cast', [out], [intA('to', ELEM.bool)]);
	return [made(out, x!.dtype, shape, nchw)];
};

const softmax: OpConverter = (node, ctx, [x]) => {
	const op = node.op === 'Softmax' ? 'Softmax' : 'LogSoftmax';
	const nchw = x!.nchw;
	const out = ctx.emit(op, [nchw ? x!.name! : ctx.name(x!)], [intA('axis', nchw ? 1 : -1)]);
	return [made(out, x!.dtype, x!.shape, nchw)];
};

const argReduce: OpConverter = (node, ctx, [x, axisValue]) => {
	const rank = x!.shape?.length;
	let axis = constInts(ctx, node, axisValue, 'axis')[0]!;
	if (rank !== undefined) axis = (axis + rank) % rank;
	const op = node.op === 'ArgMax' ? 'ArgMax' : 'ArgMin';
	const attrs = [intA('axis', axis), intA('keepdims', 0)];
	const shape = x!.shape?.filter((_, a) => a !== axis);
	const dtype = tfDtypeOf(node.attr.output_type?.type) ?? 'int64';
	return [made(ctx.emit(op, [ctx.name(x!)], attrs), dtype, shape)];
};

const topK: OpConverter = (node, ctx, [x, k]) => {
	const kName = ctx.emit('Reshape', [ctx.name(k!), ctx.i64([1])]);
	const values = ctx.fresh('TopK_values');
	const indices = ctx.fresh('TopK_indices');
	const sorted = node.attr.sorted?.b !== false;
	const attrs = [intA('axis', -1), intA('largest', 1), intA('sorted', sorted ? 1 : 0)];
	ctx.emit('TopK', [ctx.name(x!), kName], attrs, [values, indices]);
	const kSize = k!.data ? Number(k!.data[0]) : null;
	const shape = x!.shape ? [...x!.shape.slice(0, -1), kSize] : undefined;
	return [made(values, x!.dtype, shape), made(indices, 'int32', shape)];
};

/** Swaps the last two axes of a matrix operand: constants are written transposed. */
function transposed(ctx: GraphContext, node: TfNode, v: Value, swap: boolean): string {
	if (!swap) return ctx.name(v);
	const rank = v.shape?.length;
	if (rank === undefined) return ctx.fail(node, 'a transposed operand needs a known rank');
	const perm = [...Array(rank).keys()];
	[perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
	if (v.data || v.weight) return ctx.writeConstant(v, { perm }, 'c_t');
	return ctx.emit('Transpose', [ctx.name(v)], [intsA('perm', perm)]);
}
function matShape(a?: Value['shape'], b?: Value['shape'], ta = false, tb = false) {
	if (!a || !b) return undefined;
	const rows = ta ? a.at(-1)! : a.at(-2)!;
	const cols = tb ? b.at(-2)! : b.at(-1)!;
	const batch = broadcast(a.slice(0, -2), b.slice(0, -2)) ?? [];
	return [...batch, rows, cols];
}
const matMul: OpConverter = (node, ctx, inputs) => {
	const [a, b] = inputs as [Value, Value];
	const ta = boolAttr(node, 'transpose_a') || boolAttr(node, 'adj_x');
	const tb = boolAttr(node, 'transpose_b') || boolAttr(node, 'adj_y');
	let out = ctx.emit('MatMul', [transposed(ctx, node, a, ta), transposed(ctx, node, b, tb)]);
	if (node.op === '_FusedMatMul') {
		const fused = strsAttr(node, 'fused_ops');
		let next = 2;
		for (const step of fused) {
			if (step === 'BiasAdd') out = ctx.emit('Add', [out, ctx.name(inputs[next++]!)]);
			else out = activate(ctx, node, step, out, inputs[next++]);
		}
	}
	return [made(out, a.dtype, matShape(a.shape, b.shape, ta, tb))];
};

const biasAdd: OpConverter = (node, ctx, [x, bias]) => {
	if (strAttr(node, 'data_format') === 'NCHW') ctx.fail(node, 'NCHW data is not supported');
	return elementwise('Add')(node, ctx, [x!, bias!]);
};

const standalone =
	(activation: string): OpConverter =>
	(node, ctx, [x, alpha]) => {
		const { names, nchw } = sameLayout(ctx, alpha ? [x!, alpha] : [x!]);
		const out = activate(ctx, node, activation, names[0]!, alpha, nchw);
		return [made(out, x!.dtype, x!.shape, nchw)];
	};

const addN: OpConverter = (_node, ctx, inputs) => {
	const { names, nchw } = sameLayout(ctx, inputs);
	return [made(ctx.emit('Sum', names), inputs[0]!.dtype, inputs[0]!.shape, nchw)];
};

const cumsum: OpConverter = (node, ctx, [x, axis]) => {
	const attrs = [
		intA('exclusive', boolAttr(node, 'exclusive') ? 1 : 0),
		intA('reverse', boolAttr(node, 'reverse') ? 1 : 0)
	];
	const axisName = ctx.i64([constInts(ctx, node, axis, 'axis')[0]!], []);
	return [made(ctx.emit('CumSum', [ctx.name(x!), axisName], attrs), x!.dtype, x!.shape)];
};

const einsum: OpConverter = (node, ctx, inputs) => {
	const equation = strAttr(node, 'equation');
	const out = ctx.emit(
		'Einsum',
		inputs.map((v) => ctx.name(v)),
		[strA('equation', equation)]
	);
	return [made(out, inputs[0]!.dtype)];
};

const squaredDifference: OpConverter = (node, ctx, inputs) => {
	const [d] = elementwise('Sub')(node, ctx, inputs);
	return [{ ...d!, name: ctx.emit('Mul', [d!.name!, d!.name!]) }];
};

const notEqual: OpConverter = (node, ctx, inputs) => {
	const [eq] = elementwise('Equal', (a, b) => Number(a === b), 'bool')(node, ctx, inputs);
	if (eq!.data) return [{ ...eq!, data: Array.from(eq!.data, (x) => 1 - x) }];
	return [{ ...eq!, name: ctx.emit('Not', [eq!.name!]) }];
};

/** ONNX has no Atan2: atan(y / x), moved by pi into the left half-plane. */
const atan2: OpConverter = (node, ctx, inputs) => {
	const { names, nchw } = sameLayout(ctx, inputs);
	const [y, x] = names as [string, string];
	const base = ctx.emit('Atan', [ctx.emit('Div', [y, x])]);
	const zero = ctx.scalar('float32', 0);
	const turn = ctx.emit('Where', [
		ctx.emit('GreaterOrEqual', [y, zero]),
		ctx.scalar('float32', Math.PI),
		ctx.scalar('float32', -Math.PI)
	]);
	const shift = ctx.emit('Where', [ctx.emit('Less', [x, zero]), turn, zero]);
	const shape = broadcast(inputs[0]!.shape, inputs[1]!.shape);
	return [made(ctx.emit('Add', [base, shift]), 'float32', shape, nchw)];
};

const scalarOf = (v: number) => (ctx: GraphContext) => [ctx.scalar('float32', v)];

export const MATH_OPS: Record<string, OpConverter> = {
	Add: elementwise('Add', (a, b) => a + b),
	AddV2: elementwise('Add', (a, b) => a + b),
	Sub: elementwise('Sub', (a, b) => a - b),
	Mul: elementwise('Mul', (a, b) => a * b),
	RealDiv: elementwise('Div', (a, b) => a / b),
	Div: elementwise('Div', (a, b) => a / b),
	DivNoNan: elementwise('Div'),
	Maximum: elementwise('Max', Math.max),
	Minimum: elementwise('Min', Math.min),
	Pow: elementwise('Pow', Math.pow),
	FloorDiv: floorDiv,
	FloorMod: floorMod,
	SquaredDifference: squaredDifference,
	Less: elementwise('Less', (a, b) => Number(a < b), 'bool'),
	LessEqual: elementwise('LessOrEqual', (a, b) => Number(a <= b), 'bool'),
	Greater: elementwise('Greater', (a, b) => Number(a > b), 'bool'),
	GreaterEqual: elementwise('GreaterOrEqual', (a, b) => Number(a >= b), 'bool'),
	Equal: elementwise('Equal', (a, b) => Number(a === b), 'bool'),
	NotEqual: notEqual,
	LogicalAnd: elementwise('And', (a, b) => Number(a && b), 'bool'),
	LogicalOr: elementwise('Or', (a, b) => Number(a || b), 'bool'),
	LogicalNot: unary(['Not']),
	Relu: unary(['Relu']),
	Sigmoid: unary(['Sigmoid']),
	Tanh: unary(['Tanh']),
	Elu: unary(['Elu']),
	Selu: withAttrs('Selu', () => [
		floatA('alpha', 1.6732632423543772),
		floatA('gamma', 1.0507009873554805)
	]),
	Softplus: unary(['Softplus']),
	Exp: unary(['Exp']),
	Log: unary(['Log']),
	Log1p: unary(['Add', scalarOf(1)], ['Log']),
	Neg: unary(['Neg']),
	Abs: unary(['Abs']),
	Floor: unary(['Floor']),
	Ceil: unary(['Ceil']),
	Round: unary(['Round']),
	Sign: unary(['Sign']),
	Sqrt: unary(['Sqrt']),
	Rsqrt: unary(['Sqrt'], ['Reciprocal']),
	Reciprocal: unary(['Reciprocal']),
	Inv: unary(['Reciprocal']),
	Square: unary(['Mul', (_ctx, x) => [x]]),
	Sin: unary(['Sin']),
	Cos: unary(['Cos']),
	Tan: unary(['Tan']),
	Atan: unary(['Atan']),
	Atan2: atan2,
	Erf: unary(['Erf']),
	Relu6: standalone('Relu6'),
	LeakyRelu: standalone('LeakyRelu'),
	Prelu: standalone('Prelu'),
	Cast: cast,
	Sum: reduce,
	Mean: reduce,
	Max: reduce,
	Min: reduce,
	Prod: reduce,
	All: reduce,
	Any: reduce,
	Softmax: softmax,
	LogSoftmax: softmax,
	ArgMax: argReduce,
	ArgMin: argReduce,
	TopKV2: topK,
	MatMul: matMul,
	BatchMatMul: matMul,
	BatchMatMulV2: matMul,
	_FusedMatMul: matMul,
	BiasAdd: biasAdd,
	AddN: addN,
	Cumsum: cumsum,
	Einsum: einsum
};
