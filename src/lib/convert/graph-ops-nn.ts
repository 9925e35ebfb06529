/**
 * Convolution-family ops. Their outputs are NCHW (ONNX's layout), so a chain of them runs with no
 * Transposes; filters are written permuted from their stored (possibly quantized) bytes.
 */
import {
	constInts,
	intA,
	intsA,
	made,
	strA,
	TO_NCHW,
	type Attr,
	type Dim,
	type GraphContext,
	type OpConverter,
	type Value,
	strAttr,
	strsAttr
} from './graph-context';
import { activate } from './graph-ops-math';
import { intsAttr, type TfNode } from './tfjs-model';

function padding(ctx: GraphContext, node: TfNode): Attr[] {
	const mode = strAttr(node, 'padding');
	// TF's SAME puts the odd pixel at the end, which is ONNX's SAME_UPPER.
	if (mode === 'SAME') return [strA('auto_pad', 'SAME_UPPER')];
	if (mode === 'VALID') return [strA('auto_pad', 'VALID')];
	if (mode === 'EXPLICIT') {
		const p = intsAttr(node, 'explicit_paddings');
		return [intsA('pads', [p[2]!, p[4]!, p[3]!, p[5]!])];
	}
	return ctx.fail(node, `padding ${mode} is not supported`);
}

function spatial(
	ctx: GraphContext,
	node: TfNode,
	x: Value,
	k: number[],
	s: number[],
	channels: Dim
) {
	if (!x.shape) return undefined;
	const mode = strAttr(node, 'padding');
	const size = (d: Dim, i: number): Dim => {
		if (d === null) return null;
		if (mode === 'SAME') return Math.ceil(d / s[i]!);
		if (mode === 'VALID') return Math.floor((d - k[i]!) / s[i]!) + 1;
		return null;
	};
	return [x.shape[0]!, size(x.shape[1]!, 0), size(x.shape[2]!, 1), channels];
}

function checkFormat(ctx: GraphContext, node: TfNode) {
	const format = strAttr(node, 'data_format');
	if (format && format !== 'NHWC') ctx.fail(node, `data format ${format} is not supported`);
}

const conv =
	(depthwise: boolean): OpConverter =>
	(node, ctx, inputs) => {
		checkFormat(ctx, node);
		const [x, filter] = inputs as [Value, Value];
		if (!filter.data || filter.shape?.length !== 4)
			return ctx.fail(node, 'the filter must be a constant');
		const [kh, kw, inC, outC] = filter.shape as [number, number, number, number];
		// TF HWIO -> ONNX OIHW; depthwise [kh, kw, in, multiplier] -> [in * multiplier, 1, kh, kw].
		const weights = ctx.writeConstant(
			filter,
			depthwise ? { perm: [2, 3, 0, 1], dims: [inC * outC, 1, kh, kw] } : { perm: [3, 2, 0, 1] },
			'w'
		);
		const names = [ctx.nchwName(x), weights];
		const fused = strsAttr(node, 'fused_ops');
		let next = 2;
		if (fused[0] === 'BiasAdd') names.push(ctx.name(inputs[next++]!));
		else if (fused.length > 0) ctx.fail(node, `fused ops ${fused.join(', ')} are not supported`);
		const strides = intsAttr(node, 'strides');
		const dilations = intsAttr(node, 'dilations');
		const s = [strides[1] ?? 1, strides[2] ?? 1];
		const d = [dilations[1] ?? 1, dilations[2] ?? 1];
		const attrs: Attr[] = [
			intsA('kernel_shape', [kh, kw]),
			intsA('strides', s),
			intsA('dilations', d),
			...padding(ctx, node)
		];
		if (depthwise) attrs.push(intA('group', inC));
		let out = ctx.emit('Conv', names, attrs);
		for (const activation of fused.slice(1))
			out = activate(ctx, node, activation, out, inputs[next++], true);
		const k = [(kh - 1) * d[0]! + 1, (kw - 1) * d[1]! + 1];
		return [made(out, 'float32', spatial(ctx, node, x, k, s, depthwise ? inC * outC : outC), true)];
	};

