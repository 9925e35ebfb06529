import { describe, expect, it } from 'vitest';
import { MetricsImportError } from './errors';
import { makeRecord } from './record.fixture';
import { parseCsvRows, parseMetricsFile, recordsToCsv, recordsToJson } from './serialize';

const records = [
	makeRecord({ latencyMs: 0.1 + 0.2, time: 1_712_345_678_901 }),
	makeRecord({
		source: 'widget',
		origin: 'https://host.example:8443',
		memoryBytes: 123_456_789,
		memorySource: 'agent',
		backend: 'webgpu',
		inferenceMs: 1e-7
	}),
	makeRecord({
		ok: false,
		errorCode: 'inference',
		backend: null,
		threads: null,
		task: 'graph',
		graph: 'dir/model, "quoted"\nname.onnx',
		model: 'user-model',
		variant: 'v1'
	})
];

function problemsOf(name: string, text: string): string[] {
	try {
		parseMetricsFile(name, text);
	} catch (error) {
		expect(error).toBeInstanceOf(MetricsImportError);
		return (error as MetricsImportError).problems.map((p) => `${p.where}: ${p.message}`);
	}
	throw new Error('the file was accepted');
}

describe('export and import', () => {
	it('JSON round-trips every field exactly', () => {
		const text = recordsToJson(records, new Date(0));
		expect(parseMetricsFile('metrics.json', text)).toEqual(records);
	});

	it('CSV round-trips every field exactly, quoting where needed', () => {
		const text = recordsToCsv(records);
		expect(text.split('\r\n')[0]).toMatch(/^id,isoTime,time,installKey,/);
		expect(text).toContain('2024-04-05T19:34:38.901Z');
		expect(parseMetricsFile('metrics.csv', text)).toEqual(records);
	});

	it('parses RFC 4180 rows with quotes, commas, line breaks and a byte-order mark', () => {
		expect(parseCsvRows('\ufeffa,"b,c","d""e"\r\n"f\ng",,h\n')).toEqual([
			['a', 'b,c', 'd"e'],
			['f\ng', '', 'h']
		]);
	});

	it('rejects a bad CSV file whole, naming every bad row', () => {
		const lines = recordsToCsv(records).split('\r\n');
		const columns = lines[0]!.split(',');
		const latency = columns.indexOf('latencyMs');
		const bad = lines[2]!.split(',');
		bad[latency] = 'fast';
		lines[2] = bad.join(',');
		lines[3] = 'too,few';
		const problems = problemsOf('bad.csv', lines.join('\r\n'));
		expect(problems).toEqual([
			'row 3: latencyMs must be a number ≥ 0 (got "fast")',
			`row 4: has 2 fields, the header has ${columns.length}`
		]);
	});

	it('rejects JSON records that are inconsistent, unknown or repeated', () => {
		const file = JSON.parse(recordsToJson(records, new Date(0)));
		file.records[0].ok = true;
		file.records[0].errorCode = 'oops';
		file.records[1].extra = 1;
		file.records[2].id = file.records[1].id;
		file.records[2].source = 'server';
		file.records.push({ ...file.records[1], extra: undefined, installKey: 'a/b' });
		const problems = problemsOf('bad.json', JSON.stringify(file));
		expect(problems).toEqual([
			'record 1: a successful run has no errorCode',
			'record 2: unknown field extra',
			'record 3: source must be one of page, widget, compare, bench (got "server")',
			'record 4: installKey must be model/variant (got "a/b")'
		]);
		const repeated = JSON.parse(recordsToJson([records[0]!, records[0]!], new Date(0)));
		expect(problemsOf('twice.json', JSON.stringify(repeated))).toEqual([
			`record 2: id ${records[0]!.id} repeats record 1`
		]);
	});

	it('says clearly what is wrong with a file that is not an export at all', () => {
		expect(problemsOf('x.json', '{"records": []}')[0]).toMatch(/not a Hearth metrics export/);
		expect(problemsOf('x.json', '{"format":"hearth-metrics","version":9,"records":[]}')[0]).toMatch(
			/version 9 is not supported/
		);
		expect(problemsOf('x.json', '{ nope')[0]).toMatch(/^file: not valid JSON/);
		expect(problemsOf('x.csv', 'name,age\nbob,3\n')[0]).toMatch(/^row 1: missing columns id, time/);
		expect(problemsOf('x.csv', '')[0]).toMatch(/missing columns/);
		expect(problemsOf('x.csv', 'a,"b\n')[0]).toMatch(/quoted field is not closed/);
		expect(problemsOf('empty.json', recordsToJson([], new Date(0)))).toEqual([
			'file: it holds no records'
		]);
		const error = (() => {
			try {
				parseMetricsFile('x.csv', 'name\n');
			} catch (caught) {
				return caught as MetricsImportError;
			}
		})()!;
		expect(error.code).toBe('metrics-import-invalid');
		expect(error.message).toMatch(/^x\.csv was not imported, nothing was changed: row 1: missing/);
	});
});
