/**
 * What every Keras layer converter shares: the context it gets, activations, and small helpers.
 * Shapes are Keras's own, channels-last and without the batch axis.
 */
import { floatA, intA, type Converted, type OnnxEmitter } from './layers-emitter';
import type { TfConstant } from './tfjs-model';

export type Shape = (number | null)[];
export type Config = Record<string, unknown>;

export interface LayerContext {
	g: OnnxEmitter;
	name: string;
	className: string;
	config: Config;
	/** The layer's weight `param` ("kernel", "bias", ...); counted as a parameter once used. */
	weight(param: string): TfConstant;
	/** Stops with a message naming the layer. */
	fail(why: string): never;
}

export type LayerConverter = (ctx: LayerContext, inputs: Converted[]) => Converted;

/** Keras activation name -> how to apply it (layout-free but for softmax's axis). */
const ACTIVATIONS: Record<string, (g: OnnxEmitter, x: string, nchw: boolean) => string> = {
	linear: (_g, x) => x,
	relu: (g, x) => g.emit('Relu', [x]),
	relu6: (g, x) => g.emit('Clip', [x, g.floatScalar(0), g.floatScalar(6)]),
	sigmoid: (g, x) => g.emit('Sigmoid', [x]),
	tanh: (g, x) => g.emit('Tanh', [x]),
	elu: (g, x) => g.emit('Elu', [x], [floatA('alpha', 1)]),
	selu: (g, x) => g.emit('Selu', [x]),
	softplus: (g, x) => g.emit('Softplus', [x]),
	softsign: (g, x) => g.emit('Softsign', [x]),
	swish: (g, x) => g.emit('Mul', [x, g.emit('Sigmoid', [x])]),
	// tfjs's hard_sigmoid is clip(0.2 x + 0.5, 0, 1), ONNX HardSigmoid's default.
	hard_sigmoid: (g, x) => g.emit('HardSigmoid', [x], [floatA('alpha', 0.2), floatA('beta', 0.5)]),
	softmax: (g, x, nchw) => g.emit('Softmax', [x], [intA('axis', nchw ? 1 : -1)])
};

export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS);

/** The activation a layer's config names ("linear" when none), as a string or {class_name}. */
export function activationName(config: Config): string {
	const value = config.activation;
	if (value === undefined || value === null) return 'linear';
	if (typeof value === 'string') return value;
	const named = (value as { class_name?: unknown }).class_name;
	return typeof named === 'string' ? named : String(value);
}

export function activate(
	ctx: LayerContext,
	tensor: Converted,
	name = activationName(ctx.config)
): Converted {
	const apply = ACTIVATIONS[name];
	if (!apply) ctx.fail(`activation "${name}" is not supported`);
	return { ...tensor, name: apply(ctx.g, tensor.name, tensor.nchw) };
}

export const pair = (value: unknown, fallback: number): [number, number] => {
	if (typeof value === 'number') return [value, value];
	if (Array.isArray(value))
		return [Number(value[0] ?? fallback), Number(value[1] ?? value[0] ?? fallback)];
	return [fallback, fallback];
};

export function bias(ctx: LayerContext): string {
	const b = ctx.weight('bias');
	return ctx.g.floats(`${ctx.name}/bias`, [b.values.length], b.values);
}