const pool: OpConverter = (node, ctx, [x]) => {
	checkFormat(ctx, node);
	const ksize = intsAttr(node, 'ksize');
	const strides = intsAttr(node, 'strides');
	const k = [ksize[1]!, ksize[2]!];
	const s = [strides[1]!, strides[2]!];
	const attrs = [intsA('kernel_shape', k), intsA('strides', s), ...padding(ctx, node)];
	const out = ctx.emit(
		node.op === 'MaxPool' ? 'MaxPool' : 'AveragePool',
		[ctx.nchwName(x!)],
		attrs
	);
	return [made(out, 'float32', spatial(ctx, node, x!, k, s, x!.shape?.[3] ?? null), true)];
};

const pad: OpConverter = (node, ctx, [x, paddings, value]) => {
	if (!paddings?.data) return ctx.fail(node, 'the paddings must be constant');
	const p = Array.from(paddings.data);
	const rank = p.length / 2;
	const nchw = x!.nchw && rank === 4;
	const order = nchw ? TO_NCHW : [...Array(rank).keys()];
	const pads = [...order.map((a) => p[a * 2]!), ...order.map((a) => p[a * 2 + 1]!)];
	const names = [nchw ? x!.name! : ctx.name(x!), ctx.i64(pads)];
	const attrs: Attr[] = [];
	if (node.op === 'MirrorPad') {
		const mode = strAttr(node, 'mode');
		if (mode !== 'REFLECT') return ctx.fail(node, `mirror mode ${mode} is not supported`);
		attrs.push(strA('mode', 'reflect'));
	} else if (value) names.push(ctx.name(value));
	const shape = x!.shape?.map((d, a) => (d === null ? null : d + p[a * 2]! + p[a * 2 + 1]!));
	return [made(ctx.emit('Pad', names, attrs), x!.dtype, shape, nchw)];
};

const resize: OpConverter = (node, ctx, [x, size]) => {
	const alignCorners = node.attr.align_corners?.b === true;
	const halfPixel = node.attr.half_pixel_centers?.b === true;
	const bilinear = node.op === 'ResizeBilinear';
	const attrs = [
		strA('mode', bilinear ? 'linear' : 'nearest'),
		strA(
			'coordinate_transformation_mode',
			alignCorners
				? 'align_corners'
				: halfPixel
					? bilinear
						? 'half_pixel'
						: 'tf_half_pixel_for_nn'
					: 'asymmetric'
		),
		intsA('axes', [2, 3])
	];
	if (!bilinear) attrs.push(strA('nearest_mode', alignCorners ? 'round_prefer_ceil' : 'floor'));
	const out = ctx.emit('Resize', [ctx.nchwName(x!), '', '', ctx.name(size!)], attrs);
	const hw = size!.data ? Array.from(size!.data) : [null, null];
	const shape = x!.shape ? [x!.shape[0]!, hw[0]!, hw[1]!, x!.shape[3]!] : undefined;
	return [made(out, 'float32', shape, true)];
};

/** Inference batch norm folds into a per-channel scale and shift. */
const batchNorm: OpConverter = (node, ctx, [x, scale, offset, mean, variance]) => {
	const all = [scale, offset, mean, variance];
	if (!all.every((v) => v?.data)) return ctx.fail(node, 'its statistics must be constants');
	const epsilon = node.attr.epsilon?.f ?? 0.001;
	const [g, b, m, v] = all.map((t) => Array.from(t!.data!));
	const mul = g!.map((gi, i) => gi / Math.sqrt(v![i]! + epsilon));
	const add = b!.map((bi, i) => bi - m![i]! * mul[i]!);
	const c = mul.length;
	const nchw = x!.nchw || x!.shape?.length === 4;
	const dims = nchw ? [c, 1, 1] : [c];
	const input = nchw ? ctx.nchwName(x!) : ctx.name(x!);
	const scaled = ctx.emit('Mul', [input, ctx.data('float32', dims, mul)]);
	const out = ctx.emit('Add', [scaled, ctx.data('float32', dims, add)]);
	return [made(out, 'float32', x!.shape, nchw)];
};

