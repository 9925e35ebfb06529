import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeRecord } from '$lib/metrics/record.fixture';
import { parseMetricsFile, recordsToCsv, recordsToJson } from '$lib/metrics/serialize';
import type { AlertRule } from '$lib/metrics/types';
import {
	deleteAlertRule,
	evaluateAlerts,
	listAlertEvents,
	listAlertStates,
	saveAlertRule
} from './metrics-alerts';
import {
	clearMetrics,
	closeMetricsDatabase,
	countRecords,
	importRecords,
	latestRecords,
	listRecords,
	queryMetrics,
	readRetention,
	saveRetention,
	storeRecords
} from './metrics-db';

const DAY = 24 * 60 * 60 * 1000;

beforeEach(async () => {
	await closeMetricsDatabase();
	globalThis.indexedDB = new IDBFactory();
});

describe('metrics store', () => {
	it('stores records and reads them back by time, oldest first', async () => {
		const now = Date.now();
		const records = [3, 1, 2].map((n) => makeRecord({ time: now - n * 1000 }));
		expect(await storeRecords(records)).toEqual({ stored: 3, trimmed: 0 });
		expect((await listRecords()).map((r) => r.time)).toEqual([now - 3000, now - 2000, now - 1000]);
		expect(await listRecords({ since: now - 2000 })).toHaveLength(2);
		expect((await listRecords({ limit: 1 }))[0]!.time).toBe(now - 1000);
	});

	it('keeps only the newest N records and nothing older than D days', async () => {
		const now = Date.now();
		await saveRetention({ maxRecords: 4, maxDays: 2, recording: true });
		const old = makeRecord({ time: now - 3 * DAY });
		const recent = Array.from({ length: 5 }, (_, n) => makeRecord({ time: now - 1000 * (5 - n) }));
		const result = await storeRecords([old, ...recent]);
		expect(result).toEqual({ stored: 6, trimmed: 2 });
		expect((await listRecords()).map((r) => r.id)).toEqual(recent.slice(1).map((r) => r.id));
		// Lowering the limit trims at once.
		expect(await saveRetention({ maxRecords: 1, maxDays: 2, recording: true })).toBe(3);
		expect((await listRecords()).map((r) => r.id)).toEqual([recent[4]!.id]);
	});

	it('bounds and defaults the settings, and records nothing while recording is off', async () => {
		expect(await readRetention()).toEqual({ maxRecords: 10_000, maxDays: 30, recording: true });
		await saveRetention({ maxRecords: 10 ** 9, maxDays: -5, recording: false });
		expect(await readRetention()).toEqual({ maxRecords: 100_000, maxDays: 1, recording: false });
		expect(await storeRecords([makeRecord({ time: Date.now() })])).toEqual({
			stored: 0,
			trimmed: 0
		});
		expect(await countRecords()).toBe(0);
		// An import is the user's own choice and is stored all the same.
		expect((await importRecords([makeRecord({ time: Date.now() })])).stored).toBe(1);
		expect(await countRecords()).toBe(1);
	});

	it('a host origin reads only the widget runs it asked for', async () => {
		const now = Date.now();
		const a = 'https://a.example';
		const records = [
			makeRecord({ time: now - 5, source: 'widget', origin: a }),
			makeRecord({ time: now - 4, source: 'widget', origin: 'https://b.example' }),
			makeRecord({ time: now - 3 }),
			makeRecord({ time: now - 2, source: 'widget', origin: `${a}:8080` }),
			makeRecord({ time: now - 1, source: 'widget', origin: a, ok: false, errorCode: 'inference' }),
			// Imported data could claim an origin on a page run: it is still not the host's.
			makeRecord({ time: now, source: 'page', origin: a })
		];
		await storeRecords(records);
		const own = await queryMetrics({ origin: a });
		expect(own.map((r) => r.id)).toEqual([records[0]!.id, records[4]!.id]);
		expect((await queryMetrics({ origin: a, since: now - 1 })).map((r) => r.id)).toEqual([
			records[4]!.id
		]);
		expect((await queryMetrics({ origin: a, limit: 1 })).map((r) => r.id)).toEqual([
			records[4]!.id
		]);
		expect(await queryMetrics({ origin: 'https://c.example' })).toEqual([]);
		expect(await queryMetrics({ origin: 'null' })).toEqual([]);
		expect(await queryMetrics({ origin: '' })).toEqual([]);
	});

	it('keeps the count and trims across many batches, oldest first', async () => {
		const now = Date.now();
		await saveRetention({ maxRecords: 7, maxDays: 30, recording: true });
		const all = Array.from({ length: 20 }, (_, n) => makeRecord({ time: now - 20_000 + n * 1000 }));
		// Batches of 3, as the worker would write them: the last write trims inside a batch.
		for (let start = 0; start < all.length; start += 3) {
			await storeRecords(all.slice(start, start + 3));
		}
		expect(await countRecords()).toBe(7);
		expect((await listRecords()).map((r) => r.id)).toEqual(all.slice(-7).map((r) => r.id));
		expect((await listRecords({ limit: 2 })).map((r) => r.id)).toEqual(
			all.slice(-2).map((r) => r.id)
		);
		expect(await listRecords({ since: all[15]!.time, until: all[17]!.time })).toEqual(
			all.slice(15, 17)
		);
	});

	it('an import replaces records with the same id and keeps the rest', async () => {
		const now = Date.now();
		const kept = [makeRecord({ time: now - 3 }), makeRecord({ time: now - 2 })];
		await storeRecords(kept);
		const changed = { ...kept[1]!, latencyMs: 99 };
		const added = makeRecord({ time: now - 1 });
		expect(await importRecords([changed, added])).toEqual({ stored: 2, trimmed: 0 });
		expect(await listRecords()).toEqual([kept[0], changed, added]);
		expect(await countRecords()).toBe(3);
	});

	it('latest runs per install, for alert windows', async () => {
		const now = Date.now();
		await storeRecords([
			makeRecord({ time: now - 3, model: 'a', variant: 'x' }),
			makeRecord({ time: now - 2, model: 'b', variant: 'x' }),
			makeRecord({ time: now - 1, model: 'a', variant: 'x' })
		]);
		expect((await latestRecords('a/x', 5)).map((r) => r.time)).toEqual([now - 3, now - 1]);
		expect((await latestRecords(null, 2)).map((r) => r.time)).toEqual([now - 2, now - 1]);
		// Older batches of the same model, and a batch of another model in between.
		await storeRecords([makeRecord({ time: now - 10, model: 'a', variant: 'x' })]);
		await storeRecords([makeRecord({ time: now, model: 'c', variant: 'x' })]);
		expect((await latestRecords('a/x', 3)).map((r) => r.time)).toEqual([
			now - 10,
			now - 3,
			now - 1
		]);
		expect((await latestRecords('a/x', 1)).map((r) => r.time)).toEqual([now - 1]);
		expect((await latestRecords(null, 3)).map((r) => r.time)).toEqual([now - 2, now - 1, now]);
		expect(await latestRecords('zzz/x', 3)).toEqual([]);
	});

	it('export then import round-trips, as JSON and as CSV', async () => {
		const now = Date.now();
		await storeRecords([
			makeRecord({ time: now - 2, latencyMs: 1 / 3 }),
			makeRecord({ time: now - 1, source: 'widget', origin: 'https://a.example' })
		]);
		const before = await listRecords();
		for (const text of [recordsToJson(before, new Date()), recordsToCsv(before)]) {
			await clearMetrics();
			expect(await countRecords()).toBe(0);
			await importRecords(parseMetricsFile('metrics', text));
			expect(await listRecords()).toEqual(before);
		}
	});
});

