import { describe, expect, it } from 'vitest';
import { htmlToText, mailBody, mailText } from './mail-body';

describe('mailBody', () => {
	it('gives the body of a plain message with whitespace collapsed', () => {
		const message = 'From: a@b\nSubject: Hello\n\nFirst line\n\n  second   line\n';
		expect(mailBody(message)).toBe('First line second line');
	});

	it('prefers the text/plain part of a multipart message and decodes quoted-printable', () => {
		const message = [
			'Subject: Offer',
			'Content-Type: multipart/alternative; boundary="XYZ"',
			'',
			'--XYZ',
			'Content-Type: text/html',
			'',
			'<p>HTML version</p>',
			'--XYZ',
			'Content-Type: text/plain; charset=utf-8',
			'Content-Transfer-Encoding: quoted-printable',
			'',
			'Caf=C3=A9 for ever=',
			'yone',
			'--XYZ--'
		].join('\n');
		expect(mailBody(message)).toBe('Café for everyone');
	});

	it('reads HTML-only and base64 bodies', () => {
		const html =
			'Content-Type: text/html\n\n<html><style>p{}</style><p>Win &amp; save&nbsp;now</p></html>';
		expect(mailBody(html)).toBe('Win & save now');
		const base64 = `Content-Transfer-Encoding: base64\n\n${btoa('Meeting at noon')}`;
		expect(mailBody(base64)).toBe('Meeting at noon');
	});
});

describe('mailText', () => {
	it('joins the decoded subject and the start of the body', () => {
		const message = 'Subject: =?utf-8?Q?Caf=C3=A9?=\n\nabcdefghij';
		expect(mailText(message, 4)).toBe('Café\nabcd');
		expect(htmlToText('a<br>b&#65;')).toBe('a bA');
	});
});
