/// <reference lib="webworker" />
/**
 * The training worker: runs one training job at a time off the page's thread. Between batches
 * the job hands control back here; at most every YIELD_MS the worker lets queued messages in
 * (pause, resume, stop), so those answer quickly while the training itself loses almost no time.
 */
import { HearthError, serializeError } from '../errors';
import { runTrainJob, type Checkpoint, type Phase } from './job';
import { ProgressMeter } from './progress';
import {
	outcomeTransferables,
	type TrainProgress,
	type TrainWorkerReply,
	type TrainWorkerRequest
} from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const YIELD_MS = 25;
const PROGRESS_MS = 100;

interface ActiveJob {
	id: number;
	paused: boolean;
	stopping: boolean;
	wake: (() => void) | null;
}

let active: ActiveJob | null = null;

/** A macrotask boundary without setTimeout's clamping: lets queued messages be handled. */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const nextTask = () =>
	new Promise<void>((resolve) => {
		waiting.push(resolve);
		channel.port2.postMessage(null);
	});

function post(reply: TrainWorkerReply, transfer: Transferable[] = []): void {
	scope.postMessage(reply, transfer);
}

function progress(job: ActiveJob, payload: TrainProgress): void {
	post({ id: job.id, type: 'progress', payload });
}

async function train(id: number, request: Extract<TrainWorkerRequest, { type: 'train' }>) {
	const job: ActiveJob = { id, paused: false, stopping: false, wake: null };
	active = job;
	const meter = new ProgressMeter(PROGRESS_MS, () => performance.now());
	let lastYield = performance.now();
	let phase: Phase | null = null;
	const settle = async (): Promise<'continue' | 'stop'> => {
		await nextTask();
		if (job.paused && !job.stopping) {
			const pausedAt = performance.now();
			progress(job, { kind: 'state', state: 'paused' });
			await new Promise<void>((resolve) => (job.wake = resolve));
			job.wake = null;
			meter.addPause(performance.now() - pausedAt);
			if (!job.stopping) progress(job, { kind: 'state', state: 'running' });
		}
		lastYield = performance.now();
		return job.stopping ? 'stop' : 'continue';
	};
	const checkpoint: Checkpoint = (step) => {
		if (step.phase !== phase) {
			phase = step.phase;
			meter.reset();
		}
		const point = meter.step(step);
		if (point) progress(job, point);
		// Most batches return at once, without an await; every YIELD_MS the worker lets messages in.
		const due = step.step.kind === 'epoch' || performance.now() - lastYield >= YIELD_MS;
		return due ? settle() : 'continue';
	};
	try {
		const outcome = await runTrainJob(request.payload, checkpoint);
		post({ id, type: 'train', payload: outcome }, outcomeTransferables(outcome));
	} catch (error) {
		post({ id, type: 'error', payload: serializeError(error) });
	} finally {
		if (active === job) active = null;
	}
}

scope.addEventListener('message', (event: MessageEvent<TrainWorkerRequest>) => {
	const request = event.data;
	switch (request.type) {
		case 'train':
			if (active) {
				const busy = new HearthError(
					'training-busy',
					'A training run is already going. Stop it, or wait for it to finish, then start again.'
				);
				post({ id: request.id, type: 'error', payload: serializeError(busy) });
				return;
			}
			void train(request.id, request);
			return;
		case 'pause':
			if (active) active.paused = true;
			post({ id: request.id, type: 'pause', payload: { paused: active !== null } });
			return;
		case 'resume':
			if (active) {
				active.paused = false;
				active.wake?.();
			}
			post({ id: request.id, type: 'resume', payload: { resumed: active !== null } });
			return;
		case 'stop':
			if (active) {
				active.stopping = true;
				progress(active, { kind: 'state', state: 'stopping' });
				active.wake?.();
			}
			post({ id: request.id, type: 'stop', payload: { stopping: active !== null } });
			return;
	}
});
