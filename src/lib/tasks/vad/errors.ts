import { HearthError } from '$lib/errors';

export class AudioDecodeError extends HearthError {
	constructor(fileName: string, detail: string) {
		super(
			'audio-decode',
			`“${fileName}” could not be decoded as audio (${detail}). The file may be damaged or in a ` +
				'format this browser cannot read: try a WAV, MP3 or OGG file.'
		);
		this.name = 'AudioDecodeError';
	}
}

export class EmptyAudioError extends HearthError {
	constructor(what: string) {
		super('audio-empty', `${what} holds no audio samples: pick a recording that is not empty.`);
		this.name = 'EmptyAudioError';
	}
}

export class InvalidSampleRateError extends HearthError {
	constructor(rate: number) {
		super(
			'audio-sample-rate',
			`${rate} is not a usable sample rate: the audio must come with a positive rate in Hz.`
		);
		this.name = 'InvalidSampleRateError';
	}
}

export class VadModelError extends HearthError {
	constructor(detail: string) {
		super(
			'vad-model',
			`This is not a Silero VAD model Hearth knows (${detail}): v5 and v6 take input, state and ` +
				'sr, v4 takes input, sr, h and c. Pick a Silero VAD variant.'
		);
		this.name = 'VadModelError';
	}
}

export class VadStreamError extends HearthError {
	constructor(streamId: string, detail: string) {
		super(
			'vad-stream',
			`The live stream ${streamId} cannot continue: ${detail}. Stop the microphone and start it again.`
		);
		this.name = 'VadStreamError';
	}
}
