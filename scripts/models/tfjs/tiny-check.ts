/**
 * Test support for the graph converter's op specs: a hand-built graph-model is converted and run
 * in onnxruntime-node, and the same files run in tfjs (CPU); every output must agree.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { convertGraphModel } from '../../../src/lib/convert/graph-convert';
import { readTfjsModel, type TfGraphModel } from '../../../src/lib/convert/tfjs-model';
import type { ConversionResult } from '../../../src/lib/convert/types';
import { maxAbsDiff, runTiny, tinyGraphModel, type TinyWeight } from './reference';

type Dtype = 'float32' | 'int32' | 'bool';
const DT = { float32: 'DT_FLOAT', int32: 'DT_INT32', bool: 'DT_BOOL' };
export type TinyNode = {
	name: string;
	op: string;
	input?: string[];
	attr?: Record<string, unknown>;
};

export const placeholder = (name: string, dtype: Dtype, shape: number[]): TinyNode => ({
	name,
	op: 'Placeholder',
	attr: {
		dtype: { type: DT[dtype] },
		shape: { shape: { dim: shape.map((size) => ({ size: String(size) })) } }
	}
});
export const op = (
	name: string,
	type: string,
	input: string[],
	attr: Record<string, unknown> = {}
) => ({ name, op: type, input, attr }) as TinyNode;
export const b64 = (text: string) => btoa(text);
export const ints = (...values: number[]) => ({ list: { i: values.map(String) } });
export const strings = (...values: string[]) => ({ list: { s: values.map(b64) } });

/** A constant: its node and its weight. */
export function constant(
	name: string,
	dtype: 'float32' | 'int32',
	shape: number[],
	values: number[],
	quantize?: TinyWeight['quantize']
): { node: TinyNode; weight: TinyWeight } {
	return {
		node: { name, op: 'Const', attr: { dtype: { type: DT[dtype] } } },
		weight: { name, dtype, shape, values, quantize }
	};
}

export interface Feed {
	name: string;
	dtype: Dtype;
	shape: number[];
	data: number[];
}

/** Deterministic values in [lo, hi). */
export function values(count: number, lo = -1, hi = 1, seed = 7): number[] {
	let s = seed;
	return Array.from({ length: count }, () => {
		s = (s * 16807) % 2147483647;
		return lo + ((hi - lo) * s) / 2147483647;
	});
}

export function tinyModel(nodes: TinyNode[], constants: { node: TinyNode; weight: TinyWeight }[]) {
	const files = tinyGraphModel(
		[...constants.map((c) => c.node), ...nodes],
		constants.map((c) => c.weight)
	);
	return { files, model: readTfjsModel(files) as TfGraphModel };
}

/** Converts, runs both and compares every output; returns the conversion for further checks. */
export async function checkAgainstTfjs(
	nodes: TinyNode[],
	constants: { node: TinyNode; weight: TinyWeight }[],
	feeds: Feed[],
	outputs: string[],
	tolerance = 1e-5
): Promise<ConversionResult> {
	const { files, model } = tinyModel(nodes, constants);
	const result = convertGraphModel(model, { name: 'tiny', outputs });
	const session = await ort.InferenceSession.create(result.onnx);
	const ortFeeds: Record<string, ort.Tensor> = {};
	const tfFeeds: Record<string, tf.Tensor> = {};
	for (const feed of feeds) {
		const data =
			feed.dtype === 'float32'
				? Float32Array.from(feed.data)
				: feed.dtype === 'int32'
					? Int32Array.from(feed.data)
					: Uint8Array.from(feed.data);
		ortFeeds[feed.name] = new ort.Tensor(feed.dtype, data, feed.shape);
		tfFeeds[feed.name] = tf.tensor(feed.data, feed.shape, feed.dtype);
	}
	const got = await session.run(ortFeeds);
	const want = await runTiny(files, tfFeeds, outputs);
	for (const [i, name] of outputs.entries()) {
		const actual = got[name]!;
		expect([...actual.dims], name).toEqual(want[i]!.shape);
		const a = Array.from(actual.data as ArrayLike<number | bigint>, Number);
		const b = Array.from(await want[i]!.data(), Number);
		expect(maxAbsDiff(a, b), name).toBeLessThanOrEqual(tolerance);
	}
	await session.release();
	return result;
}
