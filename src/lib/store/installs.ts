import { inflateSync } from 'fflate';
import {
	fileChunkRange,
	installRange,
	isQuotaError,
	openDatabase,
	type ChunkRecord,
	type FileRecord,
	type InstallRecord
} from './db';
import { ModelNotInstalledError, StorageFullError } from './errors';

/** What the Models page needs to show for an install, finished or not. */
export interface InstallSummary {
	record: InstallRecord;
	storedBytes: number;
	files: Pick<FileRecord, 'path' | 'bytes' | 'storedBytes' | 'verified'>[];
}

export async function listInstalls(): Promise<InstallSummary[]> {
	const db = await openDatabase();
	const tx = db.transaction(['installs', 'files'], 'readonly');
	const [installs, files] = await Promise.all([
		tx.objectStore('installs').getAll(),
		tx.objectStore('files').getAll()
	]);
	return installs.map((record) => {
		const own = files.filter((file) => file.installKey === record.key);
		return {
			record,
			storedBytes: own.reduce((sum, file) => sum + file.storedBytes, 0),
			files: own.map(({ path, bytes, storedBytes, verified }) => ({
				path,
				bytes,
				storedBytes,
				verified
			}))
		};
	});
}

export async function getInstall(key: string): Promise<InstallRecord | undefined> {
	const db = await openDatabase();
	return db.get('installs', key);
}

/**
 * Removes an install, its file records, all its bytes and the search indexes its model made, in
 * one transaction.
 */
export async function deleteInstall(key: string): Promise<void> {
	const db = await openDatabase();
	const tx = db.transaction(
		['installs', 'files', 'chunks', 'searchIndexes', 'derivedVariants'],
		'readwrite'
	);
	const indexIds = await tx.objectStore('searchIndexes').index('byInstall').getAllKeys(key);
	await Promise.all([
		tx.objectStore('installs').delete(key),
		// A derived variant is nothing without its bytes: it goes with them.
		tx.objectStore('derivedVariants').delete(key),
		tx.objectStore('files').delete(installRange(key)),
		tx.objectStore('chunks').delete(installRange(key)),
		...indexIds.map((id) => tx.objectStore('searchIndexes').delete(id)),
		tx.done
	]);
}

/**
 * Every model's bytes, search index, derived variant and the models the user added: the store
 * starts empty.
 */
export async function deleteAllInstalls(): Promise<void> {
	const db = await openDatabase();
	const stores = [
		'installs',
		'files',
		'chunks',
		'searchIndexes',
		'userModels',
		'derivedVariants'
	] as const;
	const tx = db.transaction(stores, 'readwrite');
	await Promise.all([...stores.map((store) => tx.objectStore(store).clear()), tx.done]);
}

/**
 * The whole file as one buffer, which is what an inference session needs. Only files of a
 * complete install are served, so a half-downloaded model can never be run.
 */
export async function readInstalledFile(key: string, path: string): Promise<Uint8Array> {
	const db = await openDatabase();
	const tx = db.transaction(['installs', 'files', 'chunks'], 'readonly');
	const [install, file, chunks] = await Promise.all([
		tx.objectStore('installs').get(key),
		tx.objectStore('files').get([key, path]),
		tx.objectStore('chunks').getAll(fileChunkRange(key, path))
	]);
	if (!install?.complete || !file?.verified) throw new ModelNotInstalledError(key);
	const stored = joinChunks(chunks, file.compression ? file.storedBytes : file.bytes);
	const bytes = stored && file.compression === 'deflate' ? inflateSync(stored) : stored;
	if (!bytes || bytes.byteLength !== file.bytes) throw new ModelNotInstalledError(key);
	return bytes;
}

/** A file's chunks (in key order) as one buffer, or null when they do not add up to `size`. */
export function joinChunks(chunks: readonly ChunkRecord[], size: number): Uint8Array | null {
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		if (offset + chunk.data.byteLength > size) return null;
		bytes.set(new Uint8Array(chunk.data), offset);
		offset += chunk.data.byteLength;
	}
	return offset === size ? bytes : null;
}

export async function readInstalledText(key: string, path: string): Promise<string> {
	return new TextDecoder().decode(await readInstalledFile(key, path));
}

export interface StorageInfo {
	usage: number | null;
	quota: number | null;
	persisted: boolean | null;
}

export async function getStorageInfo(): Promise<StorageInfo> {
	const storage = globalThis.navigator?.storage;
	const [estimate, persisted] = await Promise.all([
		storage?.estimate?.() ?? Promise.resolve(undefined),
		storage?.persisted?.() ?? Promise.resolve(null)
	]);
	return { usage: estimate?.usage ?? null, quota: estimate?.quota ?? null, persisted };
}

/**
 * Asks the browser to keep Hearth's data under storage pressure. Chromium grants it silently
 * for sites the user engages with and refuses otherwise; either answer is shown to the user.
 */
export async function requestPersistentStorage(): Promise<boolean | null> {
	const storage = globalThis.navigator?.storage;
	if (!storage?.persist) return null;
	if (await storage.persisted()) return true;
	return storage.persist();
}

/** Wraps IndexedDB's quota error into the error the user should see. */
export function asStorageError(error: unknown): unknown {
	return isQuotaError(error) ? new StorageFullError(error) : error;
}
