/** Pure helpers for decoded audio: channel mixing and level, shared by the page and the worker. */

/** The average of the channels, as a listener hears a stereo file on one speaker. */
export function mixToMono(channels: readonly Float32Array[]): Float32Array {
	if (channels.length === 0) return new Float32Array(0);
	if (channels.length === 1) return channels[0]!.slice();
	const length = Math.min(...channels.map((channel) => channel.length));
	const mono = new Float32Array(length);
	for (const channel of channels) {
		for (let i = 0; i < length; i++) mono[i]! += channel[i]!;
	}
	const scale = 1 / channels.length;
	for (let i = 0; i < length; i++) mono[i]! *= scale;
	return mono;
}

/** The loudest sample in dB relative to full scale; -Infinity for digital silence. */
export function peakDecibels(samples: Float32Array): number {
	let peak = 0;
	for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]!));
	return 20 * Math.log10(peak);
}
