/**
 * The Compare page's results, in their own IndexedDB database ('hearth-compare'), apart from
 * the model store so its schema changes on its own and clearing results never touches a model.
 * One store, `runs`, keyed by the run's id and indexed by when it ran.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { HearthError } from '$lib/errors';
import type { CompareRun } from '$lib/compare/types';
import { isQuotaError } from './db';
import { StorageUnavailableError } from './errors';

export const COMPARE_DB_NAME = 'hearth-compare';
const COMPARE_DB_VERSION = 1;
/** Older runs beyond this many are dropped when a new one is saved. */
export const KEPT_RUNS = 50;

interface CompareDB extends DBSchema {
	runs: { key: string; value: CompareRun; indexes: { byTime: number } };
}

export class CompareStorageError extends HearthError {
	constructor(cause: unknown) {
		super(
			'compare-storage-full',
			'The comparison ran but could not be kept: the browser storage is full. Export it as JSON ' +
				'or CSV now, then free space (delete models or old comparisons) to keep the next one.',
			{ cause }
		);
		this.name = 'CompareStorageError';
	}
}

let opening: Promise<IDBPDatabase<CompareDB>> | null = null;

function openCompareDatabase(): Promise<IDBPDatabase<CompareDB>> {
	opening ??= (async () => {
		if (typeof indexedDB === 'undefined') throw new StorageUnavailableError();
		const db = await openDB<CompareDB>(COMPARE_DB_NAME, COMPARE_DB_VERSION, {
			upgrade(database, oldVersion) {
				if (oldVersion < 1) {
					const runs = database.createObjectStore('runs', { keyPath: 'id' });
					runs.createIndex('byTime', 'createdAt');
				}
			},
			blocking() {
				db.close();
				opening = null;
			}
		});
		return db;
	})().catch((error: unknown) => {
		opening = null;
		throw error instanceof StorageUnavailableError ? error : new StorageUnavailableError(error);
	});
	return opening;
}

/** Keeps a run, and drops the oldest beyond KEPT_RUNS in the same transaction. */
export async function saveCompareRun(run: CompareRun): Promise<void> {
	const db = await openCompareDatabase();
	try {
		const tx = db.transaction('runs', 'readwrite');
		await tx.store.put(run);
		const keys = await tx.store.index('byTime').getAllKeys();
		for (const key of keys.slice(0, Math.max(0, keys.length - KEPT_RUNS)))
			await tx.store.delete(key);
		await tx.done;
	} catch (error) {
		if (isQuotaError(error)) throw new CompareStorageError(error);
		throw error;
	}
}

/** Every kept run, newest first. */
export async function listCompareRuns(): Promise<CompareRun[]> {
	const db = await openCompareDatabase();
	return (await db.getAllFromIndex('runs', 'byTime')).reverse();
}

export async function deleteCompareRun(id: string): Promise<void> {
	const db = await openCompareDatabase();
	await db.delete('runs', id);
}
