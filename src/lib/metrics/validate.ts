/**
 * Checks that a value read from an import file is a whole, consistent InferenceRecord. Every
 * field is checked, so an imported record can be shown and exported again like a recorded one.
 */
import {
	INFERENCE_SOURCES,
	MEMORY_SOURCES,
	type InferenceRecord,
	type InferenceSource,
	type MemorySource
} from './types';

export const RECORD_FIELDS = [
	'id',
	'time',
	'installKey',
	'model',
	'variant',
	'task',
	'graph',
	'source',
	'origin',
	'backend',
	'threads',
	'inputBytes',
	'latencyMs',
	'loadMs',
	'preprocessMs',
	'inferenceMs',
	'postprocessMs',
	'ok',
	'errorCode',
	'memoryBytes',
	'memorySource'
] as const satisfies readonly (keyof InferenceRecord)[];

type Field = (typeof RECORD_FIELDS)[number];
// Every field of the record is listed (a compile error here means RECORD_FIELDS is missing one).
const _complete: Record<Exclude<keyof InferenceRecord, Field>, never> = {};
void _complete;

const MAX_TEXT = 500;

function show(value: unknown): string {
	const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	return text === undefined ? 'nothing' : text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** The record, or what is wrong with it (every problem, not only the first). */
export function validateRecord(
	value: unknown
): { record: InferenceRecord; problems: [] } | { record: null; problems: string[] } {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return { record: null, problems: [`expected an object, got ${show(value)}`] };
	}
	const input = value as Record<string, unknown>;
	const problems: string[] = [];
	for (const key of Object.keys(input)) {
		if (!(RECORD_FIELDS as readonly string[]).includes(key)) problems.push(`unknown field ${key}`);
	}
	const text = (field: Field, nullable: boolean): string | null => {
		const found = input[field];
		if (nullable && found === null) return null;
		if (typeof found === 'string' && found.length > 0 && found.length <= MAX_TEXT) return found;
		problems.push(
			`${field} must be ${nullable ? 'null or ' : ''}text of 1 to ${MAX_TEXT} characters (got ${show(found)})`
		);
		return null;
	};
	const number = (field: Field, nullable: boolean, integer: boolean, min = 0): number | null => {
		const found = input[field];
		if (nullable && found === null) return null;
		if (
			typeof found === 'number' &&
			Number.isFinite(found) &&
			found >= min &&
			(!integer || Number.isInteger(found))
		) {
			return found;
		}
		problems.push(
			`${field} must be ${nullable ? 'null or ' : ''}${integer ? 'a whole number' : 'a number'} ≥ ${min} (got ${show(found)})`
		);
		return null;
	};
	const oneOf = <T extends string>(field: Field, options: readonly T[], nullable: boolean) => {
		const found = input[field];
		if (nullable && found === null) return null;
		if (typeof found === 'string' && (options as readonly string[]).includes(found)) {
			return found as T;
		}
		problems.push(
			`${field} must be ${nullable ? 'null or ' : ''}one of ${options.join(', ')} (got ${show(found)})`
		);
		return null;
	};

	const record = {
		id: text('id', false),
		time: number('time', false, false),
		installKey: text('installKey', false),
		model: text('model', false),
		variant: text('variant', false),
		task: text('task', false),
		graph: text('graph', true),
		source: oneOf<InferenceSource>('source', INFERENCE_SOURCES, false),
		origin: text('origin', true),
		backend: oneOf('backend', ['wasm', 'webgpu'] as const, true),
		threads: number('threads', true, true, 1),
		inputBytes: number('inputBytes', false, true),
		latencyMs: number('latencyMs', false, false),
		loadMs: number('loadMs', false, false),
		preprocessMs: number('preprocessMs', false, false),
		inferenceMs: number('inferenceMs', false, false),
		postprocessMs: number('postprocessMs', false, false),
		ok: typeof input.ok === 'boolean' ? input.ok : null,
		errorCode: text('errorCode', true),
		memoryBytes: number('memoryBytes', true, false),
		memorySource: oneOf<MemorySource>('memorySource', MEMORY_SOURCES, true)
	};
	if (record.ok === null) problems.push(`ok must be true or false (got ${show(input.ok)})`);
	if (problems.length > 0) return { record: null, problems };

	if (record.installKey !== `${record.model}/${record.variant}`) {
		problems.push(`installKey must be model/variant (got ${show(record.installKey)})`);
	}
	if (record.ok && record.errorCode !== null) problems.push('a successful run has no errorCode');
	if (!record.ok && record.errorCode === null) problems.push('a failed run needs an errorCode');
	if ((record.memoryBytes === null) !== (record.memorySource === null)) {
		problems.push('memoryBytes and memorySource must both be set or both be null');
	}
	if (problems.length > 0) return { record: null, problems };
	return { record: record as InferenceRecord, problems: [] };
}
