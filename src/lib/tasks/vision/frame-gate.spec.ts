import { describe, expect, it } from 'vitest';
import { FrameGate } from './frame-gate';

describe('FrameGate', () => {
	it('runs one frame at a time and keeps only the newest waiting frame', () => {
		const gate = new FrameGate<number>();
		expect(gate.offer(1)).toBe(1);
		// The model is slow: frames 2, 3 and 4 arrive while 1 runs.
		expect(gate.offer(2)).toBeNull();
		expect(gate.offer(3)).toBeNull();
		expect(gate.offer(4)).toBeNull();
		expect(gate.dropped).toBe(2);
		expect(gate.finish(100)).toBe(4);
		expect(gate.busy).toBe(true);
		expect(gate.finish(200)).toBeNull();
		expect(gate.busy).toBe(false);
		expect(gate.processed).toBe(2);
		expect(gate.offer(5)).toBe(5);
	});

	it('never holds more than one frame however many arrive', () => {
		const gate = new FrameGate<number>();
		gate.offer(0);
		for (let i = 1; i <= 1000; i++) gate.offer(i);
		expect(gate.dropped).toBe(999);
		expect(gate.finish(0)).toBe(1000);
		expect(gate.finish(1)).toBeNull();
	});

	it('counts the runs finished in the last second', () => {
		const gate = new FrameGate<number>();
		for (let t = 0; t <= 2000; t += 100) {
			gate.offer(t);
			gate.finish(t);
		}
		expect(gate.framesPerSecond).toBe(11);
	});
});
