/**
 * The Monitor page's state: the records of the chosen time window from the metrics database,
 * the numbers derived from them under the filters, the alert rules and history, and live
 * reloading when a runtime worker announces new records on the metrics channel.
 */
import { errorMessage } from '$lib/errors';
import { announce, openMetricsChannel, type MetricsMessage } from '$lib/metrics/channel';
import { histogram } from '$lib/metrics/histogram';
import { MetricsImportError } from '$lib/metrics/errors';
import {
	MAX_IMPORT_BYTES,
	parseMetricsFile,
	recordsToCsv,
	recordsToJson
} from '$lib/metrics/serialize';
import { filterRecords, latencySeries, summarizeByVariant } from '$lib/metrics/stats';
import {
	DEFAULT_RETENTION,
	type AlertEvent,
	type AlertRule,
	type AlertState,
	type InferenceRecord,
	type InferenceSource,
	type RetentionSettings
} from '$lib/metrics/types';
import {
	deleteAlertRule,
	evaluateAlerts,
	listAlertEvents,
	listAlertRules,
	listAlertStates,
	saveAlertRule
} from '$lib/store/metrics-alerts';
import {
	clearMetrics,
	importRecords,
	listRecords,
	readRetention,
	saveRetention
} from '$lib/store/metrics-db';
import { formatBytes } from '$lib/ui/format';

