import { describe, expect, it } from 'vitest';
import { CLEAR_RATIO, describeEvent, evaluateRule, ruleValue, ruleWindow } from './alerts';
import { makeRecord } from './record.fixture';
import type { AlertRule, AlertState, InferenceRecord } from './types';

const rule: AlertRule = {
	id: 'slow',
	metric: 'p95-latency',
	threshold: 100,
	windowRuns: 3,
	installKey: null,
	enabled: true,
	createdAt: 0
};

let ids = 0;
const makeId = () => `event-${ids++}`;

/** Feeds runs one at a time, as flushes would, and returns the events. */
function replay(alertRule: AlertRule, latencies: number[]) {
	const runs: InferenceRecord[] = [];
	let state: AlertState | undefined;
	const kinds: string[] = [];
	latencies.forEach((latencyMs, index) => {
		runs.push(makeRecord({ time: index * 1000, latencyMs }));
		const result = evaluateRule(alertRule, ruleWindow(alertRule, runs), state, index, makeId);
		state = result.state;
		kinds.push(result.event?.kind ?? '-');
	});
	return { kinds, state: state! };
}

describe('alert rules', () => {
	it('fires when the p95 of the last N runs goes above the threshold, clears after fast runs', () => {
		const { kinds, state } = replay(rule, [10, 12, 500, 11, 10, 9, 8]);
		// The slow run stays in the window of 3 for three evaluations.
		expect(kinds).toEqual(['-', '-', 'fired', '-', '-', 'cleared', '-']);
		expect(state.firing).toBe(false);
	});

	it('has hysteresis: values between 90% and 100% of the threshold change nothing', () => {
		const single = { ...rule, windowRuns: 1 };
		const { kinds } = replay(single, [150, 95, 99, 91, 101, 90, 120]);
		expect(kinds).toEqual(['fired', '-', '-', '-', '-', 'cleared', 'fired']);
		expect(CLEAR_RATIO).toBe(0.9);
	});

	it('computes error rate, memory and p95 over the window only', () => {
		const runs = [
			makeRecord({ ok: false, errorCode: 'inference' }),
			makeRecord({ memoryBytes: 300 * 1024 * 1024, memorySource: 'agent' }),
			makeRecord({ latencyMs: 40 }),
			makeRecord({ latencyMs: 60, ok: false, errorCode: 'x' })
		];
		expect(ruleValue('error-rate', runs)).toBe(50);
		expect(ruleValue('memory', runs)).toBe(300);
		expect(ruleValue('p95-latency', runs)).toBeCloseTo(1.5 + (40 - 1.5) * 0.95, 12);
		expect(ruleValue('memory', runs.slice(2))).toBeNull();
		expect(ruleValue('p95-latency', [runs[0]!])).toBeNull();
		expect(ruleValue('error-rate', [])).toBeNull();
	});

	it('takes only the scoped model variant and the latest runs', () => {
		const scoped = { ...rule, installKey: 'silero-vad/v5', windowRuns: 2 };
		const runs = [
			makeRecord({ time: 3, model: 'silero-vad', variant: 'v5' }),
			makeRecord({ time: 1, model: 'silero-vad', variant: 'v5' }),
			makeRecord({ time: 2, model: 'silero-vad', variant: 'v5' }),
			makeRecord({ time: 4 })
		];
		expect(ruleWindow(scoped, runs).map((run) => run.time)).toEqual([2, 3]);
	});

	it('a disabled rule never fires and stops firing silently', () => {
		const firing: AlertState = { ruleId: 'slow', firing: true, since: 0, value: 500, runs: 3 };
		const result = evaluateRule(
			{ ...rule, enabled: false },
			[makeRecord({ latencyMs: 900 })],
			firing,
			1,
			makeId
		);
		expect(result.state.firing).toBe(false);
		expect(result.event).toBeNull();
	});

	it('describes what happened in words', () => {
		const { state } = replay(rule, [500]);
		expect(state.firing).toBe(true);
		const event = evaluateRule(rule, [makeRecord({ latencyMs: 250 })], undefined, 5, makeId).event!;
		expect(describeEvent(event)).toBe('Fired: p95 latency 250.0 ms > 100.0 ms over the last 1 run');
	});
});
