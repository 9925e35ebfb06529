/** Human-readable numbers for the UI. Binary units, because browsers report storage in bytes. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) return '–';
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < UNITS.length - 1) {
		value /= 1024;
		unit++;
	}
	const digits = unit === 0 || value >= 100 ? 0 : 1;
	return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function formatDuration(seconds: number): string {
	if (!Number.isFinite(seconds) || seconds < 0) return '–';
	if (seconds < 1) return '< 1 s';
	if (seconds < 60) return `${Math.round(seconds)} s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
	return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatMs(ms: number): string {
	if (!Number.isFinite(ms)) return '–';
	return ms < 10
		? `${ms.toFixed(2)} ms`
		: ms < 1000
			? `${ms.toFixed(1)} ms`
			: `${(ms / 1000).toFixed(2)} s`;
}

export function formatPercent(fraction: number): string {
	if (!Number.isFinite(fraction)) return '–';
	return `${Math.floor(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}
