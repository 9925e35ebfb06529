/**
 * One converter per Keras layer class: each takes its converted inputs and returns its output
 * with the Keras shape it has, so later layers (and the graph's outputs) know their sizes.
 * Shapes are Keras's own, channels-last and without the batch axis.
 */
import { floatA, intA, type Converted } from './layers-emitter';
import {
	activate,
	bias,
	type LayerContext,
	type LayerConverter,
	type Shape
} from './layers-common';
import {
	channelsLast,
	convolution,
	globalPooling,
	pooling,
	upSampling,
	zeroPadding
} from './layers-spatial';

export { ACTIVATION_NAMES, activationName, type LayerContext } from './layers-common';

/** Per-channel vector broadcast against the tensor: [C, 1, 1] for NCHW, [C] otherwise. */
function channelVector(
	ctx: LayerContext,
	input: Converted,
	name: string,
	values: ArrayLike<number>
): string {
	const dims = input.nchw ? [values.length, 1, 1] : [values.length];
	return ctx.g.floats(`${ctx.name}/${name}`, dims, values);
}

const batchNormalization: LayerConverter = (ctx, [input]) => {
	const axis = Number(ctx.config.axis ?? -1);
	const rank = input!.shape.length + 1;
	if (axis !== -1 && axis !== rank - 1) ctx.fail(`axis ${axis} is not supported (only the last)`);
	const epsilon = Number(ctx.config.epsilon ?? 1e-3);
	const mean = ctx.weight('moving_mean').values;
	const variance = ctx.weight('moving_variance').values;
	const gamma = ctx.config.scale === false ? null : ctx.weight('gamma').values;
	const beta = ctx.config.center === false ? null : ctx.weight('beta').values;
	// y = (x - mean) * gamma / sqrt(variance + epsilon) + beta, folded to y = x * scale + shift;
	// ORT fuses it into the preceding convolution.
	const scale = Float64Array.from(
		variance,
		(v, c) => (gamma ? gamma[c]! : 1) / Math.sqrt(v + epsilon)
	);
	const shift = Float64Array.from(scale, (s, c) => (beta ? beta[c]! : 0) - mean[c]! * s);
	const g = ctx.g;
	const scaled = g.emit('Mul', [input!.name, channelVector(ctx, input!, 'scale', scale)]);
	return { ...input!, name: g.emit('Add', [scaled, channelVector(ctx, input!, 'shift', shift)]) };
};

const relu: LayerConverter = (ctx, [input]) => {
	const slope = Number(ctx.config.negative_slope ?? 0);
	const threshold = Number(ctx.config.threshold ?? 0);
	if (slope !== 0 || threshold !== 0) ctx.fail('negative_slope and threshold are not supported');
	const max = ctx.config.max_value;
	const g = ctx.g;
	if (max === null || max === undefined) return { ...input!, name: g.emit('Relu', [input!.name]) };
	const clipped = g.emit('Clip', [input!.name, g.floatScalar(0), g.floatScalar(Number(max))]);
	return { ...input!, name: clipped };
};

const prelu: LayerConverter = (ctx, [input]) => {
	const alpha = ctx.weight('alpha');
	// alpha has the input's shape (1 on shared axes); NHWC [H, W, C] becomes [C, H, W].
	const perm = input!.nchw ? [2, 0, 1] : null;
	const dims = perm ? perm.map((axis) => alpha.shape[axis]!) : alpha.shape;
	const slope = ctx.g.weight(`${ctx.name}/alpha`, alpha, perm, dims);
	return { ...input!, name: ctx.g.emit('PRelu', [input!.name, slope]) };
};

function elementwise(op: 'Add' | 'Mul' | 'Sub' | 'Max' | 'Min'): LayerConverter {
	return (ctx, inputs) => {
		if (inputs.length < 2) ctx.fail('it needs at least two inputs');
		// One layout for all: NCHW when any input already is.
		const nchw = inputs.some((input) => input.nchw);
		const names = inputs.map((input) => (nchw ? ctx.g.nchw(input) : ctx.g.plain(input)));
		let out = names[0]!;
		for (const next of names.slice(1)) out = ctx.g.emit(op, [out, next]);
		const shape = inputs[0]!.shape.map((_, axis) => {
			const sizes = inputs.map((input) => input.shape[axis]);
			return sizes.some((size) => size == null) ? null : Math.max(...(sizes as number[]));
		});
		return { name: out, shape, nchw };
	};
}

const average: LayerConverter = (ctx, inputs) => {
	const sum = elementwise('Add')(ctx, inputs);
	return { ...sum, name: ctx.g.emit('Mul', [sum.name, ctx.g.floatScalar(1 / inputs.length)]) };
};

