/**
 * The size of the WebAssembly memory ONNX Runtime uses in this worker, for the Compare page's
 * memory figure. A WebAssembly memory only grows, so its size is the worker's peak. The memory
 * is created by ORT's JavaScript (its threaded build imports it), so wrapping the constructor
 * before ORT starts is enough to see it. performance.measureUserAgentSpecificMemory would cover
 * more, but it did not answer within 20 s while ORT's thread pool was running.
 */
const memories: WebAssembly.Memory[] = [];
let tracking = false;

export function trackWasmMemories(): void {
	if (tracking || typeof WebAssembly === 'undefined') return;
	tracking = true;
	WebAssembly.Memory = new Proxy(WebAssembly.Memory, {
		construct(target, args: [WebAssembly.MemoryDescriptor], newTarget) {
			const memory = Reflect.construct(target, args, newTarget) as WebAssembly.Memory;
			memories.push(memory);
			return memory;
		}
	});
}

/** Bytes of every WebAssembly memory made since tracking began; null when there is none yet. */
export function wasmHeapBytes(): number | null {
	if (memories.length === 0) return null;
	return memories.reduce((sum, memory) => sum + memory.buffer.byteLength, 0);
}
