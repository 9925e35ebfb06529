import type { ModelManifest, ModelVariant } from '$lib/catalog/manifest';
import { HearthError } from '$lib/errors';
import {
	fileChunkRange,
	installKeyOf,
	installRange,
	openDatabase,
	type Database,
	type FileRecord,
	type InstallRecord
} from './db';
import {
	DownloadBusyError,
	InsufficientStorageError,
	ModelNotInstalledError,
	NetworkError
} from './errors';
import { ConnectionLost, isAbort, transferRemainder, verifyFile } from './file-transfer';
import { asStorageError, deleteInstall, joinChunks } from './installs';
import { TransferMeter, type DownloadPhase, type DownloadProgress } from './progress';

export interface DownloadOptions {
	signal?: AbortSignal;
	onProgress?: (progress: DownloadProgress) => void;
	/** Bytes per IndexedDB chunk: the most a reload can lose, and the most held in memory. */
	chunkBytes?: number;
	/** Reconnection attempts after a dropped connection, each resuming where the last stopped. */
	retries?: number;
	retryDelayMs?: number;
	/**
	 * Runs once every file is stored and hashed, before the install becomes usable. It may refuse
	 * the files by throwing (everything of the install is then removed, as for a damaged file) or
	 * return the manifest to record instead of the one downloaded (say, with graph signatures).
	 */
	finish?: (files: StoredFile[]) => Promise<ModelManifest | void>;
}

/** A downloaded file, for `finish` to check. */
export interface StoredFile {
	path: string;
	bytes: number;
	/** Verified against the manifest, or computed from the bytes when the manifest had none. */
	sha256: string;
	read(): Promise<Uint8Array>;
}

const DEFAULTS = { chunkBytes: 1 << 20, retries: 3, retryDelayMs: 500 };
/** Room for IndexedDB's own bookkeeping on top of the file bytes. */
const STORAGE_HEADROOM = 1.05;

export class UnknownVariantError extends HearthError {
	constructor(modelId: string, variantId: string) {
		super(
			'unknown-variant',
			`${modelId} has no variant "${variantId}". Pick one of the variants listed.`
		);
		this.name = 'UnknownVariantError';
	}
}

/**
 * Downloads every file of a model variant into IndexedDB, resuming whatever an earlier attempt
 * stored, and marks the install complete only once every file passed its SHA-256 check.
 * Dropped connections are retried from the stored length; an abort keeps the stored bytes (the
 * caller decides whether that was a pause or a cancel). Errors that make the download pointless
 * (missing file, damaged file, storage full) remove everything of the install before they reach
 * the caller, so the store never holds a half model that nobody can finish.
 */
export async function downloadVariant(
	manifest: ModelManifest,
	variantId: string,
	baseUrl: string,
	options: DownloadOptions = {}
): Promise<InstallRecord> {
	const variant = manifest.variants.find((candidate) => candidate.id === variantId);
	if (!variant) throw new UnknownVariantError(manifest.id, variantId);
	const key = installKeyOf(manifest.id, variantId);
	return withDownloadLock(key, async () => {
		const db = await openDatabase();
		const existing = await db.get('installs', key);
		if (existing?.complete) return existing;
		const files = await planFiles(db, key, variant, baseUrl);
		await ensureSpace(files.reduce((sum, file) => sum + file.bytes - file.storedBytes, 0));
		if (!existing) await createInstall(db, manifest, variant, baseUrl, files);
		try {
			return await fetchAll(db, key, files, { ...DEFAULTS, ...options });
		} catch (error) {
			if (!isResumable(error)) await deleteInstall(key);
			throw error;
		}
	});
}

function isResumable(error: unknown): boolean {
	return isAbort(error) || error instanceof NetworkError;
}

function storedFile(db: Database, file: FileRecord): StoredFile {
	return {
		path: file.path,
		bytes: file.bytes,
		sha256: file.sha256,
		read: async () => {
			const chunks = await db.getAll('chunks', fileChunkRange(file.installKey, file.path));
			const bytes = joinChunks(chunks, file.bytes);
			if (!bytes) throw new ModelNotInstalledError(file.installKey);
			return bytes;
		}
	};
}

async function fetchAll(
	db: Database,
	key: string,
	files: FileRecord[],
	options: DownloadOptions & typeof DEFAULTS
): Promise<InstallRecord> {
	const totalBytes = files.reduce((sum, file) => sum + file.bytes, 0);
	const received = new Map(files.map((file) => [file.path, file.storedBytes]));
	const resumedFromBytes = sum(received.values());
	const meter = new TransferMeter();
	let phase: DownloadPhase = 'downloading';
	let lastReport = 0;

	const report = (force = false) => {
		const now = performance.now();
		if (!force && now - lastReport < 100) return;
		lastReport = now;
		const receivedBytes = sum(received.values());
		meter.record(receivedBytes - resumedFromBytes, now);
		options.onProgress?.({
			key,
			phase,
			files: files.map((file) => ({
				path: file.path,
				bytes: file.bytes,
				receivedBytes: received.get(file.path) ?? 0,
				verified: file.verified
			})),
			receivedBytes,
			totalBytes,
			resumedFromBytes,
			bytesPerSecond: meter.bytesPerSecond(),
			secondsLeft: meter.secondsLeft(totalBytes - receivedBytes)
		});
	};

	const context = {
		db,
		chunkBytes: options.chunkBytes,
		signal: options.signal,
		onBytes(file: FileRecord, bytes: number) {
			received.set(file.path, bytes);
			report();
		}
	};
	report(true);
	for (const file of files) {
		if (file.verified) continue;
		await transferWithRetries(context, file, options);
		phase = 'verifying';
		report(true);
		await verifyFile(db, file);
		phase = 'downloading';
		report(true);
	}
	let manifest: ModelManifest | undefined;
	if (options.finish) {
		phase = 'verifying';
		report(true);
		manifest = (await options.finish(files.map((file) => storedFile(db, file)))) ?? undefined;
	}
	const record = await markComplete(db, key, manifest);
	phase = 'done';
	report(true);
	return record;
}

