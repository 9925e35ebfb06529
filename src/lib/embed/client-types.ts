/**
 * The public types of the widget client: what host pages pass (connect, request and run
 * options), the client's error class, and the protocol's message types re-exported, so
 * embed/hearth-client.d.ts documents the whole API from one place.
 */
import type { EventData, EventName, LoadProgress } from './protocol';

export type {
	AnswerMessage,
	AudioInput,
	EmbeddingsResult,
	ErrorInfo,
	EventData,
	EventMessage,
	EventName,
	GraphInput,
	GraphResult,
	ImageInput,
	LoadParams,
	LoadProgress,
	LoadResult,
	MethodName,
	Methods,
	MetricsParams,
	MetricsResult,
	ModelSummary,
	ProtocolErrorCode,
	RequestId,
	RequestMessage,
	RunInput,
	RunOutput,
	RunParams,
	SessionCounters,
	StatusResult,
	StorageMode,
	StorageStatus,
	TextInput,
	UnloadParams,
	VariantSummary
} from './protocol';

export interface ConnectOptions {
	/** A model to load once connected (its download reports through onProgress). */
	model?: string;
	variant?: string;
	backend?: 'auto' | 'webgpu' | 'wasm';
	theme?: 'auto' | 'light' | 'dark';
	/** One line of status instead of the panel. */
	compact?: boolean;
	/** No visible widget: the iframe is hidden and only the API is used. */
	headless?: boolean;
	/** The widget's URL; by default the one beside this script (<site>/widget). */
	widgetUrl?: string | URL;
	/** How long to wait for the widget to answer at all (default 20 s). */
	connectTimeoutMs?: number;
	/** How long a request may go without an answer or an event (default 120 s). */
	timeoutMs?: number;
	/** The iframe's accessible title. */
	title?: string;
	onProgress?: (progress: LoadProgress) => void;
	onLog?: (entry: EventData['log']) => void;
}

export interface RequestOptions {
	/** Buffers to move to the widget instead of copying (the caller's copies become empty). */
	transfer?: Transferable[];
	timeoutMs?: number;
	onEvent?: <K extends EventName>(event: K, data: EventData[K]) => void;
}

export interface RunOptions {
	/** The connected model by default. */
	model?: string;
	variant?: string;
	backend?: 'auto' | 'webgpu' | 'wasm';
	/** Move big buffers (pixels, samples, tensors) instead of copying them; default true. */
	transfer?: boolean;
	timeoutMs?: number;
	onProgress?: (progress: LoadProgress) => void;
}

/** A failure the widget reported, or one of the client's own ('timeout', 'closed', ...). */
export class HearthWidgetError extends Error {
	constructor(
		readonly code: string,
		message: string,
		readonly method?: string
	) {
		super(message);
		this.name = 'HearthWidgetError';
	}
}
