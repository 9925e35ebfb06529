/**
 * Reads one header out of a raw RFC 822 message: unfolds continuation lines and decodes
 * RFC 2047 encoded words (=?charset?Q?...?= and =?charset?B?...?=), so subjects read as people
 * wrote them.
 */
export function headerValue(message: string, name: string): string | null {
	const end = message.search(/\r?\n\r?\n/);
	const head = (end < 0 ? message : message.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
	const pattern = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im');
	const match = head.match(pattern);
	return match ? decodeEncodedWords(match[1]!).replace(/\s+/g, ' ').trim() : null;
}

export function decodeEncodedWords(value: string): string {
	// Whitespace between two encoded words is not part of the text (RFC 2047 section 6.2).
	const joined = value.replace(/(=\?[^?]+\?[bq]\?[^?]*\?=)\s+(?==\?)/gi, '$1');
	return joined.replace(
		/=\?([^?]+)\?([bq])\?([^?]*)\?=/gi,
		(whole, charset: string, kind: string, text: string) => {
			try {
				const bytes =
					kind.toLowerCase() === 'b'
						? Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
						: quotedPrintableBytes(text.replace(/_/g, ' '));
				return new TextDecoder(charset.toLowerCase()).decode(bytes);
			} catch {
				// An unknown charset or broken encoding: keep the raw text rather than guess.
				return whole;
			}
		}
	);
}

function quotedPrintableBytes(text: string): Uint8Array {
	const bytes: number[] = [];
	for (let i = 0; i < text.length; i++) {
		if (text[i] === '=' && /^[0-9a-f]{2}$/i.test(text.slice(i + 1, i + 3))) {
			bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
			i += 2;
		} else {
			bytes.push(text.charCodeAt(i) & 0xff);
		}
	}
	return Uint8Array.from(bytes);
}
