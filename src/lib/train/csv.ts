/**
 * Reads a user's CSV of labelled texts (text,label). RFC 4180 quoting ("a, b" and "" for a quote,
 * line breaks inside quotes), CRLF or LF, a byte-order mark, and comma, semicolon or tab as the
 * separator (whichever the first line uses outside quotes). A first row whose cells look like
 * column names (text, label, ...) is taken as a header; with more than two columns the header
 * says which holds the text and which the label.
 */
import { CsvFormatError, EmptyDatasetError, MissingLabelError, SingleClassError } from './errors';

export interface LabelledTexts {
	texts: string[];
	/** Indices into classNames. */
	labels: number[];
	/** Sorted, so the same labels always get the same class numbers. */
	classNames: string[];
	hadHeader: boolean;
}

const TEXT_NAMES = [
	'text',
	'message',
	'sentence',
	'content',
	'body',
	'email',
	'review',
	'document'
];
const LABEL_NAMES = ['label', 'labels', 'class', 'category', 'target', 'tag', 'y', 'sentiment'];

export function detectSeparator(source: string): string {
	// On a tie a tab wins (texts rarely hold one), then a comma.
	const counts = new Map<string, number>([
		['\t', 0],
		[',', 0],
		[';', 0]
	]);
	let quoted = false;
	for (const char of source) {
		if (char === '"') quoted = !quoted;
		else if (!quoted && (char === '\n' || char === '\r')) break;
		else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
	}
	const [best] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
	return counts.get(best)! > 0 ? best : ',';
}

/** Splits CSV text into rows of cells; blank lines are dropped. */
export function parseCsvRows(source: string): string[][] {
	const text = source.replace(/^\uFEFF/, '');
	const separator = detectSeparator(text);
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	let i = 0;
	const endRow = () => {
		row.push(cell);
		if (row.some((value) => value.trim() !== '')) rows.push(row);
		row = [];
		cell = '';
	};
	while (i < text.length) {
		const char = text[i]!;
		if (quoted) {
			if (char === '"' && text[i + 1] === '"') {
				cell += '"';
				i += 2;
				continue;
			}
			if (char === '"') quoted = false;
			else cell += char;
			i++;
			continue;
		}
		if (char === '"' && cell.trim() === '') {
			quoted = true;
			cell = '';
		} else if (char === separator) {
			row.push(cell);
			cell = '';
		} else if (char === '\n' || char === '\r') {
			endRow();
			if (char === '\r' && text[i + 1] === '\n') i++;
		} else {
			cell += char;
		}
		i++;
	}
	if (quoted) throw new CsvFormatError('a quoted cell is never closed (a " is missing)');
	if (cell !== '' || row.length > 0) endRow();
	return rows;
}

function headerColumns(first: string[]): { text: number; label: number } | null {
	const names = first.map((cell) => cell.trim().toLowerCase());
	const label = names.findIndex((name) => LABEL_NAMES.includes(name));
	const text = names.findIndex((name) => TEXT_NAMES.includes(name));
	if (label < 0 && text < 0) return null;
	if (names.length === 2)
		return { text: label === 0 || text === 1 ? 1 : 0, label: label === 0 || text === 1 ? 0 : 1 };
	if (label < 0 || text < 0) {
		throw new CsvFormatError(
			`with ${names.length} columns the header must name the text column (e.g. "text") and the label column (e.g. "label")`
		);
	}
	return { text, label };
}

/** Without a header: the label column is the one with fewer distinct values (labels repeat). */
function guessColumns(body: string[][]): { text: number; label: number } {
	const distinct = (column: number) => new Set(body.map((row) => (row[column] ?? '').trim())).size;
	return distinct(0) < distinct(1) ? { text: 1, label: 0 } : { text: 0, label: 1 };
}

export function parseLabelledCsv(source: string): LabelledTexts {
	const rows = parseCsvRows(source);
	if (rows.length === 0) throw new EmptyDatasetError('The CSV file');
	const separator = detectSeparator(source.replace(/^\uFEFF/, ''));
	const header = headerColumns(rows[0]!);
	const body = header ? rows.slice(1) : rows;
	if (body.length === 0) throw new EmptyDatasetError('The CSV file');
	const lengths = body.map((row) => row.length).sort((a, b) => a - b);
	if (!header && lengths[Math.floor(lengths.length / 2)]! > 2) {
		throw new CsvFormatError(
			`most rows have ${lengths[Math.floor(lengths.length / 2)]} columns; give two (text,label) or a header naming them`
		);
	}
	const columns = header ?? guessColumns(body);
	// In a two-column file an unquoted separator inside the text makes extra cells: they are text.
	const twoColumns = !header || rows[0]!.length === 2;
	const cellsOf = (row: string[]): { text: string; label: string } => {
		if (!twoColumns || row.length <= 2) {
			return { text: row[columns.text] ?? '', label: row[columns.label] ?? '' };
		}
		return columns.label === 0
			? { label: row[0]!, text: row.slice(1).join(separator) }
			: { label: row[row.length - 1]!, text: row.slice(0, -1).join(separator) };
	};
	const missingLabels: number[] = [];
	const missingTexts: number[] = [];
	const texts: string[] = [];
	const rawLabels: string[] = [];
	body.forEach((row, index) => {
		const cells = cellsOf(row);
		const text = cells.text.trim();
		const label = cells.label.trim();
		// Row numbers as a spreadsheet shows them: 1-based, counting the header.
		const line = index + 1 + (header ? 1 : 0);
		if (!label) missingLabels.push(line);
		else if (!text) missingTexts.push(line);
		texts.push(text);
		rawLabels.push(label);
	});
	if (missingLabels.length > 0) throw new MissingLabelError(missingLabels);
	if (missingTexts.length > 0) {
		throw new CsvFormatError(`row ${missingTexts[0]} has a label but no text`);
	}
	const classNames = [...new Set(rawLabels)].sort((a, b) => a.localeCompare(b, 'en'));
	if (classNames.length < 2) throw new SingleClassError(classNames[0] ?? '');
	if (classNames.length > 255) {
		throw new CsvFormatError(
			`it has ${classNames.length} different labels; at most 255 are supported`
		);
	}
	const indexOf = new Map(classNames.map((name, index) => [name, index]));
	return {
		texts,
		labels: rawLabels.map((label) => indexOf.get(label) as number),
		classNames,
		hadHeader: header !== null
	};
}
