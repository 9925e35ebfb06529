import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ModelManifest, ModelVariant, VariantProvenance } from '$lib/catalog/manifest';
import { StorageUnavailableError } from './errors';

/**
 * One IndexedDB database holds every installed model variant:
 * - installs: one record per model variant, `complete` only once every file is verified;
 * - files: per file, how many bytes are stored and the running SHA-256 state, so a download
 *   resumes (and keeps hashing) from the last committed chunk;
 * - chunks: the bytes, in pieces of about a megabyte, so no download holds a whole file in memory.
 * - searchIndexes: text collections embedded by a model (semantic search), dropped with the model.
 * - userModels: the manifests of models the user added (file, URL, repo), with or without bytes.
 * - derivedVariants: variants Hearth made from another (optimized, trained, distilled), each
 *   with its provenance; their bytes are an ordinary complete install.
 * Keys are arrays ([installKey, path, index]) so everything of one install lies in one key range
 * and is deleted in one transaction.
 */

export const DB_NAME = 'hearth';
const DB_VERSION = 4;

export interface InstallRecord {
	/** `${modelId}/${variantId}` */
	key: string;
	modelId: string;
	variantId: string;
	/** The manifest as it was when the download started; a running model never sees it change. */
	manifest: ModelManifest;
	/** Where relative file paths resolve against. */
	baseUrl: string;
	complete: boolean;
	totalBytes: number;
	createdAt: number;
	completedAt: number | null;
}

export interface FileRecord {
	installKey: string;
	path: string;
	url: string;
	bytes: number;
	sha256: string;
	storedBytes: number;
	chunkCount: number;
	/** hash-wasm SHA-256 state after the stored bytes; null before the first chunk. */
	hashState: Uint8Array | null;
	/** The server's ETag, sent back as If-Range so a changed file restarts instead of mixing. */
	etag: string | null;
	verified: boolean;
	/**
	 * The chunks hold the file deflated (a pruned model's long zero runs); `storedBytes` counts
	 * the deflated bytes, `bytes` and `sha256` the file itself. Absent: stored as it is.
	 */
	compression?: 'deflate';
}

export interface ChunkRecord {
	installKey: string;
	path: string;
	index: number;
	data: ArrayBuffer;
}

/** Documents and their embeddings (row-major float32, `dims` per document). */
export interface SearchIndexRecord {
	id: string;
	name: string;
	/** The embedding model's install; queries must be embedded by the same model. */
	installKey: string;
	dims: number;
	documents: string[];
	vectors: ArrayBuffer;
	createdAt: number;
}

/** A model the user added; its variants are installed (or not) like catalog variants. */
export interface UserModelRecord {
	id: string;
	manifest: ModelManifest;
	addedAt: number;
}

/** A variant Hearth made; `variant.provenance` says how. */
export interface DerivedVariantRecord {
	/** The install key: `${modelId}/${variant.id}`. */
	key: string;
	modelId: string;
	variant: ModelVariant & { provenance: VariantProvenance };
}

export interface HearthDB extends DBSchema {
	installs: { key: string; value: InstallRecord };
	files: { key: [string, string]; value: FileRecord };
	chunks: { key: [string, string, number]; value: ChunkRecord };
	searchIndexes: { key: string; value: SearchIndexRecord; indexes: { byInstall: string } };
	userModels: { key: string; value: UserModelRecord };
	derivedVariants: { key: string; value: DerivedVariantRecord; indexes: { byModel: string } };
}

export type Database = IDBPDatabase<HearthDB>;

let opening: Promise<Database> | null = null;

export function openDatabase(): Promise<Database> {
	opening ??= open().catch((error: unknown) => {
		opening = null;
		throw error instanceof StorageUnavailableError ? error : new StorageUnavailableError(error);
	});
	return opening;
}

async function open(): Promise<Database> {
	if (typeof indexedDB === 'undefined') throw new StorageUnavailableError();
	const db = await openDB<HearthDB>(DB_NAME, DB_VERSION, {
		// Each step upgrades from the version before it, so any older database reaches this one.
		upgrade(database, oldVersion) {
			if (oldVersion < 1) {
				database.createObjectStore('installs', { keyPath: 'key' });
				database.createObjectStore('files', { keyPath: ['installKey', 'path'] });
				database.createObjectStore('chunks', { keyPath: ['installKey', 'path', 'index'] });
			}
			if (oldVersion < 2) {
				const indexes = database.createObjectStore('searchIndexes', { keyPath: 'id' });
				indexes.createIndex('byInstall', 'installKey');
			}
			if (oldVersion < 3) database.createObjectStore('userModels', { keyPath: 'id' });
			if (oldVersion < 4) {
				const derived = database.createObjectStore('derivedVariants', { keyPath: 'key' });
				derived.createIndex('byModel', 'modelId');
			}
		},
		// Another tab wants a newer schema: step aside instead of blocking it forever.
		blocking() {
			db.close();
			opening = null;
		}
	});
	return db;
}

/** Closes the connection; the next call opens a fresh one (tests, and schema upgrades). */
export async function closeDatabase(): Promise<void> {
	const pending = opening;
	opening = null;
	(await pending?.catch(() => null))?.close();
}

/** Every key that belongs to one install, in any of the array-keyed stores. */
export function installRange(installKey: string): IDBKeyRange {
	// Arrays sort after every string and number, so [key, []] is above [key, path, index].
	return IDBKeyRange.bound([installKey], [installKey, []]);
}

export function fileChunkRange(installKey: string, path: string): IDBKeyRange {
	return IDBKeyRange.bound([installKey, path, 0], [installKey, path, Infinity]);
}

export function installKeyOf(modelId: string, variantId: string): string {
	return `${modelId}/${variantId}`;
}

export function isQuotaError(error: unknown): boolean {
	return error instanceof DOMException && error.name === 'QuotaExceededError';
}
