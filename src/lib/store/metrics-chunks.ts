/**
 * How inference records are laid out in IndexedDB: in chunks, one per batch the worker writes,
 * each holding its records as one JSON string beside the few keys the queries need. One string
 * costs the writing thread a copy, where one object per record cost it a structured clone of
 * every field and a request apiece: about seven times less time on the runtime worker per
 * record in Chromium, which is what keeps recording under 1% of even a sub-millisecond run.
 */
import type { InferenceRecord } from '$lib/metrics/types';

export interface RecordChunk {
	/** Assigned by the store (auto-increment). */
	key?: number;
	/** Start time of the oldest and newest record in it, ms since 1970. */
	first: number;
	last: number;
	count: number;
	/** `${installKey}\u0001${last, zero-padded}` per install in the chunk: newest chunks per model. */
	installKeys: string[];
	/** The same for the host origins of its widget runs. */
	originKeys: string[];
	/** The records, oldest first, as a JSON array (lossless for every field of a record). */
	json: string;
}

const SEPARATOR = '\u0001';
const TIME_DIGITS = 16;

/** A key that sorts by `prefix`, then by time. */
export function scopedTimeKey(prefix: string, time: number): string {
	return `${prefix}${SEPARATOR}${Math.max(0, Math.floor(time)).toString().padStart(TIME_DIGITS, '0')}`;
}

/** Every scopedTimeKey of `prefix` from `time` on (all of them without a time). */
export function scopedTimeRange(prefix: string, since?: number): IDBKeyRange {
	return IDBKeyRange.bound(
		since === undefined ? `${prefix}${SEPARATOR}` : scopedTimeKey(prefix, since),
		`${prefix}${SEPARATOR}\uffff`
	);
}

export function byTime(a: InferenceRecord, b: InferenceRecord): number {
	return a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A chunk of records (any order in, sorted by time inside). */
export function encodeChunk(records: readonly InferenceRecord[]): RecordChunk {
	const sorted = [...records].sort(byTime);
	const last = sorted.at(-1)!.time;
	const installs = new Set<string>();
	const origins = new Set<string>();
	for (const record of sorted) {
		installs.add(record.installKey);
		if (record.origin !== null) origins.add(record.origin);
	}
	return {
		first: sorted[0]!.time,
		last,
		count: sorted.length,
		installKeys: [...installs].map((key) => scopedTimeKey(key, last)),
		originKeys: [...origins].map((origin) => scopedTimeKey(origin, last)),
		json: JSON.stringify(sorted)
	};
}

export function decodeChunk(chunk: RecordChunk): InferenceRecord[] {
	return JSON.parse(chunk.json) as InferenceRecord[];
}

/** Whether the chunk holds runs of `installKey`, from its keys alone (nothing decoded). */
export function chunkHasInstall(chunk: RecordChunk, installKey: string): boolean {
	const prefix = `${installKey}${SEPARATOR}`;
	return chunk.installKeys.some((key) => key.startsWith(prefix));
}

/** Cuts records into chunks of at most `size` (imports, rewrites). */
export function chunked(records: readonly InferenceRecord[], size: number): RecordChunk[] {
	const chunks: RecordChunk[] = [];
	for (let start = 0; start < records.length; start += size) {
		chunks.push(encodeChunk(records.slice(start, start + size)));
	}
	return chunks;
}
