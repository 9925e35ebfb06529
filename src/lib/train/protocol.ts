/**
 * The contract between the Train page and the training worker, in one file both import. Each
 * command pairs its request with its reply; a `train` command also streams `progress` messages
 * with its own id until its reply (or an `error`) ends it. pause, resume and stop act on the
 * job that is running.
 */
import type { RpcReply, RpcRequest } from '../worker-rpc';
import type { JobOutcome, Phase, TrainJob } from './job';
import type { EpochReport } from './trainer';

/** Training metrics averaged over the batches since the previous point. */
export interface BatchPoint {
	kind: 'batches';
	phase: Phase;
	/** Epochs done so far, with a fraction: 1.5 is halfway through the second epoch. */
	position: number;
	epoch: number;
	batch: number;
	batches: number;
	loss: number;
	accuracy: number;
}

export interface EpochPoint {
	kind: 'epoch';
	phase: Phase;
	report: EpochReport;
	/** Time spent training this epoch (validation included, pauses excluded). */
	epochMs: number;
}

export interface StatePoint {
	kind: 'state';
	state: 'paused' | 'running' | 'stopping';
}

export type TrainProgress = BatchPoint | EpochPoint | StatePoint;

export type TrainCommands = {
	train: { request: TrainJob; reply: JobOutcome };
	pause: { request: Record<string, never>; reply: { paused: boolean } };
	resume: { request: Record<string, never>; reply: { resumed: boolean } };
	stop: { request: Record<string, never>; reply: { stopping: boolean } };
};

export type TrainWorkerRequest = RpcRequest<TrainCommands>;
export type TrainWorkerReply = RpcReply<TrainCommands, TrainProgress>;

/** The ONNX bytes of an outcome, handed over rather than copied. */
export function outcomeTransferables(outcome: JobOutcome): Transferable[] {
	const models = [outcome.model, outcome.baseline].filter((model) => model !== null);
	return models.map((model) => model.onnx.buffer as ArrayBuffer);
}
