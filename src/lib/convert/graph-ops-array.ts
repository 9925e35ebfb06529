/**
 * Shape and data-movement ops (indexing is in graph-ops-index.ts). These run in TF's own layout (an NCHW input is
 * transposed back first), except Concat, Split, Transpose and Shape, which remap their axes.
 * Integer inputs are small shape vectors more often than not, so most ops fold when they can.
 */
import {
	constInts,
	elementCount,
	intA,
	intAttr,
	intsA,
	known,
	made,
	NCHW_AXIS,
	reshaped,
	staticShape,
	tfDtypeOf,
	type Dim,
	type OpConverter,
	type Value
} from './graph-context';
import { foldable, foldConcat } from './graph-fold';
import { intsAttr } from './tfjs-model';

export const norm = (axis: number, rank: number | undefined) =>
	rank === undefined || axis >= 0 ? axis : axis + rank;

export const shapeFrom = (v: Value): Dim[] | undefined =>
	v.data
		? Array.from(v.data)
		: v.shape?.[0] != null
			? new Array<Dim>(v.shape[0]).fill(null)
			: undefined;

const identity: OpConverter = (_node, _ctx, inputs) => inputs;

const reshape: OpConverter = (node, ctx, [x, shapeValue]) => {
	const target = shapeValue!.data ? Array.from(shapeValue!.data) : undefined;
	const known_ = staticShape(x!);
	let shape: Dim[] | undefined = target?.map((d) => (d < 0 ? null : d));
	if (shape && known_ && target!.includes(-1)) {
		const rest = elementCount(target!.filter((d) => d >= 0));
		shape = target!.map((d) => (d < 0 ? elementCount(known_) / rest : d));
	}
	if (!shape && shapeValue!.shape?.[0] != null)
		shape = new Array<Dim>(shapeValue!.shape[0]).fill(null);
	if (x!.data && shape?.every((d) => d !== null)) return [reshaped(x!, shape as number[])];
	const out = ctx.emit('Reshape', [ctx.name(x!), ctx.name(shapeValue!)]);
	return [made(out, x!.dtype, shape)];
};

const expandDims: OpConverter = (node, ctx, [x, axisValue]) => {
	const rank = x!.shape?.length;
	const axis = norm(
		constInts(ctx, node, axisValue, 'axis')[0]!,
		rank === undefined ? undefined : rank + 1
	);
	const shape = x!.shape ? [...x!.shape] : undefined;
	shape?.splice(axis, 0, 1);
	if (x!.data && shape?.every((d) => d !== null)) return [reshaped(x!, shape as number[])];
	return [made(ctx.emit('Unsqueeze', [ctx.name(x!), ctx.i64([axis])]), x!.dtype, shape)];
};

const squeeze: OpConverter = (node, ctx, [x]) => {
	const rank = x!.shape?.length;
	const axes = intsAttr(node, 'squeeze_dims').map((a) => norm(a, rank));
	if (axes.length === 0 && !staticShape(x!))
		ctx.fail(node, 'squeezing every size-1 axis needs a known shape');
	const drop = axes.length > 0 ? axes : x!.shape!.flatMap((d, a) => (d === 1 ? [a] : []));
	const shape = x!.shape?.filter((_, a) => !drop.includes(a));
	if (x!.data && shape?.every((d) => d !== null)) return [reshaped(x!, shape as number[])];
	return [made(ctx.emit('Squeeze', [ctx.name(x!), ctx.i64(drop)]), x!.dtype, shape)];
};

const transpose: OpConverter = (node, ctx, [x, permValue]) => {
	const perm = constInts(ctx, node, permValue, 'permutation');
	const shape = x!.shape ? perm.map((a) => x!.shape![a]!) : undefined;
	// An NCHW input is permuted straight from NCHW: output axis i is NHWC axis perm[i].
	const onnxPerm = x!.nchw ? perm.map((a) => NCHW_AXIS[a]!) : perm;
	const out = ctx.emit('Transpose', [x!.nchw ? x!.name! : ctx.name(x!)], [intsA('perm', onnxPerm)]);
	return [made(out, x!.dtype, shape)];
};

