/**
 * Writes an MLP (see mlp.ts) as an ONNX graph: Gemm + Relu per hidden layer, a last Gemm giving
 * the logits and a Softmax giving the probabilities. Weights are stored as float32.
 */
import type { TensorSpec } from '../catalog/manifest';
import {
	encodeModel,
	float32Initializer,
	int,
	node,
	type ModelDefinition
} from '../optimize/onnx-writer';
import type { Mlp } from './mlp';

export interface MlpExportOptions {
	inputName?: string;
	logitsName?: string;
	probabilitiesName?: string;
	/** Shown by model viewers; say what the model was trained on. */
	docString?: string;
}

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
			const activated = `layer${l}.relu`;
			definition.nodes.push(node('Relu', [linear], [activated]));
			current = activated;
		}
	});
	definition.nodes.push(node('Softmax', [logits.name], [probabilities.name], { axis: int(-1) }));
	return encodeModel(definition);
}
