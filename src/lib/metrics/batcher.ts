/**
 * Keeps records in memory and writes them in batches, so recording an inference costs a push
 * onto an array and the storage write happens later, at most once per interval or batch. The
 * buffer is bounded: if storage cannot keep up (or fails), the oldest unsaved records are
 * dropped rather than memory growing without end, and the drop is reported.
 */

export interface BatcherOptions {
	/** Write as soon as this many records wait. */
	batchSize: number;
	/** Otherwise write this long after the first waiting record. */
	intervalMs: number;
	/** Never hold more than this many unsaved records. */
	maxBuffered: number;
}

export const DEFAULT_BATCHER_OPTIONS: BatcherOptions = {
	batchSize: 50,
	intervalMs: 1000,
	maxBuffered: 5000
};

export class Batcher<T> {
	private buffer: T[] = [];
	private timer: ReturnType<typeof setTimeout> | null = null;
	/** Writes run one after another; this settles when the last queued one has. */
	private chain: Promise<void> = Promise.resolve();
	private queued = false;
	private readonly options: BatcherOptions;

	constructor(
		private readonly write: (batch: T[]) => Promise<void>,
		/** A failed write (its records are lost) or records dropped because the buffer was full. */
		private readonly onLoss: (lost: number, error: unknown) => void,
		options: Partial<BatcherOptions> = {}
	) {
		this.options = { ...DEFAULT_BATCHER_OPTIONS, ...options };
	}

	/** Records waiting to be written. */
	get pending(): number {
		return this.buffer.length;
	}

	add(item: T): void {
		this.buffer.push(item);
		if (this.buffer.length > this.options.maxBuffered) {
			const lost = this.buffer.length - this.options.maxBuffered;
			this.buffer.splice(0, lost);
			this.onLoss(lost, new Error('the buffer of unsaved records was full'));
		}
		if (this.buffer.length >= this.options.batchSize) this.queueWrite();
		else if (this.timer === null && !this.queued) {
			this.timer = setTimeout(() => {
				this.timer = null;
				this.queueWrite();
			}, this.options.intervalMs);
		}
	}

	/** Writes everything waiting now; settles once it is written (or reported lost). */
	flush(): Promise<void> {
		if (this.buffer.length > 0) this.queueWrite();
		return this.chain;
	}

	/** Forgets what has not been written yet (recording was turned off). */
	discard(): void {
		this.buffer = [];
		if (this.timer !== null) clearTimeout(this.timer);
		this.timer = null;
	}

	private queueWrite(): void {
		if (this.queued) return;
		this.queued = true;
		this.chain = this.chain.then(async () => {
			this.queued = false;
			if (this.timer !== null) clearTimeout(this.timer);
			this.timer = null;
			const batch = this.buffer;
			this.buffer = [];
			if (batch.length === 0) return;
			try {
				await this.write(batch);
			} catch (error) {
				this.onLoss(batch.length, error);
			}
		});
	}
}
