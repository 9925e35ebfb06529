import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMlp } from '../../src/lib/train/mlp';
import { mlpToOnnx } from '../../src/lib/train/mlp-onnx';
import { createRandom } from '../../src/lib/train/random';
import { describeFile } from './describe-files';
import { sha256Hex } from './files';

let folder: string;
const model = mlpToOnnx(createMlp([4, 3], createRandom(1)));
beforeAll(async () => {
	folder = await mkdtemp(join(tmpdir(), 'describe-'));
	await writeFile(join(folder, 'model.onnx'), model);
	await writeFile(join(folder, 'keys.txt'), 'a\nb');
});
afterAll(async () => {
	await rm(folder, { recursive: true, force: true });
});

const pixels = (dims: number[]) => ({
	name: 'pixels',
	dtype: 'float32' as const,
	dims,
	fill: 'random' as const
});

describe('describeFile', () => {
	it('records size, hash and the graph read from the file', async () => {
		const file = await describeFile(folder, 'model.onnx', {
			kind: 'onnx',
			role: 'classifier',
			sample: [pixels([2, 4])]
		});
		expect(file.bytes).toBe(model.byteLength);
		expect(file.sha256).toBe(sha256Hex(model));
		expect(file.graph!.inputs).toEqual([{ name: 'pixels', dtype: 'float32', dims: ['batch', 4] }]);
		expect(file.graph!.outputs.map((output) => output.name)).toEqual(['logits', 'probabilities']);
	});

	it('describes other files without a graph', async () => {
		const file = await describeFile(folder, 'keys.txt', { kind: 'vocabulary', role: 'keys' });
		expect(file).toEqual({
			path: 'keys.txt',
			bytes: 3,
			sha256: sha256Hex('a\nb'),
			kind: 'vocabulary',
			role: 'keys'
		});
	});

	it('rejects samples that do not fit the graph', async () => {
		const describe = (sample: ReturnType<typeof pixels>[]) =>
			describeFile(folder, 'model.onnx', { kind: 'onnx', role: 'classifier', sample });
		await expect(describe([pixels([1, 5])])).rejects.toThrow(/dims \[batch,4\], sample \[1,5\]/);
		await expect(describe([])).rejects.toThrow(/no sample for input "pixels"/);
		await expect(describe([pixels([1, 4]), { ...pixels([1]), name: 'extra' }])).rejects.toThrow(
			/"extra" is not a graph input/
		);
		await expect(
			describeFile(folder, 'model.onnx', {
				kind: 'onnx',
				role: 'classifier',
				sample: [pixels([1, 4])],
				expect: { output: 'scores', argmax: 1 }
			})
		).rejects.toThrow(/"scores", not an output/);
	});
});
