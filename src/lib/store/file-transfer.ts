import { createSHA256, type IHasher } from 'hash-wasm';
import { fileChunkRange, type Database, type FileRecord } from './db';
import { DownloadHttpError, IntegrityError, ModelNotInstalledError } from './errors';
import { asStorageError } from './installs';
import { contentRangeStart } from './progress';

/** The connection dropped mid-way: the stored bytes are good and the transfer can resume. */
export class ConnectionLost extends Error {
	constructor(cause: unknown) {
		super('connection lost', { cause });
		this.name = 'ConnectionLost';
	}
}

export function isAbort(error: unknown): boolean {
	return error instanceof DOMException && error.name === 'AbortError';
}

export interface TransferContext {
	db: Database;
	chunkBytes: number;
	signal: AbortSignal | undefined;
	/** Called with the bytes of this file received so far (stored plus in memory). */
	onBytes(file: FileRecord, receivedBytes: number): void;
}

/**
 * Fetches what is missing of one file (HTTP Range from the stored length) and appends it to
 * IndexedDB chunk by chunk, updating the resumable SHA-256 state in the same transaction as each
 * chunk. When the stream stops for a resumable reason (abort, lost connection), the bytes already
 * received are committed too, so a resume never fetches them again.
 */
export async function transferRemainder(ctx: TransferContext, file: FileRecord): Promise<void> {
	const response = await requestRemainder(ctx, file);
	if (!response) return; // already complete
	if (!response.body) throw new ConnectionLost(new Error('empty response body'));

	const hasher = await resumeHasher(file);
	const reader = response.body.getReader();
	let pending: Uint8Array[] = [];
	let pendingBytes = 0;
	let receivedThisAttempt = 0;

	const commit = async () => {
		const data = concat(pending, pendingBytes);
		hasher.update(data);
		const next: FileRecord = {
			...file,
			storedBytes: file.storedBytes + data.byteLength,
			chunkCount: file.chunkCount + 1,
			hashState: hasher.save()
		};
		const tx = ctx.db.transaction(['installs', 'files', 'chunks'], 'readwrite');
		try {
			// A delete from another tab wins: never write bytes for an install that is gone.
			if (!(await tx.objectStore('installs').get(file.installKey))) {
				tx.abort();
				await tx.done.catch(() => undefined); // the abort is ours; the error below says why
				throw new ModelNotInstalledError(file.installKey);
			}
			await Promise.all([
				tx.objectStore('chunks').put({
					installKey: file.installKey,
					path: file.path,
					index: file.chunkCount,
					data: data.buffer as ArrayBuffer
				}),
				tx.objectStore('files').put(next),
				tx.done
			]);
		} catch (error) {
			throw asStorageError(error);
		}
		Object.assign(file, next);
		pending = [];
		pendingBytes = 0;
	};

	let failure: unknown = null;
	try {
		for (;;) {
			let result: ReadableStreamReadResult<Uint8Array>;
			try {
				result = await reader.read();
			} catch (error) {
				throw isAbort(error) ? error : new ConnectionLost(error);
			}
			if (result.done) break;
			const received = file.storedBytes + pendingBytes + result.value.byteLength;
			if (received > file.bytes) {
				throw new IntegrityError(
					file.path,
					`the server sent more than the expected ${file.bytes} bytes`
				);
			}
			pending.push(result.value);
			pendingBytes += result.value.byteLength;
			receivedThisAttempt += result.value.byteLength;
			ctx.onBytes(file, received);
			if (pendingBytes >= ctx.chunkBytes) await commit();
		}
	} catch (error) {
		failure = error;
		reader.cancel().catch(() => {
			// The stream is already broken or aborted; there is nothing left to release.
		});
	}
	const resumable = failure === null || failure instanceof ConnectionLost || isAbort(failure);
	if (pendingBytes > 0 && resumable) await commit();
	if (failure) throw failure;
	if (file.storedBytes < file.bytes) {
		// A clean end with bytes missing is a dropped connection unless the server sent nothing at all.
		if (receivedThisAttempt > 0) throw new ConnectionLost(new Error('response ended early'));
		throw new IntegrityError(
			file.path,
			`the server has only ${file.storedBytes} of ${file.bytes} bytes`
		);
	}
}

async function requestRemainder(ctx: TransferContext, file: FileRecord): Promise<Response | null> {
	const headers: Record<string, string> = {};
	if (file.storedBytes > 0) {
		headers.Range = `bytes=${file.storedBytes}-`;
		if (file.etag) headers['If-Range'] = file.etag;
	}
	let response: Response;
	try {
		// no-store: the bytes go to IndexedDB; a second copy in the HTTP cache would double the space.
		response = await fetch(file.url, { headers, signal: ctx.signal, cache: 'no-store' });
	} catch (error) {
		throw isAbort(error) ? error : new ConnectionLost(error);
	}
	if (file.storedBytes > 0) {
		if (response.status === 416 && file.storedBytes === file.bytes) {
			await response.body?.cancel();
			return null;
		}
		const resumedAt =
			response.status === 206 ? contentRangeStart(response.headers.get('Content-Range')) : null;
		if (response.ok && resumedAt !== file.storedBytes) {
			// The server ignored the range or the file changed (If-Range): start this file over.
			await restartFile(ctx.db, file);
			if (response.status !== 200) {
				await response.body?.cancel();
				return requestRemainder(ctx, file);
			}
		}
	}
	if (!response.ok) {
		await response.body?.cancel();
		throw new DownloadHttpError(file.url, response.status, response.statusText);
	}
	if (file.storedBytes === 0) file.etag = strongEtag(response.headers.get('ETag'));
	return response;
}

async function restartFile(db: Database, file: FileRecord): Promise<void> {
	Object.assign(file, { storedBytes: 0, chunkCount: 0, hashState: null, etag: null });
	const tx = db.transaction(['files', 'chunks'], 'readwrite');
	await Promise.all([
		tx.objectStore('chunks').delete(fileChunkRange(file.installKey, file.path)),
		tx.objectStore('files').put({ ...file }),
		tx.done
	]);
}

/**
 * Checks the finished file against the manifest's SHA-256 and marks it verified. A file with no
 * published hash (sha256 '') gets the one computed from its bytes recorded instead.
 */
export async function verifyFile(db: Database, file: FileRecord): Promise<void> {
	if (file.storedBytes !== file.bytes) {
		throw new IntegrityError(file.path, `${file.storedBytes} bytes stored, ${file.bytes} expected`);
	}
	const actual = (await resumeHasher(file)).digest('hex');
	if (file.sha256 === '') file.sha256 = actual;
	else if (actual !== file.sha256.toLowerCase()) {
		throw new IntegrityError(
			file.path,
			`SHA-256 ${actual.slice(0, 12)}… instead of ${file.sha256.slice(0, 12)}…`
		);
	}
	file.verified = true;
	await db.put('files', { ...file });
}

async function resumeHasher(file: FileRecord): Promise<IHasher> {
	const hasher = await createSHA256();
	return file.hashState ? hasher.load(file.hashState) : hasher.init();
}

function strongEtag(etag: string | null): string | null {
	// If-Range only accepts strong validators; a weak one would make every resume start over.
	return etag && !etag.startsWith('W/') ? etag : null;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
	const out = new Uint8Array(total);
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.byteLength;
	}
	return out;
}