const concat: OpConverter = (node, ctx, inputs) => {
	const values = inputs.slice(0, -1);
	const rank = values.find((v) => v.shape)?.shape?.length;
	const axis = norm(constInts(ctx, node, inputs.at(-1), 'axis')[0]!, rank);
	if (foldable(values, values[0]!.dtype)) return [foldConcat(values, axis)];
	const nchw = values.some((v) => v.nchw) && values.every((v) => v.shape?.length === 4);
	const names = values.map((v) => (nchw ? ctx.nchwName(v) : ctx.name(v)));
	const shape = values[0]!.shape?.map((d, a) =>
		a === axis
			? values.reduce<Dim>(
					(s, v) => (s === null || v.shape?.[a] == null ? null : s + v.shape[a]!),
					0
				)
			: d
	);
	const out = ctx.emit('Concat', names, [intA('axis', nchw ? NCHW_AXIS[axis]! : axis)]);
	return [made(out, values[0]!.dtype, shape, nchw)];
};

const pack: OpConverter = (node, ctx, inputs) => {
	const rank = inputs[0]!.shape?.length;
	const axis = norm(intAttr(node, 'axis'), rank === undefined ? undefined : rank + 1);
	const shape = inputs[0]!.shape ? [...inputs[0]!.shape] : undefined;
	shape?.splice(axis, 0, inputs.length);
	if (foldable(inputs, inputs[0]!.dtype) && axis === 0)
		return [
			known(
				inputs[0]!.dtype,
				shape as number[],
				inputs.flatMap((v) => Array.from(v.data!))
			)
		];
	const parts = inputs.map((v) => ctx.emit('Unsqueeze', [ctx.name(v), ctx.i64([axis])]));
	return [made(ctx.emit('Concat', parts, [intA('axis', axis)]), inputs[0]!.dtype, shape)];
};

const unpack: OpConverter = (node, ctx, [x]) => {
	const rank = x!.shape?.length;
	const axis = norm(intAttr(node, 'axis'), rank);
	const count = intAttr(node, 'num', 1);
	const shape = x!.shape?.filter((_, a) => a !== axis);
	const parts =
		count === 1 ? [ctx.name(x!)] : Array.from({ length: count }, () => ctx.fresh('part'));
	if (count > 1)
		ctx.emit('Split', [ctx.name(x!)], [intA('axis', axis), intA('num_outputs', count)], parts);
	return parts.map((p) => made(ctx.emit('Squeeze', [p, ctx.i64([axis])]), x!.dtype, shape));
};

function splitInto(
	ctx: Parameters<OpConverter>[1],
	x: Value,
	axis: number,
	sizes: number[]
): Value[] {
	const nchw = x.nchw && x.shape?.length === 4;
	const parts = sizes.map(() => ctx.fresh('split'));
	ctx.emit(
		'Split',
		[nchw ? x.name! : ctx.name(x), ctx.i64(sizes)],
		[intA('axis', nchw ? NCHW_AXIS[axis]! : axis)],
		parts
	);
	return parts.map((p, i) =>
		made(
			p,
			x.dtype,
			x.shape?.map((d, a) => (a === axis ? sizes[i]! : d)),
			nchw
		)
	);
}
const split: OpConverter = (node, ctx, [axisValue, x]) => {
	const axis = norm(constInts(ctx, node, axisValue, 'axis')[0]!, x!.shape?.length);
	const count = intAttr(node, 'num_split', 1);
	const size = x!.shape?.[axis];
	if (size == null) return ctx.fail(node, 'the split axis needs a known size');
	return splitInto(ctx, x!, axis, new Array<number>(count).fill(size / count));
};
const splitV: OpConverter = (node, ctx, [x, sizesValue, axisValue]) => {
	const axis = norm(constInts(ctx, node, axisValue, 'axis')[0]!, x!.shape?.length);
	const sizes = constInts(ctx, node, sizesValue, 'split sizes');
	const open = sizes.indexOf(-1);
	if (open >= 0) {
		const size = x!.shape?.[axis];
		if (size == null) return ctx.fail(node, 'a -1 split size needs a known axis size');
		sizes[open] = size - sizes.reduce((s, d) => (d < 0 ? s : s + d), 0);
	}
	return splitInto(ctx, x!, axis, sizes);
};