export const TIME_WINDOWS = [
	{ id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
	{ id: '1h', label: 'Last hour', ms: 60 * 60_000 },
	{ id: '24h', label: 'Last 24 hours', ms: 24 * 60 * 60_000 },
	{ id: '7d', label: 'Last 7 days', ms: 7 * 24 * 60 * 60_000 },
	{ id: 'all', label: 'Everything kept', ms: null }
] as const;
export type TimeWindowId = (typeof TIME_WINDOWS)[number]['id'];

/** Buckets on the latency-over-time chart. */
const SERIES_BUCKETS = 40;
/** Live reloads at most this often, however fast runs arrive. */
const RELOAD_MS = 500;

export class MonitorState {
	windowId = $state<TimeWindowId>('1h');
	installKey = $state<string>('');
	source = $state<InferenceSource | ''>('');

	/** Every record of the time window (before the model and source filters). */
	records = $state.raw<InferenceRecord[]>([]);
	/** When the window was read: its end, and "now" for the charts. */
	loadedAt = $state(Date.now());
	loaded = $state(false);
	rules = $state<AlertRule[]>([]);
	states = $state<AlertState[]>([]);
	events = $state<AlertEvent[]>([]);
	retention = $state<RetentionSettings>({ ...DEFAULT_RETENTION });
	error = $state<string | null>(null);
	recordingError = $state<string | null>(null);

	private channel: BroadcastChannel | null = null;
	private reloadTimer: ReturnType<typeof setTimeout> | null = null;

	readonly since = $derived.by(() => {
		const window = TIME_WINDOWS.find((option) => option.id === this.windowId)!;
		return window.ms === null ? null : this.loadedAt - window.ms;
	});
	readonly filtered = $derived(
		filterRecords(this.records, {
			since: this.since,
			installKey: this.installKey || null,
			source: this.source || null
		})
	);
	readonly summaries = $derived(summarizeByVariant(this.filtered));
	/** Every model variant in the window, for the model filter. */
	readonly installKeys = $derived([...new Set(this.records.map((r) => r.installKey))].sort());
	/**
	 * The span the latency chart covers: from the first run shown (not the start of the time
	 * window, which would squeeze a burst of runs into one bucket) to when the records were read.
	 */
	readonly seriesRange = $derived.by(() => {
		const from = this.filtered[0]?.time ?? this.loadedAt;
		return { from, to: Math.max(this.loadedAt, from + 1000) };
	});
	readonly series = $derived(
		latencySeries(this.filtered, this.seriesRange.from, this.seriesRange.to, SERIES_BUCKETS)
	);
	readonly histogram = $derived(
		histogram(this.filtered.filter((r) => r.ok).map((r) => r.latencyMs))
	);
	readonly firing = $derived(this.states.filter((state) => state.firing));

	/** Starts reading and listening; returns the function that stops it. */
	start(): () => void {
		this.channel = openMetricsChannel((message) => this.onMessage(message));
		void this.reload();
		return () => {
			this.channel?.close();
			this.channel = null;
			if (this.reloadTimer !== null) clearTimeout(this.reloadTimer);
		};
	}

	private onMessage(message: MetricsMessage): void {
		if (message.type === 'recording-failed') {
			this.recordingError = `${message.lost} run${message.lost === 1 ? ' was' : 's were'} not recorded: ${message.message}`;
			return;
		}
		if (message.type === 'records' || message.type === 'alert' || message.type === 'cleared') {
			this.reloadSoon();
		}
	}

	private reloadSoon(): void {
		this.reloadTimer ??= setTimeout(() => {
			this.reloadTimer = null;
			void this.reload();
		}, RELOAD_MS);
	}

	/** Reads the window's records, the rules, states, history and settings. */
	async reload(): Promise<void> {
		const now = Date.now();
		const window = TIME_WINDOWS.find((option) => option.id === this.windowId)!;
		try {
			const [records, rules, states, events, retention] = await Promise.all([
				listRecords(window.ms === null ? {} : { since: now - window.ms }),
				listAlertRules(),
				listAlertStates(),
				listAlertEvents(50),
				readRetention()
			]);
			this.records = records;
			this.loadedAt = now;
			this.rules = rules;
			this.states = states;
			this.events = events;
			this.retention = retention;
			this.error = null;
		} catch (error) {
			this.error = errorMessage(error);
		} finally {
			this.loaded = true;
		}
	}

	setWindow(id: TimeWindowId): void {
		this.windowId = id;
		void this.reload();
	}

	/** Tells every worker to reread the settings and rules, and re-evaluates the rules now. */
	private async settingsChanged(): Promise<void> {
		announce(this.channel, { type: 'settings' });
		for (const event of await evaluateAlerts()) announce(this.channel, { type: 'alert', event });
		await this.reload();
	}

	async saveRetention(settings: RetentionSettings): Promise<number> {
		const removed = await saveRetention(settings);
		await this.settingsChanged();
		return removed;
	}

	async saveRule(rule: AlertRule): Promise<void> {
		await saveAlertRule(rule);
		await this.settingsChanged();
	}

	async deleteRule(id: string): Promise<void> {
		await deleteAlertRule(id);
		await this.settingsChanged();
	}

	/** Every kept record, oldest first, whatever the filters: an export is a backup. */
	async exportFile(format: 'json' | 'csv'): Promise<Blob> {
		const records = await listRecords();
		return format === 'json'
			? new Blob([recordsToJson(records, new Date())], { type: 'application/json' })
			: new Blob([recordsToCsv(records)], { type: 'text/csv' });
	}

	/** Checks the whole file first; stores all of it or nothing. */
	async importFile(file: File): Promise<{ imported: number; trimmed: number }> {
		if (file.size > MAX_IMPORT_BYTES) {
			throw new MetricsImportError(file.name, [
				{ where: 'file', message: `it is larger than ${formatBytes(MAX_IMPORT_BYTES)}` }
			]);
		}
		const records = parseMetricsFile(file.name, await file.text());
		const result = await importRecords(records);
		announce(this.channel, { type: 'records', ...result });
		for (const event of await evaluateAlerts()) announce(this.channel, { type: 'alert', event });
		await this.reload();
		return { imported: result.stored, trimmed: result.trimmed };
	}

	async clear(): Promise<void> {
		await clearMetrics();
		announce(this.channel, { type: 'cleared' });
		await this.reload();
	}
}
