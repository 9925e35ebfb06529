/**
 * The sentence-embedding graph: look up each token's vector and weight, average the vectors by
 * weight over the real tokens (attention_mask = 1), then scale to unit length.
 *
 *   input_ids, attention_mask: int64 [batch, sequence]  ->  sentence_embedding: float32 [batch, D]
 *
 * Padding and [UNK] have weight 0, so they never count; a text with no known word gives the zero
 * vector rather than NaN (both divisions are guarded by a small floor).
 */
import {
	encodeModel,
	float32Initializer,
	int,
	int64Initializer,
	node
} from '../../../src/lib/optimize/onnx-writer';

export interface EmbedderWeights {
	/** Row-major [rows, dimensions]. */
	table: Float32Array;
	/** One pooling weight per row. */
	tokenWeights: Float32Array;
	dimensions: number;
	docString: string;
}

const OPSET = 17;

export function embedderToOnnx(weights: EmbedderWeights): Uint8Array {
	const rows = weights.tokenWeights.length;
	if (weights.table.length !== rows * weights.dimensions) {
		throw new Error(`The table has ${weights.table.length} values for ${rows} rows`);
	}
	return encodeModel({
		graphName: 'glove_sentence_embedder',
		producer: 'hearth',
		docString: weights.docString,
		opset: OPSET,
		inputs: [
			{ name: 'input_ids', dtype: 'int64', dims: ['batch', 'sequence'] },
			{ name: 'attention_mask', dtype: 'int64', dims: ['batch', 'sequence'] }
		],
		outputs: [
			{ name: 'sentence_embedding', dtype: 'float32', dims: ['batch', weights.dimensions] }
		],
		initializers: [
			float32Initializer('embeddings', [rows, weights.dimensions], weights.table),
			float32Initializer('token_weights', [rows], weights.tokenWeights),
			int64Initializer('axis_last', [1], [-1]),
			int64Initializer('axis_sequence', [1], [1]),
			float32Initializer('floor', [], [1e-12])
		],
		nodes: [
			node('Gather', ['embeddings', 'input_ids'], ['token_vectors'], { axis: int(0) }),
			node('Gather', ['token_weights', 'input_ids'], ['vocabulary_weights'], { axis: int(0) }),
			node('Cast', ['attention_mask'], ['mask'], { to: int(1) }),
			node('Mul', ['vocabulary_weights', 'mask'], ['weights']),
			node('Unsqueeze', ['weights', 'axis_last'], ['weights_column']),
			node('Mul', ['token_vectors', 'weights_column'], ['weighted_vectors']),
			node('ReduceSum', ['weighted_vectors', 'axis_sequence'], ['weighted_sum'], {
				keepdims: int(0)
			}),
			node('ReduceSum', ['weights', 'axis_sequence'], ['weight_total'], { keepdims: int(1) }),
			node('Max', ['weight_total', 'floor'], ['safe_weight_total']),
			node('Div', ['weighted_sum', 'safe_weight_total'], ['mean_vector']),
			node('Mul', ['mean_vector', 'mean_vector'], ['squares']),
			node('ReduceSum', ['squares', 'axis_last'], ['squared_norm'], { keepdims: int(1) }),
			node('Sqrt', ['squared_norm'], ['norm']),
			node('Max', ['norm', 'floor'], ['safe_norm']),
			node('Div', ['mean_vector', 'safe_norm'], ['sentence_embedding'])
		]
	});
}
