/**
 * Alert rules, their states and the alert history in the metrics database, and the evaluation
 * that ties them to the latest records. Evaluation runs in every runtime worker after each flush
 * and on the Monitor page after a rule changes; a Web Lock makes it one at a time across tabs,
 * so a change is recorded once even when two tabs evaluate together.
 */
import { evaluateRule, ruleWindow } from '$lib/metrics/alerts';
import {
	MAX_WINDOW_RUNS,
	type AlertEvent,
	type AlertRule,
	type AlertState,
	type InferenceRecord
} from '$lib/metrics/types';
import { latestRecords, METRICS_DB_NAME, openMetricsDatabase, writing } from './metrics-db';

/** The alert history keeps this many events, the newest. */
export const MAX_ALERT_EVENTS = 500;
const LOCK_NAME = 'hearth-metrics-alerts';

export async function listAlertRules(): Promise<AlertRule[]> {
	const rules = await (await openMetricsDatabase()).getAll('alertRules');
	return rules.sort((a, b) => a.createdAt - b.createdAt);
}

export async function saveAlertRule(rule: AlertRule): Promise<void> {
	const db = await openMetricsDatabase();
	await writing(() => db.put('alertRules', rule));
}

export async function deleteAlertRule(id: string): Promise<void> {
	const db = await openMetricsDatabase();
	const tx = db.transaction(['alertRules', 'alertStates'], 'readwrite');
	await Promise.all([
		tx.objectStore('alertRules').delete(id),
		tx.objectStore('alertStates').delete(id),
		tx.done
	]);
}

export async function listAlertStates(): Promise<AlertState[]> {
	return (await openMetricsDatabase()).getAll('alertStates');
}

/** The alert history, newest first. */
export async function listAlertEvents(limit = MAX_ALERT_EVENTS): Promise<AlertEvent[]> {
	const db = await openMetricsDatabase();
	const events: AlertEvent[] = [];
	let cursor = await db.transaction('alertEvents').store.index('byTime').openCursor(null, 'prev');
	while (cursor && events.length < limit) {
		events.push(cursor.value);
		cursor = await cursor.continue();
	}
	return events;
}

function withLock<T>(work: () => Promise<T>): Promise<T> {
	const locks = (globalThis.navigator as Navigator | undefined)?.locks;
	return locks ? locks.request(LOCK_NAME, work) : work();
}

let eventCounter = 0;
const eventPrefix = Math.random().toString(36).slice(2, 10);
const newEventId = () =>
	`${Date.now().toString(36)}-${eventPrefix}-${(eventCounter++).toString(36)}`;

/**
 * Evaluates every rule over its latest runs, stores the new states and any fired or cleared
 * events, and returns those events (oldest first) for the caller to announce.
 */
export function evaluateAlerts(now = Date.now()): Promise<AlertEvent[]> {
	return withLock(async () => {
		const db = await openMetricsDatabase();
		const [rules, states] = await Promise.all([db.getAll('alertRules'), db.getAll('alertStates')]);
		if (rules.length === 0) return [];
		const previous = new Map(states.map((state) => [state.ruleId, state]));
		// One read per scope, as deep as the widest rule on it needs.
		const depth = new Map<string | null, number>();
		for (const rule of rules) {
			const runs = Math.min(rule.windowRuns, MAX_WINDOW_RUNS);
			depth.set(rule.installKey, Math.max(depth.get(rule.installKey) ?? 0, runs));
		}
		const runs = new Map<string | null, InferenceRecord[]>();
		for (const [scope, limit] of depth) runs.set(scope, await latestRecords(scope, limit));

		const nextStates: AlertState[] = [];
		const events: AlertEvent[] = [];
		for (const rule of rules) {
			const window = ruleWindow(rule, runs.get(rule.installKey) ?? []);
			const { state, event } = evaluateRule(rule, window, previous.get(rule.id), now, newEventId);
			nextStates.push(state);
			if (event) events.push(event);
		}
		await writing(async () => {
			const tx = db.transaction(['alertStates', 'alertEvents'], 'readwrite');
			const puts: Promise<unknown>[] = [
				...nextStates.map((state) => tx.objectStore('alertStates').put(state)),
				...events.map((event) => tx.objectStore('alertEvents').put(event))
			];
			await Promise.all(puts);
			if (events.length > 0) {
				let excess = (await tx.objectStore('alertEvents').count()) - MAX_ALERT_EVENTS;
				let cursor =
					excess > 0 ? await tx.objectStore('alertEvents').index('byTime').openCursor() : null;
				while (cursor && excess-- > 0) {
					await cursor.delete();
					cursor = await cursor.continue();
				}
			}
			await tx.done;
		});
		return events;
	});
}

/**
 * The states of the rules firing now, for the header's indicator on every page. Reading them
 * must not create the metrics database on a visit that never ran a model, so it checks first
 * where the browser can say.
 */
export async function firingAlertStates(): Promise<AlertState[]> {
	if (typeof indexedDB === 'undefined') return [];
	if (typeof indexedDB.databases === 'function') {
		const databases = await indexedDB.databases();
		if (!databases.some((database) => database.name === METRICS_DB_NAME)) return [];
	}
	return (await listAlertStates()).filter((state) => state.firing);
}
