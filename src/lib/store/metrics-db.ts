/**
 * The Monitor's own IndexedDB database, 'hearth-metrics', apart from the model store so its
 * schema can change on its own and clearing metrics can never touch a model:
 * - chunks: the inference records, one chunk per batch written (see metrics-chunks.ts), indexed
 *   by first and last start time, by install and time, and by widget host origin and time;
 * - settings: retention (how many records, how many days, recording on or off) and the count
 *   of records kept, maintained with every write so retention never has to count;
 * - alertRules, alertStates (firing or not, per rule) and alertEvents (the alert history).
 * Retention is applied in the same transaction as every write, so the store never holds more
 * than the limits for longer than one transaction.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { MetricsStorageError } from '$lib/metrics/errors';
import {
	DEFAULT_RETENTION,
	MAX_DAYS_LIMIT,
	MAX_RECORDS_LIMIT,
	type AlertEvent,
	type AlertRule,
	type AlertState,
	type InferenceRecord,
	type RetentionSettings
} from '$lib/metrics/types';
import { isQuotaError } from './db';
import { StorageUnavailableError } from './errors';
import {
	byTime,
	chunked,
	chunkHasInstall,
	decodeChunk,
	encodeChunk,
	scopedTimeRange,
	type RecordChunk
} from './metrics-chunks';

export const METRICS_DB_NAME = 'hearth-metrics';
const METRICS_DB_VERSION = 1;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Records per chunk when records are rewritten (imports). */
const REWRITE_CHUNK = 500;

type Setting = { name: 'retention'; value: RetentionSettings } | { name: 'count'; value: number };

interface MetricsDB extends DBSchema {
	chunks: {
		key: number;
		value: RecordChunk;
		indexes: { byFirst: number; byLast: number; byInstall: string; byOrigin: string };
	};
	settings: { key: string; value: Setting };
	alertRules: { key: string; value: AlertRule };
	alertStates: { key: string; value: AlertState };
	alertEvents: { key: string; value: AlertEvent; indexes: { byTime: number } };
}

export type MetricsDatabase = IDBPDatabase<MetricsDB>;
type WriteTransaction = IDBPTransaction<MetricsDB, ('chunks' | 'settings')[], 'readwrite'>;

let opening: Promise<MetricsDatabase> | null = null;

export function openMetricsDatabase(): Promise<MetricsDatabase> {
	opening ??= open().catch((error: unknown) => {
		opening = null;
		throw error instanceof StorageUnavailableError ? error : new StorageUnavailableError(error);
	});
	return opening;
}

async function open(): Promise<MetricsDatabase> {
	if (typeof indexedDB === 'undefined') throw new StorageUnavailableError();
	const db = await openDB<MetricsDB>(METRICS_DB_NAME, METRICS_DB_VERSION, {
		upgrade(database, oldVersion) {
			if (oldVersion < 1) {
				const chunks = database.createObjectStore('chunks', { autoIncrement: true });
				chunks.createIndex('byFirst', 'first');
				chunks.createIndex('byLast', 'last');
				chunks.createIndex('byInstall', 'installKeys', { multiEntry: true });
				chunks.createIndex('byOrigin', 'originKeys', { multiEntry: true });
				database.createObjectStore('settings', { keyPath: 'name' });
				database.createObjectStore('alertRules', { keyPath: 'id' });
				database.createObjectStore('alertStates', { keyPath: 'ruleId' });
				const events = database.createObjectStore('alertEvents', { keyPath: 'id' });
				events.createIndex('byTime', 'time');
			}
		},
		blocking() {
			db.close();
			opening = null;
		}
	});
	return db;
}

export async function closeMetricsDatabase(): Promise<void> {
	const pending = opening;
	opening = null;
	(await pending?.catch(() => null))?.close();
}

/** Runs a write, turning a full disk into an error that says what to do. */
export async function writing<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (isQuotaError(error)) throw new MetricsStorageError('the browser storage is full', error);
		throw error;
	}
}

/** Settings within their bounds, whatever was stored or typed. */
export function boundedRetention(settings: Partial<RetentionSettings>): RetentionSettings {
	const whole = (value: unknown, fallback: number, max: number) =>
		typeof value === 'number' && Number.isFinite(value)
			? Math.min(max, Math.max(1, Math.round(value)))
			: fallback;
	return {
		maxRecords: whole(settings.maxRecords, DEFAULT_RETENTION.maxRecords, MAX_RECORDS_LIMIT),
		maxDays: whole(settings.maxDays, DEFAULT_RETENTION.maxDays, MAX_DAYS_LIMIT),
		recording:
			typeof settings.recording === 'boolean' ? settings.recording : DEFAULT_RETENTION.recording
	};
}

