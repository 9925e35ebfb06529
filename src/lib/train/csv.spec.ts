import { describe, expect, it } from 'vitest';
import { parseCsvRows, parseLabelledCsv } from './csv';

describe('parseCsvRows', () => {
	it('handles quotes, escaped quotes, separators and line breaks inside quotes, CRLF and a BOM', () => {
		const source =
			'\uFEFFtext,label\r\n"Hello, world",greeting\r\n"She said ""hi""\nthen left",story\r\n\r\n';
		expect(parseCsvRows(source)).toEqual([
			['text', 'label'],
			['Hello, world', 'greeting'],
			['She said "hi"\nthen left', 'story']
		]);
	});

	it('detects semicolons and tabs as separators', () => {
		expect(parseCsvRows('a;b\nc;d')).toEqual([
			['a', 'b'],
			['c', 'd']
		]);
		expect(parseCsvRows('a,1\tx\nb,2\ty')).toEqual([
			['a,1', 'x'],
			['b,2', 'y']
		]);
	});

	it('refuses an unclosed quote', () => {
		expect(() => parseCsvRows('"open,label\nmore')).toThrow(
			expect.objectContaining({ code: 'csv-format' })
		);
	});
});

describe('parseLabelledCsv', () => {
	it('reads text,label rows with a header and numbers the classes in sorted order', () => {
		const parsed = parseLabelledCsv(
			'text,label\nwin money,spam\nlunch at noon,ham\nfree offer,spam\n'
		);
		expect(parsed).toEqual({
			texts: ['win money', 'lunch at noon', 'free offer'],
			labels: [1, 0, 1],
			classNames: ['ham', 'spam'],
			hadHeader: true
		});
	});

	it('reads a file without a header, finding the label column by its repeated values', () => {
		expect(parseLabelledCsv('great film,pos\nawful,neg\nloved it,pos').hadHeader).toBe(false);
		const swapped = parseLabelledCsv('pos,great film\nneg,awful\npos,loved it\nneg,boring');
		expect(swapped.texts).toEqual(['great film', 'awful', 'loved it', 'boring']);
		expect(swapped.classNames).toEqual(['neg', 'pos']);
	});

	it('uses the named columns of a wider file', () => {
		const parsed = parseLabelledCsv('id,category,message\n1,a,first\n2,b,second');
		expect(parsed.texts).toEqual(['first', 'second']);
		expect(parsed.classNames).toEqual(['a', 'b']);
		expect(() => parseLabelledCsv('p,q,r\n1,2,3\n4,5,6')).toThrow(/two \(text,label\)/);
	});

	it('keeps an unquoted comma inside the text of a two-column file', () => {
		const parsed = parseLabelledCsv(
			'text,label\nFog in the morning, clearing by noon,weather\nGoal,sport'
		);
		expect(parsed.texts[0]).toBe('Fog in the morning, clearing by noon');
		expect(parsed.classNames).toEqual(['sport', 'weather']);
		const swapped = parseLabelledCsv('a,one, two\nb,three\na,four');
		expect(swapped.texts).toEqual(['one, two', 'three', 'four']);
	});

	it('names the rows that miss a label', () => {
		expect(() =>
			parseLabelledCsv('text,label\nfine,a\nno label here,\nalso fine,b\nagain,')
		).toThrow(
			expect.objectContaining({
				code: 'missing-label',
				message: expect.stringContaining('Rows 3, 5 of the CSV have no label')
			})
		);
		expect(() => parseLabelledCsv('text,label\nonly text')).toThrow(
			expect.objectContaining({ code: 'missing-label' })
		);
	});

	it('refuses a single class and an empty file', () => {
		expect(() => parseLabelledCsv('text,label\na,spam\nb,spam\nc,spam')).toThrow(
			expect.objectContaining({ code: 'single-class', message: expect.stringContaining('"spam"') })
		);
		for (const empty of ['', '\n\n', 'text,label\n']) {
			expect(() => parseLabelledCsv(empty), JSON.stringify(empty)).toThrow(
				expect.objectContaining({ code: 'empty-dataset' })
			);
		}
	});
});
