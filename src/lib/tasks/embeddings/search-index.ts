/**
 * Builds a semantic search index on the page's side: embeds the documents in batches through the
 * runtime worker (so progress can be shown and the work cancelled), then keeps documents and
 * vectors in the model store, where they survive reloads and work offline.
 */
import type { RuntimeClient } from '$lib/runtime/client';
import type { BackendPreference } from '$lib/runtime/protocol';
import { getSearchIndex, saveSearchIndex, type SearchIndexRecord } from '$lib/store';
import { EmptyTextError } from './errors';
import { topK, type Match } from './search';

const BATCH = 64;

export interface IndexProgress {
	done: number;
	total: number;
}

export function indexId(installKey: string, name: string): string {
	return `${installKey}::${name}`;
}

export async function buildSearchIndex(
	runtime: RuntimeClient,
	options: {
		installKey: string;
		backend: BackendPreference;
		name: string;
		documents: string[];
		signal?: AbortSignal;
		onProgress?: (progress: IndexProgress) => void;
	}
): Promise<SearchIndexRecord> {
	const documents = options.documents.map((text) => text.trim()).filter((text) => text.length > 0);
	if (documents.length === 0) throw new EmptyTextError('The corpus');
	const parts: Float32Array[] = [];
	let dims = 0;
	for (let start = 0; start < documents.length; start += BATCH) {
		options.signal?.throwIfAborted();
		const run = await runtime.runTask(options.installKey, options.backend, 'embed', {
			texts: documents.slice(start, start + BATCH)
		});
		parts.push(run.result.vectors);
		dims = run.result.dims;
		options.onProgress?.({
			done: Math.min(documents.length, start + BATCH),
			total: documents.length
		});
	}
	const vectors = new Float32Array(documents.length * dims);
	parts.reduce((offset, part) => (vectors.set(part, offset), offset + part.length), 0);
	const record: SearchIndexRecord = {
		id: indexId(options.installKey, options.name),
		name: options.name,
		installKey: options.installKey,
		dims,
		documents,
		vectors: vectors.buffer,
		createdAt: Date.now()
	};
	await saveSearchIndex(record);
	return record;
}

export interface SearchHit extends Match {
	document: string;
}

export async function searchIndex(
	runtime: RuntimeClient,
	backend: BackendPreference,
	id: string,
	query: string,
	k: number
) {
	const index = await getSearchIndex(id);
	if (!index) throw new Error(`The search index ${id} is gone; build it again.`);
	const run = await runtime.runTask(index.installKey, backend, 'embed', { texts: [query] });
	const vectors = new Float32Array(index.vectors);
	const hits: SearchHit[] = topK(run.result.vectors, vectors, index.dims, k).map((match) => ({
		...match,
		document: index.documents[match.index]!
	}));
	return { hits, run };
}
