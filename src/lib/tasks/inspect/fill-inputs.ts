/**
 * The generic runner's inputs: each graph input filled with seeded random values, zeros or the
 * user's JSON, its symbolic dims ("batch") sized by the user. Inputs the runner cannot make
 * (strings, non-tensors, unknown rank, a dim nobody sized) fail with a message naming the input.
 */
import { seededRandom } from '$lib/catalog/sample';
import { HearthError } from '$lib/errors';
import type { ValueDescription } from '$lib/optimize/onnx-inspect';
import type { TensorData } from '$lib/runtime/protocol';
import { toFloat16Bits } from './float16';

export type FillMode = 'random' | 'zeros' | 'json';

export interface InputFill {
	mode: FillMode;
	/** Used when mode is 'json': a number, or a (nested) array of numbers. */
	json: string;
}

/** Sizes typed by the user: symbolic dims by name, unnamed ('?') dims by dimKey. */
export type DimSizes = Record<string, string>;

/** The elements one filled input may have (256 MB of float32), so a typo cannot freeze the tab. */
export const MAX_ELEMENTS = 1 << 26;

const FILLABLE = ['float32', 'float16', 'int64', 'int32', 'int8', 'uint8', 'bool'] as const;
type FillableDType = (typeof FILLABLE)[number];

const INTEGER_RANGES: Partial<Record<FillableDType, [number, number]>> = {
	int8: [-128, 127],
	uint8: [0, 255],
	int32: [-(2 ** 31), 2 ** 31 - 1],
	int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]
};

export class UnfillableInputError extends HearthError {
	constructor(input: string, detail: string) {
		super('runner-unfillable', `Input "${input}": ${detail}`);
		this.name = 'UnfillableInputError';
	}
}

/** The key a dim's size is kept under: its name, or input and axis for an unnamed one. */
export function dimKey(input: string, axis: number, dim: number | string): string | null {
	if (typeof dim === 'number') return null;
	return dim === '?' ? `${input} axis ${axis}` : dim;
}

export interface SizedDim {
	key: string;
	/** The inputs that use it: one symbolic name often sizes several inputs ("batch"). */
	inputs: string[];
}

/** Every dim the user has to size, in the order the inputs declare them. */
export function dimsToSize(inputs: readonly ValueDescription[]): SizedDim[] {
	const found = new Map<string, SizedDim>();
	for (const input of inputs) {
		(input.dims ?? []).forEach((dim, axis) => {
			const key = dimKey(input.name, axis, dim);
			if (key === null) return;
			const entry = found.get(key) ?? { key, inputs: [] };
			if (!entry.inputs.includes(input.name)) entry.inputs.push(input.name);
			found.set(key, entry);
		});
	}
	return [...found.values()];
}

/** Why the runner cannot fill this input whatever the user types, or null when it can. */
export function unfillableReason(input: ValueDescription): string | null {
	if (input.kind !== 'tensor') {
		return `it is a ${input.kind}, not a tensor; the runner fills tensors only.`;
	}
	if (input.dtype === 'string') {
		return 'it takes strings (text), which the runner does not fill. Run this model from code, or export it with a numeric input (token ids).';
	}
	if (!(FILLABLE as readonly string[]).includes(input.dtype)) {
		return `its element type ${input.dtype} is not one the runner fills (${FILLABLE.join(', ')}).`;
	}
	if (input.dims === null) {
		return 'the model declares no shape for it, so its rank is unknown. Run ONNX shape inference on the model and add it again.';
	}
	return null;
}

function parseSize(text: string | undefined, key: string, input: string): number {
	const trimmed = (text ?? '').trim();
	if (trimmed === '') {
		throw new UnfillableInputError(
			input,
			`the dimension "${key}" has no size. Type a size for it above (for example 1).`
		);
	}
	const size = Number(trimmed);
	if (!Number.isInteger(size) || size < 0) {
		throw new UnfillableInputError(
			input,
			`the size of "${key}" must be a whole number of 0 or more, not "${trimmed}".`
		);
	}
	return size;
}

/** The concrete shape of an input: fixed dims as declared, the others as the user sized them. */
export function resolveDims(input: ValueDescription, sizes: DimSizes): number[] {
	const reason = unfillableReason(input);
	if (reason) throw new UnfillableInputError(input.name, reason);
	const dims = (input.dims ?? []).map((dim, axis) => {
		const key = dimKey(input.name, axis, dim);
		return key === null ? (dim as number) : parseSize(sizes[key], key, input.name);
	});
	checkElementCount(input.name, dims);
	return dims;
}

function checkElementCount(name: string, dims: number[]): number {
	const count = dims.reduce((product, dim) => product * dim, 1);
	if (count > MAX_ELEMENTS) {
		throw new UnfillableInputError(
			name,
			`shape [${dims.join(', ')}] has ${count.toLocaleString('en')} elements, more than the runner makes (${MAX_ELEMENTS.toLocaleString('en')}). Use smaller sizes.`
		);
	}
	return count;
}

/** The nested arrays' shape, or null when the value is ragged (rows of different lengths). */
function shapeOf(value: unknown): number[] | null {
	if (!Array.isArray(value)) return [];
	if (value.length === 0) return [0];
	const inner = value.map(shapeOf);
	const first = inner[0]!;
	if (inner.some((shape) => shape === null || shape.join() !== first.join())) return null;
	return [value.length, ...first];
}

