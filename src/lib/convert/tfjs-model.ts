/**
 * Reads a TensorFlow.js model (model.json plus its weight shards) into plain nodes and decoded
 * weights. Both formats tfjs writes are read: graph-models (a TF GraphDef as JSON) and
 * layers-models (a Keras topology). Pure and browser-safe: the Import page, the worker and the
 * build step all read models through this one function, so nothing is parsed twice by different
 * code. Every way a user's files can be wrong is a named error that says what to do.
 */
import {
	TfjsMissingShardError,
	TfjsNotAModelError,
	TfjsShardSizeError,
	TfjsUnsupportedWeightError
} from './errors';

export interface TfAttr {
	type?: string;
	s?: string;
	i?: string;
	f?: number;
	b?: boolean;
	list?: { i?: string[]; s?: string[]; f?: number[] };
	shape?: unknown;
	tensor?: unknown;
}

export interface TfNode {
	name: string;
	op: string;
	input: string[];
	attr: Record<string, TfAttr>;
}

/** How tfjs stored a weight on disk; kept so a converter can write it as compactly. */
export interface TfQuantization {
	dtype: 'float16' | 'uint8' | 'uint16';
	scale?: number;
	min?: number;
	/** The stored bytes: uint8 values, or little-endian uint16/float16 pairs. */
	bytes: Uint8Array;
}

export interface TfConstant {
	dtype: 'float32' | 'int32';
	shape: number[];
	values: Float32Array | Int32Array;
	quantization?: TfQuantization;
}

export interface TfGraphModel {
	format: 'graph-model';
	nodes: Map<string, TfNode>;
	constants: Map<string, TfConstant>;
	/** Where the model came from, as its converter recorded it (`generatedBy`). */
	generatedBy: string;
}

export interface TfLayersModel {
	format: 'layers-model';
	/** The Keras model config (`modelTopology.model_config` or `modelTopology` itself). */
	topology: KerasModelConfig;
	/** Weights by their manifest name, e.g. "conv1/kernel". */
	weights: Map<string, TfConstant>;
	generatedBy: string;
}

export interface KerasModelConfig {
	class_name: string;
	config: unknown;
	keras_version?: string;
	backend?: string;
}

export type TfModel = TfGraphModel | TfLayersModel;

/** model.json's text (or parsed JSON) and every shard it names, by the path written in it. */
export interface TfjsFiles {
	modelJson: string | unknown;
	shards: ReadonlyMap<string, Uint8Array>;
	/** For messages: where model.json came from. */
	source?: string;
}

interface WeightEntry {
	name: string;
	shape: number[];
	dtype: string;
	quantization?: { dtype: string; scale?: number; min?: number };
}

