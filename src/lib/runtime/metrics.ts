/**
 * The Monitor's collection point in the runtime worker, where every inference passes: a graph
 * run ('run' command) and a task run ('task' command), whether it succeeds or fails. Recording
 * a run builds one flat record and pushes it onto a buffer; the buffer is written to the
 * metrics database in batches (every second, or every 50 records) with retention applied, then
 * announced on the metrics channel, and the alert rules are evaluated. None of that waits on
 * the inference's reply.
 */
import { errorCode, serializeError } from '$lib/errors';
import { Batcher } from '$lib/metrics/batcher';
import { announce, openMetricsChannel } from '$lib/metrics/channel';
import { inputBytes } from '$lib/metrics/input-size';
import type { InferenceRecord } from '$lib/metrics/types';
import { evaluateAlerts } from '$lib/store/metrics-alerts';
import { readRetention, storeRecords } from '$lib/store/metrics-db';
import type { InferenceCaller, LoadRequest, RunRequest, RunResult, TaskCommand } from './protocol';
import type { WorkerTaskContext } from './task-context';

/** Until the settings are read, record: the write checks them again and drops what it must. */
let recording = true;

const channel = openMetricsChannel((message) => {
	if (message.type === 'settings') void refreshSettings();
});

async function refreshSettings(): Promise<void> {
	try {
		recording = (await readRetention()).recording;
		if (!recording) batcher.discard();
	} catch {
		// Storage is unavailable (a widget in a third-party iframe): every write will fail too,
		// and the batcher reports that on the channel, so nothing is hidden by carrying on here.
	}
}

async function writeBatch(batch: InferenceRecord[]): Promise<void> {
	const result = await storeRecords(batch);
	if (result.stored === 0 && result.trimmed === 0) return;
	announce(channel, { type: 'records', ...result });
	try {
		for (const event of await evaluateAlerts()) announce(channel, { type: 'alert', event });
	} catch (error) {
		reportLoss(0, error);
	}
}

function reportLoss(lost: number, error: unknown): void {
	const { code, message } = serializeError(error);
	announce(channel, { type: 'recording-failed', lost, code, message });
}

const batcher = new Batcher<InferenceRecord>(writeBatch, reportLoss);
void refreshSettings();

/** Writes what is buffered now (the benchmark; the timer does it otherwise). */
export function flushMetrics(): Promise<void> {
	return batcher.flush();
}

// ---- Records

let counter = 0;
const idPrefix = Array.from(crypto.getRandomValues(new Uint32Array(2)), (n) => n.toString(36)).join(
	''
);

interface Started {
	time: number;
	start: number;
	inputBytes: number;
	caller: InferenceCaller;
}

function begin(caller: InferenceCaller, input: unknown): Started {
	return {
		time: Date.now(),
		start: performance.now(),
		inputBytes: inputBytes(input),
		caller: { source: caller.source, origin: caller.origin, memory: caller.memory }
	};
}

type Outcome = Pick<
	InferenceRecord,
	| 'task'
	| 'graph'
	| 'backend'
	| 'threads'
	| 'loadMs'
	| 'preprocessMs'
	| 'inferenceMs'
	| 'postprocessMs'
>;

function finish(started: Started, installKey: string, outcome: Outcome, error: unknown): void {
	const latencyMs = performance.now() - started.start;
	const slash = installKey.indexOf('/');
	const model = slash < 0 ? installKey : installKey.slice(0, slash);
	const variant = slash < 0 ? 'unknown' : installKey.slice(slash + 1);
	const source = started.caller.source ?? 'page';
	batcher.add({
		id: `${idPrefix}-${(counter++).toString(36)}`,
		time: started.time,
		installKey: `${model}/${variant}`,
		model,
		variant,
		source,
		origin: source === 'widget' ? (started.caller.origin ?? null) : null,
		inputBytes: started.inputBytes,
		latencyMs,
		...outcome,
		ok: error === null,
		errorCode: error === null ? null : errorCode(error),
		memoryBytes: started.caller.memory?.bytes ?? null,
		memorySource: started.caller.memory?.source ?? null
	});
}

/**
 * Runs one graph and records it. `session` says which model file the session runs; a run of an
 * unknown session (no model to file it under) is not recorded.
 */
export async function recordGraphRun(
	request: RunRequest,
	session: Pick<LoadRequest, 'installKey' | 'path'> | undefined,
	run: (request: RunRequest) => Promise<RunResult>
): Promise<RunResult> {
	if (!recording || !session) return run(request);
	// The tensors' data only: their names, types and shapes are not input.
	const started = begin(
		request,
		Object.values(request.inputs).map((tensor) => tensor.data)
	);
	const outcome: Outcome = {
		task: 'graph',
		graph: session.path,
		backend: null,
		threads: null,
		loadMs: 0,
		preprocessMs: 0,
		inferenceMs: 0,
		postprocessMs: 0
	};
	try {
		const result = await run(request);
		outcome.backend = result.backend;
		outcome.threads = result.threads;
		outcome.inferenceMs = result.inferenceMs;
		finish(started, session.installKey, outcome, null);
		return result;
	} catch (error) {
		finish(started, session.installKey, outcome, error);
		throw error;
	}
}

/**
 * Starts the record of a task run; `finish` files it. A step that ran no graph (opening a live
 * stream, a chunk too short for a frame) is not an inference and is left out unless it failed.
 */
export function startTaskRecord(command: TaskCommand) {
	if (!recording) return null;
	const started = begin(command, command.task.input);
	return {
		finish(ctx: WorkerTaskContext | null, error: unknown) {
			if (error === null && (!ctx || ctx.inferences === 0)) return;
			const ran = ctx !== null && ctx.inferences > 0;
			const timings = ctx?.timings;
			finish(
				started,
				command.installKey,
				{
					task: command.task.name,
					graph: null,
					backend: ran ? ctx.backend : null,
					threads: ran ? ctx.threads : null,
					loadMs: timings?.loadMs ?? 0,
					preprocessMs: timings?.preprocessMs ?? 0,
					inferenceMs: timings?.inferenceMs ?? 0,
					postprocessMs: timings?.postprocessMs ?? 0
				},
				error
			);
		}
	};
}
