/**
 * Hearth's JS client for host pages: creates the widget's iframe and wraps its postMessage API
 * (protocol.ts) in promises. Built into the standalone ES module the site serves at
 * embed/hearth-client.js, with its types in embed/hearth-client.d.ts.
 *
 *   import { Hearth } from 'https://hearth.example/embed/hearth-client.js';
 *   const h = await Hearth.connect(element, { model: 'mnist-mlp' });
 *   const { result } = await h.run(imageData);
 *
 * It only talks to the widget's window, and only accepts messages from the widget's origin.
 */
import {
	HearthWidgetError,
	type ConnectOptions,
	type RequestOptions,
	type RunOptions
} from './client-types';
import type {
	AudioInput,
	EventData,
	EventName,
	GraphInput,
	ImageInput,
	LoadProgress,
	LoadResult,
	MethodName,
	Methods,
	MetricsParams,
	MetricsResult,
	ModelSummary,
	RequestId,
	RunInput,
	RunOutput,
	StatusResult,
	TextInput
} from './protocol';

export * from './client-types';

const PROTOCOL = 1;
const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
const HANDSHAKE_INTERVAL_MS = 250;

interface Pending {
	method: string;
	resolve(value: unknown): void;
	reject(error: Error): void;
	onEvent?: RequestOptions['onEvent'];
	timeoutMs: number;
	timer: ReturnType<typeof setTimeout>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null;

/** The ArrayBuffers under a run input, to move rather than copy. */
export function inputTransferables(input: RunInput): Transferable[] {
	const buffers = new Set<ArrayBuffer>();
	const add = (view: unknown) => {
		if (ArrayBuffer.isView(view) && view.buffer instanceof ArrayBuffer) buffers.add(view.buffer);
	};
	if (isRecord(input)) {
		add((input as { data?: unknown }).data);
		add((input as { samples?: unknown }).samples);
		const tensors = (input as { tensors?: unknown }).tensors;
		if (isRecord(tensors)) {
			for (const tensor of Object.values(tensors)) add(isRecord(tensor) ? tensor.data : null);
		}
	}
	return [...buffers];
}

/** One widget on the page. Events: 'progress', 'ready', 'log' (CustomEvent, detail: { id, data }). */
export class HearthWidget extends EventTarget {
	readonly origin: string;
	/** The model `run` uses when none is given: the one named at connect, or the last loaded. */
	model: string | null;
	private readonly pending = new Map<RequestId, Pending>();
	private nextId = 1;
	private readonly prefix = `h${Math.random().toString(36).slice(2, 8)}-`;
	private closed = false;

	constructor(
		readonly iframe: HTMLIFrameElement,
		private readonly options: ConnectOptions
	) {
		super();
		this.origin = new URL(iframe.src).origin;
		this.model = options.model ?? null;
		window.addEventListener('message', this.onMessage);
	}

	/** Sends one request; resolves with its result, or rejects with a HearthWidgetError. */
	request<K extends MethodName>(
		method: K,
		params?: Methods[K]['params'],
		options: RequestOptions = {}
	): Promise<Methods[K]['result']> {
		if (this.closed) {
			return Promise.reject(new HearthWidgetError('closed', 'This widget was destroyed.', method));
		}
		const target = this.iframe.contentWindow;
		if (!target) {
			return Promise.reject(
				new HearthWidgetError('closed', 'The widget iframe is no longer in the page.', method)
			);
		}
		const id = `${this.prefix}${this.nextId++}`;
		const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		return new Promise((resolve, reject) => {
			const pending: Pending = {
				method,
				resolve: resolve as (value: unknown) => void,
				reject,
				onEvent: options.onEvent,
				timeoutMs,
				timer: this.timer(id, method, timeoutMs)
			};
			this.pending.set(id, pending);
			try {
				target.postMessage(
					{ hearth: PROTOCOL, id, method, params },
					{ targetOrigin: this.origin, transfer: options.transfer ?? [] }
				);
			} catch (error) {
				clearTimeout(pending.timer);
				this.pending.delete(id);
				const detail = error instanceof Error ? error.message : String(error);
				reject(new HearthWidgetError('bad-params', `${method}: ${detail}`, method));
			}
		});
	}

	listModels(): Promise<ModelSummary[]> {
		return this.request('listModels').then((result) => result.models);
	}

	/** Downloads (or reads from storage) a model and prepares it; progress through onProgress. */
	async load(
		model: string,
		options: {
			variant?: string;
			backend?: 'auto' | 'webgpu' | 'wasm';
			onProgress?: (p: LoadProgress) => void;
		} = {}
	): Promise<LoadResult> {
		const result = await this.request(
			'load',
			{ model, variant: options.variant, backend: options.backend ?? this.options.backend },
			{ onEvent: this.progressHandler(options.onProgress) }
		);
		this.model = model;
		return result;
	}

	/** Runs the model on `input`; the result's `task` says which result type it holds. */
	run(input: ImageInput | AudioInput | TextInput | GraphInput, options: RunOptions = {}) {
		const model = options.model ?? this.model;
		if (!model) {
			return Promise.reject(
				new HearthWidgetError(
					'bad-params',
					'run: no model: pass { model } or load one first.',
					'run'
				)
			);
		}
		return this.request(
			'run',
			{ model, variant: options.variant, backend: options.backend ?? this.options.backend, input },
			{
				transfer: options.transfer === false ? [] : inputTransferables(input),
				timeoutMs: options.timeoutMs,
				onEvent: this.progressHandler(options.onProgress)
			}
		) as Promise<RunOutput>;
	}

	unload(model?: string, variant?: string): Promise<number> {
		return this.request('unload', { model, variant }).then((result) => result.unloaded);
	}

