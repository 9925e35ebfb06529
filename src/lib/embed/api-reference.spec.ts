import { describe, expect, it } from 'vitest';
import { ERROR_DOCS, METHOD_DOCS } from './api-reference';
import { METHODS, type ProtocolErrorCode } from './protocol';

describe('the API reference', () => {
	it('documents every method, in the protocol order', () => {
		expect(METHOD_DOCS.map((doc) => doc.name)).toEqual([...METHODS]);
	});

	it('explains every error code a method can answer, and every protocol code', () => {
		const documented = new Set(ERROR_DOCS.map((doc) => doc.code));
		const protocol: ProtocolErrorCode[] = [
			'bad-request',
			'unsupported-version',
			'unknown-method',
			'bad-params',
			'unknown-model',
			'unknown-variant'
		];
		for (const code of [...protocol, ...METHOD_DOCS.flatMap((doc) => doc.errors)]) {
			expect(documented, code).toContain(code);
		}
	});
});
