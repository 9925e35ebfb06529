import { describe, expect, it } from 'vitest';
import { decodeEncodedWords, headerValue } from './mail-headers';

describe('headerValue', () => {
	it('reads a folded header from the head only', () => {
		const message = 'From: a@b\nSubject: Hello\n  there world\nX: y\n\nSubject: not this one\n';
		expect(headerValue(message, 'Subject')).toBe('Hello there world');
		expect(headerValue(message, 'Missing')).toBeNull();
	});
});

describe('decodeEncodedWords', () => {
	it('decodes Q and B words and joins adjacent ones', () => {
		expect(decodeEncodedWords('=?iso-8859-1?Q?Caf=E9_au_lait?=')).toBe('Café au lait');
		expect(decodeEncodedWords('=?utf-8?B?SGVsbG8gd29ybGQ=?=')).toBe('Hello world');
		expect(decodeEncodedWords('=?utf-8?Q?a?= =?utf-8?Q?b?= c')).toBe('ab c');
	});

	it('keeps text it cannot decode', () => {
		expect(decodeEncodedWords('=?x-unknown?Q?abc?=')).toBe('=?x-unknown?Q?abc?=');
	});
});
