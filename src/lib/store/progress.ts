/**
 * Download speed and time left, from (time, bytes) samples over a sliding window, so a stall
 * shows up within seconds and one fast burst does not promise an unrealistic finish.
 */
export class TransferMeter {
	private samples: { at: number; bytes: number }[] = [];

	constructor(private readonly windowMs = 4000) {}

	/** Record the total bytes received in this session at time `at` (ms). */
	record(bytes: number, at: number): void {
		this.samples.push({ at, bytes });
		const oldest = at - this.windowMs;
		while (this.samples.length > 2 && this.samples[1]!.at <= oldest) this.samples.shift();
	}

	bytesPerSecond(): number {
		const first = this.samples[0];
		const last = this.samples[this.samples.length - 1];
		if (!first || !last || last.at <= first.at) return 0;
		return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
	}

	secondsLeft(remainingBytes: number): number {
		const rate = this.bytesPerSecond();
		if (remainingBytes <= 0) return 0;
		return rate > 0 ? remainingBytes / rate : Number.POSITIVE_INFINITY;
	}
}

export interface FileProgress {
	path: string;
	bytes: number;
	receivedBytes: number;
	verified: boolean;
}

export type DownloadPhase = 'checking-space' | 'downloading' | 'verifying' | 'done';

export interface DownloadProgress {
	key: string;
	phase: DownloadPhase;
	files: FileProgress[];
	receivedBytes: number;
	totalBytes: number;
	/** Bytes that were already stored when this download (or resume) began. */
	resumedFromBytes: number;
	bytesPerSecond: number;
	secondsLeft: number;
}

/** Where a Content-Range answer says the body starts, or null when the header is absent or bad. */
export function contentRangeStart(header: string | null): number | null {
	const match = header?.match(/^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i);
	return match ? Number(match[1]) : null;
}
