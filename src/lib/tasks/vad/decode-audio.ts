/**
 * Turns an audio file into mono samples for the pipeline, in the browser: WebAudio decodes
 * whatever formats the browser supports (WAV, MP3, OGG, and more), at the audio context's rate;
 * the worker resamples to 16 kHz. The decoded buffer is kept so the page can play segments.
 */
import { errorMessage } from '$lib/errors';
import { mixToMono } from './audio';
import { AudioDecodeError, EmptyAudioError } from './errors';

/** Larger files would take several times their size in memory once decoded. */
const MAX_FILE_BYTES = 200 * 1024 * 1024;

export interface DecodedAudio {
	name: string;
	buffer: AudioBuffer;
	samples: Float32Array;
	sampleRate: number;
}

export async function decodeAudioFile(
	context: BaseAudioContext,
	file: Blob,
	name: string
): Promise<DecodedAudio> {
	if (file.size === 0) throw new EmptyAudioError(`“${name}”`);
	if (file.size > MAX_FILE_BYTES) {
		throw new AudioDecodeError(name, 'it is larger than 200 MB; cut it into shorter pieces');
	}
	let buffer: AudioBuffer;
	try {
		buffer = await context.decodeAudioData(await file.arrayBuffer());
	} catch (cause) {
		throw new AudioDecodeError(name, errorMessage(cause) || 'the browser could not read it');
	}
	if (buffer.length === 0) throw new EmptyAudioError(`“${name}”`);
	const channels = Array.from({ length: buffer.numberOfChannels }, (_, i) =>
		buffer.getChannelData(i)
	);
	return { name, buffer, samples: mixToMono(channels), sampleRate: buffer.sampleRate };
}

/** A mono AudioBuffer holding `samples`, to play a recording the page made itself. */
export function toAudioBuffer(samples: Float32Array<ArrayBuffer>, sampleRate: number): AudioBuffer {
	const buffer = new AudioBuffer({ length: Math.max(1, samples.length), sampleRate });
	buffer.copyToChannel(samples, 0);
	return buffer;
}
