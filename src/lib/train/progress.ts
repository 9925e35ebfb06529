/**
 * Turns the trainer's per-batch steps into a few progress messages a second: batch metrics are
 * averaged over each interval (a readable curve rather than per-batch noise), every epoch is
 * reported at once, and epoch times leave out time spent paused.
 */
import type { JobStep } from './job';
import type { BatchPoint, EpochPoint } from './protocol';

export class ProgressMeter {
	private lossSum = 0;
	private accuracySum = 0;
	private count = 0;
	private lastEmit: number;
	private epochStart: number;
	private pausedMs = 0;

	constructor(
		private readonly intervalMs: number,
		private readonly now: () => number
	) {
		this.lastEmit = now();
		this.epochStart = this.lastEmit;
	}

	/** Time spent paused counts against neither the interval nor the epoch. */
	addPause(ms: number): void {
		this.pausedMs += ms;
		this.lastEmit += ms;
	}

	/** The message to send for this step, if one is due. */
	step({ phase, step }: JobStep): BatchPoint | EpochPoint | null {
		const now = this.now();
		if (step.kind === 'epoch') {
			const epochMs = now - this.epochStart - this.pausedMs;
			this.epochStart = now;
			this.pausedMs = 0;
			return { kind: 'epoch', phase, report: step, epochMs };
		}
		this.lossSum += step.loss;
		this.accuracySum += step.accuracy;
		this.count++;
		const last = step.batch === step.batches - 1;
		if (now - this.lastEmit < this.intervalMs && !last) return null;
		const point: BatchPoint = {
			kind: 'batches',
			phase,
			position: step.epoch + (step.batch + 1) / step.batches,
			epoch: step.epoch,
			batch: step.batch,
			batches: step.batches,
			loss: this.lossSum / this.count,
			accuracy: this.accuracySum / this.count
		};
		this.lossSum = 0;
		this.accuracySum = 0;
		this.count = 0;
		this.lastEmit = now;
		return point;
	}

	/** A new phase (distilled, then baseline) starts its epoch clock afresh. */
	reset(): void {
		this.lossSum = 0;
		this.accuracySum = 0;
		this.count = 0;
		this.epochStart = this.now();
		this.pausedMs = 0;
	}
}
