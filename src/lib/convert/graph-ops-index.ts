/**
 * Slicing, gathering and scattering ops, in TF's own layout. StridedSlice's masks become one
 * ONNX Slice plus Squeeze/Unsqueeze; scatters start from zeros (or the default value).
 */
import {
	BIG,
	constInts,
	intA,
	intAttr,
	intsA,
	known,
	made,
	onnxElem,
	strA,
	tensorA,
	type Dim,
	type OpConverter,
	type Value
} from './graph-context';
import { foldable, foldGather, foldSlice1d } from './graph-fold';
import { norm, shapeFrom } from './graph-ops-array';

/** ONNX Slice over the listed axes, then squeeze and new axes, all from constant specs. */
const stridedSlice: OpConverter = (node, ctx, [x, beginV, endV, stridesV]) => {
	const begin = constInts(ctx, node, beginV, 'begin');
	const end = constInts(ctx, node, endV, 'end');
	const strides = constInts(ctx, node, stridesV, 'strides');
	const [beginMask, endMask, ellipsisMask, newAxisMask, shrinkMask] = [
		'begin_mask',
		'end_mask',
		'ellipsis_mask',
		'new_axis_mask',
		'shrink_axis_mask'
	].map((name) => intAttr(node, name)) as [number, number, number, number, number];
	const rank = x!.shape?.length;
	if (ellipsisMask && rank === undefined) ctx.fail(node, 'an ellipsis needs a known rank');
	const starts: number[] = [];
	const ends: number[] = [];
	const axes: number[] = [];
	const steps: number[] = [];
	const shrink: number[] = [];
	// What each output position is: an input axis kept, or a new axis.
	const sequence: ('kept' | 'new' | 'shrunk')[] = [];
	let axis = 0;
	const specAxes =
		begin.length - [...Array(begin.length).keys()].filter((i) => newAxisMask & (1 << i)).length;
	for (let i = 0; i < begin.length; i++) {
		const bit = 1 << i;
		if (ellipsisMask & bit) {
			const covered = rank! - (specAxes - 1);
			for (let k = 0; k < covered; k++) (sequence.push('kept'), axis++);
			continue;
		}
		if (newAxisMask & bit) {
			sequence.push('new');
			continue;
		}
		const step = strides[i] ?? 1;
		let start = beginMask & bit ? (step > 0 ? 0 : -1) : begin[i]!;
		let stop = endMask & bit ? (step > 0 ? BIG : -BIG) : end[i]!;
		if (shrinkMask & bit) {
			start = begin[i]!;
			stop = start === -1 ? BIG : start + 1;
			shrink.push(axis);
			sequence.push('shrunk');
		} else sequence.push('kept');
		if (!(start === 0 && stop === BIG && step === 1)) {
			starts.push(start);
			ends.push(stop);
			axes.push(axis);
			steps.push(step);
		}
		axis++;
	}
	const newAxes = sequence
		.filter((s) => s !== 'shrunk')
		.flatMap((s, i) => (s === 'new' ? [i] : []));
	// Shape vectors fold: one axis, known data.
	if (x!.data && x!.shape?.length === 1 && newAxes.length === 0) {
		const n = x!.shape[0]!;
		const clamp = (v: number, step: number) => {
			const w = v < 0 ? v + n : v;
			return step > 0 ? Math.min(Math.max(w, 0), n) : Math.min(Math.max(w, -1), n - 1);
		};
		const step = steps[0] ?? 1;
		const sliced = axes.length
			? foldSlice1d(x!, clamp(starts[0]!, step), clamp(ends[0]!, step), step)
			: known(x!.dtype, [n], x!.data);
		return [shrink.length ? known(x!.dtype, [], sliced.data!) : sliced];
	}
	let out = ctx.name(x!);
	if (axes.length > 0)
		out = ctx.emit('Slice', [out, ctx.i64(starts), ctx.i64(ends), ctx.i64(axes), ctx.i64(steps)]);
	if (shrink.length > 0) out = ctx.emit('Squeeze', [out, ctx.i64(shrink)]);
	if (newAxes.length > 0) out = ctx.emit('Unsqueeze', [out, ctx.i64(newAxes)]);
	let shape: Dim[] | undefined;
	if (rank !== undefined) {
		const dims: Dim[] = x!.shape!.map((d, a) => {
			const k = axes.indexOf(a);
			if (k < 0 || d === null) return d;
			const clamp = (v: number) =>
				Math.min(Math.max(v < 0 ? v + d : v, steps[k]! > 0 ? 0 : -1), steps[k]! > 0 ? d : d - 1);
			const span = clamp(ends[k]!) - clamp(starts[k]!);
			return Math.max(0, Math.ceil(span / steps[k]!));
		});
		const kept = dims.filter((_, a) => !shrink.includes(a));
		shape = [];
		let next = 0;
		for (const s of sequence.filter((s) => s !== 'shrunk'))
			shape.push(s === 'new' ? 1 : kept[next++]!);
		while (next < kept.length) shape.push(kept[next++]!);
	}
	return [made(out, x!.dtype, shape)];
};

