/**
 * The heavy half of adding a model, run in the model worker: decoding and checking the ONNX
 * graph, hashing, and storing. Kept off the page because a large model takes seconds to decode.
 */
import { parseSelfContainedOnnx } from '$lib/optimize/onnx-graph';
import { inspectOnnxBytes, type ModelInspection } from '$lib/optimize/onnx-inspect';
import { getUserModel, importLocalModel, readInstalledFile, sha256Hex } from '$lib/store';
import type { GraphSpec, ModelManifest } from './manifest';
import { graphSpecOf, manifestForFile } from './user-manifest';

export interface ImportResult {
	manifest: ModelManifest;
	/** The same file was added before; nothing new was stored. */
	alreadyAdded: boolean;
}

/** Checks a file is a self-contained ONNX model, then stores it as a new user model. */
export async function importLocalFile(file: Blob, fileName: string): Promise<ImportResult> {
	const bytes = new Uint8Array(await file.arrayBuffer());
	const model = parseSelfContainedOnnx(bytes, fileName);
	const sha256 = await sha256Hex(bytes);
	const manifest = manifestForFile(fileName, bytes.byteLength, sha256, graphSpecOf(model));
	const existing = await getUserModel(manifest.id);
	if (existing) return { manifest: existing, alreadyAdded: true };
	const variant = manifest.variants[0]!;
	await importLocalModel(manifest, variant.id, [{ path: variant.files[0]!.path, data: bytes }]);
	return { manifest, alreadyAdded: false };
}

/** For a finished download: refuses what is not a usable graph, else describes its signature. */
export function checkDownloadedGraph(bytes: Uint8Array, path: string): { graph?: GraphSpec } {
	const graph = graphSpecOf(parseSelfContainedOnnx(bytes, path));
	return graph ? { graph } : {};
}

export async function inspectInstalledFile(
	installKey: string,
	path: string
): Promise<ModelInspection> {
	return inspectOnnxBytes(await readInstalledFile(installKey, path), path);
}
