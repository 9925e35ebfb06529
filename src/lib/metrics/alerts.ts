/**
 * Alert rules over the latest runs. A rule fires when its value rises above the threshold and
 * clears only once the value falls to CLEAR_RATIO of it, so a value hovering at the threshold
 * does not fire and clear on every run (hysteresis).
 */
import { quantileSorted, sortedAscending } from './stats';
import type { AlertEvent, AlertMetric, AlertRule, AlertState, InferenceRecord } from './types';

/** A firing rule clears at or below 90% of its threshold. */
export const CLEAR_RATIO = 0.9;

export const METRIC_UNITS: Record<AlertMetric, string> = {
	'p95-latency': 'ms',
	'error-rate': '%',
	memory: 'MB'
};

export const METRIC_LABELS: Record<AlertMetric, string> = {
	'p95-latency': 'p95 latency',
	'error-rate': 'Error rate',
	memory: 'Memory'
};

const MIB = 1024 * 1024;

/**
 * The rule's value over `runs` (the latest matching runs): p95 latency of the successful ones
 * in ms, the percentage that failed, or the latest memory sample in MiB. null when the runs say
 * nothing about it (no successful run, no memory sample).
 */
export function ruleValue(metric: AlertMetric, runs: readonly InferenceRecord[]): number | null {
	if (runs.length === 0) return null;
	switch (metric) {
		case 'p95-latency': {
			const latencies = runs.filter((run) => run.ok).map((run) => run.latencyMs);
			return latencies.length === 0 ? null : quantileSorted(sortedAscending(latencies), 0.95);
		}
		case 'error-rate':
			return (100 * runs.filter((run) => !run.ok).length) / runs.length;
		case 'memory': {
			let latest: InferenceRecord | null = null;
			for (const run of runs) {
				if (run.memoryBytes !== null && (!latest || run.time >= latest.time)) latest = run;
			}
			return latest ? latest.memoryBytes! / MIB : null;
		}
	}
}

/** Whether a record counts for a rule. */
export function ruleMatches(rule: AlertRule, record: InferenceRecord): boolean {
	return rule.installKey === null || rule.installKey === record.installKey;
}

/** The latest `rule.windowRuns` matching runs, from any list of records. */
export function ruleWindow(
	rule: AlertRule,
	records: readonly InferenceRecord[]
): InferenceRecord[] {
	return records
		.filter((record) => ruleMatches(rule, record))
		.sort((a, b) => a.time - b.time)
		.slice(-rule.windowRuns);
}

export interface RuleEvaluation {
	state: AlertState;
	/** Set when the rule changed between firing and clear. */
	event: AlertEvent | null;
}

/**
 * The rule's new state from its window of runs and its previous state. A disabled rule, or one
 * whose runs give no value, keeps its state except that a disabled rule stops firing (silently:
 * the user turned it off).
 */
export function evaluateRule(
	rule: AlertRule,
	window: readonly InferenceRecord[],
	previous: AlertState | undefined,
	now: number,
	makeId: () => string
): RuleEvaluation {
	const before: AlertState = previous ?? {
		ruleId: rule.id,
		firing: false,
		since: now,
		value: null,
		runs: 0
	};
	if (!rule.enabled) {
		return { state: { ...before, firing: false, value: null, runs: 0 }, event: null };
	}
	const value = ruleValue(rule.metric, window);
	if (value === null) return { state: { ...before, value, runs: window.length }, event: null };
	const fire = !before.firing && value > rule.threshold;
	const clear = before.firing && value <= rule.threshold * CLEAR_RATIO;
	const firing = fire ? true : clear ? false : before.firing;
	const state: AlertState = {
		ruleId: rule.id,
		firing,
		since: fire || clear ? now : before.since,
		value,
		runs: window.length
	};
	if (!fire && !clear) return { state, event: null };
	return {
		state,
		event: {
			id: makeId(),
			ruleId: rule.id,
			kind: fire ? 'fired' : 'cleared',
			time: now,
			metric: rule.metric,
			threshold: rule.threshold,
			value,
			windowRuns: rule.windowRuns,
			runs: window.length,
			installKey: rule.installKey
		}
	};
}

function formatValue(metric: AlertMetric, value: number): string {
	const digits = metric === 'error-rate' ? 1 : value < 10 ? 2 : value < 1000 ? 1 : 0;
	return `${value.toFixed(digits)} ${METRIC_UNITS[metric]}`;
}

/** "p95 latency above 200 ms over the last 20 runs of mnist-mlp/fp32" */
export function describeRule(
	rule: Pick<AlertRule, 'metric' | 'threshold' | 'windowRuns' | 'installKey'>
): string {
	const scope = rule.installKey ? ` of ${rule.installKey}` : '';
	const what =
		rule.metric === 'memory'
			? `in the latest sample of the last ${rule.windowRuns} runs`
			: `over the last ${rule.windowRuns} runs`;
	return `${METRIC_LABELS[rule.metric]} above ${formatValue(rule.metric, rule.threshold)} ${what}${scope}`;
}

/** "Fired: p95 latency 231.4 ms > 200.0 ms over the last 3 runs" */
export function describeEvent(event: AlertEvent): string {
	const scope = event.installKey ? ` of ${event.installKey}` : '';
	const comparison =
		event.kind === 'fired'
			? `> ${formatValue(event.metric, event.threshold)}`
			: `≤ ${formatValue(event.metric, event.threshold * CLEAR_RATIO)}`;
	return (
		`${event.kind === 'fired' ? 'Fired' : 'Cleared'}: ${METRIC_LABELS[event.metric]} ` +
		`${formatValue(event.metric, event.value)} ${comparison} over the last ${event.runs} ` +
		`${event.runs === 1 ? 'run' : 'runs'}${scope}`
	);
}