const slice: OpConverter = (node, ctx, [x, beginV, sizeV]) => {
	const begin = constInts(ctx, node, beginV, 'begin');
	const size = constInts(ctx, node, sizeV, 'size');
	const ends = size.map((s, i) => (s < 0 ? BIG : begin[i]! + s));
	if (x!.data && x!.shape?.length === 1)
		return [foldSlice1d(x!, begin[0]!, Math.min(ends[0]!, x!.shape[0]!), 1)];
	const axes = begin.map((_, i) => i);
	const out = ctx.emit('Slice', [ctx.name(x!), ctx.i64(begin), ctx.i64(ends), ctx.i64(axes)]);
	const shape = x!.shape?.map((d, a) =>
		size[a]! >= 0 ? size[a]! : d === null ? null : d - begin[a]!
	);
	return [made(out, x!.dtype, shape)];
};

const gather: OpConverter = (node, ctx, [params, indices, axisValue]) => {
	const rank = params!.shape?.length;
	const axis = axisValue ? norm(constInts(ctx, node, axisValue, 'axis')[0]!, rank) : 0;
	if (intAttr(node, 'batch_dims') !== 0) ctx.fail(node, 'batch_dims is not supported');
	if (axis === 0 && foldable([params, indices], params!.dtype))
		return [foldGather(params!, indices!)];
	const shape =
		params!.shape && indices!.shape
			? [...params!.shape.slice(0, axis), ...indices!.shape, ...params!.shape.slice(axis + 1)]
			: undefined;
	const out = ctx.emit('Gather', [ctx.name(params!), ctx.name(indices!)], [intA('axis', axis)]);
	return [made(out, params!.dtype, shape)];
};

const gatherNd: OpConverter = (_node, ctx, [params, indices]) => {
	const depth = indices!.shape?.at(-1);
	const shape =
		params!.shape && indices!.shape && depth != null
			? [...indices!.shape.slice(0, -1), ...params!.shape.slice(depth)]
			: undefined;
	const out = ctx.emit('GatherND', [ctx.name(params!), ctx.name(indices!)]);
	return [made(out, params!.dtype, shape)];
};

const zerosOf = (ctx: Parameters<OpConverter>[1], dtype: Value['dtype'], shapeName: string) =>
	ctx.emit(
		'ConstantOfShape',
		[shapeName],
		[
			tensorA('value', {
				name: 'value',
				dims: [1],
				dataType: onnxElem(dtype),
				rawData: new Uint8Array(dtype === 'bool' ? 1 : dtype === 'float32' ? 4 : 8)
			})
		]
	);
/** TF sums duplicate indices into zeros; ONNX ScatterND's "add" reduction does the same. */
const scatterNd: OpConverter = (_node, ctx, [indices, updates, shapeValue]) => {
	const zeros = zerosOf(ctx, updates!.dtype, ctx.name(shapeValue!));
	const out = ctx.emit(
		'ScatterND',
		[zeros, ctx.name(indices!), ctx.name(updates!)],
		[strA('reduction', 'add')]
	);
	return [made(out, updates!.dtype, shapeFrom(shapeValue!))];
};

const sparseToDense: OpConverter = (_node, ctx, [indices, shapeValue, values, fallback]) => {
	const dense = ctx.emit('Expand', [ctx.name(fallback!), ctx.name(shapeValue!)]);
	let index = ctx.name(indices!);
	if (indices!.shape?.length === 1) index = ctx.emit('Unsqueeze', [index, ctx.i64([1])]);
	let update = ctx.name(values!);
	if (values!.shape?.length === 0) {
		const count = ctx.emit('Slice', [ctx.emit('Shape', [index]), ctx.i64([0]), ctx.i64([1])]);
		update = ctx.emit('Expand', [update, count]);
	}
	return [
		made(ctx.emit('ScatterND', [dense, index, update]), values!.dtype, shapeFrom(shapeValue!))
	];
};

const where: OpConverter = (_node, ctx, [x]) => {
	const out = ctx.emit('Transpose', [ctx.emit('NonZero', [ctx.name(x!)])], [intsA('perm', [1, 0])]);
	return [made(out, 'int64', [null, x!.shape?.length ?? null])];
};

const select: OpConverter = (node, ctx, [cond, a, b]) => {
	let c = ctx.name(cond!);
	const rank = a!.shape?.length;
	// Select (v1) with a vector condition picks whole rows.
	if (node.op === 'Select' && cond!.shape?.length === 1 && rank !== undefined && rank > 1)
		c = ctx.emit('Unsqueeze', [c, ctx.i64([...Array(rank - 1).keys()].map((k) => k + 1))]);
	return [made(ctx.emit('Where', [c, ctx.name(a!), ctx.name(b!)]), a!.dtype, a!.shape)];
};

const oneHot: OpConverter = (node, ctx, [indices, depth, on, off]) => {
	const pair = ctx.emit(
		'Concat',
		[
			ctx.emit('Reshape', [ctx.name(off!), ctx.i64([1])]),
			ctx.emit('Reshape', [ctx.name(on!), ctx.i64([1])])
		],
		[intA('axis', 0)]
	);
	const out = ctx.emit(
		'OneHot',
		[ctx.name(indices!), ctx.name(depth!), pair],
		[intA('axis', intAttr(node, 'axis', -1))]
	);
	return [made(out, on!.dtype)];
};

export const INDEX_OPS: Record<string, OpConverter> = {
	StridedSlice: stridedSlice,
	Slice: slice,
	GatherV2: gather,
	Gather: gather,
	GatherNd: gatherNd,
	ScatterNd: scatterNd,
	SparseToDense: sparseToDense,
	Where: where,
	Select: select,
	SelectV2: select,
	OneHot: oneHot
};