	status(): Promise<StatusResult> {
		return this.request('status');
	}

	metrics(params: MetricsParams = {}): Promise<MetricsResult> {
		return this.request('metrics', params);
	}

	/** Removes the iframe; waiting requests fail with 'closed'. */
	destroy(): void {
		if (this.closed) return;
		this.closed = true;
		window.removeEventListener('message', this.onMessage);
		for (const [id, pending] of this.pending) {
			clearTimeout(pending.timer);
			pending.reject(new HearthWidgetError('closed', 'The widget was destroyed.', pending.method));
			this.pending.delete(id);
		}
		this.iframe.remove();
	}

	private progressHandler(onProgress?: (p: LoadProgress) => void): RequestOptions['onEvent'] {
		return (event, data) => {
			if (event === 'progress') (onProgress ?? this.options.onProgress)?.(data as LoadProgress);
			if (event === 'log') this.options.onLog?.(data as EventData['log']);
		};
	}

	private timer(id: RequestId, method: string, timeoutMs: number) {
		return setTimeout(() => {
			const pending = this.pending.get(id);
			if (!pending) return;
			this.pending.delete(id);
			pending.reject(
				new HearthWidgetError(
					'timeout',
					`The Hearth widget did not answer ${method} within ${Math.round(timeoutMs / 1000)} s. ` +
						'It may still be working (a large model on a slow connection): pass a longer timeoutMs.',
					method
				)
			);
		}, timeoutMs);
	}

	private readonly onMessage = (event: MessageEvent) => {
		if (event.source !== this.iframe.contentWindow || event.origin !== this.origin) return;
		const data = event.data as Record<string, unknown>;
		if (!isRecord(data) || data.hearth !== PROTOCOL) return;
		const pending = this.pending.get(data.id as RequestId);
		if (typeof data.event === 'string') {
			const name = data.event as EventName;
			this.dispatchEvent(new CustomEvent(name, { detail: { id: data.id, data: data.data } }));
			if (pending) {
				clearTimeout(pending.timer);
				pending.timer = this.timer(data.id as RequestId, pending.method, pending.timeoutMs);
				pending.onEvent?.(name, data.data as never);
			}
			return;
		}
		if (!pending) return;
		clearTimeout(pending.timer);
		this.pending.delete(data.id as RequestId);
		if (data.ok === true) pending.resolve(data.result);
		else {
			const error = isRecord(data.error) ? data.error : {};
			pending.reject(
				new HearthWidgetError(
					String(error.code ?? 'unexpected'),
					String(error.message ?? 'The widget reported an error.'),
					pending.method
				)
			);
		}
	};
}

/** The widget's URL with the options it reads from its query. */
export function widgetSource(options: ConnectOptions, scriptUrl: string): string {
	const url = new URL(options.widgetUrl ?? '../widget', scriptUrl);
	if (options.theme) url.searchParams.set('theme', options.theme);
	if (options.compact) url.searchParams.set('compact', '1');
	if (options.headless) url.searchParams.set('headless', '1');
	if (options.backend) url.searchParams.set('backend', options.backend);
	return url.href;
}

/**
 * Puts a widget in `container`, waits until it answers, and loads `options.model` if given.
 * Rejects with code 'connect-timeout' when the widget never answers (a wrong URL, or this
 * page's origin is not on the widget's allow-list).
 */
export async function connect(
	container: Element,
	options: ConnectOptions = {}
): Promise<HearthWidget> {
	const iframe = document.createElement('iframe');
	iframe.src = widgetSource(options, import.meta.url);
	iframe.title = options.title ?? 'Hearth: AI models running on this device';
	// Threads when this page is cross-origin isolated itself; storage access on request.
	iframe.allow = 'cross-origin-isolated; storage-access';
	if (options.headless) {
		iframe.hidden = true;
		iframe.setAttribute('aria-hidden', 'true');
	} else {
		iframe.style.border = '0';
		iframe.style.width = '100%';
		iframe.style.height = options.compact ? '2.5rem' : '10rem';
	}
	container.append(iframe);
	const widget = new HearthWidget(iframe, options);
	try {
		await handshake(widget, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
		if (options.model) await widget.load(options.model, { variant: options.variant });
	} catch (error) {
		widget.destroy();
		throw error;
	}
	return widget;
}

/**
 * Asks for status every quarter second until the widget's page has started and answers one
 * (messages sent before it listens are lost; its first answer may take a while).
 */
function handshake(widget: HearthWidget, timeoutMs: number): Promise<void> {
	return new Promise((resolve, reject) => {
		let settled = false;
		const finish = (error?: Error) => {
			if (settled) return;
			settled = true;
			clearInterval(poll);
			clearTimeout(deadline);
			if (error) reject(error);
			else resolve();
		};
		const ask = () =>
			widget.request('status', undefined, { timeoutMs }).then(
				() => finish(),
				(error: unknown) => {
					if (error instanceof HearthWidgetError && error.code === 'timeout') return;
					finish(error instanceof Error ? error : new Error(String(error)));
				}
			);
		const poll = setInterval(ask, HANDSHAKE_INTERVAL_MS);
		const deadline = setTimeout(
			() =>
				finish(
					new HearthWidgetError(
						'connect-timeout',
						`The Hearth widget at ${widget.iframe.src} did not answer within ${Math.round(timeoutMs / 1000)} s. ` +
							"Check the URL, and that this page's origin is on the widget's allow-list (HEARTH_WIDGET_ORIGINS at build time).",
						'connect'
					)
				),
			timeoutMs
		);
		void ask();
	});
}

export const Hearth = { connect, protocol: PROTOCOL, HearthWidgetError };
export default Hearth;
