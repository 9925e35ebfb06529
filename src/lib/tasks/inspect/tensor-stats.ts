/** What the generic runner shows of each output tensor: its shape, summary statistics and first values. */
import type { TensorData } from '$lib/runtime/protocol';
import { fromFloat16Bits } from './float16';

export interface TensorSummary {
	dtype: string;
	dims: number[];
	elements: number;
	/** Over the finite values; null when there are none (or the tensor holds strings). */
	min: number | null;
	max: number | null;
	mean: number | null;
	/** Population standard deviation. */
	std: number | null;
	nanCount: number;
	infinityCount: number;
	/** The first values in row-major order, as numbers or (string tensors) as text. */
	first: (number | string)[];
}

export const FIRST_VALUES = 10;

/** The tensor's values as plain numbers (float16 decoded, int64 converted). */
function numberAt(tensor: TensorData): (index: number) => number {
	const data = tensor.data;
	if (Array.isArray(data)) return () => NaN;
	if (tensor.dtype === 'float16') return (i) => fromFloat16Bits(data[i] as number);
	if (data instanceof BigInt64Array) return (i) => Number(data[i]);
	return (i) => data[i] as number;
}

export function summarizeTensor(tensor: TensorData, firstCount = FIRST_VALUES): TensorSummary {
	const elements = tensor.data.length;
	const base = { dtype: tensor.dtype, dims: [...tensor.dims], elements };
	if (Array.isArray(tensor.data)) {
		return {
			...base,
			min: null,
			max: null,
			mean: null,
			std: null,
			nanCount: 0,
			infinityCount: 0,
			first: tensor.data.slice(0, firstCount)
		};
	}
	const at = numberAt(tensor);
	let min = Infinity;
	let max = -Infinity;
	let nanCount = 0;
	let infinityCount = 0;
	// Welford's running mean and variance: stable for millions of values of any magnitude.
	let count = 0;
	let mean = 0;
	let squares = 0;
	for (let i = 0; i < elements; i++) {
		const value = at(i);
		if (Number.isNaN(value)) {
			nanCount++;
			continue;
		}
		if (!Number.isFinite(value)) {
			infinityCount++;
			continue;
		}
		if (value < min) min = value;
		if (value > max) max = value;
		count++;
		const delta = value - mean;
		mean += delta / count;
		squares += delta * (value - mean);
	}
	const first: number[] = [];
	for (let i = 0; i < Math.min(firstCount, elements); i++) first.push(at(i));
	const some = count > 0;
	return {
		...base,
		min: some ? min : null,
		max: some ? max : null,
		mean: some ? mean : null,
		std: some ? Math.sqrt(squares / count) : null,
		nanCount,
		infinityCount,
		first
	};
}

/** A number the way the runner prints it: enough digits to compare, no more. */
export function formatValue(value: number | string | null): string {
	if (value === null) return '–';
	if (typeof value === 'string') return JSON.stringify(value);
	if (Number.isInteger(value)) return String(value);
	if (!Number.isFinite(value)) return String(value);
	const magnitude = Math.abs(value);
	if (magnitude < 1e-3 || magnitude >= 1e6) return value.toExponential(4);
	const text = value.toPrecision(6);
	return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
