/**
 * The widget's mailbox: listens for postMessage requests, answers only origins on the build's
 * allow-list (anything else is ignored, and counted), and sends each answer and event back to
 * the window that asked, addressed to its origin only.
 */
import { serializeError } from '$lib/errors';
import { widgetOriginAllowed, type SecurityConfig } from './security-headers.js';
import { parseMessage } from './parse-message';
import { answer, eventMessage, failure, type RequestId } from './protocol';
import type { WidgetService } from './widget-service.svelte';

/**
 * Starts answering; returns the function that stops it. Requests that arrive before `ready`
 * (the storage check) wait for it, so none is lost while the widget starts.
 */
export function answerHosts(
	service: WidgetService,
	security: SecurityConfig,
	ready: Promise<void>
): () => void {
	const onMessage = (event: MessageEvent) => {
		if (!widgetOriginAllowed(event.origin, security, location.origin)) {
			service.countIgnored();
			return;
		}
		const source = event.source as WindowProxy | null;
		if (!source || typeof source.postMessage !== 'function') return; // a port or worker
		const incoming = parseMessage(event.data);
		if (incoming.kind === 'foreign') return;
		const send = (message: unknown, transfer: Transferable[] = []) =>
			source.postMessage(message, { targetOrigin: event.origin, transfer });
		if (incoming.kind === 'invalid') {
			service.counters.requests++;
			service.counters.errors++;
			send(failure(incoming.id, incoming.error));
			return;
		}
		const id: RequestId = incoming.id;
		ready
			.then(() =>
				service.serve(incoming.request, {
					origin: event.origin,
					emit: (name, data) => send(eventMessage(id, name, data))
				})
			)
			.then(
				({ result, transfer }) => {
					try {
						send(answer(id, result), transfer);
					} catch (error) {
						// A result the browser cannot post (it should not happen): say so, not nothing.
						send(failure(id, serializeError(error)));
					}
				},
				(error: unknown) => send(failure(id, serializeError(error)))
			);
	};
	window.addEventListener('message', onMessage);
	return () => window.removeEventListener('message', onMessage);
}