async function readSettings(tx: WriteTransaction) {
	const [retention, count] = await Promise.all([
		tx.objectStore('settings').get('retention'),
		tx.objectStore('settings').get('count')
	]);
	return {
		retention: boundedRetention((retention?.value as RetentionSettings | undefined) ?? {}),
		count: (count?.value as number | undefined) ?? 0
	};
}

export async function readRetention(): Promise<RetentionSettings> {
	const stored = await (await openMetricsDatabase()).get('settings', 'retention');
	return boundedRetention((stored?.value as RetentionSettings | undefined) ?? {});
}

/** Rewrites a chunk with only the records `keep` accepts (deletes it when none is left). */
async function rewrite(
	cursor: { value: RecordChunk; update(v: RecordChunk): Promise<unknown>; delete(): Promise<void> },
	keep: (records: InferenceRecord[]) => InferenceRecord[]
): Promise<number> {
	const records = decodeChunk(cursor.value);
	const kept = keep(records);
	if (kept.length === 0) await cursor.delete();
	else await cursor.update(encodeChunk(kept));
	return records.length - kept.length;
}

/**
 * Deletes records older than the days kept, then the oldest beyond the count kept, and stores
 * the new count. Returns how many were removed. "Oldest" goes by chunk: when two tabs wrote
 * at the same moment their chunks overlap in time, and at the boundary a record a few seconds
 * younger than a kept one may go first.
 */
async function trim(tx: WriteTransaction, settings: RetentionSettings, count: number, now: number) {
	const byFirst = tx.objectStore('chunks').index('byFirst');
	let removed = 0;
	const cutoff = now - settings.maxDays * DAY_MS;
	let cursor = await byFirst.openCursor(IDBKeyRange.upperBound(cutoff, true));
	while (cursor) {
		if (cursor.value.last < cutoff) {
			removed += cursor.value.count;
			await cursor.delete();
		} else {
			removed += await rewrite(cursor, (records) => records.filter((r) => r.time >= cutoff));
		}
		cursor = await cursor.continue();
	}
	let excess = count - removed - settings.maxRecords;
	cursor = excess > 0 ? await byFirst.openCursor() : null;
	while (cursor && excess > 0) {
		const take = excess;
		if (cursor.value.count <= take) {
			excess -= cursor.value.count;
			removed += cursor.value.count;
			await cursor.delete();
		} else {
			removed += await rewrite(cursor, (records) => records.slice(take));
			excess = 0;
		}
		cursor = await cursor.continue();
	}
	await tx.objectStore('settings').put({ name: 'count', value: count - removed });
	return removed;
}

/** Saves the settings and trims the records to them at once. Returns what was removed. */
export async function saveRetention(settings: RetentionSettings): Promise<number> {
	const db = await openMetricsDatabase();
	return writing(async () => {
		const tx = db.transaction(['chunks', 'settings'], 'readwrite');
		const value = boundedRetention(settings);
		const { count } = await readSettings(tx);
		await tx.objectStore('settings').put({ name: 'retention', value });
		const removed = await trim(tx, value, count, Date.now());
		await tx.done;
		return removed;
	});
}

export interface StoreResult {
	/** Records written (0 when recording is off). */
	stored: number;
	/** Records the retention rule removed, old or new. */
	trimmed: number;
}

/**
 * Stores a batch of new records as one chunk and applies retention, in one transaction. With
 * recording turned off nothing is stored.
 */
export async function storeRecords(records: readonly InferenceRecord[]): Promise<StoreResult> {
	if (records.length === 0) return { stored: 0, trimmed: 0 };
	const db = await openMetricsDatabase();
	return writing(async () => {
		const tx = db.transaction(['chunks', 'settings'], 'readwrite');
		const { retention, count } = await readSettings(tx);
		if (!retention.recording) {
			await tx.done;
			return { stored: 0, trimmed: 0 };
		}
		await tx.objectStore('chunks').add(encodeChunk(records));
		const trimmed = await trim(tx, retention, count + records.length, Date.now());
		await tx.done;
		return { stored: records.length, trimmed };
	});
}

/**
 * Adds imported records to those kept (an imported record replaces a kept one with its id),
 * then applies retention, in one transaction: all of it is stored, or nothing. Stored whether
 * or not recording is on: an import is the user's own choice.
 */