const depthSpace: OpConverter = (node, ctx, [x]) => {
	checkFormat(ctx, node);
	const block = Number(node.attr.block_size?.i ?? 2);
	const toSpace = node.op === 'DepthToSpace';
	// TF's NHWC depth_to_space orders channels as ONNX's DCR mode does.
	const attrs = [intA('blocksize', block)];
	if (toSpace) attrs.push(strA('mode', 'DCR'));
	const out = ctx.emit(toSpace ? 'DepthToSpace' : 'SpaceToDepth', [ctx.nchwName(x!)], attrs);
	const f = (d: Dim, by: number) => (d === null ? null : d * by);
	const [space, depth] = toSpace ? [block, 1 / (block * block)] : [1 / block, block * block];
	const shape = x!.shape
		? [x!.shape[0]!, f(x!.shape[1]!, space), f(x!.shape[2]!, space), f(x!.shape[3]!, depth)]
		: undefined;
	return [made(out, 'float32', shape, true)];
};

/** The transpose of a convolution: explicit pads that crop as TF's SAME/VALID does. */
const convTranspose: OpConverter = (node, ctx, [sizes, filter, x]) => {
	checkFormat(ctx, node);
	const out = constInts(ctx, node, sizes, 'output size');
	if (!filter!.data || filter!.shape?.length !== 4)
		return ctx.fail(node, 'the filter must be a constant');
	const [kh, kw, outC] = filter!.shape as number[];
	const inH = x!.shape?.[1];
	const inW = x!.shape?.[2];
	if (inH == null || inW == null) return ctx.fail(node, 'its input needs a known height and width');
	const strides = intsAttr(node, 'strides');
	const dilations = intsAttr(node, 'dilations');
	const s = [strides[1] ?? 1, strides[2] ?? 1];
	const d = [dilations[1] ?? 1, dilations[2] ?? 1];
	const same = strAttr(node, 'padding') === 'SAME';
	const begin: number[] = [];
	const end: number[] = [];
	const extra: number[] = [];
	[inH, inW].forEach((size, i) => {
		const total = s[i]! * (size - 1) + (([kh, kw][i]! - 1) * d[i]! + 1) - out[i + 1]!;
		const start = same ? Math.max(0, Math.floor(total / 2)) : 0;
		begin.push(start);
		end.push(Math.max(0, total) - start);
		extra.push(Math.max(0, -total));
	});
	const weights = ctx.writeConstant(filter!, { perm: [3, 2, 0, 1] }, 'w');
	const attrs = [
		intsA('kernel_shape', [kh!, kw!]),
		intsA('strides', s),
		intsA('dilations', d),
		intsA('pads', [...begin, ...end]),
		intsA('output_padding', extra)
	];
	const name = ctx.emit('ConvTranspose', [ctx.nchwName(x!), weights], attrs);
	return [made(name, 'float32', [out[0]!, out[1]!, out[2]!, outC!], true)];
};

export const NN_OPS: Record<string, OpConverter> = {
	Conv2D: conv(false),
	_FusedConv2D: conv(false),
	DepthwiseConv2dNative: conv(true),
	FusedDepthwiseConv2dNative: conv(true),
	MaxPool: pool,
	AvgPool: pool,
	Pad: pad,
	PadV2: pad,
	MirrorPad: pad,
	ResizeBilinear: resize,
	ResizeNearestNeighbor: resize,
	FusedBatchNorm: batchNorm,
	FusedBatchNormV3: batchNorm,
	Conv2DBackpropInput: convTranspose,
	DepthToSpace: depthSpace,
	SpaceToDepth: depthSpace
};
