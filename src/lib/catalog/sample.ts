import { HearthError } from '$lib/errors';
import type { TensorData } from '$lib/runtime/protocol';
import type { GraphSpec, SampleExpectation, SampleTensor } from './manifest';

/** The deterministic uniform generator used by "random" samples (mulberry32). */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function sampleValues(sample: SampleTensor, count: number): number[] {
	if (sample.data) {
		if (sample.data.length !== count) {
			throw new HearthError(
				'bad-sample',
				`The sample for ${sample.name} has ${sample.data.length} values but its shape needs ${count}. The manifest is inconsistent: rebuild the catalog.`
			);
		}
		return sample.data;
	}
	const values = new Array<number>(count);
	const random = seededRandom(count);
	for (let i = 0; i < count; i++) {
		if (sample.fill === 'random') values[i] = random();
		else if (sample.fill === 'sine') values[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / 16000);
		else values[i] = 0;
	}
	return values;
}

export function makeSampleTensor(sample: SampleTensor): TensorData {
	const count = sample.dims.reduce((product, dim) => product * dim, 1);
	const values = sampleValues(sample, count);
	const dims = [...sample.dims];
	switch (sample.dtype) {
		case 'float32':
			return { dtype: 'float32', dims, data: Float32Array.from(values) };
		case 'int64':
			return {
				dtype: 'int64',
				dims,
				data: BigInt64Array.from(values, (v) => BigInt(Math.round(v)))
			};
		case 'int32':
			return { dtype: 'int32', dims, data: Int32Array.from(values) };
		case 'uint8':
			return { dtype: 'uint8', dims, data: Uint8Array.from(values) };
		case 'int8':
			return { dtype: 'int8', dims, data: Int8Array.from(values) };
		case 'bool':
			return { dtype: 'bool', dims, data: Uint8Array.from(values, (v) => (v ? 1 : 0)) };
		default:
			throw new HearthError(
				'bad-sample',
				`Samples of type ${sample.dtype} are not supported (input ${sample.name}). Give the sample as float32 or an integer type.`
			);
	}
}

export function makeSampleInputs(graph: GraphSpec): Record<string, TensorData> {
	return Object.fromEntries(graph.sample.map((sample) => [sample.name, makeSampleTensor(sample)]));
}

/** Index of the largest value of the first row of the output (the predicted class). */
export function argmaxOfFirstRow(tensor: TensorData): number {
	if (Array.isArray(tensor.data)) return -1;
	const width = tensor.dims[tensor.dims.length - 1] ?? tensor.data.length;
	let best = 0;
	for (let i = 1; i < width; i++) {
		if (Number(tensor.data[i]) > Number(tensor.data[best])) best = i;
	}
	return best;
}

export interface ExpectationCheck {
	passed: boolean;
	summary: string;
}

/** Whether a test-run output is the answer the manifest expects. */
export function checkExpectation(
	expect: SampleExpectation,
	outputs: Record<string, TensorData>
): ExpectationCheck {
	const output = outputs[expect.output];
	if (!output) return { passed: false, summary: `output ${expect.output} is missing` };
	if (expect.argmax === undefined) return { passed: true, summary: `${expect.output} present` };
	const got = argmaxOfFirstRow(output);
	const label = expect.label ?? String(expect.argmax);
	return got === expect.argmax
		? { passed: true, summary: `predicted ${label}, as expected` }
		: { passed: false, summary: `predicted class ${got}, expected ${label}` };
}
