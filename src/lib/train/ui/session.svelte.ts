/**
 * The Train page's view of one training run: its state, the live curves by phase, and the
 * outcome or error. It drives the training worker and keeps every failure on screen.
 */
import { errorMessage } from '$lib/errors';
import { TrainClient } from '../client';
import type { JobOutcome, Phase, TrainJob } from '../job';
import type { BatchPoint, EpochPoint, TrainProgress } from '../protocol';

export type RunState = 'idle' | 'running' | 'paused' | 'stopping' | 'done' | 'failed';

export class TrainingSession {
	state = $state<RunState>('idle');
	phase = $state<Phase>('model');
	points = $state<Record<Phase, BatchPoint[]>>({ model: [], distilled: [], baseline: [] });
	epochs = $state<Record<Phase, EpochPoint[]>>({ model: [], distilled: [], baseline: [] });
	latest = $state<BatchPoint | null>(null);
	outcome = $state.raw<JobOutcome | null>(null);
	error = $state<string | null>(null);
	/** The error's stable code, for the page to add advice (and tests to match on). */
	errorCode = $state<string | null>(null);
	epochsPlanned = $state(0);
	private client: TrainClient | null = null;

	get busy(): boolean {
		return this.state === 'running' || this.state === 'paused' || this.state === 'stopping';
	}

	async start(job: TrainJob): Promise<JobOutcome | null> {
		this.client ??= new TrainClient();
		this.state = 'running';
		this.phase = job.distillation ? 'distilled' : 'model';
		this.points = { model: [], distilled: [], baseline: [] };
		this.epochs = { model: [], distilled: [], baseline: [] };
		this.latest = null;
		this.outcome = null;
		this.error = null;
		this.errorCode = null;
		this.epochsPlanned = job.setup.epochs;
		try {
			const outcome = await this.client.train(job, (progress) => this.receive(progress));
			this.outcome = outcome;
			this.state = 'done';
			return outcome;
		} catch (error) {
			this.error = errorMessage(error);
			this.errorCode = (error as { code?: string }).code ?? 'unexpected';
			this.state = 'failed';
			return null;
		}
	}

	private receive(progress: TrainProgress): void {
		if (progress.kind === 'state') {
			if (this.state !== 'stopping' || progress.state === 'stopping') this.state = progress.state;
			return;
		}
		this.phase = progress.phase;
		if (progress.kind === 'batches') {
			this.points[progress.phase].push(progress);
			this.latest = progress;
		} else {
			this.epochs[progress.phase].push(progress);
		}
	}

	async pause(): Promise<void> {
		if (this.state !== 'running') return;
		await this.client?.pause();
	}

	async resume(): Promise<void> {
		if (this.state !== 'paused') return;
		await this.client?.resume();
		this.state = 'running';
	}

	async stop(): Promise<void> {
		if (!this.busy) return;
		this.state = 'stopping';
		await this.client?.stop();
	}

	/** A report of the failure without training (bad data, a teacher that does not fit). */
	fail(error: unknown): void {
		this.error = errorMessage(error);
		this.errorCode = (error as { code?: string }).code ?? 'unexpected';
		this.state = 'failed';
	}

	dispose(): void {
		this.client?.terminate();
		this.client = null;
	}
}
