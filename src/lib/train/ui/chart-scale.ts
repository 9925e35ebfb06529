/** Scales and ticks for the training chart: data ranges to SVG coordinates, round tick values. */

export interface Scale {
	(value: number): number;
	ticks: number[];
}

/** A linear map of [min, max] onto [from, to] (to < from flips the axis, as SVG y needs). */
export function linearScale(
	min: number,
	max: number,
	from: number,
	to: number,
	tickCount = 4
): Scale {
	const span = max - min || 1;
	const scale = ((value: number) => from + ((value - min) / span) * (to - from)) as Scale;
	scale.ticks = niceTicks(min, max, tickCount);
	return scale;
}

/** Round values (1, 2 or 5 times a power of ten apart) covering [min, max]. */
export function niceTicks(min: number, max: number, count: number): number[] {
	if (!(max > min)) return [min];
	const raw = (max - min) / Math.max(1, count);
	const power = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw) ?? raw;
	const ticks: number[] = [];
	for (let tick = Math.ceil(min / step) * step; tick <= max + step * 1e-9; tick += step) {
		ticks.push(Number(tick.toPrecision(12)));
	}
	return ticks;
}

/** An SVG path through the points, skipping values that are not finite. */
export function linePath(points: readonly { x: number; y: number }[]): string {
	let path = '';
	let pen = false;
	for (const { x, y } of points) {
		if (!Number.isFinite(x) || !Number.isFinite(y)) {
			pen = false;
			continue;
		}
		path += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
		pen = true;
	}
	return path;
}
