/**
 * The optimization methods the Optimize page offers, their settings, and what each produces.
 * Plain data shared by the page, the optimize worker, the build step and the tests.
 */
import type { Precision } from '../catalog/manifest';
import type { WeightOp } from './weight-targets';

export type OptimizeSettings =
	| { method: 'fp16'; activations: boolean }
	| { method: 'int8-weight-only'; ops: WeightOp[]; symmetric: boolean; perChannel: boolean }
	| { method: 'int8-dynamic'; ops: WeightOp[] }
	| { method: 'int4'; ops: WeightOp[]; blockSize: 32 | 64 | 128; symmetric: boolean }
	| { method: 'prune-magnitude'; ops: WeightOp[]; sparsity: number }
	| { method: 'prune-channels'; ops: WeightOp[]; sparsity: number }
	| { method: 'low-bit'; ops: WeightOp[]; levels: 'binary' | 'ternary' };

export type OptimizeMethod = OptimizeSettings['method'];

export interface MethodInfo {
	id: OptimizeMethod;
	label: string;
	/** One sentence for the page. */
	summary: string;
	/** The op types the method can work on (the user picks among these). */
	covers: WeightOp[];
	experimental?: boolean;
}

export const METHODS: MethodInfo[] = [
	{
		id: 'fp16',
		label: 'fp16',
		summary:
			'Weights (and optionally activations) in half precision: half the size, nearly identical outputs. Callers still pass and receive float32.',
		covers: []
	},
	{
		id: 'int8-weight-only',
		label: 'int8 weight-only',
		summary:
			'Weights as 8-bit integers with a scale per channel (or per tensor), turned back into floats by DequantizeLinear: about a quarter of the size.',
		covers: ['MatMul', 'Gemm', 'Conv', 'Gather']
	},
	{
		id: 'int8-dynamic',
		label: 'int8 dynamic',
		summary:
			'Weights and activations in 8 bits: MatMulInteger and ConvInteger with activations quantized at run time, as onnxruntime quantize_dynamic does.',
		covers: ['MatMul', 'Gemm', 'Conv']
	},
	{
		id: 'int4',
		label: 'int4 block-wise',
		summary:
			'Weights as 4-bit integers with a scale per block: MatMulNBits for MatMul and Gemm, int4 DequantizeLinear (opset 21) for Conv and Gather.',
		covers: ['MatMul', 'Gemm', 'Conv', 'Gather']
	},
	{
		id: 'prune-magnitude',
		label: 'Prune by magnitude (L1)',
		summary:
			'Sets the smallest weights to zero. The file keeps its size; Hearth stores it compressed.',
		covers: ['MatMul', 'Gemm', 'Conv', 'Gather']
	},
	{
		id: 'prune-channels',
		label: 'Prune channels (L2)',
		summary:
			'Removes the weakest output channels (L2 norm) of each layer and shrinks the graph where the shapes allow.',
		covers: ['MatMul', 'Gemm', 'Conv']
	},
	{
		id: 'low-bit',
		label: 'Binary / ternary',
		summary:
			'Experimental: each weight becomes -1, (0,) +1 times a per-channel scale. Small models lose much accuracy.',
		covers: ['MatMul', 'Gemm', 'Conv', 'Gather'],
		experimental: true
	}
];

export function methodInfo(id: OptimizeMethod): MethodInfo {
	return METHODS.find((method) => method.id === id)!;
}

/** The settings each method starts with on the page (and in the build step). */
export function defaultSettings(id: OptimizeMethod): OptimizeSettings {
	switch (id) {
		case 'fp16':
			return { method: 'fp16', activations: false };
		case 'int8-weight-only':
			return {
				method: id,
				ops: ['MatMul', 'Gemm', 'Conv', 'Gather'],
				symmetric: true,
				perChannel: true
			};
		// Conv is offered but not preselected: ConvInteger takes one scale per tensor and int4 blocks
		// of a convolution kernel are coarse, which loses too much on BatchNorm-folded kernels.
		case 'int8-dynamic':
			return { method: id, ops: ['MatMul', 'Gemm'] };
		case 'int4':
			return {
				method: id,
				ops: ['MatMul', 'Gemm', 'Gather'],
				blockSize: 32,
				symmetric: true
			};
		case 'prune-magnitude':
			return { method: id, ops: ['MatMul', 'Gemm', 'Conv'], sparsity: 0.5 };
		case 'prune-channels':
			return { method: id, ops: ['MatMul', 'Gemm', 'Conv'], sparsity: 0.25 };
		case 'low-bit':
			return { method: id, ops: ['MatMul', 'Gemm', 'Conv', 'Gather'], levels: 'ternary' };
	}
}

/** The precision a variant made this way is listed with. */
export function precisionOf(settings: OptimizeSettings): Precision {
	switch (settings.method) {
		case 'fp16':
			return 'fp16';
		case 'int8-weight-only':
		case 'int8-dynamic':
			return 'int8';
		case 'int4':
			return 'int4';
		case 'prune-magnitude':
		case 'prune-channels':
			return 'fp32';
		case 'low-bit':
			return 'mixed';
	}
}

/** A short id for the new variant: "int8-wo", "int4-b32", "pruned-50", ... */
export function variantSuffix(settings: OptimizeSettings): string {
	switch (settings.method) {
		case 'fp16':
			return settings.activations ? 'fp16-act' : 'fp16';
		case 'int8-weight-only':
			return settings.perChannel ? 'int8' : 'int8-tensor';
		case 'int8-dynamic':
			return 'int8-dynamic';
		case 'int4':
			return `int4-b${settings.blockSize}`;
		case 'prune-magnitude':
			return `pruned-${Math.round(settings.sparsity * 100)}`;
		case 'prune-channels':
			return `channels-${Math.round(settings.sparsity * 100)}`;
		case 'low-bit':
			return settings.levels;
	}
}

/** The settings as a readable line: "int4 block-wise, block 32, symmetric, ops MatMul, Gemm". */
export function describeSettings(settings: OptimizeSettings): string {
	const parts: string[] = [methodInfo(settings.method).label];
	if (settings.method === 'fp16')
		parts.push(settings.activations ? 'weights and activations' : 'weights');
	if ('symmetric' in settings) parts.push(settings.symmetric ? 'symmetric' : 'asymmetric');
	if (settings.method === 'int8-weight-only')
		parts.push(settings.perChannel ? 'per channel' : 'per tensor');
	if (settings.method === 'int4') parts.push(`block ${settings.blockSize}`);
	if ('sparsity' in settings) parts.push(`${Math.round(settings.sparsity * 100)}% sparsity`);
	if (settings.method === 'low-bit') parts.push(settings.levels);
	if ('ops' in settings) parts.push(`ops ${settings.ops.join(', ')}`);
	return parts.join(', ');
}
