/**
 * Models the user added. Their manifests live in `userModels`; their bytes in the same installs,
 * files and chunks as catalog models, so the runtime reads them the same way. A model added from
 * a file is written whole in one transaction: either all of it is stored, or none.
 */
import { deflateSync } from 'fflate';
import type { ModelManifest } from '$lib/catalog/manifest';
import { createSHA256 } from 'hash-wasm';
import {
	installKeyOf,
	installRange,
	openDatabase,
	type ChunkRecord,
	type FileRecord,
	type InstallRecord
} from './db';
import { ensureSpace, UnknownVariantError } from './download';
import { asStorageError } from './installs';

export async function saveUserModel(manifest: ModelManifest): Promise<void> {
	const db = await openDatabase();
	try {
		await db.put('userModels', {
			id: manifest.id,
			manifest,
			addedAt: manifest.origin?.addedAt ?? Date.now()
		});
	} catch (error) {
		throw asStorageError(error);
	}
}

export async function getUserModel(id: string): Promise<ModelManifest | undefined> {
	return (await (await openDatabase()).get('userModels', id))?.manifest;
}

/** Oldest first, the order they were added in. */
export async function listUserModels(): Promise<ModelManifest[]> {
	const records = await (await openDatabase()).getAll('userModels');
	return records.sort((a, b) => a.addedAt - b.addedAt).map((record) => record.manifest);
}

/** Removes the model, every installed variant of it and their search indexes, in one transaction. */
export async function deleteUserModel(id: string): Promise<void> {
	const db = await openDatabase();
	const tx = db.transaction(
		['userModels', 'installs', 'files', 'chunks', 'searchIndexes', 'derivedVariants'],
		'readwrite'
	);
	const installs = (await tx.objectStore('installs').getAll()).filter(
		(install) => install.modelId === id
	);
	const indexes = tx.objectStore('searchIndexes').index('byInstall');
	const indexIds = (
		await Promise.all(installs.map((install) => indexes.getAllKeys(install.key)))
	).flat();
	await Promise.all([
		tx.objectStore('userModels').delete(id),
		...installs.flatMap((install) => [
			tx.objectStore('installs').delete(install.key),
			tx.objectStore('derivedVariants').delete(install.key),
			tx.objectStore('files').delete(installRange(install.key)),
			tx.objectStore('chunks').delete(installRange(install.key))
		]),
		...indexIds.map((indexId) => tx.objectStore('searchIndexes').delete(indexId)),
		tx.done
	]);
}

/** SHA-256 of bytes in hand, in lower-case hex, fed in slices so large files hash steadily. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
	const hasher = await createSHA256();
	hasher.init();
	const slice = 16 << 20;
	for (let offset = 0; offset < bytes.byteLength; offset += slice) {
		hasher.update(bytes.subarray(offset, offset + slice));
	}
	return hasher.digest('hex');
}

export interface LocalFileBytes {
	path: string;
	data: Uint8Array;
	/** Store it deflated (worth it for mostly-zero data such as pruned weights). */
	compress?: boolean;
}

/** What one complete install from bytes in hand consists of, ready to write in one transaction. */
export interface LocalInstall {
	install: InstallRecord;
	records: FileRecord[];
	chunks: ChunkRecord[];
}

/**
 * Lays a variant's files out like a download's chunks, as a complete, verified install. Every
 * file of the variant must be given, with the size and SHA-256 its manifest states.
 */
export function prepareLocalInstall(
	manifest: ModelManifest,
	variantId: string,
	files: LocalFileBytes[],
	chunkBytes = 1 << 20
): LocalInstall {
	const variant = manifest.variants.find((candidate) => candidate.id === variantId);
	if (!variant) throw new UnknownVariantError(manifest.id, variantId);
	const key = installKeyOf(manifest.id, variant.id);
	const records: FileRecord[] = [];
	const chunks: ChunkRecord[] = [];
	for (const file of variant.files) {
		const given = files.find((candidate) => candidate.path === file.path);
		if (!given || given.data.byteLength !== file.bytes || !file.sha256) {
			throw new Error(`prepareLocalInstall: ${file.path} is missing, or its size or hash is unset`);
		}
		const data = given.compress ? deflateSync(given.data, { level: 6 }) : given.data;
		let index = 0;
		for (let offset = 0; offset < data.byteLength; offset += chunkBytes) {
			// A copy of exactly this piece: `data` may be a view into a larger buffer.
			const piece = new Uint8Array(Math.min(chunkBytes, data.byteLength - offset));
			piece.set(data.subarray(offset, offset + piece.byteLength));
			chunks.push({ installKey: key, path: file.path, index: index++, data: piece.buffer });
		}
		records.push({
			installKey: key,
			path: file.path,
			url: '',
			bytes: file.bytes,
			sha256: file.sha256,
			storedBytes: data.byteLength,
			chunkCount: index,
			hashState: null,
			etag: null,
			verified: true,
			...(given.compress ? { compression: 'deflate' as const } : {})
		});
	}
	const now = Date.now();
	const install: InstallRecord = {
		key,
		modelId: manifest.id,
		variantId: variant.id,
		manifest,
		baseUrl: '',
		complete: true,
		totalBytes: records.reduce((sum, record) => sum + record.bytes, 0),
		createdAt: now,
		completedAt: now
	};
	return { install, records, chunks };
}

/**
 * Stores a user model and one variant's files from bytes in hand (a file the user picked),
 * already complete and verified: the model record, the install, the file records and every
 * chunk go into IndexedDB in one transaction. A failure (a full disk) aborts the transaction,
 * so nothing of the model is left behind.
 */
export async function importLocalModel(
	manifest: ModelManifest,
	variantId: string,
	files: LocalFileBytes[],
	chunkBytes = 1 << 20
): Promise<InstallRecord> {
	const { install, records, chunks } = prepareLocalInstall(manifest, variantId, files, chunkBytes);
	await ensureSpace(install.totalBytes);
	const db = await openDatabase();
	const tx = db.transaction(['userModels', 'installs', 'files', 'chunks'], 'readwrite');
	try {
		await Promise.all([
			tx
				.objectStore('userModels')
				.put({ id: manifest.id, manifest, addedAt: manifest.origin?.addedAt ?? install.createdAt }),
			tx.objectStore('installs').put(install),
			...records.map((record) => tx.objectStore('files').put(record)),
			...chunks.map((chunk) => tx.objectStore('chunks').put(chunk)),
			tx.done
		]);
	} catch (error) {
		throw asStorageError(error);
	}
	return install;
}
