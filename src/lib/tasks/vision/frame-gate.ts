/**
 * The live camera loop's rule: at most one frame is being inferred, and at most one waits (the
 * newest; an older waiting frame is dropped). So when the model is slower than the camera the
 * loop drops frames instead of queueing them, and what is shown is never more than one run old.
 * Frames per second are counted over a sliding second.
 */
export class FrameGate<Frame> {
	private running = false;
	private waiting: Frame | null = null;
	private readonly finishedAt: number[] = [];
	/** Frames offered but never run because a newer one replaced them. */
	dropped = 0;
	processed = 0;

	/** Offers a camera frame; returns it when it should run now, else keeps it as the newest. */
	offer(frame: Frame): Frame | null {
		if (!this.running) {
			this.running = true;
			return frame;
		}
		if (this.waiting !== null) this.dropped++;
		this.waiting = frame;
		return null;
	}

	/** Ends the running frame; returns the waiting one to run next, if any. */
	finish(now: number): Frame | null {
		this.processed++;
		this.finishedAt.push(now);
		while (this.finishedAt.length > 0 && now - this.finishedAt[0]! > 1000) this.finishedAt.shift();
		const next = this.waiting;
		this.waiting = null;
		this.running = next !== null;
		return next;
	}

	/** Runs finished in the last second. */
	get framesPerSecond(): number {
		return this.finishedAt.length;
	}

	get busy(): boolean {
		return this.running;
	}

	reset(): void {
		this.running = false;
		this.waiting = null;
		this.finishedAt.length = 0;
		this.dropped = 0;
		this.processed = 0;
	}
}