async function transferWithRetries(
	context: Parameters<typeof transferRemainder>[0],
	file: FileRecord,
	options: typeof DEFAULTS
): Promise<void> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await transferRemainder(context, file);
		} catch (error) {
			if (!(error instanceof ConnectionLost)) throw error;
			if (attempt >= options.retries || context.signal?.aborted) {
				throw new NetworkError(file.url, file.storedBytes, error.cause);
			}
			await sleep(options.retryDelayMs * 2 ** attempt, context.signal);
		}
	}
}

async function planFiles(
	db: Database,
	key: string,
	variant: ModelVariant,
	baseUrl: string
): Promise<FileRecord[]> {
	return Promise.all(
		variant.files.map(async (file) => {
			const stored = await db.get('files', [key, file.path]);
			// A stored record for a file whose expected content changed is worthless: start it over.
			// Without a published hash (sha256 ''), the size is all there is to compare.
			const sameHash = stored?.sha256 === file.sha256 || (file.sha256 === '' && !!stored);
			if (stored && sameHash && stored.bytes === file.bytes) return stored;
			return {
				installKey: key,
				path: file.path,
				url: new URL(file.path, baseUrl).href,
				bytes: file.bytes,
				sha256: file.sha256.toLowerCase(),
				storedBytes: 0,
				chunkCount: 0,
				hashState: null,
				etag: null,
				verified: false
			};
		})
	);
}

/** Refuses early when the browser says the bytes will not fit. */
export async function ensureSpace(neededBytes: number): Promise<void> {
	const estimate = await globalThis.navigator?.storage?.estimate?.();
	if (!estimate?.quota || neededBytes <= 0) return;
	const available = estimate.quota - (estimate.usage ?? 0);
	const needed = Math.ceil(neededBytes * STORAGE_HEADROOM);
	if (needed > available) throw new InsufficientStorageError(needed, available);
}

async function createInstall(
	db: Database,
	manifest: ModelManifest,
	variant: ModelVariant,
	baseUrl: string,
	files: FileRecord[]
): Promise<void> {
	const record: InstallRecord = {
		key: installKeyOf(manifest.id, variant.id),
		modelId: manifest.id,
		variantId: variant.id,
		manifest,
		baseUrl,
		complete: false,
		totalBytes: files.reduce((total, file) => total + file.bytes, 0),
		createdAt: Date.now(),
		completedAt: null
	};
	const tx = db.transaction(['installs', 'files'], 'readwrite');
	try {
		await Promise.all([
			tx.objectStore('installs').put(record),
			...files.map((file) => tx.objectStore('files').put(file)),
			tx.done
		]);
	} catch (error) {
		throw asStorageError(error);
	}
}

/**
 * Marks the install usable, recording the manifest `finish` returned (if any) with the hashes
 * computed during the download filled in, so a later reader sees what was actually stored.
 */
async function markComplete(
	db: Database,
	key: string,
	manifest?: ModelManifest
): Promise<InstallRecord> {
	const tx = db.transaction(['installs', 'files'], 'readwrite');
	const install = await tx.objectStore('installs').get(key);
	const files = await tx.objectStore('files').getAll(installRange(key));
	if (!install || files.some((file) => !file.verified)) {
		// Deleted (or restarted) from another tab while this one was finishing.
		tx.abort();
		await tx.done.catch(() => undefined);
		throw new ModelNotInstalledError(key);
	}
	const record = {
		...install,
		manifest: withStoredHashes(manifest ?? install.manifest, install.variantId, files),
		complete: true,
		completedAt: Date.now()
	};
	await Promise.all([tx.objectStore('installs').put(record), tx.done]);
	return record;
}

function withStoredHashes(
	manifest: ModelManifest,
	variantId: string,
	files: FileRecord[]
): ModelManifest {
	const hashes = new Map(files.map((file) => [file.path, file.sha256]));
	return {
		...manifest,
		variants: manifest.variants.map((variant) =>
			variant.id !== variantId
				? variant
				: {
						...variant,
						files: variant.files.map((file) =>
							file.sha256 ? file : { ...file, sha256: hashes.get(file.path) ?? '' }
						)
					}
		)
	};
}

/**
 * One download per install across all tabs: two writers appending chunks to the same file would
 * corrupt it. Web Locks are per origin, so another tab holding the lock makes this one refuse.
 */
async function withDownloadLock<T>(key: string, task: () => Promise<T>): Promise<T> {
	const locks = globalThis.navigator?.locks;
	if (!locks) return task();
	return locks.request(`hearth-download:${key}`, { ifAvailable: true }, async (lock) => {
		if (!lock) throw new DownloadBusyError(key);
		return task();
	}) as Promise<T>;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const timer = setTimeout(resolve, ms);
		signal?.addEventListener('abort', () => {
			clearTimeout(timer);
			reject(signal.reason);
		});
	});
}

function sum(values: Iterable<number>): number {
	let total = 0;
	for (const value of values) total += value;
	return total;
}
