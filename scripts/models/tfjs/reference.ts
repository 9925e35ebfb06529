/**
 * Test support: runs a TensorFlow.js model.json with @tensorflow/tfjs's CPU backend, the
 * reference the converter's ONNX output is compared with. Tests and build checks only.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { shardPaths } from '../../../src/lib/convert/tfjs-model';

let ready: Promise<boolean> | undefined;
export async function cpuBackend(): Promise<typeof tf> {
	ready ??= tf.setBackend('cpu');
	await ready;
	return tf;
}

export async function loadReference(modelJsonPath: string): Promise<tf.GraphModel> {
	await cpuBackend();
	const json = JSON.parse(await readFile(modelJsonPath, 'utf8'));
	const buffers = await Promise.all(
		shardPaths(json).map((path) => readFile(join(dirname(modelJsonPath), path)))
	);
	const data = new Uint8Array(buffers.reduce((sum, b) => sum + b.byteLength, 0));
	let offset = 0;
	for (const b of buffers) (data.set(b, offset), (offset += b.byteLength));
	const model = await tf.loadGraphModel(
		tf.io.fromMemory({
			modelTopology: json.modelTopology,
			weightSpecs: json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights),
			weightData: data.buffer
		})
	);
	return model;
}

/** Largest absolute difference of two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
	if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
	let worst = 0;
	for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(Number(a[i]) - Number(b[i])));
	return worst;
}

/** A weight of a hand-built graph, stored as tfjs would store it. */
export interface TinyWeight {
	name: string;
	dtype: 'float32' | 'int32';
	shape: number[];
	values: number[];
	quantize?: 'uint8' | 'float16';
}

function toHalf(value: number): number {
	const f32 = new Float32Array([value]);
	const bits = new Uint32Array(f32.buffer)[0]!;
	const sign = (bits >>> 16) & 0x8000;
	const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
	const mantissa = bits & 0x7fffff;
	if (exponent <= 0) return sign;
	if (exponent >= 31) return sign | 0x7c00;
	return sign | (exponent << 10) | Math.round(mantissa / 8192);
}

/**
 * model.json and one shard for a hand-built graph-model, so a test can give the very same files
 * to the converter (through readTfjsModel) and to tfjs.
 */
export function tinyGraphModel(
	nodes: { name: string; op: string; input?: string[]; attr?: Record<string, unknown> }[],
	weights: TinyWeight[]
): { modelJson: string; shards: Map<string, Uint8Array> } {
	const chunks: Uint8Array[] = [];
	const manifest = weights.map((w) => {
		const entry: Record<string, unknown> = { name: w.name, shape: w.shape, dtype: w.dtype };
		if (w.quantize === 'uint8') {
			const min = Math.min(...w.values);
			const scale = (Math.max(...w.values) - min) / 255 || 1;
			chunks.push(Uint8Array.from(w.values, (v) => Math.round((v - min) / scale)));
			entry.quantization = { dtype: 'uint8', scale, min };
		} else if (w.quantize === 'float16') {
			chunks.push(new Uint8Array(Uint16Array.from(w.values, toHalf).buffer));
			entry.quantization = { dtype: 'float16' };
		} else {
			const typed = w.dtype === 'int32' ? Int32Array.from(w.values) : Float32Array.from(w.values);
			chunks.push(new Uint8Array(typed.buffer));
		}
		return entry;
	});
	const bytes = new Uint8Array(chunks.reduce((sum, c) => sum + c.byteLength, 0));
	let offset = 0;
	for (const c of chunks) (bytes.set(c, offset), (offset += c.byteLength));
	const modelJson = JSON.stringify({
		format: 'graph-model',
		generatedBy: 'test',
		modelTopology: {
			node: nodes.map((n) => ({ input: [], attr: {}, ...n })),
			versions: { producer: 1, minConsumer: 0 }
		},
		weightsManifest: [{ paths: ['w.bin'], weights: manifest }]
	});
	return { modelJson, shards: new Map([['w.bin', bytes]]) };
}

/** Runs a hand-built graph-model in tfjs. */
export async function runTiny(
	files: { modelJson: string; shards: Map<string, Uint8Array> },
	feeds: Record<string, tf.Tensor>,
	outputs: string[]
): Promise<tf.Tensor[]> {
	await cpuBackend();
	const json = JSON.parse(files.modelJson);
	const shard = files.shards.get('w.bin')!;
	const model = await tf.loadGraphModel(
		tf.io.fromMemory({
			modelTopology: json.modelTopology,
			weightSpecs: json.weightsManifest[0].weights,
			weightData: shard.slice().buffer
		})
	);
	const result = await model.executeAsync(feeds, outputs);
	return Array.isArray(result) ? result : [result];
}