interface WeightGroup {
	paths: string[];
	weights: WeightEntry[];
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

const elementCount = (shape: number[]) => shape.reduce((product, dim) => product * dim, 1);

function byteLength(entry: WeightEntry): number {
	const count = elementCount(entry.shape);
	const quantized = entry.quantization?.dtype;
	if (quantized === 'uint8') return count;
	if (quantized === 'float16' || quantized === 'uint16') return count * 2;
	return count * 4;
}

function decodeWeight(entry: WeightEntry, bytes: Uint8Array, source: string): TfConstant {
	const count = elementCount(entry.shape);
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const quantization = entry.quantization;
	if (entry.dtype === 'int32' && !quantization) {
		const values = new Int32Array(count);
		for (let i = 0; i < count; i++) values[i] = view.getInt32(i * 4, true);
		return { dtype: 'int32', shape: entry.shape, values };
	}
	if (entry.dtype !== 'float32') {
		throw new TfjsUnsupportedWeightError(source, entry.name, entry.dtype);
	}
	const values = new Float32Array(count);
	if (!quantization) {
		for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
		return { dtype: 'float32', shape: entry.shape, values };
	}
	const kind = quantization.dtype;
	if (kind !== 'float16' && kind !== 'uint8' && kind !== 'uint16') {
		throw new TfjsUnsupportedWeightError(source, entry.name, `${kind}-quantized`);
	}
	if (kind === 'float16') {
		for (let i = 0; i < count; i++) values[i] = halfToFloat(view.getUint16(i * 2, true));
	} else {
		// Affine quantization as tfjs writes it: value = q * scale + min.
		const scale = quantization.scale ?? 1;
		const min = quantization.min ?? 0;
		const wide = kind === 'uint16';
		for (let i = 0; i < count; i++) {
			values[i] = (wide ? view.getUint16(i * 2, true) : view.getUint8(i)) * scale + min;
		}
	}
	return {
		dtype: 'float32',
		shape: entry.shape,
		values,
		quantization: { dtype: kind, scale: quantization.scale, min: quantization.min, bytes }
	};
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(files: TfjsFiles, source: string): Record<string, unknown> {
	let json: unknown = files.modelJson;
	if (typeof json === 'string') {
		try {
			json = JSON.parse(json);
		} catch {
			throw new TfjsNotAModelError(source, 'it is not JSON');
		}
	}
	if (!isObject(json)) throw new TfjsNotAModelError(source, 'it is not a JSON object');
	if (!isObject(json.modelTopology)) {
		throw new TfjsNotAModelError(source, 'it has no "modelTopology"');
	}
	if (!Array.isArray(json.weightsManifest)) {
		throw new TfjsNotAModelError(source, 'it has no "weightsManifest"');
	}
	return json;
}

/** The shard paths model.json names, in order; a UI asks the user for exactly these. */
export function shardPaths(modelJson: string | unknown, source = 'model.json'): string[] {
	const json = parseJson({ modelJson, shards: new Map() }, source);
	return (json.weightsManifest as WeightGroup[]).flatMap((group) => group.paths ?? []);
}

/** Shards are matched by their path, or by file name when a user drops them loose. */
function findShard(shards: ReadonlyMap<string, Uint8Array>, path: string): Uint8Array | undefined {
	const exact = shards.get(path);
	if (exact) return exact;
	const name = path.split('/').at(-1)!;
	for (const [key, bytes] of shards) if (key.split('/').at(-1) === name) return bytes;
	return undefined;
}

function readWeights(groups: WeightGroup[], files: TfjsFiles, source: string) {
	const weights = new Map<string, TfConstant>();
	const missing = groups
		.flatMap((group) => group.paths)
		.filter((path) => !findShard(files.shards, path));
	if (missing.length > 0) throw new TfjsMissingShardError(source, missing);
	for (const group of groups) {
		const shards = group.paths.map((path) => findShard(files.shards, path)!);
		const expected = group.weights.reduce((sum, entry) => sum + byteLength(entry), 0);
		const actual = shards.reduce((sum, shard) => sum + shard.byteLength, 0);
		if (expected !== actual) {
			throw new TfjsShardSizeError(source, group.paths, expected, actual);
		}
		const data = new Uint8Array(actual);
		let position = 0;
		for (const shard of shards) (data.set(shard, position), (position += shard.byteLength));
		let offset = 0;
		for (const entry of group.weights) {
			const length = byteLength(entry);
			weights.set(entry.name, decodeWeight(entry, data.subarray(offset, offset + length), source));
			offset += length;
		}
	}
	return weights;
}

export function readTfjsModel(files: TfjsFiles): TfModel {
	const source = files.source ?? 'model.json';
	const json = parseJson(files, source);
	const topology = json.modelTopology as Record<string, unknown>;
	const weights = readWeights(json.weightsManifest as WeightGroup[], files, source);
	const generatedBy = typeof json.generatedBy === 'string' ? json.generatedBy : '';
	if (Array.isArray(topology.node)) {
		const nodes = new Map(
			(topology.node as TfNode[]).map((node) => [
				node.name,
				{ ...node, input: node.input ?? [], attr: node.attr ?? {} }
			])
		);
		return { format: 'graph-model', nodes, constants: weights, generatedBy };
	}
	const config = isObject(topology.model_config) ? topology.model_config : topology;
	if (typeof config.class_name !== 'string' || !isObject(config.config)) {
		throw new TfjsNotAModelError(source, 'its topology is neither a graph nor a Keras model');
	}
	return {
		format: 'layers-model',
		topology: config as unknown as KerasModelConfig,
		weights,
		generatedBy
	};
}

/** tfjs writes string attributes base64-encoded. */
export function decodeBase64Text(value: string): string {
	const binary = atob(value);
	return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

export function stringAttr(node: TfNode, name: string): string {
	const value = node.attr[name]?.s;
	return value === undefined ? '' : decodeBase64Text(value);
}

export function intsAttr(node: TfNode, name: string): number[] {
	return (node.attr[name]?.list?.i ?? []).map(Number);
}

export function stringsAttr(node: TfNode, name: string): string[] {
	return (node.attr[name]?.list?.s ?? []).map(decodeBase64Text);
}
