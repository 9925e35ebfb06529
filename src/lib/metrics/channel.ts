/**
 * The metrics broadcast: every runtime worker announces what it stored and which alerts changed,
 * and every open page (the Monitor, the alert indicator in the header) listens. A
 * BroadcastChannel reaches every tab and worker of the site's origin, so an alert fired by a
 * run in one tab shows in all of them.
 */
import type { AlertEvent } from './types';

export const METRICS_CHANNEL = 'hearth-metrics';

export type MetricsMessage =
	/** Records were stored (or imported). */
	| { type: 'records'; stored: number; trimmed: number }
	/** A rule fired or cleared. */
	| { type: 'alert'; event: AlertEvent }
	/** Retention or recording settings, or the rules, changed: workers reread them. */
	| { type: 'settings' }
	/** Records were cleared. */
	| { type: 'cleared' }
	/** Records could not be stored; `lost` of them are gone. */
	| { type: 'recording-failed'; lost: number; code: string; message: string };

/** Opens the channel, or returns null where the browser has none (very old browsers). */
export function openMetricsChannel(
	onMessage?: (message: MetricsMessage) => void
): BroadcastChannel | null {
	if (typeof BroadcastChannel === 'undefined') return null;
	const channel = new BroadcastChannel(METRICS_CHANNEL);
	if (onMessage) {
		channel.addEventListener('message', (event: MessageEvent<MetricsMessage>) =>
			onMessage(event.data)
		);
	}
	return channel;
}

export function announce(channel: BroadcastChannel | null, message: MetricsMessage): void {
	channel?.postMessage(message);
}
