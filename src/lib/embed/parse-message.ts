/**
 * Reads what arrives at the widget (pure, no DOM): the message's envelope, then its method's
 * params, each checked and turned into a typed request or a WidgetProtocolError with a stable
 * code, so a malformed message gets an answer and never reaches the runtime.
 */
import type { BackendPreference } from '$lib/runtime/protocol';
import {
	badParams,
	METHODS,
	PROTOCOL_VERSION,
	WidgetProtocolError,
	type MethodName,
	type ProtocolErrorCode,
	type RequestId,
	type RunInput,
	type WidgetRequest
} from './protocol';

export type Incoming =
	/** Not a Hearth message at all (another script's): ignored without an answer. */
	| { kind: 'foreign' }
	/** A Hearth message that cannot be served: answered with the error. */
	| { kind: 'invalid'; id: RequestId | null; error: WidgetProtocolError }
	| { kind: 'request'; id: RequestId; request: WidgetRequest };

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const isId = (value: unknown): value is RequestId =>
	(typeof value === 'string' && value.length > 0 && value.length <= 200) ||
	(typeof value === 'number' && Number.isFinite(value));

/** Checks a message's envelope, then its method's params. */
export function parseMessage(data: unknown): Incoming {
	if (!isRecord(data) || !('hearth' in data)) return { kind: 'foreign' };
	const id = isId(data.id) ? data.id : null;
	const invalid = (code: ProtocolErrorCode, message: string): Incoming => ({
		kind: 'invalid',
		id,
		error: new WidgetProtocolError(code, message)
	});
	if (data.hearth !== PROTOCOL_VERSION) {
		return invalid(
			'unsupported-version',
			`This widget speaks protocol version ${PROTOCOL_VERSION}, not ${JSON.stringify(data.hearth)}. Use the client served with it (embed/hearth-client.js).`
		);
	}
	if (id === null) {
		return invalid('bad-request', 'Every request needs an id: a non-empty string or a number.');
	}
	if (typeof data.method !== 'string') {
		return invalid('bad-request', 'Every request needs a method name (a string).');
	}
	const method = data.method;
	if (!(METHODS as readonly string[]).includes(method)) {
		return invalid(
			'unknown-method',
			`There is no method "${method.slice(0, 60)}". Methods: ${METHODS.join(', ')}.`
		);
	}
	try {
		return { kind: 'request', id, request: parseParams(method as MethodName, data.params) };
	} catch (error) {
		if (error instanceof WidgetProtocolError) return { kind: 'invalid', id, error };
		throw error;
	}
}

const BACKENDS: readonly BackendPreference[] = ['auto', 'webgpu', 'wasm'];

function optionalString(method: string, params: Record<string, unknown>, name: string) {
	const value = params[name];
	if (value === undefined) return undefined;
	if (typeof value !== 'string' || value === '') {
		throw badParams(method, `"${name}" must be a non-empty string.`);
	}
	return value;
}

function requiredString(method: string, params: Record<string, unknown>, name: string): string {
	const value = optionalString(method, params, name);
	if (value === undefined) throw badParams(method, `"${name}" is required (a model id).`);
	return value;
}

function optionalBackend(method: string, params: Record<string, unknown>) {
	const value = params.backend;
	if (value === undefined) return undefined;
	if (!BACKENDS.includes(value as BackendPreference)) {
		throw badParams(method, `"backend" must be one of ${BACKENDS.join(', ')}.`);
	}
	return value as BackendPreference;
}

function optionalCount(method: string, params: Record<string, unknown>, name: string) {
	const value = params[name];
	if (value === undefined) return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		throw badParams(method, `"${name}" must be a number of 0 or more.`);
	}
	return value;
}

function paramsObject(method: string, params: unknown): Record<string, unknown> {
	if (params === undefined || params === null) return {};
	if (!isRecord(params)) throw badParams(method, 'params must be an object.');
	return params;
}

function parseParams(method: MethodName, raw: unknown): WidgetRequest {
	const params = paramsObject(method, raw);
	switch (method) {
		case 'listModels':
		case 'status':
			return { method, params: undefined };
		case 'load':
			return {
				method,
				params: {
					model: requiredString(method, params, 'model'),
					variant: optionalString(method, params, 'variant'),
					backend: optionalBackend(method, params)
				}
			};
		case 'run':
			if (!('input' in params) || params.input === undefined || params.input === null) {
				throw badParams(method, '"input" is required.');
			}
			return {
				method,
				params: {
					model: requiredString(method, params, 'model'),
					variant: optionalString(method, params, 'variant'),
					backend: optionalBackend(method, params),
					// Checked against the model's task once the model is known (task-input.ts).
					input: params.input as RunInput
				}
			};
		case 'unload': {
			const model = optionalString(method, params, 'model');
			const variant = optionalString(method, params, 'variant');
			if (variant !== undefined && model === undefined) {
				throw badParams(method, '"variant" needs "model" too.');
			}
			return { method, params: { model, variant } };
		}
		case 'metrics':
			return {
				method,
				params: {
					since: optionalCount(method, params, 'since'),
					limit: optionalCount(method, params, 'limit')
				}
			};
	}
}
