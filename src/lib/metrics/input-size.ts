/**
 * The size of an inference's input in bytes, for any task's input: typed arrays and buffers as
 * stored, text as UTF-8, numbers as 8 bytes. It walks the input once without copying anything,
 * so it is cheap next to the inference itself (an image is one byteLength).
 */

/** UTF-8 length without encoding (TextEncoder would copy the whole text). */
export function utf8Length(text: string): number {
	let bytes = 0;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code < 0x80) bytes += 1;
		else if (code < 0x800) bytes += 2;
		else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
			bytes += 4; // a surrogate pair is one 4-byte character
			index++;
		} else bytes += 3;
	}
	return bytes;
}

/** Nested inputs deeper than this are not walked further (no task input comes close). */
const MAX_DEPTH = 6;

export function inputBytes(value: unknown, depth = 0): number {
	if (typeof value === 'string') return utf8Length(value);
	if (typeof value === 'number') return 8;
	if (typeof value === 'bigint') return 8;
	if (typeof value === 'boolean') return 1;
	if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return 0;
	if (ArrayBuffer.isView(value)) return value.byteLength;
	if (value instanceof ArrayBuffer) return value.byteLength;
	let total = 0;
	if (Array.isArray(value)) {
		for (const item of value) total += inputBytes(item, depth + 1);
		return total;
	}
	for (const item of Object.values(value)) total += inputBytes(item, depth + 1);
	return total;
}