describe('alerts in the store', () => {
	const rule: AlertRule = {
		id: 'r1',
		metric: 'p95-latency',
		threshold: 50,
		windowRuns: 2,
		installKey: null,
		enabled: true,
		createdAt: 1
	};

	it('fires once on slow runs, clears after fast ones, and keeps the history', async () => {
		await saveAlertRule(rule);
		const now = Date.now();
		await storeRecords([makeRecord({ time: now - 10, latencyMs: 5 })]);
		expect(await evaluateAlerts()).toEqual([]);
		await storeRecords([makeRecord({ time: now - 9, latencyMs: 400 })]);
		const fired = await evaluateAlerts();
		expect(fired.map((e) => e.kind)).toEqual(['fired']);
		expect(await evaluateAlerts()).toEqual([]); // still firing: no second event
		expect((await listAlertStates())[0]!.firing).toBe(true);
		await storeRecords([
			makeRecord({ time: now - 8, latencyMs: 4 }),
			makeRecord({ time: now - 7, latencyMs: 6 })
		]);
		expect((await evaluateAlerts()).map((e) => e.kind)).toEqual(['cleared']);
		expect((await listAlertEvents()).map((e) => e.kind)).toEqual(['cleared', 'fired']);
		await deleteAlertRule('r1');
		expect(await listAlertStates()).toEqual([]);
		await clearMetrics();
		expect(await listAlertEvents()).toEqual([]);
	});
});
