/**
 * The Import page's steps that touch the browser: reading picked files, fetching a model by
 * URL, converting in the worker, and storing the result as a user model. Storing is one
 * IndexedDB transaction (importLocalModel), so a failure leaves nothing of the model behind.
 */
import type { ModelManifest } from '$lib/catalog/manifest';
import { getUserModel, importLocalModel, sha256Hex } from '$lib/store';
import { getConverter } from '../client';
import {
	CONVERTED_PATH,
	CONVERTED_VARIANT,
	manifestForConversion,
	type ConvertedModelSource
} from '../converted-manifest';
import { fetchTfjsModel, type FetchProgress } from '../fetch-model';
import type { ImportFile } from '../import-files';
import type { ConvertOutcome, ConvertProgress } from '../protocol';

/** A chosen folder's files keep their path inside it, so shards in sub-folders are found. */
export async function readPickedFiles(files: readonly File[]): Promise<ImportFile[]> {
	return Promise.all(
		files.map(async (file) => ({
			path: file.webkitRelativePath || file.name,
			bytes: new Uint8Array(await file.arrayBuffer())
		}))
	);
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
	return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function directoryEntries(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
	const reader = directory.createReader();
	const entries: FileSystemEntry[] = [];
	// readEntries answers in batches (100 in Chromium) until it answers with none.
	for (;;) {
		const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
			reader.readEntries(resolve, reject)
		);
		if (batch.length === 0) return entries;
		entries.push(...batch);
	}
}

/** Dropped files and folders (walked recursively), each with its path inside what was dropped. */
export async function readDroppedFiles(transfer: DataTransfer): Promise<ImportFile[]> {
	const entries = [...transfer.items]
		.map((item) => item.webkitGetAsEntry?.())
		.filter((entry): entry is FileSystemEntry => !!entry);
	if (entries.length === 0) return readPickedFiles([...transfer.files]);
	const files: ImportFile[] = [];
	const visit = async (entry: FileSystemEntry): Promise<void> => {
		if (entry.isDirectory) {
			for (const child of await directoryEntries(entry as FileSystemDirectoryEntry)) {
				await visit(child);
			}
			return;
		}
		const file = await entryFile(entry as FileSystemFileEntry);
		files.push({
			path: entry.fullPath.replace(/^\/+/, ''),
			bytes: new Uint8Array(await file.arrayBuffer())
		});
	};
	// The entries must be taken before the first await: the DataTransfer empties after the event.
	for (const entry of entries) await visit(entry);
	return files;
}

export function fetchModelFiles(
	url: string,
	onProgress: (progress: FetchProgress) => void
): Promise<ImportFile[]> {
	return fetchTfjsModel((input, init) => fetch(input, init), url.trim(), onProgress);
}

export interface ConvertRequest {
	files: readonly ImportFile[];
	source: string;
	name: string;
	outputs: string[];
}

/** Converts copies of the files, so the user can change the options and convert again. */
export function convertFiles(
	request: ConvertRequest,
	onProgress: (progress: ConvertProgress) => void
): Promise<ConvertOutcome> {
	const files = request.files.map((file) => ({ path: file.path, bytes: file.bytes.slice() }));
	const options = {
		name: request.name,
		...(request.outputs.length > 0 ? { outputs: request.outputs } : {})
	};
	return getConverter().convert({ files, source: request.source, options }, onProgress);
}

export interface SavedConversion {
	manifest: ModelManifest;
	/** The same ONNX bytes were stored before; nothing new was written. */
	alreadyAdded: boolean;
}

export async function saveConversion(
	source: ConvertedModelSource,
	result: ConvertOutcome
): Promise<SavedConversion> {
	const sha256 = await sha256Hex(result.onnx);
	const manifest = manifestForConversion(
		source,
		result.report,
		result.onnx.byteLength,
		sha256,
		result.graph
	);
	const existing = await getUserModel(manifest.id);
	if (existing) return { manifest: existing, alreadyAdded: true };
	await importLocalModel(manifest, CONVERTED_VARIANT, [
		{ path: CONVERTED_PATH, data: result.onnx }
	]);
	return { manifest, alreadyAdded: false };
}
