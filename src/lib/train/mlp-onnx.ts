/**
 * Writes an MLP (see mlp.ts) as an ONNX graph: optionally the input normalisation ((x - offset)
 * * scale, fitted on the training split), then Gemm + activation per hidden layer, a last Gemm
 * giving the logits and a Softmax giving the probabilities. Weights are stored as float32.
 * Keeping the normalisation in the graph means the model takes the same raw features as the
 * pages feed it (pixels in [0, 1], embeddings), whatever it was trained with.
 */
import type { TensorSpec } from '../catalog/manifest';
import {
	encodeModel,
	float32Initializer,
	int,
	node,
	type ModelDefinition
} from '../optimize/onnx-writer';
import type { Activation, Mlp } from './mlp';
import type { Normalizer } from './preprocess';

export interface MlpExportOptions {
	inputName?: string;
	logitsName?: string;
	probabilitiesName?: string;
	/** Shown by model viewers; say what the model was trained on. */
	docString?: string;
	/** Applied to the input before the first layer, as the model was trained. */
	normalizer?: Normalizer | null;
}

const ACTIVATION_OPS: Record<Activation, string> = {
	relu: 'Relu',
	tanh: 'Tanh',
	sigmoid: 'Sigmoid'
};

/** Opset 17 is supported by every ORT release since 1.12, in Node and on the web. */
const OPSET = 17;

export function mlpSignature(mlp: Mlp, options: MlpExportOptions = {}) {
	const inputSize = mlp.layers[0]?.inputSize;
	const classes = mlp.layers[mlp.layers.length - 1]?.outputSize;
	if (inputSize === undefined || classes === undefined) throw new Error('The MLP has no layers');
	const input: TensorSpec = {
		name: options.inputName ?? 'pixels',
		dtype: 'float32',
		dims: ['batch', inputSize]
	};
	const logits: TensorSpec = {
		name: options.logitsName ?? 'logits',
		dtype: 'float32',
		dims: ['batch', classes]
	};
	const probabilities: TensorSpec = {
		name: options.probabilitiesName ?? 'probabilities',
		dtype: 'float32',
		dims: ['batch', classes]
	};
	return { input, logits, probabilities };
}

export function mlpToOnnx(mlp: Mlp, options: MlpExportOptions = {}): Uint8Array {
	const { input, logits, probabilities } = mlpSignature(mlp, options);
	const definition: ModelDefinition = {
		graphName: 'mlp',
		inputs: [input],
		outputs: [logits, probabilities],
		initializers: [],
		nodes: [],
		opset: OPSET,
		producer: 'hearth',
		docString: options.docString
	};
	let current = input.name;
	const normalizer = options.normalizer;
	if (normalizer && normalizer.kind !== 'none') {
		const size = input.dims[1] as number;
		if (normalizer.offset.length !== size || normalizer.scale.length !== size) {
			throw new Error(`The normaliser has ${normalizer.offset.length} features, the MLP ${size}`);
		}
		definition.initializers.push(
			float32Initializer('input.offset', [size], normalizer.offset),
			float32Initializer('input.scale', [size], normalizer.scale)
		);
		definition.nodes.push(
			node('Sub', [current, 'input.offset'], ['input.centred']),
			node('Mul', ['input.centred', 'input.scale'], ['input.normalised'])
		);
		current = 'input.normalised';
	}
	const activation = mlp.activation ?? 'relu';
	mlp.layers.forEach((layer, l) => {
		const isLast = l === mlp.layers.length - 1;
		const weightsName = `layer${l}.weights`;
		const biasName = `layer${l}.bias`;
		definition.initializers.push(
			float32Initializer(weightsName, [layer.inputSize, layer.outputSize], layer.weights),
			float32Initializer(biasName, [layer.outputSize], layer.bias)
		);
		const linear = isLast ? logits.name : `layer${l}.linear`;
		definition.nodes.push(node('Gemm', [current, weightsName, biasName], [linear]));
		current = linear;
		if (!isLast) {
			const activated = `layer${l}.${activation}`;
			definition.nodes.push(node(ACTIVATION_OPS[activation], [linear], [activated]));
			current = activated;
		}
	});
	definition.nodes.push(node('Softmax', [logits.name], [probabilities.name], { axis: int(-1) }));
	return encodeModel(definition);
}
