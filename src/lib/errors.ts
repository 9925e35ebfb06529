/**
 * Every failure a user can meet is a named error with a stable `code` (for the widget API and
 * tests to match on) and a message that says what to do next. Errors cross the worker boundary
 * as plain data and are rebuilt on the other side with `reviveError`.
 */
export class HearthError extends Error {
	readonly code: string;

	constructor(code: string, message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'HearthError';
		this.code = code;
	}
}

export interface SerializedError {
	name: string;
	code: string;
	message: string;
}

export function serializeError(error: unknown): SerializedError {
	if (error instanceof HearthError) {
		return { name: error.name, code: error.code, message: error.message };
	}
	if (error instanceof Error) {
		return { name: error.name, code: 'unexpected', message: error.message || String(error) };
	}
	return { name: 'Error', code: 'unexpected', message: String(error) };
}

export function reviveError(data: SerializedError): HearthError {
	const error = new HearthError(data.code, data.message);
	error.name = data.name;
	return error;
}

/** The code of any thrown value: HearthError's own, else "unexpected". */
export function errorCode(error: unknown): string {
	return error instanceof HearthError ? error.code : 'unexpected';
}

export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
