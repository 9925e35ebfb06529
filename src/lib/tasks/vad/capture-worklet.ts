/**
 * Runs on the audio rendering thread: gathers the microphone's 128-sample render quanta into
 * chunks of `chunkSamples` (mixed down to mono) and posts each to the page, handing its buffer
 * over rather than copying it. Loaded with audioWorklet.addModule, so it imports nothing.
 */

// The AudioWorkletGlobalScope is not in TypeScript's libraries; these are the parts used here.
declare const AudioWorkletProcessor: {
	prototype: { readonly port: MessagePort };
	new (options?: { processorOptions?: unknown }): { readonly port: MessagePort };
};
declare function registerProcessor(name: string, processor: unknown): void;

class CaptureProcessor extends AudioWorkletProcessor {
	private readonly chunkSamples: number;
	private chunk: Float32Array;
	private filled = 0;

	constructor(options: { processorOptions: { chunkSamples: number } }) {
		super(options);
		this.chunkSamples = options.processorOptions.chunkSamples;
		this.chunk = new Float32Array(this.chunkSamples);
	}

	process(inputs: Float32Array[][]): boolean {
		const channels = inputs[0] ?? [];
		const length = channels[0]?.length ?? 0;
		for (let i = 0; i < length; i++) {
			let sum = 0;
			for (const channel of channels) sum += channel[i]!;
			this.chunk[this.filled++] = sum / channels.length;
			if (this.filled === this.chunkSamples) {
				// Handing the buffer over detaches it: the next chunk needs a new one.
				this.port.postMessage(this.chunk, [this.chunk.buffer]);
				this.chunk = new Float32Array(this.chunkSamples);
				this.filled = 0;
			}
		}
		return true;
	}
}

registerProcessor('hearth-capture', CaptureProcessor);

export {};
