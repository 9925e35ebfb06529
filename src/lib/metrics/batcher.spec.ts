import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher } from './batcher';

describe('Batcher', () => {
	beforeEach(() => void vi.useFakeTimers());
	afterEach(() => void vi.useRealTimers());

	it('writes after the interval, or at once when a batch is full', async () => {
		const batches: number[][] = [];
		const batcher = new Batcher<number>(
			async (batch) => void batches.push(batch),
			() => expect.unreachable(),
			{ batchSize: 3, intervalMs: 1000, maxBuffered: 100 }
		);
		batcher.add(1);
		batcher.add(2);
		await vi.advanceTimersByTimeAsync(999);
		expect(batches).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);
		expect(batches).toEqual([[1, 2]]);
		batcher.add(3);
		batcher.add(4);
		batcher.add(5);
		await vi.advanceTimersByTimeAsync(0);
		expect(batches).toEqual([
			[1, 2],
			[3, 4, 5]
		]);
		// No timer is left over from the full batch.
		await vi.advanceTimersByTimeAsync(5000);
		expect(batches).toHaveLength(2);
	});

	it('runs one write at a time and flush waits for everything added before it', async () => {
		const order: string[] = [];
		let release!: () => void;
		const batcher = new Batcher<number>(
			(batch) => {
				order.push(`start ${batch.join()}`);
				return batch[0] === 1
					? new Promise<void>((resolve) => (release = () => (order.push('end 1'), resolve())))
					: Promise.resolve(void order.push(`end ${batch.join()}`));
			},
			() => expect.unreachable(),
			{ batchSize: 1, intervalMs: 1000, maxBuffered: 100 }
		);
		batcher.add(1);
		await vi.advanceTimersByTimeAsync(0);
		batcher.add(2);
		const flushed = batcher.flush();
		await vi.advanceTimersByTimeAsync(0);
		expect(order).toEqual(['start 1']);
		release();
		await flushed;
		expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
		expect(batcher.pending).toBe(0);
	});

	it('reports a failed write and records dropped from a full buffer', async () => {
		const losses: [number, string][] = [];
		const batcher = new Batcher<number>(
			() => Promise.reject(new Error('denied')),
			(lost, error) => losses.push([lost, (error as Error).message]),
			{ batchSize: 100, intervalMs: 1000, maxBuffered: 2 }
		);
		batcher.add(1);
		batcher.add(2);
		batcher.add(3);
		expect(losses).toEqual([[1, 'the buffer of unsaved records was full']]);
		await batcher.flush();
		expect(losses[1]).toEqual([2, 'denied']);
		batcher.add(4);
		batcher.discard();
		await vi.advanceTimersByTimeAsync(5000);
		expect(losses).toHaveLength(2);
	});
});
