/**
 * Fetches a TensorFlow.js model from the URL of its model.json: the JSON, then every shard it
 * names, resolved relative to it the way tfjs's own loader does. Streams each body so a page can
 * show bytes against the total the weights manifest promises. A shard the host does not have is
 * the same error as a shard left out of a folder, listing every missing one at once.
 */
import { fetchExplained, type Fetcher } from '../catalog/remote-files';
import { NotAModelFileError, RemoteFileError } from '../catalog/user-model-errors';
import { TfjsMissingShardError } from './errors';
import type { ImportFile } from './import-files';
import { shardPaths } from './tfjs-model';

export interface FetchProgress {
	/** The file being fetched, as model.json names it. */
	file: string;
	loadedBytes: number;
	/** Every file's bytes together; null until model.json has been read. */
	totalBytes: number | null;
}

const ELEMENT_BYTES: Record<string, number> = { uint8: 1, bool: 1, float16: 2, uint16: 2 };

/** What the weights manifest says the shards hold, in bytes; null if it cannot tell. */
export function expectedShardBytes(modelJson: unknown): number | null {
	const groups = (modelJson as { weightsManifest?: unknown }).weightsManifest;
	if (!Array.isArray(groups)) return null;
	let total = 0;
	for (const group of groups as { weights?: unknown }[]) {
		for (const entry of (group.weights ?? []) as Record<string, unknown>[]) {
			const shape = entry.shape as number[] | undefined;
			const quantized = (entry.quantization as { dtype?: string } | undefined)?.dtype;
			const dtype = quantized ?? String(entry.dtype);
			if (!Array.isArray(shape) || dtype === 'string') return null;
			total += shape.reduce((product, dim) => product * dim, 1) * (ELEMENT_BYTES[dtype] ?? 4);
		}
	}
	return total;
}

async function readBody(response: Response, onBytes: (bytes: number) => void): Promise<Uint8Array> {
	if (!response.body) {
		const whole = new Uint8Array(await response.arrayBuffer());
		onBytes(whole.byteLength);
		return whole;
	}
	const parts: Uint8Array[] = [];
	let length = 0;
	const reader = response.body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		parts.push(value);
		length += value.byteLength;
		onBytes(value.byteLength);
	}
	const bytes = new Uint8Array(length);
	let offset = 0;
	for (const part of parts) (bytes.set(part, offset), (offset += part.byteLength));
	return bytes;
}

function checkAnswer(url: string, response: Response): void {
	if (!response.ok) throw new RemoteFileError(url, response.status);
	const type = response.headers.get('Content-Type') ?? '';
	// A host that answers every path with its web app would otherwise "serve" every shard.
	if (/^text\/html/i.test(type)) throw new NotAModelFileError(url, type);
}

/**
 * model.json and its shards as import files: model.json under its own file name, each shard
 * under the path model.json gives it. Throws the converter's errors for what is not a model.
 */
export async function fetchTfjsModel(
	fetcher: Fetcher,
	modelJsonUrl: string,
	onProgress: (progress: FetchProgress) => void = () => undefined,
	signal?: AbortSignal
): Promise<ImportFile[]> {
	const jsonName = decodeURIComponent(
		new URL(modelJsonUrl).pathname.split('/').pop() || 'model.json'
	);
	let loaded = 0;
	let total: number | null = null;
	const report = (file: string) => (bytes: number) => {
		loaded += bytes;
		onProgress({
			file,
			loadedBytes: loaded,
			totalBytes: total === null ? null : Math.max(total, loaded)
		});
	};

	const jsonResponse = await fetchExplained(fetcher, modelJsonUrl, { signal });
	checkAnswer(modelJsonUrl, jsonResponse);
	const jsonBytes = await readBody(jsonResponse, report(jsonName));
	const text = new TextDecoder().decode(jsonBytes);
	// Throws TfjsNotAModelError, naming the URL, for anything but a TF.js model.json.
	const paths = shardPaths(text, modelJsonUrl);
	const expected = expectedShardBytes(JSON.parse(text));
	total = expected === null ? null : expected + jsonBytes.byteLength;
	onProgress({ file: jsonName, loadedBytes: loaded, totalBytes: total });

	const files: ImportFile[] = [{ path: jsonName, bytes: jsonBytes }];
	const missing: string[] = [];
	for (const path of paths) {
		const url = new URL(path, modelJsonUrl).href;
		const response = await fetchExplained(fetcher, url, { signal });
		if (response.status === 404 || response.status === 410) {
			await response.body?.cancel().catch(() => undefined);
			missing.push(path);
			continue;
		}
		checkAnswer(url, response);
		files.push({ path, bytes: await readBody(response, report(path)) });
	}
	if (missing.length > 0) throw new TfjsMissingShardError(modelJsonUrl, missing);
	return files;
}
