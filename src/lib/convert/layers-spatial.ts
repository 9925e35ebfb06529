/**
 * Converters for the spatial layers: convolutions, pools, padding and upsampling. Their inputs go
 * NCHW (ONNX's layout for these ops) and their outputs stay so.
 */
import { intA, intsA, strA, type Attr, type Converted } from './layers-emitter';
import { activate, bias, pair, type LayerContext, type LayerConverter } from './layers-common';

export function channelsLast(ctx: LayerContext): void {
	const format = ctx.config.data_format;
	if (format !== undefined && format !== null && format !== 'channels_last')
		ctx.fail(`data_format "${String(format)}" is not supported (only channels_last)`);
}

function spatialInput(ctx: LayerContext, input: Converted): void {
	if (input.shape.length !== 3)
		ctx.fail(`it needs a 4-D input, not rank ${input.shape.length + 1}`);
}

/** TF's SAME puts the odd pixel at the end, which is ONNX's SAME_UPPER. */
function paddingAttr(ctx: LayerContext): Attr {
	const padding = ctx.config.padding ?? 'valid';
	if (padding === 'same') return strA('auto_pad', 'SAME_UPPER');
	if (padding === 'valid') return strA('auto_pad', 'VALID');
	return ctx.fail(`padding "${String(padding)}" is not supported`);
}

function windowed(
	ctx: LayerContext,
	size: number | null,
	kernel: number,
	stride: number,
	dilation = 1
) {
	if (size === null) return null;
	if (ctx.config.padding === 'same') return Math.ceil(size / stride);
	return Math.floor((size - (kernel - 1) * dilation - 1) / stride) + 1;
}

/** Conv2D, DepthwiseConv2D and SeparableConv2D. */
export function convolution(kind: 'conv' | 'depthwise' | 'separable'): LayerConverter {
	return (ctx, [input]) => {
		channelsLast(ctx);
		spatialInput(ctx, input!);
		const g = ctx.g;
		const [sh, sw] = pair(ctx.config.strides, 1);
		const [dh, dw] = pair(ctx.config.dilation_rate, 1);
		const groups = Number(ctx.config.groups ?? 1);
		if (groups !== 1) ctx.fail('grouped convolutions are not supported');
		const x = g.nchw(input!);
		let out: string;
		let channels: number;
		if (kind === 'conv') {
			const kernel = ctx.weight('kernel');
			const [kh, kw, inC, outC] = kernel.shape as [number, number, number, number];
			// HWIO -> OIHW.
			const w = g.weight(`${ctx.name}/kernel`, kernel, [3, 2, 0, 1], [outC, inC, kh, kw]);
			const inputs = [x, w];
			if (ctx.config.use_bias !== false) inputs.push(bias(ctx));
			out = g.emit('Conv', inputs, convAttrs(ctx, input!, [kh, kw, sh, sw, dh, dw]));
			channels = outC;
		} else {
			const depthwise = ctx.weight('depthwise_kernel');
			const [kh, kw, inC, multiplier] = depthwise.shape as [number, number, number, number];
			// [kh, kw, in, multiplier] -> [in * multiplier, 1, kh, kw], one group per input channel.
			const w = g.weight(
				`${ctx.name}/depthwise_kernel`,
				depthwise,
				[2, 3, 0, 1],
				[inC * multiplier, 1, kh, kw]
			);
			const inputs = [x, w];
			const separable = kind === 'separable';
			if (!separable && ctx.config.use_bias !== false) inputs.push(bias(ctx));
			const attrs = [...convAttrs(ctx, input!, [kh, kw, sh, sw, dh, dw]), intA('group', inC)];
			out = g.emit('Conv', inputs, attrs);
			channels = inC * multiplier;
			if (separable) {
				const pointwise = ctx.weight('pointwise_kernel');
				const outC = pointwise.shape[3]!;
				const pw = g.weight(
					`${ctx.name}/pointwise_kernel`,
					pointwise,
					[3, 2, 0, 1],
					[outC, channels, 1, 1]
				);
				const pointInputs = [out, pw];
				if (ctx.config.use_bias !== false) pointInputs.push(bias(ctx));
				out = g.emit('Conv', pointInputs, [intsA('kernel_shape', [1, 1])]);
				channels = outC;
			}
		}
		const [kh, kw] = kernelSize(ctx);
		const shape = [
			windowed(ctx, input!.shape[0]!, kh, sh, dh),
			windowed(ctx, input!.shape[1]!, kw, sw, dw),
			channels
		];
		return activate(ctx, { name: out, shape, nchw: true });
	};
}

function kernelSize(ctx: LayerContext): [number, number] {
	return pair(ctx.config.kernel_size, 1);
}