const shapeOp: OpConverter = (node, ctx, [x]) => {
	const dtype = tfDtypeOf(node.attr.out_type?.type) ?? 'int32';
	const dims = staticShape(x!);
	if (dims) return [known(dtype, [dims.length], dims)];
	let out = ctx.emit('Shape', [x!.nchw ? x!.name! : ctx.name(x!)]);
	if (x!.nchw) out = ctx.emit('Gather', [out, ctx.i64([0, 2, 3, 1])], [intA('axis', 0)]);
	return [made(out, dtype, [x!.shape?.length ?? null])];
};
const size: OpConverter = (_node, ctx, [x]) => {
	const dims = staticShape(x!);
	if (dims) return [known('int32', [], [elementCount(dims)])];
	const out = ctx.emit('ReduceProd', [ctx.emit('Shape', [ctx.name(x!)])], [intA('keepdims', 0)]);
	return [made(out, 'int32', [])];
};
const rankOp: OpConverter = (node, ctx, [x]) => {
	if (!x!.shape) return ctx.fail(node, 'the rank of its input is unknown');
	return [known('int32', [], [x!.shape.length])];
};

const fill: OpConverter = (_node, ctx, [dims, value]) => {
	const shape = shapeFrom(dims!);
	return [made(ctx.emit('Expand', [ctx.name(value!), ctx.name(dims!)]), value!.dtype, shape)];
};
const likeOp =
	(fillValue: number): OpConverter =>
	(_node, ctx, [x]) => {
		const shape = ctx.emit('Shape', [x!.nchw ? x!.name! : ctx.name(x!)]);
		const out = ctx.emit('Expand', [ctx.scalar(x!.dtype, fillValue), shape]);
		return [made(out, x!.dtype, x!.shape, x!.nchw)];
	};

const range: OpConverter = (node, ctx, inputs) => {
	const [start, limit, delta] = inputs as [Value, Value, Value];
	if (foldable(inputs, start.dtype)) {
		const [s, l, d] = inputs.map((v) => Number(v.data![0]));
		const n = Math.max(0, Math.ceil((l! - s!) / d!));
		if (n <= 4096)
			return [
				known(
					start.dtype,
					[n],
					Array.from({ length: n }, (_, i) => s! + i * d!)
				)
			];
	}
	return [
		made(
			ctx.emit(
				'Range',
				inputs.map((v) => ctx.name(v))
			),
			start.dtype,
			[null]
		)
	];
};

const tile: OpConverter = (node, ctx, [x, multiples]) => {
	const times = multiples!.data ? Array.from(multiples!.data) : undefined;
	const nchw = x!.nchw && times !== undefined;
	const reps = nchw ? ctx.i64([0, 3, 1, 2].map((a) => times![a]!)) : ctx.name(multiples!);
	const shape = x!.shape?.map((d, a) => (d === null || !times ? null : d * times[a]!));
	return [made(ctx.emit('Tile', [nchw ? x!.name! : ctx.name(x!), reps]), x!.dtype, shape, nchw)];
};

const broadcastTo: OpConverter = (_node, ctx, [x, shapeValue]) => [
	made(ctx.emit('Expand', [ctx.name(x!), ctx.name(shapeValue!)]), x!.dtype, shapeFrom(shapeValue!))
];

export const ARRAY_OPS: Record<string, OpConverter> = {
	Identity: identity,
	IdentityN: identity,
	StopGradient: identity,
	Snapshot: identity,
	Reshape: reshape,
	ExpandDims: expandDims,
	Squeeze: squeeze,
	Transpose: transpose,
	ConcatV2: concat,
	Pack: pack,
	Unpack: unpack,
	Split: split,
	SplitV: splitV,
	Shape: shapeOp,
	Size: size,
	Rank: rankOp,
	Fill: fill,
	ZerosLike: likeOp(0),
	OnesLike: likeOp(1),
	Range: range,
	Tile: tile,
	BroadcastTo: broadcastTo
};
