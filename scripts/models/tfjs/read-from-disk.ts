/**
 * Reads a TensorFlow.js model from a package folder through the same reader the Import page
 * uses (src/lib/convert/tfjs-model.ts), so the build converts catalog models with the code
 * users run.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
	readTfjsModel,
	shardPaths,
	type TfGraphModel,
	type TfModel
} from '../../../src/lib/convert/tfjs-model';

export async function readTfjsModelFromDisk(modelJsonPath: string): Promise<TfModel> {
	const modelJson = await readFile(modelJsonPath, 'utf8');
	const shards = new Map<string, Uint8Array>();
	for (const path of shardPaths(modelJson, modelJsonPath)) {
		shards.set(path, new Uint8Array(await readFile(join(dirname(modelJsonPath), path))));
	}
	return readTfjsModel({ modelJson, shards, source: modelJsonPath });
}

export async function readGraphModel(modelJsonPath: string): Promise<TfGraphModel> {
	const model = await readTfjsModelFromDisk(modelJsonPath);
	if (model.format !== 'graph-model') throw new Error(`${modelJsonPath} is not a graph-model`);
	return model;
}
