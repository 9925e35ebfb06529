/**
 * Converts a TensorFlow.js layers-model (a Keras topology: Sequential or functional, nested
 * models included) to ONNX. The graph input keeps tfjs's NHWC layout and shape with a symbolic
 * batch; spatial tensors go NCHW right after it and stay so (see layers-emitter.ts). Every layer
 * class is checked before anything is converted, so an unsupported model names all its gaps at
 * once. Pure and browser-safe: the Import page and the build step run the same code.
 */
import type { TensorSpec } from '../catalog/manifest';
import { encodeModel } from '../optimize/onnx-writer';
import { TfjsConversionError, TfjsUnsupportedOpsError } from './errors';
import { OnnxEmitter, TO_NCHW, intsA, type Converted } from './layers-emitter';
import {
	ACTIVATION_NAMES,
	LAYER_CONVERTERS,
	activationName,
	type LayerContext
} from './layers-ops';
import type { TfConstant, TfLayersModel } from './tfjs-model';
import type { ConversionResult, ConvertOptions } from './types';

const OPSET = 18;
const MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

type Config = Record<string, unknown>;

interface KerasLayer {
	class_name: string;
	name: string;
	config: Config;
	inbound_nodes?: unknown[];
}

/** A reference to a layer's output: [layer, node index, tensor index]. */
type TensorRef = [string, number, number];

const isObject = (value: unknown): value is Config =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

function layersOf(model: { class_name: string; config: unknown }): KerasLayer[] {
	const config = model.config;
	const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
	if (!Array.isArray(layers)) return [];
	return layers.map((layer: KerasLayer) => ({
		...layer,
		name: layer.name ?? (layer.config?.name as string),
		config: layer.config ?? {}
	}));
}

/** Every layer class (and activation) the model uses that no converter handles, in order. */
function unsupportedClasses(model: { class_name: string; config: unknown }): string[] {
	const unknown = new Set<string>();
	const walk = (current: { class_name: string; config: unknown }) => {
		for (const layer of layersOf(current)) {
			if (MODEL_CLASSES.has(layer.class_name)) walk(layer);
			else if (layer.class_name !== 'InputLayer' && !LAYER_CONVERTERS[layer.class_name])
				unknown.add(layer.class_name);
			else if ('activation' in layer.config) {
				const activation = activationName(layer.config);
				if (!ACTIVATION_NAMES.includes(activation)) unknown.add(`${activation} activation`);
			}
		}
	};
	walk(model);
	return [...unknown];
}

/** The tensors one call of a layer reads, from Keras 2's lists or Keras 3's keras_history. */
function inboundRefs(node: unknown): TensorRef[] {
	if (Array.isArray(node)) {
		if (typeof node[0] === 'string') return [[node[0], Number(node[1] ?? 0), Number(node[2] ?? 0)]];
		return node.flatMap(inboundRefs);
	}
	if (isObject(node)) {
		const history = isObject(node.config) ? node.config.keras_history : undefined;
		if (Array.isArray(history)) return inboundRefs(history);
		return inboundRefs(node.args ?? []);
	}
	return [];
}

const bytesOf = (weight: TfConstant) =>
	weight.quantization?.bytes.byteLength ?? weight.values.length * 4;

