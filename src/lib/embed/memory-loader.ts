/**
 * Fetches a model variant's files into memory, checking each against its SHA-256 as it streams:
 * what the widget does where the browser denies it storage (a third-party frame), so the model
 * store cannot keep them. Nothing is written anywhere; a reload fetches the files again.
 */
import { createSHA256 } from 'hash-wasm';
import type { ModelVariant } from '$lib/catalog/manifest';
import { DownloadHttpError, IntegrityError, NetworkError } from '$lib/store/errors';

export interface MemoryLoadProgress {
	loadedBytes: number;
	totalBytes: number;
	file: string;
}

export interface MemoryLoadOptions {
	signal?: AbortSignal;
	onProgress?: (progress: MemoryLoadProgress) => void;
	fetcher?: typeof fetch;
}

/** Every file of `variant`, fetched from `baseUrl` and verified, by path. */
export async function fetchVariantIntoMemory(
	variant: ModelVariant,
	baseUrl: string,
	options: MemoryLoadOptions = {}
): Promise<Record<string, Uint8Array>> {
	const fetcher = options.fetcher ?? fetch;
	const totalBytes = variant.files.reduce((sum, file) => sum + file.bytes, 0);
	let loadedBytes = 0;
	const files: Record<string, Uint8Array> = {};
	for (const file of variant.files) {
		const url = new URL(file.path, baseUrl).href;
		let response: Response;
		try {
			response = await fetcher(url, { signal: options.signal });
		} catch (error) {
			if (options.signal?.aborted) throw error;
			throw new NetworkError(url, 0, error);
		}
		if (!response.ok) throw new DownloadHttpError(url, response.status, response.statusText);
		if (!response.body) throw new NetworkError(url, 0, new Error('the response had no body'));

		const hasher = await createSHA256();
		const bytes = new Uint8Array(file.bytes);
		let offset = 0;
		const reader = response.body.getReader();
		for (;;) {
			let chunk: ReadableStreamReadResult<Uint8Array>;
			try {
				chunk = await reader.read();
			} catch (error) {
				if (options.signal?.aborted) throw error;
				throw new NetworkError(url, 0, error);
			}
			if (chunk.done) break;
			if (offset + chunk.value.byteLength > file.bytes) {
				await reader.cancel();
				throw new IntegrityError(file.path, `the server sent more than ${file.bytes} bytes`);
			}
			bytes.set(chunk.value, offset);
			hasher.update(chunk.value);
			offset += chunk.value.byteLength;
			loadedBytes += chunk.value.byteLength;
			options.onProgress?.({ loadedBytes, totalBytes, file: file.path });
		}
		if (offset !== file.bytes) {
			throw new IntegrityError(file.path, `${offset} bytes arrived, ${file.bytes} expected`);
		}
		const digest = hasher.digest('hex');
		if (file.sha256 && digest !== file.sha256.toLowerCase()) {
			throw new IntegrityError(file.path, `SHA-256 ${digest} instead of ${file.sha256}`);
		}
		files[file.path] = bytes;
	}
	return files;
}
