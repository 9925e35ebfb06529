import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWinkEmbeddings } from './wink-embeddings';

/** The real file's layout in miniature, with the awkward strings the real one holds. */
const WORDS = ['the', ',', '"', '\\', 'café', '“', 'x'];
const FILE = {
	precision: 8,
	l2NormIndex: 2,
	wordIndex: 3,
	size: WORDS.length,
	dimensions: 2,
	words: WORDS,
	vectors: Object.fromEntries(
		WORDS.map((word, rank) => [word, [rank + 0.5, -rank * 1e-3, 1.25, rank]])
	),
	unkVector: [0, 0, 0, -1]
};

let folder: string;
let path: string;
beforeAll(async () => {
	folder = await mkdtemp(join(tmpdir(), 'wink-'));
	path = join(folder, 'vectors.json');
	await writeFile(path, JSON.stringify(FILE));
});
afterAll(async () => {
	await rm(folder, { recursive: true, force: true });
});

describe('readWinkEmbeddings', () => {
	// Chunks of 1, 3 and 7 bytes cut every token somewhere; 1 MiB reads the file at once.
	it.each([1, 3, 7, 1 << 20])(
		'keeps exactly the selected vectors (chunks of %i bytes)',
		(chunk) => {
			const { header, vectors } = readWinkEmbeddings(
				path,
				(found) => new Set(found.words.filter((_, rank) => rank % 2 === 0)),
				chunk
			);
			expect(header).toEqual({ dimensions: 2, size: WORDS.length, words: WORDS });
			expect([...vectors.keys()]).toEqual(['the', '"', 'café', 'x']);
			expect(Array.from(vectors.get('café')!)).toEqual([Math.fround(4.5), Math.fround(-0.004)]);
			expect(Array.from(vectors.get('"')!)).toEqual([2.5, Math.fround(-0.002)]);
		}
	);

	it('says which selected words have no vector', async () => {
		expect(() => readWinkEmbeddings(path, () => new Set(['the', 'absent']))).toThrow(
			/no vectors for absent/
		);
	});

	it('rejects files whose vectors come before the word list', async () => {
		const reordered = join(folder, 'reordered.json');
		await writeFile(reordered, `{"dimensions":2,"size":1,"vectors":{"a":[1,2,3,4]},"words":["a"]}`);
		expect(() => readWinkEmbeddings(reordered, () => new Set())).toThrow(
			/"vectors" comes before "words"/
		);
	});

	it('reports the byte offset of malformed input', async () => {
		const broken = join(folder, 'broken.json');
		await writeFile(broken, '{"dimensions":2,"size":1,"words":["a"],"vectors":{"a":[1,oops]}}');
		expect(() => readWinkEmbeddings(broken, () => new Set(['a']))).toThrow(
			/at byte \d+: expected a number/
		);
	});
});
