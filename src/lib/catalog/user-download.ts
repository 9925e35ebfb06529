/**
 * What a download of a user model (added by URL or repo id) must pass before it can run: every
 * ONNX file has to be a self-contained ONNX graph. Its signature is recorded in the install's
 * manifest; its SHA-256, unknown beforehand, was computed by the store during the download.
 */
import type { StoredFile } from '$lib/store';
import type { ModelFile, ModelManifest } from './manifest';
import { askModelWorker } from './model-worker-client';

export function checkUserDownload(manifest: ModelManifest, variantId: string) {
	return async (stored: StoredFile[]): Promise<ModelManifest> => {
		const variant = manifest.variants.find((candidate) => candidate.id === variantId);
		if (!variant) return manifest;
		const files: ModelFile[] = [];
		for (const file of variant.files) {
			if (file.kind !== 'onnx') {
				files.push(file);
				continue;
			}
			const bytes = await stored.find((candidate) => candidate.path === file.path)!.read();
			const { graph } = await askModelWorker('checkGraph', { bytes, path: file.path }, [
				bytes.buffer
			]);
			files.push(graph ? { ...file, graph } : file);
		}
		return {
			...manifest,
			variants: manifest.variants.map((candidate) =>
				candidate.id === variantId ? { ...candidate, files } : candidate
			)
		};
	};
}
