/**
 * Export and import of inference records. JSON is the lossless format; CSV has one column per
 * record field (plus a readable UTC time that import ignores), numbers written in JavaScript's
 * shortest round-trip form and null as an empty field, so it round-trips too. Import checks the
 * whole file before anything is stored: one bad row rejects the file, with every problem listed.
 */
import { MetricsImportError, type ImportProblem } from './errors';
import type { InferenceRecord } from './types';
import { RECORD_FIELDS, validateRecord } from './validate';

export const EXPORT_FORMAT = 'hearth-metrics';
export const EXPORT_VERSION = 1;
/** A file larger than this is refused before it is parsed. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

const READABLE_TIME = 'isoTime';
const CSV_HEADER = ['id', READABLE_TIME, ...RECORD_FIELDS.filter((field) => field !== 'id')];

export interface MetricsExport {
	format: typeof EXPORT_FORMAT;
	version: typeof EXPORT_VERSION;
	exportedAt: string;
	records: InferenceRecord[];
}

export function recordsToJson(records: readonly InferenceRecord[], exportedAt: Date): string {
	const file: MetricsExport = {
		format: EXPORT_FORMAT,
		version: EXPORT_VERSION,
		exportedAt: exportedAt.toISOString(),
		records: [...records]
	};
	return `${JSON.stringify(file, null, 1)}\n`;
}

function csvField(value: string): string {
	return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function recordsToCsv(records: readonly InferenceRecord[]): string {
	const lines = [CSV_HEADER.join(',')];
	for (const record of records) {
		const fields = CSV_HEADER.map((column) => {
			if (column === READABLE_TIME) return new Date(record.time).toISOString();
			const value = record[column as keyof InferenceRecord];
			return value === null ? '' : csvField(String(value));
		});
		lines.push(fields.join(','));
	}
	return `${lines.join('\r\n')}\r\n`;
}

/** RFC 4180 rows: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsvRows(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	let index = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark from a spreadsheet
	for (; index < text.length; index++) {
		const char = text[index]!;
		if (quoted) {
			if (char !== '"') field += char;
			else if (text[index + 1] === '"') field += text[++index];
			else quoted = false;
		} else if (char === '"' && field === '') quoted = true;
		else if (char === ',') {
			row.push(field);
			field = '';
		} else if (char === '\n' || char === '\r') {
			if (char === '\r' && text[index + 1] === '\n') index++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += char;
	}
	if (quoted) throw new SyntaxError('a quoted field is not closed');
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	return rows.filter((cells) => cells.length > 1 || cells[0] !== '');
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const NUMERIC_FIELDS = new Set<string>([
	'time',
	'threads',
	'inputBytes',
	'latencyMs',
	'loadMs',
	'preprocessMs',
	'inferenceMs',
	'postprocessMs',
	'memoryBytes'
]);

/** A CSV cell as the JSON value it stands for; text that is not a number stays text (and fails). */
function csvValue(column: string, cell: string): unknown {
	if (cell === '') return null;
	if (column === 'ok') return cell === 'true' ? true : cell === 'false' ? false : cell;
	if (NUMERIC_FIELDS.has(column)) return NUMBER.test(cell) ? Number(cell) : cell;
	return cell;
}

/** A row that is wrong as a whole, reported in its place among the others. */
class RowProblem {
	constructor(readonly message: string) {}
}

function parseCsv(text: string, problems: ImportProblem[]): unknown[] {
	let rows: string[][];
	try {
		rows = parseCsvRows(text);
	} catch (error) {
		problems.push({ where: 'file', message: `not valid CSV: ${(error as Error).message}` });
		return [];
	}
	const header = rows[0] ?? [];
	const missing = RECORD_FIELDS.filter((field) => !header.includes(field));
	const unknown = header.filter((column) => !CSV_HEADER.includes(column));
	if (missing.length > 0 || unknown.length > 0) {
		problems.push({
			where: 'row 1',
			message:
				(missing.length ? `missing columns ${missing.join(', ')}` : '') +
				(missing.length && unknown.length ? '; ' : '') +
				(unknown.length ? `unknown columns ${unknown.join(', ')}` : '')
		});
		return [];
	}
	return rows.slice(1).map((cells) => {
		if (cells.length !== header.length) {
			return new RowProblem(`has ${cells.length} fields, the header has ${header.length}`);
		}
		const value: Record<string, unknown> = {};
		header.forEach((column, at) => {
			if (column !== READABLE_TIME) value[column] = csvValue(column, cells[at]!);
		});
		return value;
	});
}

function parseJson(text: string, problems: ImportProblem[]): unknown[] {
	let file: unknown;
	try {
		file = JSON.parse(text);
	} catch (error) {
		problems.push({ where: 'file', message: `not valid JSON: ${(error as Error).message}` });
		return [];
	}
	const shape = file as Partial<MetricsExport> | null;
	if (typeof shape !== 'object' || shape === null || shape.format !== EXPORT_FORMAT) {
		problems.push({
			where: 'file',
			message: `not a Hearth metrics export (no "format": "${EXPORT_FORMAT}")`
		});
		return [];
	}
	if (shape.version !== EXPORT_VERSION) {
		problems.push({
			where: 'file',
			message: `export version ${String(shape.version)} is not supported (this Hearth reads version ${EXPORT_VERSION})`
		});
		return [];
	}
	if (!Array.isArray(shape.records)) {
		problems.push({ where: 'file', message: '"records" must be a list' });
		return [];
	}
	return shape.records;
}

/**
 * The records of an exported file (JSON if it starts with "{", CSV otherwise), every one
 * checked. Throws MetricsImportError listing every problem when any record is bad, or when two
 * records share an id.
 */
export function parseMetricsFile(fileName: string, text: string): InferenceRecord[] {
	const problems: ImportProblem[] = [];
	const isJson = text.trimStart().startsWith('{');
	const values = isJson ? parseJson(text, problems) : parseCsv(text, problems);
	const where = (index: number) => (isJson ? `record ${index + 1}` : `row ${index + 2}`);
	const records: InferenceRecord[] = [];
	const seen = new Map<string, number>();
	values.forEach((value, index) => {
		if (value instanceof RowProblem) {
			problems.push({ where: where(index), message: value.message });
			return;
		}
		const checked = validateRecord(value);
		if (!checked.record) {
			problems.push({ where: where(index), message: checked.problems.join('; ') });
			return;
		}
		const earlier = seen.get(checked.record.id);
		if (earlier !== undefined) {
			problems.push({
				where: where(index),
				message: `id ${checked.record.id} repeats ${where(earlier)}`
			});
			return;
		}
		seen.set(checked.record.id, index);
		records.push(checked.record);
	});
	if (problems.length === 0 && values.length === 0) {
		problems.push({ where: 'file', message: 'it holds no records' });
	}
	if (problems.length > 0) throw new MetricsImportError(fileName, problems);
	return records;
}