const concatenate: LayerConverter = (ctx, inputs) => {
	const rank = inputs[0]!.shape.length + 1;
	let axis = Number(ctx.config.axis ?? -1);
	if (axis < 0) axis += rank;
	if (axis === 0) ctx.fail('concatenating along the batch axis is not supported');
	const nchw = inputs.some((input) => input.nchw);
	const names = inputs.map((input) => (nchw ? ctx.g.nchw(input) : ctx.g.plain(input)));
	const onnxAxis = nchw ? [0, 2, 3, 1][axis]! : axis;
	const shape = [...inputs[0]!.shape];
	const sizes = inputs.map((input) => input.shape[axis - 1]);
	shape[axis - 1] = sizes.some((size) => size == null)
		? null
		: (sizes as number[]).reduce((a, b) => a + b, 0);
	return { name: ctx.g.emit('Concat', names, [intA('axis', onnxAxis)]), shape, nchw };
};

const product = (shape: Shape) =>
	shape.some((size) => size === null) ? null : (shape as number[]).reduce((a, b) => a * b, 1);

const flatten: LayerConverter = (ctx, [input]) => {
	channelsLast(ctx);
	// Keras flattens channels-last, so NCHW goes back to NHWC first.
	const out = ctx.g.emit('Flatten', [ctx.g.plain(input!)], [intA('axis', 1)]);
	return { name: out, shape: [product(input!.shape)], nchw: false };
};

const reshape: LayerConverter = (ctx, [input]) => {
	const declared = ctx.config.target_shape as (number | null)[] | undefined;
	if (!Array.isArray(declared)) return ctx.fail('it has no target_shape');
	// tfjs writes the open size (-1) as null.
	const target = declared.map((size) => size ?? -1);
	const total = product(input!.shape);
	const known = target.filter((size) => size !== -1).reduce((a, b) => a * b, 1);
	const shape = target.map((size) => (size !== -1 ? size : total === null ? null : total / known));
	// 0 keeps the batch size.
	const out = ctx.g.emit('Reshape', [ctx.g.plain(input!), ctx.g.int64([0, ...target])]);
	return { name: out, shape, nchw: false };
};

const dense: LayerConverter = (ctx, [input]) => {
	const kernel = ctx.weight('kernel');
	const [inUnits, units] = kernel.shape as [number, number];
	const g = ctx.g;
	let out = g.emit('MatMul', [
		g.plain(input!),
		g.weight(`${ctx.name}/kernel`, kernel, null, [inUnits, units])
	]);
	if (ctx.config.use_bias !== false) out = g.emit('Add', [out, bias(ctx)]);
	return activate(ctx, { name: out, shape: [...input!.shape.slice(0, -1), units], nchw: false });
};

const identity: LayerConverter = (_ctx, [input]) => input!;

export const LAYER_CONVERTERS: Record<string, LayerConverter> = {
	Conv2D: convolution('conv'),
	DepthwiseConv2D: convolution('depthwise'),
	SeparableConv2D: convolution('separable'),
	BatchNormalization: batchNormalization,
	Activation: (ctx, [input]) => activate(ctx, input!),
	ReLU: relu,
	LeakyReLU: (ctx, [input]) => ({
		...input!,
		name: ctx.g.emit('LeakyRelu', [input!.name], [floatA('alpha', Number(ctx.config.alpha ?? 0.3))])
	}),
	ELU: (ctx, [input]) => ({
		...input!,
		name: ctx.g.emit('Elu', [input!.name], [floatA('alpha', Number(ctx.config.alpha ?? 1))])
	}),
	PReLU: prelu,
	Softmax: (ctx, [input]) => {
		const axis = Number(ctx.config.axis ?? -1);
		if (axis !== -1 && axis !== input!.shape.length) ctx.fail(`axis ${axis} is not supported`);
		return activate(ctx, input!, 'softmax');
	},
	MaxPooling2D: pooling('MaxPool'),
	AveragePooling2D: pooling('AveragePool'),
	GlobalAveragePooling2D: globalPooling('GlobalAveragePool'),
	GlobalMaxPooling2D: globalPooling('GlobalMaxPool'),
	ZeroPadding2D: zeroPadding,
	UpSampling2D: upSampling,
	Add: elementwise('Add'),
	Subtract: elementwise('Sub'),
	Multiply: elementwise('Mul'),
	Maximum: elementwise('Max'),
	Minimum: elementwise('Min'),
	Average: average,
	Concatenate: concatenate,
	Flatten: flatten,
	Reshape: reshape,
	Dense: dense,
	// Only active while training: at inference these pass their input through.
	Dropout: identity,
	SpatialDropout2D: identity,
	GaussianNoise: identity,
	GaussianDropout: identity,
	AlphaDropout: identity,
	ActivityRegularization: identity
};