export async function importRecords(records: readonly InferenceRecord[]): Promise<StoreResult> {
	const db = await openMetricsDatabase();
	return writing(async () => {
		const tx = db.transaction(['chunks', 'settings'], 'readwrite');
		const { retention } = await readSettings(tx);
		const chunks = tx.objectStore('chunks');
		const merged = new Map<string, InferenceRecord>();
		for (const chunk of await chunks.getAll()) {
			for (const record of decodeChunk(chunk)) merged.set(record.id, record);
		}
		for (const record of records) merged.set(record.id, record);
		const all = [...merged.values()].sort(byTime);
		await chunks.clear();
		for (const chunk of chunked(all, REWRITE_CHUNK)) await chunks.add(chunk);
		const trimmed = await trim(tx, retention, all.length, Date.now());
		await tx.done;
		return { stored: records.length, trimmed };
	});
}

export interface RecordQuery {
	/** Records that started at or after this time (ms since 1970). */
	since?: number;
	/** ... and before this time. */
	until?: number;
	/** At most this many, the newest. */
	limit?: number;
}

function select(records: InferenceRecord[], query: RecordQuery): InferenceRecord[] {
	const since = query.since ?? -Infinity;
	const until = query.until ?? Infinity;
	const found = records.filter((r) => r.time >= since && r.time < until).sort(byTime);
	return query.limit === undefined ? found : found.slice(-query.limit);
}

/** Records in a time range, oldest first. */
export async function listRecords(query: RecordQuery = {}): Promise<InferenceRecord[]> {
	const db = await openMetricsDatabase();
	const range = query.since === undefined ? undefined : IDBKeyRange.lowerBound(query.since);
	const chunks = await db.getAllFromIndex('chunks', 'byLast', range);
	return select(chunks.flatMap(decodeChunk), query);
}

/**
 * The latest `limit` runs of one install (or of all when null), oldest first. Reads chunks from
 * the newest back, and stops once no older chunk can hold a newer run than those found.
 */
export async function latestRecords(
	installKey: string | null,
	limit: number
): Promise<InferenceRecord[]> {
	const db = await openMetricsDatabase();
	const chunks = db.transaction('chunks').store;
	let cursor =
		installKey === null
			? await chunks.index('byLast').openCursor(null, 'prev')
			: await chunks.index('byInstall').openCursor(scopedTimeRange(installKey), 'prev');
	let found: InferenceRecord[] = [];
	while (cursor) {
		const chunk = cursor.value;
		if (found.length >= limit && chunk.last < found[found.length - limit]!.time) break;
		if (installKey === null || chunkHasInstall(chunk, installKey)) {
			const runs = decodeChunk(chunk);
			found.push(...(installKey === null ? runs : runs.filter((r) => r.installKey === installKey)));
			found = found.sort(byTime).slice(-limit);
		}
		cursor = await cursor.continue();
	}
	return found;
}

export async function countRecords(): Promise<number> {
	const stored = await (await openMetricsDatabase()).get('settings', 'count');
	return (stored?.value as number | undefined) ?? 0;
}

export interface OriginQuery extends RecordQuery {
	/** The embedding host page's origin, e.g. "https://example.org". */
	origin: string;
}

/**
 * The widget's view of the metrics: only the runs that the host page `origin` asked for
 * through the widget, oldest first. Runs of Hearth's own pages and of other hosts have another
 * origin (or none) and are never returned, whatever else the query says.
 */
export async function queryMetrics(query: OriginQuery): Promise<InferenceRecord[]> {
	if (typeof query.origin !== 'string' || query.origin === '' || query.origin === 'null') {
		return []; // an opaque origin ("null") is shared by every sandboxed page: it owns nothing
	}
	const db = await openMetricsDatabase();
	const chunks = await db.getAllFromIndex(
		'chunks',
		'byOrigin',
		scopedTimeRange(query.origin, query.since)
	);
	const own = chunks
		.flatMap(decodeChunk)
		.filter((record) => record.origin === query.origin && record.source === 'widget');
	return select(own, query);
}

/** Deletes every record and the alert history and states; the rules and settings stay. */
export async function clearMetrics(): Promise<void> {
	const db = await openMetricsDatabase();
	const tx = db.transaction(['chunks', 'settings', 'alertStates', 'alertEvents'], 'readwrite');
	await Promise.all([
		tx.objectStore('chunks').clear(),
		tx.objectStore('settings').put({ name: 'count', value: 0 }),
		tx.objectStore('alertStates').clear(),
		tx.objectStore('alertEvents').clear(),
		tx.done
	]);
}
