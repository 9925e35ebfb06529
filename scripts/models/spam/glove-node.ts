/**
 * Sentence embeddings in Node with the built GloVe embedder, computed the way the browser's
 * `embed` task computes them: transformers.js's tokenizer from the model's own tokenizer.json,
 * no special tokens, texts cut to `maxTokens`, then the ONNX graph in onnxruntime-node.
 */
import { AutoTokenizer, env } from '@huggingface/transformers';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';

const BATCH = 256;

export async function embedWithGlove(
	modelDir: string,
	onnxPath: string,
	texts: readonly string[],
	maxTokens: number
): Promise<{ vectors: Float32Array; dims: number }> {
	env.allowRemoteModels = false;
	env.allowLocalModels = true;
	env.localModelPath = `${dirname(modelDir)}/`;
	const tokenizer = await AutoTokenizer.from_pretrained(modelDir.split('/').pop() as string);
	const session = await ort.InferenceSession.create(join(modelDir, onnxPath));
	try {
		let dims = 0;
		const rows: Float32Array[] = [];
		for (let start = 0; start < texts.length; start += BATCH) {
			const batch = texts.slice(start, start + BATCH).map((text) => text.trim());
			const encoded = batch.map((text) =>
				tokenizer.encode(text, { add_special_tokens: false }).slice(0, maxTokens)
			);
			const length = Math.max(1, ...encoded.map((ids) => ids.length));
			const ids = new BigInt64Array(batch.length * length);
			const mask = new BigInt64Array(batch.length * length);
			encoded.forEach((tokens, row) =>
				tokens.forEach((id, column) => {
					ids[row * length + column] = BigInt(id);
					mask[row * length + column] = 1n;
				})
			);
			const shape = [batch.length, length];
			const output = await session.run({
				input_ids: new ort.Tensor('int64', ids, shape),
				attention_mask: new ort.Tensor('int64', mask, shape)
			});
			const vectors = output[session.outputNames[0] as string] as ort.Tensor;
			dims = vectors.dims[1] as number;
			rows.push(new Float32Array(vectors.data as Float32Array));
		}
		const vectors = new Float32Array(texts.length * dims);
		let offset = 0;
		for (const row of rows) {
			vectors.set(row, offset);
			offset += row.length;
		}
		return { vectors, dims };
	} finally {
		await session.release();
	}
}
