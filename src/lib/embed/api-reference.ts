/**
 * The widget API's reference as data, for the Docs page: every method with its params, result
 * and the errors it can answer, and every error code. The method list is checked against the
 * protocol's own (api-reference.spec.ts), so the page cannot miss a method.
 */
import type { MethodName } from './protocol';

export interface MethodDoc {
	name: MethodName;
	summary: string;
	params: string;
	result: string;
	errors: string[];
}

export const METHOD_DOCS: MethodDoc[] = [
	{
		name: 'listModels',
		summary: "The site's catalog: each model's task, licence and variants, and which are loaded.",
		params: 'none',
		result:
			'{ models: { id, name, task, description, licence, variants: { id, name, precision, bytes, loaded }[] }[] }',
		errors: []
	},
	{
		name: 'load',
		summary:
			'Downloads a variant (or reads it from storage) and prepares its graphs. Sends progress events, a log event per note, then ready.',
		params: "{ model: string, variant?: string, backend?: 'auto' | 'webgpu' | 'wasm' }",
		result:
			"{ model, variant, task, storage: 'indexeddb' | 'memory', cached, bytes, backend, threads, graphs: { file, inputNames, outputNames }[], notes }",
		errors: [
			'bad-params',
			'unknown-model',
			'unknown-variant',
			'not-found',
			'http-error',
			'network',
			'integrity',
			'insufficient-storage',
			'storage-full',
			'model-load'
		]
	},
	{
		name: 'run',
		summary:
			"Runs the model's task on the input, loading the model first if needed. The input's buffers are moved, not copied, by the client.",
		params:
			'{ model: string, variant?, backend?, input }: input is ImageData | Blob | { width, height, data } for ocr, digits, pose, face, moderation, detection and segmentation; { samples: Float32Array, sampleRate } | Blob for vad; string | string[] | { texts, query?, maxTokens? } for embeddings; { tensors: { name: { dtype, dims, data } }, file? } for any model',
		result:
			"{ task: 'ocr' | 'vad' | 'embeddings' | 'digits' | 'pose' | 'face' | 'moderation' | 'detection' | 'segmentation' | 'graph', result, model, variant, timings: { loadMs, preprocessMs, inferenceMs, postprocessMs }, backend, threads, notes }",
		errors: [
			'bad-params',
			'unknown-model',
			'unknown-variant',
			'empty-text',
			'empty-image',
			'audio-empty',
			'model-mismatch',
			'inference',
			'worker-crashed'
		]
	},
	{
		name: 'unload',
		summary: 'Frees a model (or every model) in the widget: sessions, and bytes held in memory.',
		params: '{ model?: string, variant?: string }',
		result: '{ unloaded: number } (sessions released)',
		errors: ['bad-params', 'unknown-model']
	},
	{
		name: 'status',
		summary: 'What the widget runs on and where it keeps models.',
		params: 'none',
		result:
			'{ protocol: 1, origin, host, ortVersion, crossOriginIsolated, threads, webgpu, storage: { mode, reason, access, canRequest }, memory: { modelBytes, jsHeapBytes }, loaded, ignoredMessages, notes }',
		errors: []
	},
	{
		name: 'metrics',
		summary:
			"This host's runs as the Monitor stored them (only runs this origin asked for), and this session's own counters.",
		params: '{ since?: number (ms since 1970), limit?: number }',
		result:
			'{ stored: InferenceRecord[] | null, storedError: { code, message } | null, session: { since, requests, errors, runs, failedRuns, ignoredMessages, runMs } }',
		errors: ['bad-params']
	}
];

export interface ErrorDoc {
	code: string;
	meaning: string;
}

export const ERROR_DOCS: ErrorDoc[] = [
	{ code: 'bad-request', meaning: 'The message has no id or no method name.' },
	{ code: 'unsupported-version', meaning: 'The message is not protocol version 1.' },
	{ code: 'unknown-method', meaning: 'There is no such method; the message lists them.' },
	{
		code: 'bad-params',
		meaning: 'A param is missing or of the wrong type; the message says which.'
	},
	{ code: 'unknown-model', meaning: "No model of that id in the site's catalog." },
	{ code: 'unknown-variant', meaning: 'The model has no variant of that id.' },
	{ code: 'not-found', meaning: 'A model file is missing on the server (404).' },
	{ code: 'http-error', meaning: 'The server answered another error status.' },
	{ code: 'network', meaning: 'The connection failed during a download.' },
	{ code: 'integrity', meaning: 'A file failed its SHA-256 check; nothing of it was kept.' },
	{ code: 'insufficient-storage', meaning: 'Not enough browser storage for the model.' },
	{ code: 'storage-full', meaning: 'Storage ran out during the download.' },
	{ code: 'model-load', meaning: 'ONNX Runtime could not load a graph.' },
	{ code: 'model-mismatch', meaning: 'The model lacks a file its task needs.' },
	{ code: 'inference', meaning: 'Running the graph failed (wrong input names, types or shapes).' },
	{ code: 'empty-text', meaning: 'A text to embed is empty.' },
	{ code: 'empty-image', meaning: 'The picture has no pixels.' },
	{ code: 'not-an-image', meaning: 'The Blob is not a picture the browser can read.' },
	{ code: 'audio-empty', meaning: 'The audio holds no samples.' },
	{ code: 'audio-decode', meaning: 'The Blob is not audio the browser can decode.' },
	{ code: 'worker-crashed', meaning: 'The model worker stopped (often out of memory).' },
	{ code: 'timeout', meaning: 'Client only: no answer or event within timeoutMs.' },
	{
		code: 'connect-timeout',
		meaning: 'Client only: the widget never answered (URL or allow-list).'
	},
	{ code: 'closed', meaning: 'Client only: the widget was destroyed while waiting.' },
	{ code: 'unexpected', meaning: 'Anything else; the message has the details.' }
];
