/**
 * The readable start of a raw email: its subject and the first text of its body, as a person
 * would see it. Multipart messages give their first text/plain part (else text/html); quoted-
 * printable and base64 bodies are decoded; HTML loses its tags, styles and entities.
 */
import { headerValue } from './mail-headers';

interface Part {
	headers: string;
	body: string;
}

function splitHead(message: string): Part {
	const end = message.search(/\r?\n\r?\n/);
	if (end < 0) return { headers: message, body: '' };
	return { headers: message.slice(0, end), body: message.slice(end).replace(/^\r?\n\r?\n/, '') };
}

function header(headers: string, name: string): string {
	return headerValue(`${headers}\n\n`, name) ?? '';
}

function boundaryOf(contentType: string): string | null {
	return contentType.match(/boundary="?([^";]+)"?/i)?.[1] ?? null;
}

/** The parts of a multipart body, each with its own headers (nested multiparts are flattened). */
function leafParts(part: Part, depth = 0): Part[] {
	const boundary = boundaryOf(header(part.headers, 'Content-Type'));
	if (!boundary || depth > 4) return [part];
	const pieces = part.body.split(`--${boundary}`).slice(1);
	return pieces
		.filter((piece) => !piece.startsWith('--'))
		.flatMap((piece) => leafParts(splitHead(piece.replace(/^\r?\n/, '')), depth + 1));
}

function decodeQuotedPrintable(text: string): string {
	const joined = text.replace(/=\r?\n/g, '');
	const bytes: number[] = [];
	for (let i = 0; i < joined.length; i++) {
		const hex = joined.slice(i + 1, i + 3);
		if (joined[i] === '=' && /^[0-9a-f]{2}$/i.test(hex)) {
			bytes.push(Number.parseInt(hex, 16));
			i += 2;
		} else {
			const code = joined.charCodeAt(i);
			if (code < 0x80) bytes.push(code);
			else bytes.push(...new TextEncoder().encode(joined[i]));
		}
	}
	return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
}

function decodeBase64(text: string): string {
	try {
		return new TextDecoder('utf-8').decode(
			Uint8Array.from(atob(text.replace(/\s+/g, '')), (c) => c.charCodeAt(0))
		);
	} catch {
		return '';
	}
}

const ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' '
};

export function htmlToText(html: string): string {
	return html
		.replace(/<(style|script|head)[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
		.replace(/<!--[\s\S]*?-->/g, ' ')
		.replace(/<[^>]*>/g, ' ')
		.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
		.replace(/&([a-z]+);/gi, (whole, name: string) => ENTITIES[name.toLowerCase()] ?? ' ');
}

function partText(part: Part): string {
	const encoding = header(part.headers, 'Content-Transfer-Encoding').toLowerCase();
	let text = part.body;
	if (encoding === 'quoted-printable') text = decodeQuotedPrintable(text);
	else if (encoding === 'base64') text = decodeBase64(text);
	const isHtml =
		/text\/html/i.test(header(part.headers, 'Content-Type')) ||
		/<(html|body|p|br|div|table)\b/i.test(text);
	return isHtml ? htmlToText(text) : text;
}

/** The body as plain text with whitespace collapsed. */
export function mailBody(message: string): string {
	const parts = leafParts(splitHead(message));
	const typeOf = (part: Part) => header(part.headers, 'Content-Type').toLowerCase();
	const chosen =
		parts.find(
			(part) => typeOf(part).startsWith('text/plain') || (!typeOf(part) && part.body.trim())
		) ??
		parts.find((part) => typeOf(part).startsWith('text/html')) ??
		parts[0];
	return chosen ? partText(chosen).replace(/\s+/g, ' ').trim() : '';
}

/** "Subject\nstart of the body", the text the spam classifier reads. */
export function mailText(message: string, bodyChars: number): string {
	const subject = (headerValue(message, 'Subject') ?? '').trim();
	const body = mailBody(message).slice(0, bodyChars).trim();
	return [subject, body].filter(Boolean).join('\n');
}