function convAttrs(
	ctx: LayerContext,
	input: Converted,
	[kh, kw, sh, sw, dh, dw]: number[]
): Attr[] {
	const attrs = [
		intsA('kernel_shape', [kh!, kw!]),
		intsA('strides', [sh!, sw!]),
		intsA('dilations', [dh!, dw!])
	];
	if (ctx.config.padding !== 'same' || (dh === 1 && dw === 1)) return [...attrs, paddingAttr(ctx)];
	// ORT has no SAME auto-padding with dilation, so TF's SAME pads are written out.
	const [height, width] = input.shape;
	if (height == null || width == null)
		ctx.fail('dilated SAME convolutions need a fixed input size');
	const pad = (size: number, k: number, s: number, d: number) => {
		const total = Math.max((Math.ceil(size / s) - 1) * s + (k - 1) * d + 1 - size, 0);
		return [Math.floor(total / 2), total - Math.floor(total / 2)];
	};
	const [top, bottom] = pad(height, kh!, sh!, dh!);
	const [left, right] = pad(width, kw!, sw!, dw!);
	return [...attrs, intsA('pads', [top!, left!, bottom!, right!])];
}

export function pooling(op: 'MaxPool' | 'AveragePool'): LayerConverter {
	return (ctx, [input]) => {
		channelsLast(ctx);
		spatialInput(ctx, input!);
		const [ph, pw] = pair(ctx.config.pool_size, 2);
		const [sh, sw] = ctx.config.strides ? pair(ctx.config.strides, 1) : [ph, pw];
		// TF's averages leave padding out of the count, ONNX's default (count_include_pad 0).
		const attrs = [intsA('kernel_shape', [ph, pw]), intsA('strides', [sh, sw]), paddingAttr(ctx)];
		const out = ctx.g.emit(op, [ctx.g.nchw(input!)], attrs);
		const shape = [
			windowed(ctx, input!.shape[0]!, ph, sh),
			windowed(ctx, input!.shape[1]!, pw, sw),
			input!.shape[2]!
		];
		return { name: out, shape, nchw: true };
	};
}

export function globalPooling(op: 'GlobalAveragePool' | 'GlobalMaxPool'): LayerConverter {
	return (ctx, [input]) => {
		channelsLast(ctx);
		spatialInput(ctx, input!);
		const pooled = ctx.g.emit(op, [ctx.g.nchw(input!)]);
		const channels = input!.shape[2]!;
		if (ctx.config.keepdims === true) return { name: pooled, shape: [1, 1, channels], nchw: true };
		return {
			name: ctx.g.emit('Flatten', [pooled], [intA('axis', 1)]),
			shape: [channels],
			nchw: false
		};
	};
}

export const zeroPadding: LayerConverter = (ctx, [input]) => {
	channelsLast(ctx);
	spatialInput(ctx, input!);
	const padding = ctx.config.padding ?? 1;
	const [top, bottom, left, right] =
		Array.isArray(padding) && Array.isArray(padding[0])
			? [...pair(padding[0], 0), ...pair(padding[1], 0)]
			: (() => {
					const [h, w] = pair(padding, 1);
					return [h, h, w, w];
				})();
	const pads = ctx.g.int64([0, 0, top, left, 0, 0, bottom, right]);
	const [h, w, c] = input!.shape;
	const grow = (size: number | null | undefined, extra: number) =>
		size == null ? null : size + extra;
	return {
		name: ctx.g.emit('Pad', [ctx.g.nchw(input!), pads]),
		shape: [grow(h, top + bottom), grow(w, left + right), c ?? null],
		nchw: true
	};
};

export const upSampling: LayerConverter = (ctx, [input]) => {
	channelsLast(ctx);
	spatialInput(ctx, input!);
	const [fh, fw] = pair(ctx.config.size, 2);
	const interpolation = ctx.config.interpolation ?? 'nearest';
	if (interpolation !== 'nearest' && interpolation !== 'bilinear')
		ctx.fail(`interpolation "${String(interpolation)}" is not supported`);
	// tfjs resizes without align_corners or half-pixel centres: ONNX's asymmetric transform.
	const attrs = [
		strA('mode', interpolation === 'nearest' ? 'nearest' : 'linear'),
		strA('coordinate_transformation_mode', 'asymmetric'),
		strA('nearest_mode', 'floor')
	];
	const scales = ctx.g.floats(`scales_${fh}_${fw}`, [4], [1, 1, fh, fw]);
	const [h, w, c] = input!.shape;
	return {
		name: ctx.g.emit('Resize', [ctx.g.nchw(input!), '', scales], attrs),
		shape: [h == null ? null : h * fh, w == null ? null : w * fw, c ?? null],
		nchw: true
	};
};
