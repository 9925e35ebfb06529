/**
 * Memory samples for the Monitor, taken on the page side because the measuring APIs are not
 * exposed in dedicated workers: performance.measureUserAgentSpecificMemory() (cross-origin
 * isolated pages only) measures every JavaScript and WebAssembly heap of the page and its
 * workers, ONNX Runtime's included; Chromium's performance.memory is the page's own JavaScript
 * heap, the fallback. The first can take many seconds (it waits for a garbage collection), so
 * samples are taken at most every SAMPLE_MS, only while models run, and each request carries
 * the latest one.
 */
import type { MemorySource } from '$lib/metrics/types';

export interface MemorySample {
	bytes: number;
	source: MemorySource;
}

const SAMPLE_MS = 10_000;

interface MemoryPerformance {
	measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
	memory?: { usedJSHeapSize: number };
}

export class MemorySampler {
	private latest: MemorySample | null = null;
	private lastStart = -Infinity;
	private measuring = false;

	/** The latest sample (undefined before the first), and a new one started when due. */
	current(): MemorySample | undefined {
		this.sampleIfDue();
		return this.latest ?? undefined;
	}

	private sampleIfDue(): void {
		if (typeof performance === 'undefined') return;
		const now = performance.now();
		if (this.measuring || now - this.lastStart < SAMPLE_MS) return;
		this.lastStart = now;
		const perf = performance as unknown as MemoryPerformance;
		const heap = () => {
			const used = perf.memory?.usedJSHeapSize;
			if (typeof used === 'number') this.latest = { bytes: used, source: 'js-heap' };
		};
		if (
			!globalThis.crossOriginIsolated ||
			typeof perf.measureUserAgentSpecificMemory !== 'function'
		) {
			heap();
			return;
		}
		if (!this.latest) heap(); // something to show while the first full measurement runs
		this.measuring = true;
		perf
			.measureUserAgentSpecificMemory()
			.then(
				(result) => (this.latest = { bytes: result.bytes, source: 'agent' }),
				// Refused (a SecurityError where the page does not qualify after all).
				heap
			)
			.finally(() => (this.measuring = false));
	}
}
