/**
 * Test helpers that read what `npm run assets` produced: the catalog, files and ONNX sessions.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Catalog, ModelFile, ModelManifest } from '../../src/lib/catalog/manifest';
import type { TensorData } from '../../src/lib/runtime/protocol';
import { MODELS_DIR } from './paths';

export async function readBuiltCatalog(): Promise<Catalog> {
	const path = join(MODELS_DIR, 'catalog.json');
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		throw new Error(`${path} is missing: run \`npm run assets\` before the unit tests`, {
			cause: error
		});
	}
	return JSON.parse(text) as Catalog;
}

export function builtFilePath(model: ModelManifest, file: ModelFile): string {
	return join(MODELS_DIR, model.id, ...file.path.split('/'));
}

export function modelNamed(catalog: Catalog, id: string): ModelManifest {
	const model = catalog.models.find((entry) => entry.id === id);
	if (!model) throw new Error(`The catalog has no model "${id}"`);
	return model;
}

export function toOrtTensor(tensor: TensorData): ort.Tensor {
	if (Array.isArray(tensor.data)) return new ort.Tensor('string', tensor.data, tensor.dims);
	return new ort.Tensor(
		tensor.dtype as ort.Tensor.Type,
		tensor.data as ort.Tensor.DataType,
		tensor.dims
	);
}

/** Runs `use` with a session on the file, releasing the session whatever happens. */
export async function withSession<T>(
	path: string,
	use: (session: ort.InferenceSession) => Promise<T>
): Promise<T> {
	const session = await ort.InferenceSession.create(path);
	try {
		return await use(session);
	} finally {
		await session.release();
	}
}
