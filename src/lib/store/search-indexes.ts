import { isQuotaError, openDatabase, type SearchIndexRecord } from './db';
import { StorageFullError } from './errors';

export type SearchIndexSummary = Omit<SearchIndexRecord, 'vectors' | 'documents'> & {
	documentCount: number;
};

export async function saveSearchIndex(record: SearchIndexRecord): Promise<void> {
	const db = await openDatabase();
	try {
		await db.put('searchIndexes', record);
	} catch (error) {
		throw isQuotaError(error) ? new StorageFullError(error) : error;
	}
}

export async function getSearchIndex(id: string): Promise<SearchIndexRecord | undefined> {
	return (await openDatabase()).get('searchIndexes', id);
}

export async function listSearchIndexes(): Promise<SearchIndexSummary[]> {
	const records = await (await openDatabase()).getAll('searchIndexes');
	return records.map(({ vectors: _vectors, documents, ...summary }) => ({
		...summary,
		documentCount: documents.length
	}));
}

export async function deleteSearchIndex(id: string): Promise<void> {
	await (await openDatabase()).delete('searchIndexes', id);
}
