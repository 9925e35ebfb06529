/**
 * Microphone capture for live voice activity: getUserMedia into an AudioWorklet that hands the
 * page chunks of raw samples at the audio context's rate (the worker resamples them).
 */
import { errorMessage, HearthError } from '$lib/errors';
import workletUrl from './capture-worklet.ts?worker&url';

export class MicrophoneError extends HearthError {
	constructor(detail: string, options?: { cause?: unknown }) {
		super(
			'microphone',
			`The microphone could not be started (${detail}). Allow microphone access for this site ` +
				'in the browser, check that a microphone is connected, or choose an audio file instead.',
			options
		);
		this.name = 'MicrophoneError';
	}
}

/** About 100 ms per chunk: live enough for the graph, few enough messages to the worker. */
const CHUNK_SECONDS = 0.1;

export class MicrophoneCapture {
	private constructor(
		private readonly stream: MediaStream,
		private readonly source: MediaStreamAudioSourceNode,
		private readonly node: AudioWorkletNode
	) {}

	get sampleRate(): number {
		return this.node.context.sampleRate;
	}

	static async start(
		context: AudioContext,
		onchunk: (samples: Float32Array) => void
	): Promise<MicrophoneCapture> {
		if (!navigator.mediaDevices?.getUserMedia || !context.audioWorklet) {
			throw new MicrophoneError('this browser offers no microphone access on this page');
		}
		let stream: MediaStream;
		try {
			// The raw signal: echo cancellation and noise suppression would change what the model hears.
			stream = await navigator.mediaDevices.getUserMedia({
				audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false }
			});
		} catch (cause) {
			throw new MicrophoneError(errorMessage(cause), { cause });
		}
		try {
			await context.audioWorklet.addModule(workletUrl);
			await context.resume();
			const source = context.createMediaStreamSource(stream);
			const node = new AudioWorkletNode(context, 'hearth-capture', {
				numberOfOutputs: 0,
				processorOptions: { chunkSamples: Math.round(context.sampleRate * CHUNK_SECONDS) }
			});
			node.port.onmessage = (event: MessageEvent<Float32Array>) => onchunk(event.data);
			source.connect(node);
			return new MicrophoneCapture(stream, source, node);
		} catch (cause) {
			for (const track of stream.getTracks()) track.stop();
			throw new MicrophoneError(errorMessage(cause), { cause });
		}
	}

	stop(): void {
		this.node.port.onmessage = null;
		this.source.disconnect();
		this.node.disconnect();
		for (const track of this.stream.getTracks()) track.stop();
	}
}
