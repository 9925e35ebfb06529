/**
 * Looking at a file on another server before downloading it: does it exist, how large is it, is
 * it a file at all. Every failure becomes an error that says what to do; a fetch that fails
 * without an answer from another site is explained as CORS.
 */
import {
	FetchBlockedError,
	NotAModelFileError,
	RemoteFileError,
	UnknownSizeError
} from './user-model-errors';

export type Fetcher = (input: string, init?: RequestInit) => Promise<Response>;

export interface RemoteFile {
	url: string;
	bytes: number;
}

function isAbort(error: unknown): boolean {
	return error instanceof DOMException && error.name === 'AbortError';
}

function isCrossOrigin(url: string): boolean {
	const here = globalThis.location?.origin;
	return !here || new URL(url).origin !== here;
}

/** fetch, with a failure to get any answer turned into an explanation (CORS, connection). */
export async function fetchExplained(
	fetcher: Fetcher,
	url: string,
	init: RequestInit = {}
): Promise<Response> {
	try {
		// no-store: these are small probes, and a stale cached answer would hide a fixed host.
		return await fetcher(url, { cache: 'no-store', ...init });
	} catch (error) {
		if (isAbort(error)) throw error;
		throw new FetchBlockedError(url, isCrossOrigin(url), error);
	}
}

function lengthOf(response: Response): number | null {
	const range = response.headers.get('Content-Range')?.match(/\/(\d+)\s*$/);
	if (response.status === 206 && range) return Number(range[1]);
	const length = response.headers.get('Content-Length');
	return length !== null && /^\d+$/.test(length.trim()) ? Number(length) : null;
}

function checkNotAPage(url: string, response: Response): void {
	const type = response.headers.get('Content-Type') ?? '';
	// A host that answers every path with its web app would otherwise "have" every file.
	if (/^text\/html/i.test(type)) throw new NotAModelFileError(url, type);
}

/**
 * The file's size from a HEAD request, or from a one-byte range request when the host refuses
 * HEAD or leaves the length out. Null when the host says the file is not there (404, 410).
 */
export async function probeFile(fetcher: Fetcher, url: string): Promise<RemoteFile | null> {
	const head = await fetchExplained(fetcher, url, { method: 'HEAD' });
	if (head.status === 404 || head.status === 410) return null;
	if (head.ok) {
		checkNotAPage(url, head);
		const bytes = lengthOf(head);
		if (bytes !== null) return { url, bytes };
	} else if (head.status !== 405 && head.status !== 501) {
		throw new RemoteFileError(url, head.status);
	}
	const ranged = await fetchExplained(fetcher, url, { headers: { Range: 'bytes=0-0' } });
	await ranged.body?.cancel().catch(() => undefined); // only the headers matter
	if (ranged.status === 404 || ranged.status === 410) return null;
	if (!ranged.ok) throw new RemoteFileError(url, ranged.status);
	checkNotAPage(url, ranged);
	const bytes = lengthOf(ranged);
	if (bytes === null || (ranged.status === 200 && bytes === 0)) throw new UnknownSizeError(url);
	return { url, bytes };
}

/** probeFile for a file that must be there: a missing one is an error naming the URL. */
export async function requireFile(fetcher: Fetcher, url: string): Promise<RemoteFile> {
	const file = await probeFile(fetcher, url);
	if (!file) throw new RemoteFileError(url, 404);
	return file;
}

/** GET of a small JSON file; null when the host has no such file. */
export async function fetchJson(
	fetcher: Fetcher,
	url: string
): Promise<{ value: unknown; bytes: number } | null> {
	const response = await fetchExplained(fetcher, url);
	if (response.status === 404 || response.status === 410) {
		await response.body?.cancel().catch(() => undefined);
		return null;
	}
	if (!response.ok) throw new RemoteFileError(url, response.status);
	const body = new Uint8Array(await response.arrayBuffer());
	try {
		return { value: JSON.parse(new TextDecoder().decode(body)), bytes: body.byteLength };
	} catch {
		return null; // not JSON: for a probe that is the same as "no such file"
	}
}
