/**
 * The GloVe embedder's compressed variants, made from the built fp32 graph by Hearth's own
 * optimizer (src/lib/optimize, the code the Optimize page runs in the browser): fp16 weights,
 * int8 weight-only and int4 block-wise. They share the fp32 variant's tokenizer files.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelFile, ModelVariant, SampleTensor } from '../../../src/lib/catalog/manifest';
import {
	describeSettings,
	precisionOf,
	type OptimizeSettings
} from '../../../src/lib/optimize/methods';
import { optimizeOnnx } from '../../../src/lib/optimize/optimize';
import { describeFile } from '../describe-files';
import { writeFileAtomic } from '../files';

interface Recipe {
	id: string;
	name: string;
	settings: OptimizeSettings;
}

/** The embedding table is read by a Gather: the one weight worth compressing. */
export const GLOVE_RECIPES: Recipe[] = [
	{ id: 'fp16', name: 'Half precision', settings: { method: 'fp16', activations: false } },
	{
		id: 'int8',
		name: '8-bit weights',
		settings: {
			method: 'int8-weight-only',
			ops: ['Gather', 'MatMul', 'Gemm'],
			symmetric: true,
			perChannel: true
		}
	},
	{
		id: 'int4',
		name: '4-bit weights',
		settings: { method: 'int4', ops: ['Gather', 'MatMul', 'Gemm'], blockSize: 32, symmetric: true }
	}
];

export async function buildOptimizedVariants(
	outputDir: string,
	fp32Path: string,
	sample: SampleTensor[],
	companions: ModelFile[],
	log: (message: string) => void
): Promise<ModelVariant[]> {
	const source = new Uint8Array(await readFile(join(outputDir, fp32Path)));
	const variants: ModelVariant[] = [];
	for (const recipe of GLOVE_RECIPES) {
		const path = `${recipe.id}/model.onnx`;
		const { bytes, report } = optimizeOnnx(source, fp32Path, recipe.settings);
		await writeFileAtomic(join(outputDir, path), bytes);
		log(`${recipe.id}: ${report.bytesBefore} → ${report.bytesAfter} bytes`);
		const model = await describeFile(outputDir, path, { kind: 'onnx', role: 'embedder', sample });
		variants.push({
			id: recipe.id,
			name: recipe.name,
			description:
				`Made from the fp32 variant by Hearth's optimizer, the code behind the Optimize page ` +
				`(${describeSettings(recipe.settings)}): ${report.changes.join('; ')}.`,
			precision: precisionOf(recipe.settings),
			files: [model, ...companions]
		});
	}
	return variants;
}