function checkValue(name: string, dtype: FillableDType, value: unknown): number {
	if (dtype === 'bool' && typeof value === 'boolean') return value ? 1 : 0;
	if (typeof value !== 'number') {
		throw new UnfillableInputError(
			name,
			`the JSON holds ${JSON.stringify(value)}; give numbers${dtype === 'bool' ? ' or true/false' : ''}.`
		);
	}
	const range = INTEGER_RANGES[dtype];
	if (range && (!Number.isInteger(value) || value < range[0] || value > range[1])) {
		throw new UnfillableInputError(
			name,
			`${value} is not a whole number in ${dtype}'s range ${range[0]} to ${range[1]}.`
		);
	}
	return value;
}

/** The user's JSON as flat values and the shape it has, checked against the declared dims. */
function parseJson(input: ValueDescription, text: string, sizes: DimSizes) {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		throw new UnfillableInputError(
			input.name,
			`the JSON does not parse (${error instanceof Error ? error.message : String(error)}). Give a number or an array like [[0.1, 0.2], [0.3, 0.4]].`
		);
	}
	const declared = input.dims ?? [];
	const shape = shapeOf(value);
	if (shape === null) {
		throw new UnfillableInputError(
			input.name,
			'the JSON arrays are ragged (rows differ in length).'
		);
	}
	const values = [value].flat(Infinity);
	if (shape.length !== declared.length) {
		// A flat list fills the shape the dims give, row by row.
		if (shape.length !== 1) {
			throw new UnfillableInputError(
				input.name,
				`the JSON has ${shape.length} levels of nesting, the input has rank ${declared.length}. Nest it ${declared.length} deep, or give one flat list.`
			);
		}
		const dims = resolveDims(input, sizes);
		const count = dims.reduce((product, dim) => product * dim, 1);
		if (values.length !== count) {
			throw new UnfillableInputError(
				input.name,
				`the JSON has ${values.length} values, shape [${dims.join(', ')}] needs ${count}.`
			);
		}
		return { dims, values };
	}
	declared.forEach((dim, axis) => {
		const key = dimKey(input.name, axis, dim);
		const given = key === null ? dim : sizes[key]?.trim() ? Number(sizes[key]) : shape[axis];
		if (given !== shape[axis]) {
			throw new UnfillableInputError(
				input.name,
				`the JSON has ${shape[axis]} along axis ${axis}, but ${key === null ? 'the model fixes it at' : `"${key}" is set to`} ${given}.`
			);
		}
	});
	checkElementCount(input.name, shape);
	return { dims: shape, values };
}

function tensorOf(dtype: FillableDType, dims: number[], values: ArrayLike<number>): TensorData {
	switch (dtype) {
		case 'float32':
			return { dtype, dims, data: Float32Array.from(values) };
		case 'float16':
			return { dtype, dims, data: Uint16Array.from(values, toFloat16Bits) };
		case 'int64':
			return { dtype, dims, data: BigInt64Array.from(values, (v) => BigInt(Math.trunc(v))) };
		case 'int32':
			return { dtype, dims, data: Int32Array.from(values) };
		case 'int8':
			return { dtype, dims, data: Int8Array.from(values) };
		case 'uint8':
			return { dtype, dims, data: Uint8Array.from(values) };
		case 'bool':
			return { dtype, dims, data: Uint8Array.from(values, (v) => (v ? 1 : 0)) };
	}
}

/**
 * One input as a tensor. Random values are seeded, so the same settings give the same run:
 * floats uniform in [0, 1), integers 0 to 9 (safe as class or token ids), booleans 0 or 1.
 */
export function fillInput(
	input: ValueDescription,
	fill: InputFill,
	sizes: DimSizes,
	seed = 1
): TensorData {
	const reason = unfillableReason(input);
	if (reason) throw new UnfillableInputError(input.name, reason);
	const dtype = input.dtype as FillableDType;
	if (fill.mode === 'json') {
		const { dims, values } = parseJson(input, fill.json, sizes);
		return tensorOf(
			dtype,
			dims,
			values.map((value) => checkValue(input.name, dtype, value))
		);
	}
	const dims = resolveDims(input, sizes);
	const count = dims.reduce((product, dim) => product * dim, 1);
	const values = new Float64Array(count);
	if (fill.mode === 'random') {
		const random = seededRandom(seed);
		const float = dtype === 'float32' || dtype === 'float16';
		const span = dtype === 'bool' ? 2 : 10;
		for (let i = 0; i < count; i++) values[i] = float ? random() : Math.floor(random() * span);
	}
	return tensorOf(dtype, dims, values);
}

/** Every input, or the first input that cannot be filled as an error. */
export function fillInputs(
	inputs: readonly ValueDescription[],
	fills: Record<string, InputFill>,
	sizes: DimSizes
): Record<string, TensorData> {
	return Object.fromEntries(
		inputs.map((input, index) => [
			input.name,
			fillInput(input, fills[input.name] ?? { mode: 'random', json: '' }, sizes, index + 1)
		])
	);
}