export function convertLayersModel(
	model: TfLayersModel,
	options: ConvertOptions
): ConversionResult {
	const source = options.name;
	const unknown = unsupportedClasses(model.topology);
	if (unknown.length > 0) throw new TfjsUnsupportedOpsError(source, 'layer', unknown);

	const g = new OnnxEmitter();
	const inputs: TensorSpec[] = [];
	const sourceOps: Record<string, number> = {};
	const used = new Set<string>();
	const notes: string[] = [];
	let dropped = 0;
	const total = countCalls(model.topology) + 1;
	let done = 0;
	const progress = (stage: string) => options.onProgress?.(done, total, stage);

	const findWeight = (layer: string, param: string): [string, TfConstant] | undefined => {
		const key = `${layer}/${param}`;
		const exact = model.weights.get(key);
		if (exact) return [key, exact];
		for (const [name, weight] of model.weights) if (name.endsWith(`/${key}`)) return [name, weight];
		return undefined;
	};

	const graphInput = (name: string, config: Config): Converted => {
		const declared = (config.batch_input_shape ?? config.batch_shape) as
			(number | null)[] | undefined;
		if (!Array.isArray(declared)) {
			throw new TfjsConversionError(source, `input "${name}"`, 'it declares no batch_input_shape');
		}
		const fixed = options.inputShapes?.[name];
		const dims = declared.map((size, axis) => {
			const given = fixed?.length === declared.length ? fixed[axis] : fixed?.[axis - 1];
			return size ?? (given !== undefined && given >= 0 ? given : null);
		});
		const spec: TensorSpec = {
			name,
			dtype: 'float32',
			dims: dims.map((size, axis) => (axis === 0 ? 'batch' : (size ?? `${name}_${axis}`)))
		};
		inputs.push(spec);
		const shape = dims.slice(1);
		if (shape.length !== 3) return { name, shape, nchw: false };
		return { name: g.emit('Transpose', [name], [intsA('perm', TO_NCHW)]), shape, nchw: true };
	};

	const convertLayer = (layer: KerasLayer, layerInputs: Converted[]): Converted[] => {
		if (MODEL_CLASSES.has(layer.class_name)) return convertNetwork(layer, layerInputs);
		sourceOps[layer.class_name] = (sourceOps[layer.class_name] ?? 0) + 1;
		const fail = (why: string): never => {
			throw new TfjsConversionError(source, `layer "${layer.name}" (${layer.class_name})`, why);
		};
		const ctx: LayerContext = {
			g,
			name: layer.name,
			className: layer.class_name,
			config: layer.config,
			fail,
			weight: (param) => {
				const found = findWeight(layer.name, param);
				if (!found)
					return fail(`its weight "${layer.name}/${param}" is not in the weights manifest`);
				used.add(found[0]);
				return found[1];
			}
		};
		if (LAYER_CONVERTERS[layer.class_name] === LAYER_CONVERTERS.Dropout) dropped++;
		try {
			const out = LAYER_CONVERTERS[layer.class_name]!(ctx, layerInputs);
			done++;
			progress('layers');
			return [out];
		} catch (error) {
			if (error instanceof TfjsConversionError) throw error;
			return fail(error instanceof Error ? error.message : String(error));
		}
	};

	/** Converts a (possibly nested) model; `given` are its inputs when it is used as a layer. */
	function convertNetwork(
		network: { class_name: string; config: unknown },
		given: Converted[] | null
	): Converted[] {
		const layers = layersOf(network);
		if (network.class_name === 'Sequential') {
			const [first, ...rest] = layers;
			if (!first) throw new TfjsConversionError(source, 'the Sequential model', 'it has no layers');
			let current: Converted[];
			let chain = rest;
			if (given) current = given;
			else if (first.class_name === 'InputLayer') current = [graphInput(first.name, first.config)];
			else current = [graphInput(`${first.name}_input`, first.config)];
			if (first.class_name !== 'InputLayer') chain = [first, ...rest];
			for (const layer of chain) current = convertLayer(layer, current);
			return current;
		}
		const config = network.config as Config;
		const tensors = new Map<string, Converted>();
		const key = (layer: string, node: number, tensor: number) => `${layer}:${node}:${tensor}`;
		const inputRefs = inboundRefs(config.input_layers ?? []);
		inputRefs.forEach(([name, node, tensor], i) => {
			const layer = layers.find((candidate) => candidate.name === name);
			const converted = given ? given[i] : layer ? graphInput(name, layer.config) : undefined;
			if (!converted) throw new TfjsConversionError(source, `input "${name}"`, 'it is not given');
			tensors.set(key(name, node, tensor), converted);
		});
		const lookup = (ref: TensorRef): Converted | undefined =>
			tensors.get(key(...ref)) ?? tensors.get(key(ref[0], 0, ref[2]));
		// Each call of each layer, converted once all its inputs are (layers may be shared).
		const pending = layers
			.filter((layer) => layer.class_name !== 'InputLayer')
			.flatMap((layer) =>
				(layer.inbound_nodes ?? []).map((node, index) => ({ layer, node, index }))
			);
		while (pending.length > 0) {
			const ready = pending.findIndex((call) => inboundRefs(call.node).every((ref) => lookup(ref)));
			if (ready < 0) {
				const names = pending.map((call) => call.layer.name).join(', ');
				throw new TfjsConversionError(source, `layers ${names}`, 'their inputs are never produced');
			}
			const [{ layer, node, index }] = pending.splice(ready, 1) as [(typeof pending)[number]];
			const outputs = convertLayer(
				layer,
				inboundRefs(node).map((ref) => lookup(ref)!)
			);
			outputs.forEach((out, t) => tensors.set(key(layer.name, index, t), out));
		}
		return inboundRefs(config.output_layers ?? []).map((ref) => {
			const out = lookup(ref);
			if (!out) throw new TfjsConversionError(source, `output "${ref[0]}"`, 'it is never produced');
			return out;
		});
	}

	progress('layers');
	const outputTensors = convertNetwork(model.topology, null);
	const outputNames = outputNamesOf(model.topology, outputTensors.length);
	const outputs: TensorSpec[] = outputTensors.map((tensor, i) => {
		const name = outputNames[i]!;
		g.emit('Identity', [g.plain(tensor)], [], name);
		return {
			name,
			dtype: 'float32',
			dims: ['batch', ...tensor.shape.map((size, axis) => size ?? `${name}_${axis + 1}`)]
		};
	});

	progress('writing');
	const onnx = encodeModel({
		graphName: options.name,
		inputs,
		outputs,
		initializers: g.initializers,
		nodes: g.nodes,
		opset: OPSET,
		producer: 'hearth',
		docString: `Converted by Hearth from a TensorFlow.js layers-model (${model.generatedBy || 'tfjs'})`
	});
	done = total;
	progress('done');

	if (g.compactWeights.size > 0)
		notes.push(
			`${g.compactWeights.size} quantized weights are kept in their stored form (uint8 or float16) ` +
				'and dequantized by Cast/Mul/Add, which ONNX Runtime folds when it loads the model.'
		);
	if (inputs.some((input) => input.dims.length === 4))
		notes.push("Image inputs keep TF.js's NHWC layout ([batch, height, width, channels]).");
	if (dropped > 0)
		notes.push(`${dropped} dropout/noise layers pass their input through (inference).`);
	const unusedWeights = [...model.weights.keys()].filter((name) => !used.has(name));
	if (unusedWeights.length > 0)
		notes.push(
			`${unusedWeights.length} weights are not used by any layer: ${unusedWeights.slice(0, 5).join(', ')}`
		);

	const usedWeights = [...used].map((name) => model.weights.get(name)!);
	return {
		onnx,
		report: {
			format: 'layers-model',
			sourceOps,
			onnxOps: g.opCounts(),
			parameters: usedWeights.reduce((sum, weight) => sum + weight.values.length, 0),
			sourceBytes: [...model.weights.values()].reduce((sum, weight) => sum + bytesOf(weight), 0),
			onnxBytes: onnx.byteLength,
			inputs,
			outputs,
			notes
		}
	};
}

function countCalls(model: { class_name: string; config: unknown }): number {
	return layersOf(model).reduce((sum, layer) => {
		if (MODEL_CLASSES.has(layer.class_name)) return sum + countCalls(layer);
		if (layer.class_name === 'InputLayer') return sum;
		return sum + Math.max(1, layer.inbound_nodes?.length ?? 1);
	}, 0);
}

/** Output names: the output layers' names (Sequential: its last layer), made unique. */
function outputNamesOf(model: { class_name: string; config: unknown }, count: number): string[] {
	let names: string[];
	if (model.class_name === 'Sequential') names = [layersOf(model).at(-1)?.name ?? 'output'];
	else names = inboundRefs((model.config as Config).output_layers ?? []).map(([name]) => name);
	return Array.from({ length: count }, (_, i) => {
		const name = names[i] ?? `output_${i}`;
		return names.indexOf(name) === i ? name : `${name}_${i}`;
	});
}
